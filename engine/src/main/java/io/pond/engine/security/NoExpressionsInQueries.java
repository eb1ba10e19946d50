package io.pond.engine.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.pond.engine.web.CachedBodyRequest;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Camunda's REST APIs (the engine's and the webapps') never receive an expression: a JUEL expression in a query can
 * run code on the server, and Camunda 7.24 checks only some query fields (CVE-2026-109432: {@code orQueries} of the
 * task query skip the check). Instead of trusting each field, any {@code ${…}} or {@code #{…}} in a parameter or
 * anywhere in a JSON body (after JSON unescaping, so {@code \u0024{} is caught too) is refused with 400.
 */
public class NoExpressionsInQueries extends OncePerRequestFilter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 10 * 1024 * 1024;

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        for (Map.Entry<String, String[]> parameter : parametersOfQueryString(request).entrySet()) {
            if (expression(parameter.getKey()) || java.util.Arrays.stream(parameter.getValue()).anyMatch(NoExpressionsInQueries::expression)) {
                refuse(response, parameter.getKey());
                return;
            }
        }
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).contains("json")) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            return;
        }
        String where = null;
        try {
            where = expressionIn(JSON.readTree(body), "");
        } catch (IOException unreadable) {
            // not JSON after all: the REST API answers that itself, and nothing in it is evaluated
        }
        if (where != null) {
            refuse(response, where.isEmpty() ? "body" : where);
            return;
        }
        chain.doFilter(new CachedBodyRequest(request, body.length, () -> new ByteArrayInputStream(body)), response);
    }

    /** Only the query string's parameters: reading form parameters would consume a body. */
    private static Map<String, String[]> parametersOfQueryString(HttpServletRequest request) {
        String query = request.getQueryString();
        Map<String, String[]> parameters = new java.util.LinkedHashMap<>();
        if (query == null) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = java.net.URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : java.net.URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            parameters.merge(name, new String[] {value}, (a, b) -> {
                String[] both = java.util.Arrays.copyOf(a, a.length + 1);
                both[a.length] = b[0];
                return both;
            });
        }
        return parameters;
    }

    /** The path of the first field name or text holding an expression, or null. */
    static String expressionIn(JsonNode node, String path) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return expression(node.asText()) ? path : null;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = expressionIn(node.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (expression(field.getKey())) {
                    return fieldPath;
                }
                String found = expressionIn(field.getValue(), fieldPath);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    static boolean expression(String text) {
        return text != null && (text.contains("${") || text.contains("#{"));
    }

    private static void refuse(HttpServletResponse response, String where) throws IOException {
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"type\":\"InvalidRequestException\",\"message\":\"Expressions are not allowed in requests"
                + " to Camunda's REST API (" + where.replace("\"", "'") + ")\"}");
    }
}
