package io.pond.engine.apikey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import javax.crypto.Mac;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates API calls by key and body signature. The body is read here once, checked against the
 * signature, and handed on unchanged, so what is processed is exactly what was signed.
 */
public class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    public static final String KEY_HEADER = "X-Pond-Key";
    public static final String SIGNATURE_HEADER = "X-Pond-Signature";
    public static final String TIMESTAMP_HEADER = "X-Pond-Timestamp";
    public static final String NONCE_HEADER = "X-Pond-Nonce";
    public static final String ROLE = "API";
    /** Large enough for a CSV of a few million customers. */
    static final long MAX_BODY = 2L * 1024 * 1024 * 1024;
    private static final String MAX_BODY_TEXT = "2 GB";
    private static final String BAD_SIGNATURE =
            "The signature does not match the body for this key, or the key is unknown or revoked";

    private final ApiKeys apiKeys;
    private final io.pond.engine.security.ReplayGuard replays;

    public ApiKeyAuthenticationFilter(ApiKeys apiKeys, io.pond.engine.security.ReplayGuard replays) {
        this.apiKeys = apiKeys;
        this.replays = replays;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String keyId = request.getHeader(KEY_HEADER);
        String signature = request.getHeader(SIGNATURE_HEADER);
        String authorization = request.getHeader("Authorization");
        if (keyId == null && authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            chain.doFilter(request, response); // a person with a login; the chain's rules decide what they may call
            return;
        }
        String timestamp = request.getHeader(TIMESTAMP_HEADER);
        String nonce = request.getHeader(NONCE_HEADER);
        if (keyId == null || signature == null || timestamp == null || nonce == null) {
            reject(response, HttpServletResponse.SC_UNAUTHORIZED, "Send your API key id in " + KEY_HEADER + ", the time in "
                    + TIMESTAMP_HEADER + " (seconds since 1970), a new random " + NONCE_HEADER + " for each call and the HMAC-SHA256"
                    + " of <timestamp>.<nonce>.<body> in " + SIGNATURE_HEADER + ": sha256=<hex>");
            return;
        }
        if (request.getContentLengthLong() > MAX_BODY) {
            reject(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "The body is larger than " + MAX_BODY_TEXT);
            return;
        }
        Optional<Mac> mac = apiKeys.macFor(keyId);
        if (mac.isEmpty()) {
            reject(response, HttpServletResponse.SC_UNAUTHORIZED, BAD_SIGNATURE);
            return;
        }
        mac.get().update(ApiKeys.signedPrefix(timestamp, nonce));
        try (SpooledBody body = SpooledBody.read(request.getInputStream(), mac.get(), MAX_BODY)) {
            if (body == null) {
                reject(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "The body is larger than " + MAX_BODY_TEXT);
                return;
            }
            if (!ApiKeys.matches(mac.get().doFinal(), signature)) {
                reject(response, HttpServletResponse.SC_UNAUTHORIZED, BAD_SIGNATURE);
                return;
            }
            // after the signature: only a signed call may spend a nonce
            io.pond.engine.security.ReplayGuard.Verdict verdict = replays.check("api:" + keyId, timestamp, nonce);
            if (verdict != io.pond.engine.security.ReplayGuard.Verdict.FRESH) {
                reject(response, HttpServletResponse.SC_UNAUTHORIZED, verdict == io.pond.engine.security.ReplayGuard.Verdict.STALE
                        ? TIMESTAMP_HEADER + " is more than 5 minutes away from Pond's time: check the caller's clock"
                        : NONCE_HEADER + " was used before: send a new random nonce with each call");
                return;
            }
            authenticate(request, response, chain, apiKeys.find(keyId).orElseThrow(), body);
        }
    }

    private void authenticate(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
            ApiKeys.ApiKey key, SpooledBody body) throws IOException, ServletException {
        var authentication = UsernamePasswordAuthenticationToken.authenticated(new ApiClient(key.keyId(), key.name()), null,
                List.of(new SimpleGrantedAuthority("ROLE_" + ROLE)));
        SecurityContextHolder.setContext(new SecurityContextImpl(authentication));
        try {
            chain.doFilter(new io.pond.engine.web.CachedBodyRequest(request, body.size(), body::open), response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    /** The principal of an API call. */
    public record ApiClient(String keyId, String name) implements java.security.Principal {
        @Override
        public String getName() {
            return "api:" + keyId;
        }
    }

    /** Answers with Pond's API error, {@code {"error": "..."}}. */
    public static void reject(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"error\":\"" + message.replace("\"", "'") + "\"}");
    }
}
