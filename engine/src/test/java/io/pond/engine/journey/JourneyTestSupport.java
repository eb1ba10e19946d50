package io.pond.engine.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pond.engine.event.EventIngestion;
import io.pond.engine.event.OutboxRelay;
import io.pond.engine.test.SandboxedEngineTest;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.beans.factory.annotation.Autowired;

/** Journeys published through Pond, customers' events, and time moved on with Camunda's clock. */
public abstract class JourneyTestSupport extends SandboxedEngineTest {

    @Autowired protected Journeys journeys;
    @Autowired protected Enrollments enrollments;
    @Autowired protected EventIngestion eventIngestion;
    @Autowired protected OutboxRelay outbox;
    @Autowired protected ObjectMapper json;

    private static int published;

    /** A fresh key per test run: tests share one database. */
    protected static String key(String name) {
        return name + "-" + (++published) + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    /** Published by a developer: the diagrams here may hold Groovy, which only developers and admins may publish. */
    protected Journeys.Published publish(String key, String processXml, JourneySettings settings) {
        journeys.create(key, "Journey " + key, null, settings, diagram(processXml), "marketer");
        io.pond.engine.test.TestUsers.ensure(identityService, DEVELOPER, "Pond-Scripts-2026!", io.pond.engine.identity.PondRole.DEVELOPER);
        return journeys.publish(key, Journeys.InFlight.STAY, DEVELOPER);
    }

    protected static final String DEVELOPER = "journey-dev";

    /** A diagram around the process body (its id is replaced by the journey's key when published). */
    protected static String diagram(String processBody) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="https://pond.io/test">
                  <bpmn:message id="m_read" name="article_read"/>
                  <bpmn:process id="draft" isExecutable="true">
                %s
                  </bpmn:process>
                </bpmn:definitions>
                """.formatted(processBody);
    }

    /** A connector step (a WeCom message with this text) between two flow nodes. */
    protected static String send(String id, String text) {
        return """
                <bpmn:serviceTask id="%s" camunda:delegateExpression="${pondConnector}">
                  <bpmn:extensionElements><camunda:properties>
                    <camunda:property name="pond.connector" value="wecom.mass-message.send:1"/>
                    <camunda:property name="pond.input.text" value="%s"/>
                  </camunda:properties></bpmn:extensionElements>
                </bpmn:serviceTask>
                """.formatted(id, text);
    }

    protected static String flow(String id, String from, String to) {
        return "<bpmn:sequenceFlow id=\"%s\" sourceRef=\"%s\" targetRef=\"%s\"/>".formatted(id, from, to);
    }

    /** Runs every job that is due now, as the job executor would, until none is left; returns how many ran. */
    protected int runDueJobs() {
        int ran = io.pond.engine.test.DueJobs.run(managementService);
        awaitStubs();
        return ran;
    }

    protected void later(Duration duration) {
        ClockUtil.setCurrentTime(Date.from(ClockUtil.getCurrentTime().toInstant().plus(duration)));
    }

    protected Instant now() {
        return ClockUtil.getCurrentTime().toInstant();
    }

    /** The customer does something: the event goes through the API's ingestion and the outbox, as in production. */
    protected void event(long customer, String type, String propertiesJson) {
        try {
            var body = json.createObjectNode();
            body.put("eventId", UUID.randomUUID().toString());
            body.put("type", type);
            body.put("occurredAt", now().toString());
            body.putObject("customer").put("wecom_external_userid", externalUserid(customer));
            body.set("properties", json.readTree(propertiesJson));
            assertThat(eventIngestion.ingest(body).accepted()).isEqualTo(1);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        while (outbox.deliverBatch() > 0) {
            // until the outbox is empty
        }
    }

    protected Enrollments.Enrollment enrollment(String journeyKey, long customer) {
        return enrollments.of(customer).stream().filter(e -> e.journeyKey().equals(journeyKey)).findFirst().orElseThrow();
    }

    protected List<String> waitingAt(String journeyKey, long customer) {
        Enrollments.Enrollment enrollment = enrollment(journeyKey, customer);
        if (runtimeService.createProcessInstanceQuery().processInstanceId(enrollment.processInstanceId()).count() == 0) {
            return List.of();
        }
        return runtimeService.getActiveActivityIds(enrollment.processInstanceId());
    }

    /** The texts the customer received on WeCom (messages and welcome messages), oldest first. */
    protected List<String> messagesTo(long customer) {
        String recipient = externalUserid(customer);
        return sandbox.messages(10_000).stream()
                .filter(m -> "wecom".equals(m.system()) && ("add_msg_template".equals(m.operation())
                        || "send_welcome_msg".equals(m.operation())) && m.recipient() != null && m.recipient().contains(recipient))
                .sorted(java.util.Comparator.comparingLong(io.pond.engine.sandbox.Sandbox.Message::id))
                .map(io.pond.engine.sandbox.Sandbox.Message::summary).toList();
    }

    protected static Duration hours(long hours) {
        return Duration.ofHours(hours);
    }
}
