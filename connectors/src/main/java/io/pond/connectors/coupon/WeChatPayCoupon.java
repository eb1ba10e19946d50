package io.pond.connectors.coupon;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pond.connectors.http.JsonHttp;
import io.pond.connectors.spi.BusinessConnectorException;
import io.pond.connectors.spi.Connector;
import io.pond.connectors.spi.ConnectorContext;
import io.pond.connectors.spi.ConnectorException;
import io.pond.connectors.spi.ConnectorType;
import io.pond.connectors.spi.Input;
import io.pond.connectors.spi.RetryableConnectorException;

/**
 * Issues a WeChat Pay cash coupon (代金券) to the customer. The step's key is the out_request_no, so a retry
 * after a lost answer gets the same coupon, never a second one.
 */
@ConnectorType(id = "wechatpay.coupon.issue", nameEn = "Issue coupon", nameZh = "发放优惠券",
        descriptionEn = "Issues a WeChat Pay cash coupon from a stock to the customer.",
        descriptionZh = "从微信支付代金券批次向客户发放一张代金券。",
        icon = "/connectors/coupon.svg", group = "coupon", idempotent = true, settings = WeChatPaySettings.class,
        outputs = @ConnectorType.Output(name = "couponId", descriptionEn = "the coupon's id", descriptionZh = "代金券 ID"))
public class WeChatPayCoupon implements Connector<WeChatPayCoupon.CouponInput> {

    public record CouponInput(
            @Input(labelEn = "Stock id", labelZh = "批次号", required = true, maxLength = 20, pattern = "[0-9A-Za-z]+",
                    patternHint = "the stock's id") String stockId,
            @Input(labelEn = "Customer's openid", labelZh = "客户 openid", defaultValue = "${customer.identity.wechat_openid}",
                    descriptionEn = "Under the app id of the settings", descriptionZh = "须属于设置中的 AppID") String openid) {
    }

    @Override
    public Map<String, Object> execute(CouponInput input, ConnectorContext context) throws ConnectorException {
        if (input.openid() == null || input.openid().isBlank()) {
            throw new BusinessConnectorException("COUPON_NO_OPENID", "The customer has no WeChat openid to receive the coupon");
        }
        WeChatPaySettings settings = context.settings(WeChatPaySettings.class);
        String path = "/v3/marketing/favor/users/" + URLEncoder.encode(input.openid(), StandardCharsets.UTF_8) + "/coupons";
        ObjectNode body = JsonHttp.JSON.createObjectNode();
        body.put("stock_id", input.stockId());
        body.put("out_request_no", context.idempotencyKey());
        body.put("appid", settings.appid());
        body.put("stock_creator_mchid", settings.mchid());
        String text = body.toString();
        long timestamp = context.clock().instant().getEpochSecond();
        JsonHttp.Response response = JsonHttp.send(HttpRequest.newBuilder(URI.create(settings.baseUrl().replaceAll("/+$", "") + path))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("Authorization", WeChatPaySigner.authorization("POST", path, text, settings, timestamp))
                .POST(HttpRequest.BodyPublishers.ofString(text)), "WeChat Pay coupon");
        JsonNode answer = response.json();
        if (response.status() / 100 == 2) {
            if (!WeChatPaySigner.verify(response.header("Wechatpay-Timestamp"), response.header("Wechatpay-Nonce"),
                    response.body(), response.header("Wechatpay-Signature"), settings.platformPublicKey())) {
                throw new RetryableConnectorException("The answer of WeChat Pay is not signed with the platform key in the"
                        + " settings; the coupon may have been issued, and a retry with the same request number is safe");
            }
            return Map.of("couponId", answer.path("coupon_id").asText());
        }
        throw error(response.status(), answer.path("code").asText(""), answer.path("message").asText(""));
    }

    static ConnectorException error(int status, String code, String message) {
        String text = "WeChat Pay " + status + " " + code + ": " + message;
        if (status == 429 || status >= 500) {
            return new RetryableConnectorException(text, Duration.ofSeconds(status == 429 ? 2 : 5), null);
        }
        return switch (code) {
            case "NOT_ENOUGH" -> new BusinessConnectorException("COUPON_STOCK_EMPTY", text);
            case "RULE_LIMIT", "REQUEST_BLOCKED" -> new BusinessConnectorException("COUPON_LIMIT_REACHED", text);
            case "USER_ACCOUNT_ABNORMAL" -> new BusinessConnectorException("COUPON_ACCOUNT_ABNORMAL", text);
            case "SIGN_ERROR" -> new RetryableConnectorException(text + " (check the merchant key and serial number)",
                    Duration.ofMinutes(5), null);
            default -> new BusinessConnectorException("COUPON_REFUSED", text);
        };
    }
}
