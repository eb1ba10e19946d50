package io.pond.engine.sandbox;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import io.pond.connectors.webhook.Webhook;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * A REST CRM (any path under {@code /sandbox/crm}: PATCH/PUT/POST accepted, a path with "missing" is 404,
 * POST .../tasks answers an id) and a webhook receiver ({@code /sandbox/webhook/...}, which checks the
 * signature like a careful receiver would).
 */
@RestController
public class CrmSandbox {

    private final Sandbox sandbox;
    private final AtomicLong taskIds = new AtomicLong();

    public CrmSandbox(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @RequestMapping(path = "/sandbox/crm/**", method = {RequestMethod.PATCH, RequestMethod.PUT, RequestMethod.POST},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> crm(HttpServletRequest request, @RequestBody(required = false) String body,
            @RequestHeader(name = "Authorization", required = false) String authorization) {
        if (!sandbox.enabled()) {
            return ResponseEntity.notFound().build();
        }
        if (!"Bearer sandbox".equals(authorization)) {
            return ResponseEntity.status(401).body("{\"error\":\"unauthorized\"}");
        }
        String path = request.getRequestURI().substring(request.getRequestURI().indexOf("/sandbox/crm") + "/sandbox/crm".length());
        Optional<Sandbox.Fault> fault = sandbox.nextFault("crm");
        if (fault.isPresent()) {
            if (fault.get().delay() != null) {
                Sandbox.sleep(fault.get().delay());
            }
            if (fault.get().code() != 0) {
                return ResponseEntity.status(fault.get().code()).body("{\"error\":\"sandbox fault\"}");
            }
        }
        if (path.contains("missing")) {
            return ResponseEntity.status(404).body("{\"error\":\"not found\"}");
        }
        String answer = path.endsWith("/tasks") && "POST".equals(request.getMethod())
                ? "{\"id\":\"task-" + taskIds.incrementAndGet() + "\"}" : "{\"ok\":true}";
        sandbox.record("crm", request.getMethod() + " " + path, path, body, body, answer);
        return ResponseEntity.ok(answer);
    }

    @RequestMapping(path = "/sandbox/webhook/**", method = RequestMethod.POST, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> webhook(HttpServletRequest request, @RequestBody(required = false) String body,
            @RequestHeader(name = "X-Pond-Timestamp", required = false) String timestamp,
            @RequestHeader(name = "X-Pond-Signature", required = false) String signature,
            @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        if (!sandbox.enabled()) {
            return ResponseEntity.notFound().build();
        }
        String expected = "sha256=" + Webhook.hmac(Sandbox.WEBHOOK_SECRET, timestamp + "." + body);
        if (timestamp == null || signature == null || !java.security.MessageDigest.isEqual(expected.getBytes(), signature.getBytes())) {
            return ResponseEntity.status(401).body("{\"error\":\"bad signature\"}");
        }
        Optional<Sandbox.Fault> fault = sandbox.nextFault("webhook");
        if (fault.isPresent()) {
            if (fault.get().delay() != null) {
                Sandbox.sleep(fault.get().delay());
            }
            if (fault.get().code() != 0) {
                return ResponseEntity.status(fault.get().code()).body("{\"error\":\"sandbox fault\"}");
            }
        }
        String path = request.getRequestURI().substring(request.getRequestURI().indexOf("/sandbox/webhook"));
        sandbox.record("webhook", "POST", path, key, body, "{}");
        return ResponseEntity.ok("{}");
    }
}
