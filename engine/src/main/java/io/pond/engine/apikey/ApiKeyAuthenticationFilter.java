package io.pond.engine.apikey;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
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
    public static final String ROLE = "API";
    static final int MAX_BODY = 8 * 1024 * 1024;

    private final ApiKeys apiKeys;

    public ApiKeyAuthenticationFilter(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String keyId = request.getHeader(KEY_HEADER);
        String signature = request.getHeader(SIGNATURE_HEADER);
        if (keyId == null || signature == null) {
            reject(response, HttpServletResponse.SC_UNAUTHORIZED, "Send your API key id in " + KEY_HEADER
                    + " and the body's HMAC-SHA256 in " + SIGNATURE_HEADER + ": sha256=<hex>");
            return;
        }
        if (request.getContentLengthLong() > MAX_BODY) {
            reject(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "The body is larger than 8 MB");
            return;
        }
        byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            reject(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "The body is larger than 8 MB");
            return;
        }
        Optional<ApiKeys.ApiKey> key = apiKeys.verify(keyId, body, signature);
        if (key.isEmpty()) {
            reject(response, HttpServletResponse.SC_UNAUTHORIZED,
                    "The signature does not match the body for this key, or the key is unknown or revoked");
            return;
        }
        var authentication = UsernamePasswordAuthenticationToken.authenticated(new ApiClient(key.get().keyId(),
                key.get().name()), null, List.of(new SimpleGrantedAuthority("ROLE_" + ROLE)));
        SecurityContextHolder.setContext(new SecurityContextImpl(authentication));
        try {
            chain.doFilter(new CachedBody(request, body), response);
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

    static void reject(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"error\":\"" + message.replace("\"", "'") + "\"}");
    }

    private static final class CachedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            InputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    try {
                        return in.available() == 0;
                    } catch (IOException e) {
                        return true;
                    }
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
