package io.pond.examples.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pond.connectors.spi.BusinessConnectorException;
import io.pond.connectors.spi.ConnectorDescriptor;
import io.pond.connectors.spi.ElementTemplates;
import io.pond.connectors.spi.RetryableConnectorException;
import io.pond.connectors.test.ElementTemplateSchema;
import io.pond.connectors.test.TestConnectorContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SMS connector against a stub of the gateway: what it sends, and how it reads each kind of answer. */
class SmsMessageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer gateway;
    private final List<JsonNode> received = new ArrayList<>();
    private final List<String> authorizations = new ArrayList<>();
    private final Map<String, String> idsByRef = new HashMap<>();
    /** What the gateway answers next instead of accepting: status, body, Retry-After. */
    private String[] refusal;

    @BeforeEach
    void startGateway() throws IOException {
        gateway = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        gateway.createContext("/v1/messages", this::answer);
        gateway.start();
    }

    @AfterEach
    void stopGateway() {
        gateway.stop(0);
    }

    @Test
    void itsDeclarationMakesAValidElementTemplate() {
        ConnectorDescriptor descriptor = ConnectorDescriptor.of(SmsMessage.class);
        assertThat(ElementTemplateSchema.problems(ElementTemplates.of(descriptor))).isEmpty();
        assertThat(descriptor.key()).isEqualTo("sms.message.send:1");
        assertThat(descriptor.customerFacing()).as("consent, cap and quiet hours apply").isTrue();
        assertThat(descriptor.settings()).anySatisfy(setting -> {
            assertThat(setting.name()).isEqualTo("apiKey");
            assertThat(setting.type()).isEqualTo(io.pond.connectors.spi.InputType.SECRET);
        });
    }

    @Test
    void sendsTheTextWithTheStepsKeyAndTheGatewaySendsARepeatOnce() throws Exception {
        TestConnectorContext context = context("pond0123456789abcdef0123456789abcdef");
        Map<String, Object> first = new SmsMessage().execute(new SmsMessage.SmsInput("+8613800000001", "Hi Li Lei"), context);
        Map<String, Object> again = new SmsMessage().execute(new SmsMessage.SmsInput("+8613800000001", "Hi Li Lei"), context);

        assertThat(received).hasSize(2).allSatisfy(body -> {
            assertThat(body.path("to").asText()).isEqualTo("+8613800000001");
            assertThat(body.path("text").asText()).isEqualTo("Hi Li Lei");
            assertThat(body.path("sign").asText()).isEqualTo("Pond");
            assertThat(body.path("client_ref").asText()).isEqualTo("pond0123456789abcdef0123456789abcdef");
        });
        assertThat(authorizations).containsOnly("Bearer key-1");
        assertThat(first.get("smsId")).isEqualTo("sms-1").isEqualTo(again.get("smsId"));
        assertThat(idsByRef).hasSize(1);
    }

    @Test
    void aRateLimitIsRetryableAfterTheTimeTheGatewayAsksFor() {
        refusal = new String[] {"429", "{\"code\": \"TOO_MANY\"}", "30"};
        RetryableConnectorException e = catchThrowableOfType(RetryableConnectorException.class,
                () -> new SmsMessage().execute(new SmsMessage.SmsInput("+8613800000001", "Hi"), context("pond1")));
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(e.outcomeUnknown()).isFalse();
    }

    @Test
    void aRefusedNumberIsABusinessErrorTheJourneyRoutes() {
        refusal = new String[] {"400", "{\"code\": \"INVALID_NUMBER\", \"message\": \"not a mobile number\"}", null};
        BusinessConnectorException e = catchThrowableOfType(BusinessConnectorException.class,
                () -> new SmsMessage().execute(new SmsMessage.SmsInput("+861", "Hi"), context("pond2")));
        assertThat(e.errorCode()).isEqualTo("SMS_INVALID_NUMBER");
        assertThat(e.getMessage()).contains("not a mobile number");
    }

    @Test
    void aWrongKeyOrGatewayTroubleIsRetryableAndSaysWhatToCheck() {
        refusal = new String[] {"401", "{}", null};
        assertThat(catchThrowableOfType(RetryableConnectorException.class,
                () -> new SmsMessage().execute(new SmsMessage.SmsInput("+8613800000001", "Hi"), context("pond3"))))
                .hasMessageContaining("API key").hasMessageNotContaining("key-1");
        refusal = new String[] {"503", "busy", null};
        assertThat(catchThrowableOfType(RetryableConnectorException.class,
                () -> new SmsMessage().execute(new SmsMessage.SmsInput("+8613800000001", "Hi"), context("pond4"))))
                .hasMessageContaining("503");
    }

    private TestConnectorContext context(String key) {
        return new TestConnectorContext(key, TestConnectorContext.customer(7, "Li Lei", "phone", "+8613800000001"))
                .with(new SmsMessage.SmsSettings("http://localhost:" + gateway.getAddress().getPort() + "/", "key-1", "Pond"));
    }

    private void answer(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
        String[] refused = refusal;
        byte[] answer;
        int status;
        if (refused != null) {
            status = Integer.parseInt(refused[0]);
            answer = refused[1].getBytes(StandardCharsets.UTF_8);
            if (refused[2] != null) {
                exchange.getResponseHeaders().add("Retry-After", refused[2]);
            }
        } else {
            received.add(body);
            String id = idsByRef.computeIfAbsent(body.path("client_ref").asText(), ref -> "sms-" + (idsByRef.size() + 1));
            status = 200;
            answer = JSON.createObjectNode().put("id", id).toString().getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }
}
