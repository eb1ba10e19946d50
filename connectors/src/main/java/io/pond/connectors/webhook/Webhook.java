package io.pond.connectors.webhook;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import io.pond.connectors.http.JsonHttp;
import io.pond.connectors.spi.BusinessConnectorException;
import io.pond.connectors.spi.Connector;
import io.pond.connectors.spi.ConnectorContext;
import io.pond.connectors.spi.ConnectorException;
import io.pond.connectors.spi.ConnectorType;
import io.pond.connectors.spi.Input;
import io.pond.connectors.spi.InputType;
import io.pond.connectors.spi.RetryableConnectorException;

/**
 * POSTs a JSON body (with placeholders) to any URL. The receiver can check it: {@code X-Pond-Signature:
 * sha256=HMAC(secret, timestamp + "." + body)} with {@code X-Pond-Timestamp}; {@code Idempotency-Key} is the
 * same on every retry of the step.
 */
@ConnectorType(id = "webhook.post", nameEn = "Webhook", nameZh = "Webhook",
        descriptionEn = "Posts a signed JSON document to a URL.", descriptionZh = "向指定地址 POST 一个带签名的 JSON 文档。",
        icon = "/connectors/webhook.svg", group = "webhook", settings = WebhookSettings.class,
        // receivers deduplicate by the Idempotency-Key header (docs/connectors.md)
        idempotent = true,
        outputs = @ConnectorType.Output(name = "webhookStatus", descriptionEn = "the HTTP status", descriptionZh = "HTTP 状态码"))
public class Webhook implements Connector<Webhook.WebhookInput> {

    public record WebhookInput(
            @Input(labelEn = "URL", labelZh = "地址", required = true, pattern = "https?://\\S+", patternHint = "an http(s) address")
            String url,
            @Input(labelEn = "Body (JSON)", labelZh = "请求体 (JSON)", type = InputType.JSON, required = true,
                    descriptionEn = "Placeholders such as ${customer.name} are filled in, JSON-escaped",
                    descriptionZh = "可使用 ${customer.name} 等占位符，值会按 JSON 转义") JsonNode body) {
    }

    @Override
    public Map<String, Object> execute(WebhookInput input, ConnectorContext context) throws ConnectorException {
        String body = input.body().toString();
        String timestamp = Long.toString(context.clock().instant().getEpochSecond());
        String secret = context.settings(WebhookSettings.class).signingSecret();
        JsonHttp.Response response = JsonHttp.send(HttpRequest.newBuilder(URI.create(input.url()))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("X-Pond-Timestamp", timestamp)
                .header("X-Pond-Signature", "sha256=" + hmac(secret, timestamp + "." + body))
                .header("Idempotency-Key", context.idempotencyKey())
                .POST(HttpRequest.BodyPublishers.ofString(body)), "Webhook " + input.url());
        int status = response.status();
        if (status / 100 == 2) {
            return Map.of("webhookStatus", status);
        }
        if (status == 408 || status == 429 || status >= 500) {
            throw new RetryableConnectorException("Webhook " + input.url() + " answered " + status,
                    status == 429 ? Duration.ofSeconds(30) : null, null);
        }
        throw new BusinessConnectorException("WEBHOOK_REJECTED", "Webhook " + input.url() + " answered " + status + ": "
                + (response.body().length() > 300 ? response.body().substring(0, 300) : response.body()));
    }

    /** HMAC-SHA256 in hex, as receivers compute it. */
    public static String hmac(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
