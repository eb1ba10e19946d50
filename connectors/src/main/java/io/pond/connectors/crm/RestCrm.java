package io.pond.connectors.crm;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import io.pond.connectors.http.JsonHttp;
import io.pond.connectors.spi.BusinessConnectorException;
import io.pond.connectors.spi.ConnectorException;
import io.pond.connectors.spi.RetryableConnectorException;

/** The call both CRM connectors make: a JSON request to the CRM, its status sorted into outcomes. */
final class RestCrm {

    private RestCrm() {
    }

    static JsonNode call(RestCrmSettings settings, String method, String path, JsonNode body) throws ConnectorException {
        String url = settings.baseUrl().replaceAll("/+$", "") + (path.startsWith("/") ? path : "/" + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body == null ? "" : body.toString()));
        if (settings.authValue() != null && !settings.authValue().isBlank()) {
            request.header(settings.authHeader() == null || settings.authHeader().isBlank() ? "Authorization"
                    : settings.authHeader(), settings.authValue());
        }
        JsonHttp.Response response = JsonHttp.send(request, "CRM " + method + " " + path);
        if (response.status() / 100 == 2) {
            return response.json();
        }
        if (response.status() == 429 || response.status() >= 500 || response.status() == 408) {
            throw new RetryableConnectorException("The CRM answered " + response.status() + " to " + method + " " + path,
                    response.status() == 429 ? Duration.ofSeconds(30) : null, null);
        }
        if (response.status() == 404) {
            throw new BusinessConnectorException("CRM_NOT_FOUND", "The CRM has no " + path);
        }
        throw new BusinessConnectorException("CRM_REJECTED", "The CRM answered " + response.status() + " to " + method + " "
                + path + ": " + (response.body().length() > 300 ? response.body().substring(0, 300) : response.body()));
    }
}
