package io.pond.engine.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pond.connectors.spi.ElementTemplates;
import io.pond.engine.EngineTestApplication;
import io.pond.engine.connector.Deliveries;
import io.pond.engine.customer.ConsentChannel;
import io.pond.engine.customer.Consents;
import io.pond.engine.customer.CustomerDirectory;
import io.pond.engine.customer.Identity;
import io.pond.engine.customer.IdentityType;
import io.pond.engine.sandbox.Sandbox;
import io.pond.engine.sandbox.WeComSandbox;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The engine with its sandbox on a PostgreSQL database of its own, shared by the connector tests (one Spring
 * context): journeys of one connector step, customers on WeCom, jobs run by hand one at a time, and time that
 * moves with Camunda's clock, starting at noon in Shanghai.
 */
@SpringBootTest(classes = EngineTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"pond.admin.password=Pond-Pass-2026", "camunda.bpm.job-execution.enabled=false",
                "pond.outbox.poll-interval=3600000", "pond.connectors.request-timeout=PT1S",
                "pond.connectors.retry-cycle=PT1M,PT2M"})
public abstract class SandboxedEngineTest {

    private static final PostgresTestDatabase DATABASE = PostgresTestDatabase.create();
    /** Noon in Shanghai, well outside quiet hours. */
    protected static final Instant NOON = ZonedDateTime.of(2026, 11, 25, 12, 0, 0, 0, ZoneId.of("Asia/Shanghai")).toInstant();
    protected static final String ADMIN_PASSWORD = "Pond-Pass-2026";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DATABASE.register(registry);
    }

    @Autowired protected RepositoryService repositoryService;
    @Autowired protected RuntimeService runtimeService;
    @Autowired protected ManagementService managementService;
    @Autowired protected TaskService taskService;
    @Autowired protected IdentityService identityService;
    @Autowired protected CustomerDirectory directory;
    @Autowired protected Consents consents;
    @Autowired protected Sandbox sandbox;
    @Autowired protected WeComSandbox weCom;
    @Autowired protected Deliveries deliveries;
    @Autowired protected JdbcTemplate jdbc;

    private static int journeys;

    @org.springframework.beans.factory.annotation.Value("${pond.connectors.request-timeout}")
    private Duration requestTimeout;

    @BeforeEach
    void noonAndAFreshSandbox() {
        // the connectors' answer timeout is one per JVM (one Pond per JVM in production): a context started later in
        // this test JVM, with the default of 10 s, has set its own since this one started
        io.pond.connectors.http.JsonHttp.requestTimeout(requestTimeout);
        staffMember(OWNER);
        ClockUtil.setCurrentTime(Date.from(NOON));
        sandbox.clearFaults();
        weCom.reset();
    }

    @AfterEach
    void realTimeAgain() {
        awaitStubs();
        ClockUtil.reset();
        sandbox.clearFaults();
        weCom.reset();
    }

    /** The staff member who owns the test customers; with a Pond login, so their staff tasks go to them. */
    protected static final String OWNER = "zhangsan";

    /** A Pond login for a staff member (their WeCom userid), who reads and completes their tasks. */
    protected void staffMember(String userId) {
        TestUsers.ensure(identityService, userId, "Lotus-Bloom-2026!", io.pond.engine.identity.PondRole.VIEWER);
    }

    protected long customer(String name) {
        String externalUserid = name.startsWith("wm") ? name : "wm" + name;
        long id = directory.resolve(List.of(Set.of(new Identity(IdentityType.WECOM_EXTERNAL_USERID, externalUserid),
                new Identity(IdentityType.WECHAT_OPENID, "o" + name))), List.of("test"))[0];
        directory.updateProfiles(List.of(id), List.of(new CustomerDirectory.ProfilePatch("Customer " + name, null, null, null,
                null, OWNER)));
        consents.grant(id, ConsentChannel.WECOM, "test", "test");
        return id;
    }

    protected String externalUserid(long customer) {
        return directory.identities(customer).stream().filter(i -> i.type() == IdentityType.WECOM_EXTERNAL_USERID)
                .findFirst().orElseThrow().value();
    }

    protected String openid(long customer) {
        return directory.identities(customer).stream().filter(i -> i.type() == IdentityType.WECHAT_OPENID)
                .findFirst().orElseThrow().value();
    }

    protected static Map<String, String> tagStep() {
        Map<String, String> step = new LinkedHashMap<>();
        step.put(ElementTemplates.CONNECTOR_PROPERTY, "wecom.tag.mark:1");
        step.put(ElementTemplates.INPUT_PREFIX + "addTags", "etSANDBOXTAG1");
        return step;
    }

    protected static Map<String, String> massStep(String text) {
        Map<String, String> step = new LinkedHashMap<>();
        step.put(ElementTemplates.CONNECTOR_PROPERTY, "wecom.mass-message.send:1");
        step.put(ElementTemplates.INPUT_PREFIX + "text", text);
        return step;
    }

    protected static Map<String, String> couponStep(String stock) {
        Map<String, String> step = new LinkedHashMap<>();
        step.put(ElementTemplates.CONNECTOR_PROPERTY, "wechatpay.coupon.issue:1");
        step.put(ElementTemplates.INPUT_PREFIX + "stockId", stock);
        step.put(ElementTemplates.OUTPUT_PREFIX + "couponId", "couponId");
        return step;
    }

    /** Deploys a journey of one connector step (async, errors caught into "handled") and starts it for the customer. */
    protected ProcessInstance start(Map<String, String> step, long customer) {
        return start(step, customer, Map.of());
    }

    /** The same, with journey variables (as the event that started it would bring). */
    protected ProcessInstance start(Map<String, String> step, long customer, Map<String, Object> variables) {
        String id = "connectorJourney" + (++journeys) + "_" + getClass().getSimpleName();
        StringBuilder properties = new StringBuilder();
        step.forEach((name, value) -> properties.append("<camunda:property name=\"").append(name).append("\" value=\"")
                .append(value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;")).append("\"/>"));
        String bpmn = """
                <?xml version="1.0" encoding="UTF-8"?>
                <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d_%1$s" targetNamespace="https://pond.io/test">
                  <bpmn:process id="%1$s" isExecutable="true">
                    <bpmn:startEvent id="start"/>
                    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="send"/>
                    <bpmn:serviceTask id="send" camunda:asyncBefore="true" camunda:delegateExpression="${pondConnector}">
                      <bpmn:extensionElements><camunda:properties>%2$s</camunda:properties></bpmn:extensionElements>
                    </bpmn:serviceTask>
                    <bpmn:boundaryEvent id="failed" attachedToRef="send">
                      <bpmn:errorEventDefinition camunda:errorCodeVariable="errorCode"/>
                    </bpmn:boundaryEvent>
                    <bpmn:sequenceFlow id="f2" sourceRef="send" targetRef="after"/>
                    <bpmn:userTask id="after"/>
                    <bpmn:sequenceFlow id="f3" sourceRef="failed" targetRef="handled"/>
                    <bpmn:userTask id="handled"/>
                  </bpmn:process>
                </bpmn:definitions>
                """.formatted(id, properties);
        repositoryService.createDeployment().addString(id + ".bpmn", bpmn).deploy();
        return runtimeService.startProcessInstanceByKey(id, Long.toString(customer), variables);
    }

    protected Job job(ProcessInstance instance) {
        return managementService.createJobQuery().processInstanceId(instance.getId()).singleResult();
    }

    /** Runs the instance's job as the job executor would; returns what it failed with, or null. */
    protected Throwable runJob(ProcessInstance instance) {
        return catchThrowable(() -> managementService.executeJob(job(instance).getId()));
    }

    protected String waitingAt(ProcessInstance instance) {
        List<String> active = runtimeService.getActiveActivityIds(instance.getId());
        return active.size() == 1 ? active.get(0) : active.toString();
    }

    protected Deliveries.Delivery deliveryOf(ProcessInstance instance) {
        return deliveries.find(io.pond.engine.connector.ConnectorStep.deliveryKey(instance.getId() + "/send/0")).orElseThrow();
    }

    protected int sandboxMessages(String operation, String recipient) {
        return (int) sandbox.messages("wecom".equals(system(operation)) ? "wecom" : system(operation), operation).stream()
                .filter(m -> recipient.equals(m.recipient())).count();
    }

    protected static String system(String operation) {
        return "coupons".equals(operation) ? "wechatpay" : "wecom";
    }

    /** The stub finishes a request the client gave up on a little later: wait for it before counting. */
    protected void awaitStubs() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sandbox.delaying() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        assertThat(sandbox.delaying()).as("the stub finished its delayed requests").isFalse();
    }
}
