package io.pond.designer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.http.client.ClientHttpRequestFactorySettings;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** What an anonymous caller, an API client and an administrator get from each part of the product. */
@ProductIT
class ProductSecurityIT extends ProductDatabase {

    @Autowired TestRestTemplate rest;

    @Test
    void healthIsPublicAndShowsOnlyTheStatus() {
        ResponseEntity<String> health = rest.getForEntity("/actuator/health", String.class);
        assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(health.getBody()).isEqualTo("{\"status\":\"UP\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/journeys", "/customers", "/settings", "/camunda/app/cockpit/default/",
            "/camunda/app/admin/default/", "/camunda/app/tasklist/default/", "/actuator/env"})
    void everyPageSendsAnonymousVisitorsToTheLoginPage(String page) {
        ResponseEntity<String> response = rest.withRedirects(ClientHttpRequestFactorySettings.Redirects.DONT_FOLLOW).getForEntity(page, String.class);
        assertThat(response.getStatusCode()).as(page).isEqualTo(HttpStatus.FOUND);
        assertThat(response.getHeaders().getLocation()).as(page).isNotNull()
                .extracting(URI::getPath).isEqualTo("/login");
    }

    @Test
    void theEngineRestApiAnswers401WithoutCredentialsAnd200ToTheAdministrator() {
        assertThat(rest.getForEntity("/engine-rest/engine", String.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(rest.getForEntity("/engine-rest/process-definition", String.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        ResponseEntity<String> asAdmin = rest.withBasicAuth("admin", ProductIT.ADMIN_PASSWORD)
                .getForEntity("/engine-rest/engine", String.class);
        assertThat(asAdmin.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(asAdmin.getBody()).isEqualTo("[{\"name\":\"default\"}]");
    }

    @Test
    void camundasWebappApiAnswers401InsteadOfALoginPage() {
        assertThat(rest.getForEntity("/camunda/api/engine/engine/", String.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void theLoginPageIsOpen() {
        ResponseEntity<String> login = rest.getForEntity("/login", String.class);
        assertThat(login.getStatusCode()).isEqualTo(HttpStatus.OK);
    }
}
