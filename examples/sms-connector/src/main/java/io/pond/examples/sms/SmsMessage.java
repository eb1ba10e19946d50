package io.pond.examples.sms;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

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

/** Sends a text message through an SMS gateway ({@code POST /v1/messages}); the gateway deduplicates by client_ref. */
@ConnectorType(id = "sms.message.send", nameEn = "SMS", nameZh = "短信",
        descriptionEn = "Sends a text message to the customer's phone.", descriptionZh = "向客户手机发送一条短信。",
        icon = "/connectors/sms.svg", group = "messaging", channel = "SMS", idempotent = true, settings = SmsMessage.SmsSettings.class,
        outputs = @ConnectorType.Output(name = "smsId", descriptionEn = "the gateway's message id", descriptionZh = "网关消息 ID"))
public class SmsMessage implements Connector<SmsMessage.SmsInput> {

    public record SmsInput(
            @Input(labelEn = "Phone", labelZh = "手机号", required = true, defaultValue = "${customer.identity.phone}",
                    pattern = "\\+?[0-9]{5,20}", patternHint = "a phone number of digits, with an optional +") String phone,
            @Input(labelEn = "Text", labelZh = "内容", type = InputType.TEMPLATE, required = true, maxLength = 500) String text) {
    }

    /** How Pond reaches the gateway. */
    public record SmsSettings(
            @Input(labelEn = "API base URL", labelZh = "接口地址", required = true, pattern = "https?://\\S+",
                    patternHint = "an http(s) address") String baseUrl,
            @Input(labelEn = "API key", labelZh = "API 密钥", type = InputType.SECRET, required = true) String apiKey,
            @Input(labelEn = "Signature", labelZh = "短信签名", required = true, maxLength = 20,
                    descriptionEn = "The sender name the carrier shows, e.g. Pond", descriptionZh = "运营商显示的签名，如 Pond")
            String signName) {
    }

    @Override
    public Map<String, Object> execute(SmsInput input, ConnectorContext context) throws ConnectorException {
        SmsSettings settings = context.settings(SmsSettings.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("to", input.phone());
        body.put("sign", settings.signName());
        body.put("text", input.text());
        // the same in every attempt of this step: the gateway sends a repeated client_ref once
        body.put("client_ref", context.idempotencyKey());
        JsonHttp.Response response = JsonHttp.send(JsonHttp.postJson(URI.create(settings.baseUrl().replaceAll("/+$", "")
                + "/v1/messages"), body).header("Authorization", "Bearer " + settings.apiKey()), "SMS gateway");
        int status = response.status();
        if (status >= 200 && status < 300) {
            return Map.of("smsId", response.json().path("id").asText());
        }
        if (status == 429) {
            throw new RetryableConnectorException("The SMS gateway asks to slow down (429)", retryAfter(response), null);
        }
        if (status == 401 || status == 403) {
            throw new RetryableConnectorException("The SMS gateway refused the API key (" + status
                    + "): check it under Connectors → Settings", null, null);
        }
        if (status >= 400 && status < 500) {
            JsonNode error = response.json();
            String code = error.path("code").asText("REFUSED").toUpperCase().replaceAll("[^A-Z0-9_]", "_");
            throw new BusinessConnectorException("SMS_" + code, "The SMS gateway refused the message: "
                    + error.path("message").asText(code));
        }
        throw new RetryableConnectorException("The SMS gateway answered HTTP " + status);
    }

    private static Duration retryAfter(JsonHttp.Response response) {
        try {
            String seconds = response.header("Retry-After");
            return seconds == null ? null : Duration.ofSeconds(Long.parseLong(seconds.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
