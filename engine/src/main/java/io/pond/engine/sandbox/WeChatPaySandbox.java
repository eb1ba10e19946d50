package io.pond.engine.sandbox;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pond.connectors.coupon.WeChatPaySigner;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * WeChat Pay's issue-coupon API (wecom-contract.md §9): the same out_request_no with the same body returns
 * the original coupon, with another body 400 INVALID_REQUEST; a stock id starting with EMPTY has run out
 * (403 NOT_ENOUGH); answers are signed with the sandbox's platform key. Any Authorization is accepted.
 */
@RestController
@RequestMapping(path = "/sandbox/wechatpay/v3/marketing/favor/users", produces = MediaType.APPLICATION_JSON_VALUE)
public class WeChatPaySandbox {

    private final Sandbox sandbox;
    private final ObjectMapper json;
    private final Map<String, String[]> issued = new ConcurrentHashMap<>();
    private final AtomicLong couponIds = new AtomicLong(9_867_000);

    public WeChatPaySandbox(Sandbox sandbox, ObjectMapper json) {
        this.sandbox = sandbox;
        this.json = json;
    }

    @PostMapping("/{openid}/coupons")
    public ResponseEntity<String> issue(@PathVariable String openid, @RequestBody String text,
            @RequestHeader(name = "Authorization", required = false) String authorization) throws Exception {
        if (!sandbox.enabled()) {
            return ResponseEntity.notFound().build();
        }
        if (authorization == null || !authorization.startsWith("WECHATPAY2-SHA256-RSA2048")) {
            return error(401, "SIGN_ERROR", "签名错误");
        }
        Optional<Sandbox.Fault> fault = sandbox.nextFault("coupons");
        if (fault.isPresent()) {
            if (fault.get().delay() != null) {
                Sandbox.sleep(fault.get().delay());
            }
            if (fault.get().code() != 0) {
                return error(fault.get().code(), fault.get().code() == 429 ? "FREQUENCY_LIMIT_EXCEED" : "SYSTEM_ERROR", "sandbox fault");
            }
        }
        JsonNode body = json.readTree(text);
        String requestNo = body.path("out_request_no").asText("");
        String stock = body.path("stock_id").asText("");
        if (requestNo.isEmpty() || stock.isEmpty() || body.path("appid").asText("").isEmpty()) {
            return error(400, "PARAM_ERROR", "stock_id, out_request_no and appid are required");
        }
        String canonical = json.writeValueAsString(json.readTree(text));
        if (!issued.containsKey(requestNo) && stock.startsWith("EMPTY")) {
            return error(403, "NOT_ENOUGH", "批次预算不足");
        }
        String couponId = Long.toString(couponIds.incrementAndGet());
        // check and issue in one step: two requests with one out_request_no at the same moment issue one coupon
        String[] earlier = issued.putIfAbsent(requestNo, new String[] {couponId, canonical + "|" + openid});
        if (earlier != null) {
            if (!earlier[1].equals(canonical + "|" + openid)) {
                return error(400, "INVALID_REQUEST", "out_request_no was used with another request");
            }
            return signed(json.createObjectNode().put("coupon_id", earlier[0]).toString());
        }
        String answer = json.createObjectNode().put("coupon_id", couponId).toString();
        sandbox.record("wechatpay", "coupons", openid, "coupon " + couponId + " of stock " + stock, text, answer);
        return signed(answer);
    }

    private ResponseEntity<String> signed(String body) {
        String timestamp = Long.toString(sandbox.clock().instant().getEpochSecond());
        String nonce = UUID.randomUUID().toString().replace("-", "");
        String signature = WeChatPaySigner.sign(timestamp + "\n" + nonce + "\n" + body + "\n", sandbox.platformKeys.getPrivate());
        HttpHeaders headers = new HttpHeaders();
        headers.set("Wechatpay-Timestamp", timestamp);
        headers.set("Wechatpay-Nonce", nonce);
        headers.set("Wechatpay-Signature", signature);
        headers.set("Wechatpay-Serial", "SANDBOXPLATFORM");
        headers.set("Request-ID", UUID.randomUUID().toString());
        return ResponseEntity.ok().headers(headers).body(body);
    }

    private ResponseEntity<String> error(int status, String code, String message) {
        return ResponseEntity.status(status).body(json.createObjectNode().put("code", code).put("message", message).toString());
    }
}
