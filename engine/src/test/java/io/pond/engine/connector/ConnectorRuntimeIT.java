package io.pond.engine.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pond.connectors.spi.ElementTemplates;
import io.pond.engine.customer.ConsentChannel;
import io.pond.engine.customer.CustomerDirectory;
import io.pond.engine.sandbox.Sandbox;
import io.pond.engine.test.SandboxedEngineTest;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;

/**
 * Connector steps in running journeys against the sandbox, on PostgreSQL: token refresh, rate limits,
 * timeouts, retries and incidents, fail_list, coupon idempotency, the send policy and exactly-once reuse.
 * Jobs are run by hand, one at a time, and time moves with Camunda's clock.
 */
class ConnectorRuntimeIT extends SandboxedEngineTest {

    @Test
    void aTokenRevokedMidRunIsRefreshedOnceAndTheCallSucceeds() {
        long first = customer("token-1");
        ProcessInstance warmUp = start(tagStep(), first);
        runJob(warmUp);
        assertThat(waitingAt(warmUp)).isEqualTo("after");
        long issued = weCom.tokensIssued();

        weCom.expireTokens();
        long second = customer("token-2");
        ProcessInstance instance = start(tagStep(), second);
        runJob(instance);

        assertThat(waitingAt(instance)).isEqualTo("after");
        assertThat(weCom.tokensIssued()).as("one refresh, not one per call").isEqualTo(issued + 1);
        assertThat(sandboxMessages("mark_tag", externalUserid(second))).isEqualTo(1);
    }

    @Test
    void aFrequencyLimitBacksOffForAtLeastAMinuteThenTheSendSucceeds() {
        weCom.limits(1, 20);
        ProcessInstance first = start(massStep("Hello ${customer.name}"), customer("rate-1"));
        runJob(first);
        assertThat(waitingAt(first)).isEqualTo("after");

        long customer = customer("rate-2");
        ProcessInstance limited = start(massStep("Hello ${customer.name}"), customer);
        Throwable failure = runJob(limited);
        assertThat(failure).hasMessageContaining("45009");
        Job job = job(limited);
        assertThat(job.getRetries()).as("one retry used").isEqualTo(2);
        assertThat(job.getDuedate().toInstant()).isAfterOrEqualTo(NOON.plus(Duration.ofSeconds(60)));
        assertThat(deliveryOf(limited).status()).isEqualTo(Deliveries.Status.RETRYING);

        // a second step for another customer does not hammer the blocked API: the client waits the window out
        ProcessInstance meanwhile = start(massStep("Hi"), customer("rate-3"));
        assertThat(runJob(meanwhile)).hasMessageContaining("paused");

        ClockUtil.setCurrentTime(job.getDuedate());
        runJob(limited);
        assertThat(waitingAt(limited)).isEqualTo("after");
        assertThat(sandboxMessages("add_msg_template", externalUserid(customer))).isEqualTo(1);
        assertThat(deliveryOf(limited).status()).isEqualTo(Deliveries.Status.SENT);
    }

    @Test
    void aTimeoutIsRetriedByTheCycleAndEndsInAnIncidentAnOperatorCanRetry() {
        sandbox.inject("mark_tag", new Sandbox.Fault(0, Duration.ofMillis(2500)), 3);
        ProcessInstance instance = start(tagStep(), customer("timeout-1"));

        List<Integer> retriesLeft = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            assertThat(runJob(instance)).hasMessageContaining("no answer within 1000 ms");
            retriesLeft.add(job(instance).getRetries());
            ClockUtil.setCurrentTime(job(instance).getDuedate());
        }
        assertThat(retriesLeft).as("the configured cycle PT1M,PT2M: two retries, then none").containsExactly(2, 1, 0);
        Incident incident = runtimeService.createIncidentQuery().processInstanceId(instance.getId()).singleResult();
        assertThat(incident).isNotNull();
        assertThat(incident.getIncidentMessage()).contains("no answer within");

        // the operator retries it once WeCom answers again
        managementService.setJobRetries(job(instance).getId(), 1);
        runJob(instance);
        assertThat(waitingAt(instance)).isEqualTo("after");
        assertThat(runtimeService.createIncidentQuery().processInstanceId(instance.getId()).count()).isZero();
    }

    @Test
    void aTimeoutOfASendThatCannotBeDeduplicatedIsNeverSentTwiceAndWhatWeComCannotTellAnOperatorSettles() {
        sandbox.inject("add_msg_template", new Sandbox.Fault(0, Duration.ofMillis(2500)), 1);
        long customer = customer("ambiguous-1");
        ProcessInstance instance = start(massStep("Once only", "staff-ambiguous-1"), customer);

        assertThat(runJob(instance)).hasMessageContaining("not sent again").hasMessageContaining("is asked what became of it");
        assertThat(deliveryOf(instance).status()).isEqualTo(Deliveries.Status.AMBIGUOUS);
        Job job = job(instance);
        assertThat(job.getRetries()).as("WeCom is asked on the retry cycle").isEqualTo(2);
        assertThat(job.getDuedate().toInstant()).isAfterOrEqualTo(NOON.plus(Duration.ofSeconds(30)));
        awaitStubs();
        assertThat(sandboxMessages("add_msg_template", externalUserid(customer))).as("it did go out").isEqualTo(1);

        // an impatient retry before WeCom may be asked neither sends nor asks
        assertThat(runJob(instance)).hasMessageContaining("not sent again").hasMessageContaining("is asked what became of it from");
        assertThat(sandboxMessages("add_msg_template", externalUserid(customer))).isEqualTo(1);

        // WeCom cannot answer the question: the retries run out and an operator gets an incident
        sandbox.inject("get_groupmsg_list_v2", new Sandbox.Fault(-1, null), 1);
        ClockUtil.setCurrentTime(job(instance).getDuedate());
        assertThat(runJob(instance)).hasMessageContaining("remote side (wecom)").hasMessageContaining("could not be asked").hasMessageContaining("not sent again");
        Incident incident = runtimeService.createIncidentQuery().processInstanceId(instance.getId()).singleResult();
        assertThat(incident.getIncidentMessage()).contains("mark the delivery as sent or to be sent again");
        assertThat(deliveryOf(instance).status()).isEqualTo(Deliveries.Status.AMBIGUOUS);
        assertThat(deliveryOf(instance).detail()).contains("could not be asked");

        // the operator checked: it went out; the journey moves on without a second send
        assertThat(deliveries.resolve(deliveryOf(instance).key(), Deliveries.Resolution.SENT, "operator")).isTrue();
        managementService.setJobRetries(job(instance).getId(), 1);
        runJob(instance);
        assertThat(waitingAt(instance)).isEqualTo("after");
        assertThat(sandboxMessages("add_msg_template", externalUserid(customer))).isEqualTo(1);
    }

    @Test
    void aSendWhoseAnswerIsCutAfterWeComReceivedItIsReconciledFromWeComsTasksAndNotSentAgain() {
        sandbox.inject("add_msg_template", Sandbox.Fault.cutAfterReceiving(), 1);
        long customer = customer("cut-1");
        ProcessInstance instance = start(massStep("Only once, even when the line breaks", "staff-cut-1"), customer);

        // the stub announced a longer answer than it sent and closed the connection
        assertThat(runJob(instance)).hasMessageContaining("bytes received").hasMessageContaining("not sent again");
        assertThat(deliveryOf(instance).status()).isEqualTo(Deliveries.Status.AMBIGUOUS);
        assertThat(sandboxMessages("add_msg_template", externalUserid(customer))).as("WeCom had it").isEqualTo(1);

        // on the next retry Pond finds the task among the sender's tasks, with the customer in its send results
        ClockUtil.setCurrentTime(job(instance).getDuedate());
        runJob(instance);

        assertThat(waitingAt(instance)).isEqualTo("after");
        assertThat(sandboxMessages("add_msg_template", externalUserid(customer))).as("received once").isEqualTo(1);
        String msgid = (String) runtimeService.getVariable(instance.getId(), "msgid");
        assertThat(sandbox.messages("wecom", "add_msg_template").stream()
                .filter(m -> m.recipient().equals(externalUserid(customer))).findFirst().orElseThrow().response())
                .as("the step's output is WeCom's task").contains(msgid);
        Deliveries.Delivery delivery = deliveryOf(instance);
        assertThat(delivery.status()).isEqualTo(Deliveries.Status.SENT);
        assertThat(delivery.attempts()).isOne();
        assertThat(delivery.detail()).contains("Asked the remote side (wecom)").contains("WeCom has the task " + msgid);
    }

    @Test
    void aSendCutBeforeWeComCreatedTheTaskIsReconciledAsNotCreatedAndSentOnce() {
        sandbox.inject("add_msg_template", Sandbox.Fault.cutBeforeWorking(), 1);
        long customer = customer("cut-2");
        ProcessInstance instance = start(massStep("Sent once, though the first try died", "staff-cut-2"), customer);

        assertThat(runJob(instance)).hasMessageContaining("not sent again");
        assertThat(deliveryOf(instance).status()).isEqualTo(Deliveries.Status.AMBIGUOUS);
        assertThat(sandboxMessages("add_msg_template", externalUserid(customer))).isZero();

        ClockUtil.setCurrentTime(job(instance).getDuedate());
        runJob(instance);

        assertThat(waitingAt(instance)).isEqualTo("after");
        assertThat(sandboxMessages("add_msg_template", externalUserid(customer))).as("sent once, after asking").isEqualTo(1);
        Deliveries.Delivery delivery = deliveryOf(instance);
        assertThat(delivery.status()).isEqualTo(Deliveries.Status.SENT);
        assertThat(delivery.attempts()).isEqualTo(2);
    }

    @Test
    void aTaskWithAnotherTextForTheCustomerCannotBeToldApartSoItIsNotSentAgain() {
        sandbox.inject("add_msg_template", Sandbox.Fault.cutBeforeWorking(), 1);
        long customer = customer("cut-3");
        ProcessInstance instance = start(massStep("Hello ${customer.name}", "staff-cut-3"), customer);
        assertThat(runJob(instance)).hasMessageContaining("not sent again");

        // meanwhile the same staff member sends the customer another message (the text could also be this step's,
        // rendered from data that changed since): Pond cannot tell, so it does not send
        Map<String, String> notice = new LinkedHashMap<>(massStep("Your parcel is on its way", "staff-cut-3"));
        notice.put(ElementTemplates.PURPOSE_PROPERTY, "SERVICE");
        ProcessInstance other = start(notice, customer);
        runJob(other);
        assertThat(waitingAt(other)).isEqualTo("after");

        ClockUtil.setCurrentTime(job(instance).getDuedate());
        assertThat(runJob(instance)).hasMessageContaining("but with another text").hasMessageContaining("not sent again");
        assertThat(deliveryOf(instance).status()).isEqualTo(Deliveries.Status.AMBIGUOUS);
        assertThat(sandboxMessages("add_msg_template", externalUserid(customer))).as("only the notice").isEqualTo(1);
    }

    @Test
    void aStepLeftInFlightByANodeThatDiedIsReconciledOnlyOnceItsJobLockHasRunOut() {
        long customer = customer("died-1");
        ProcessInstance instance = start(massStep("After the crash", "staff-died-1"), customer);
        // a node took the step and died before WeCom had the request: its row stays IN_FLIGHT
        jdbc.update("insert into pond_delivery (delivery_key, step, connector, process_instance_id, activity_id, customer_id,"
                + " purpose, status, attempts, created_at, updated_at) values (?, 'x', 'wecom.mass-message.send:1', ?, 'send', ?,"
                + " 'MARKETING', 'IN_FLIGHT', 1, ?, ?)", ConnectorStep.deliveryKey(instance.getId() + "/send/0"), instance.getId(),
                customer, java.sql.Timestamp.from(NOON), java.sql.Timestamp.from(NOON));

        // it may still be running on that node until the job lock (5 minutes) runs out
        assertThat(runJob(instance)).hasMessageContaining("is asked what became of it from " + NOON.plus(Duration.ofMinutes(5)));
        assertThat(deliveryOf(instance).status()).isEqualTo(Deliveries.Status.IN_FLIGHT);

        ClockUtil.setCurrentTime(Date.from(NOON.plus(Duration.ofMinutes(5))));
        runJob(instance);
        assertThat(waitingAt(instance)).isEqualTo("after");
        assertThat(sandboxMessages("add_msg_template", externalUserid(customer))).isEqualTo(1);
        assertThat(deliveryOf(instance).status()).isEqualTo(Deliveries.Status.SENT);
    }

    private static Map<String, String> massStep(String text, String sender) {
        Map<String, String> step = new LinkedHashMap<>(massStep(text));
        step.put(ElementTemplates.INPUT_PREFIX + "sender", sender);
        return step;
    }

    @Test
    void aCustomerInTheFailListTakesTheJourneysErrorPath() {
        long unreachable = customer("wmINVALID-fail-1");
        ProcessInstance instance = start(massStep("Hello"), unreachable);
        runJob(instance);

        assertThat(waitingAt(instance)).isEqualTo("handled");
        assertThat(runtimeService.getVariable(instance.getId(), "errorCode")).isEqualTo("WECOM_NOT_REACHABLE");
        assertThat(deliveryOf(instance).status()).isEqualTo(Deliveries.Status.FAILED);
        assertThat(sandboxMessages("add_msg_template", externalUserid(unreachable))).isZero();
    }

    @Test
    void aCouponIsIssuedOnceThoughTheAnswerWasLostAndTheStepRanAgain() {
        long customer = customer("coupon-1");
        ProcessInstance instance = start(couponStep("9856000"), customer);
        // WeChat Pay answers too late: the client gives up while the coupon is being issued
        sandbox.inject("coupons", new Sandbox.Fault(0, Duration.ofMillis(2500)), 1);
        assertThat(runJob(instance)).hasMessageContaining("no answer within");
        assertThat(deliveryOf(instance).status()).as("WeChat Pay deduplicates: retried, not ambiguous")
                .isEqualTo(Deliveries.Status.RETRYING);
        runJob(instance);
        awaitStubs();

        assertThat(waitingAt(instance)).isEqualTo("after");
        assertThat(sandboxMessages("coupons", openid(customer))).as("one coupon").isEqualTo(1);
        String couponId = (String) runtimeService.getVariable(instance.getId(), "couponId");
        assertThat(couponId).isNotBlank();
        assertThat(sandbox.messages("wechatpay", "coupons").stream().filter(m -> m.response().contains(couponId)).count())
                .isOne();
        assertThat(deliveryOf(instance).status()).isEqualTo(Deliveries.Status.SENT);
    }

    @Test
    void aServerErrorIsRetriedWithTheSameRequestNumberAndAnEmptyStockIsABusinessError() {
        long customer = customer("coupon-2");
        ProcessInstance instance = start(couponStep("9856002"), customer);
        sandbox.inject("coupons", new Sandbox.Fault(500, null), 1);
        assertThat(runJob(instance)).hasMessageContaining("500");
        runJob(instance);
        assertThat(waitingAt(instance)).isEqualTo("after");
        assertThat(sandboxMessages("coupons", openid(customer))).isEqualTo(1);
        assertThat(sandbox.messages("wechatpay", "coupons").stream().filter(m -> m.recipient().equals(openid(customer)))
                .findFirst().orElseThrow().request()).contains(deliveryOf(instance).key());

        ProcessInstance emptyStock = start(couponStep("EMPTY01"), customer("coupon-3"));
        runJob(emptyStock);
        assertThat(waitingAt(emptyStock)).isEqualTo("handled");
        assertThat(runtimeService.getVariable(emptyStock.getId(), "errorCode")).isEqualTo("COUPON_STOCK_EMPTY");
    }

    @Test
    void aStepThatAlreadySentReusesItsOutputsInsteadOfCallingAgain() {
        long customer = customer("reuse-1");
        ProcessInstance instance = start(couponStep("9856001"), customer);
        String key = ConnectorStep.deliveryKey(instance.getId() + "/send/0");
        jdbc.update("insert into pond_delivery (delivery_key, step, connector, process_instance_id, activity_id, customer_id,"
                + " status, output, attempts, created_at, updated_at, sent_at) values (?, 'x', 'wechatpay.coupon.issue:1', ?,"
                + " 'send', ?, 'SENT', '{\"couponId\":\"kept-42\"}', 1, now(), now(), now())", key, instance.getId(), customer);

        runJob(instance);

        assertThat(waitingAt(instance)).isEqualTo("after");
        assertThat(runtimeService.getVariable(instance.getId(), "couponId")).isEqualTo("kept-42");
        assertThat(sandboxMessages("coupons", openid(customer))).isZero();
    }

    @Test
    void withoutConsentNothingIsSentAndTheBlockIsRecorded() {
        long customer = customer("consent-1");
        consents.revoke(customer, ConsentChannel.WECOM, "test", "test");
        ProcessInstance instance = start(massStep("Hello"), customer);
        runJob(instance);

        assertThat(waitingAt(instance)).isEqualTo("handled");
        assertThat(runtimeService.getVariable(instance.getId(), "errorCode")).isEqualTo(SendPolicy.NO_CONSENT);
        assertThat(deliveryOf(instance).status()).isEqualTo(Deliveries.Status.BLOCKED);
        assertThat(deliveryOf(instance).detail()).isEqualTo(SendPolicy.NO_CONSENT);
        assertThat(sandboxMessages("add_msg_template", externalUserid(customer))).isZero();
    }

    @Test
    void aSecondMarketingMessageOnTheSameDayIsBlockedButAServiceMessageGoesThrough() {
        long customer = customer("cap-1");
        ProcessInstance first = start(massStep("Offer one"), customer);
        runJob(first);
        assertThat(waitingAt(first)).isEqualTo("after");

        ProcessInstance second = start(massStep("Offer two"), customer);
        runJob(second);
        assertThat(waitingAt(second)).isEqualTo("handled");
        assertThat(runtimeService.getVariable(second.getId(), "errorCode")).isEqualTo(SendPolicy.FREQUENCY_CAP);

        Map<String, String> service = new LinkedHashMap<>(massStep("Your order shipped"));
        service.put(ElementTemplates.PURPOSE_PROPERTY, "SERVICE");
        ProcessInstance serviceMessage = start(service, customer);
        runJob(serviceMessage);
        assertThat(waitingAt(serviceMessage)).isEqualTo("after");

        // the next day the cap starts again
        ClockUtil.setCurrentTime(Date.from(NOON.plus(Duration.ofDays(1))));
        ProcessInstance tomorrow = start(massStep("Offer three"), customer);
        runJob(tomorrow);
        assertThat(waitingAt(tomorrow)).isEqualTo("after");
        assertThat(sandboxMessages("add_msg_template", externalUserid(customer))).isEqualTo(3);
    }

    @Test
    void duringQuietHoursTheSendWaitsForTheMorningWithoutUsingARetry() {
        Instant lateEvening = ZonedDateTime.of(2026, 11, 25, 22, 30, 0, 0, ZoneId.of("Asia/Shanghai")).toInstant();
        ClockUtil.setCurrentTime(Date.from(lateEvening));
        long customer = customer("quiet-1");
        ProcessInstance instance = start(massStep("Good morning"), customer);

        runJob(instance);

        Job waiting = job(instance);
        assertThat(waiting.getRetries()).as("no retry used").isEqualTo(3);
        assertThat(waiting.getDuedate().toInstant())
                .isEqualTo(ZonedDateTime.of(2026, 11, 26, 9, 0, 0, 0, ZoneId.of("Asia/Shanghai")).toInstant());
        assertThat(deliveryOf(instance).status()).isEqualTo(Deliveries.Status.DEFERRED);
        assertThat(sandboxMessages("add_msg_template", externalUserid(customer))).isZero();

        Map<String, String> service = new LinkedHashMap<>(massStep("Your parcel is at the door"));
        service.put(ElementTemplates.PURPOSE_PROPERTY, "SERVICE");
        ProcessInstance notice = start(service, customer);
        runJob(notice);
        assertThat(waitingAt(notice)).as("a service message goes out at any hour").isEqualTo("after");

        ClockUtil.setCurrentTime(waiting.getDuedate());
        runJob(instance);
        assertThat(waitingAt(instance)).isEqualTo("after");
        assertThat(sandboxMessages("add_msg_template", externalUserid(customer))).isEqualTo(2);
    }

    @Test
    void aCustomerInAnotherTimeZoneHasQuietHoursOfTheirOwn() {
        // 22:30 in Shanghai is 15:30 in Berlin
        ClockUtil.setCurrentTime(Date.from(ZonedDateTime.of(2026, 11, 25, 22, 30, 0, 0, ZoneId.of("Asia/Shanghai")).toInstant()));
        long customer = customer("tz-1");
        directory.updateProfiles(List.of(customer),
                List.of(new CustomerDirectory.ProfilePatch(null, null, null, null, "Europe/Berlin", null)));
        ProcessInstance instance = start(massStep("Guten Tag"), customer);
        runJob(instance);
        assertThat(waitingAt(instance)).isEqualTo("after");
    }

    @Test
    void pondsOwnActionsChangeTheCustomerAndPutATaskInTheOwnersInbox() {
        long customer = customer("pond-actions-1");
        Map<String, String> tag = new LinkedHashMap<>();
        tag.put(ElementTemplates.CONNECTOR_PROPERTY, "pond.customer.tag:1");
        tag.put(ElementTemplates.INPUT_PREFIX + "action", "ADD");
        tag.put(ElementTemplates.INPUT_PREFIX + "group", "Journey");
        tag.put(ElementTemplates.INPUT_PREFIX + "tag", "welcomed ${customer.name}");
        ProcessInstance tagging = start(tag, customer);
        runJob(tagging);
        assertThat(waitingAt(tagging)).isEqualTo("after");
        assertThat(jdbc.queryForObject("select count(*) from pond_customer_tag ct join pond_tag t on t.id = ct.tag_id"
                + " where ct.customer_id = ? and t.name = ?", Integer.class, customer, "welcomed Customer pond-actions-1")).isOne();

        Map<String, String> task = new LinkedHashMap<>();
        task.put(ElementTemplates.CONNECTOR_PROPERTY, "pond.task.create:1");
        task.put(ElementTemplates.INPUT_PREFIX + "title", "Call ${customer.name}");
        task.put(ElementTemplates.INPUT_PREFIX + "dueInHours", "4");
        ProcessInstance tasking = start(task, customer);
        runJob(tasking);
        assertThat(waitingAt(tasking)).isEqualTo("after");
        String taskId = (String) runtimeService.getVariable(tasking.getId(), "taskId");
        org.camunda.bpm.engine.task.Task created = taskService.createTaskQuery().taskId(taskId).singleResult();
        assertThat(created.getName()).isEqualTo("Call Customer pond-actions-1");
        assertThat(created.getAssignee()).isEqualTo("zhangsan");
        assertThat(created.getDueDate().toInstant()).isEqualTo(NOON.plus(Duration.ofHours(4)));
        assertThat(taskService.createTaskQuery().taskAssignee("zhangsan").taskName("Call Customer pond-actions-1").count()).isOne();
    }


    @Test
    void aDiagramWhoseConnectorStepCannotRunIsRefusedAtDeployment() {
        Map<String, String> unknown = new LinkedHashMap<>();
        unknown.put(ElementTemplates.CONNECTOR_PROPERTY, "fax.message.send:1");
        assertThat(catchThrowable(() -> start(unknown, customer("deploy-1")))).hasMessageContaining("fax.message.send:1")
                .hasMessageContaining("not installed");

        Map<String, String> incomplete = new LinkedHashMap<>();
        incomplete.put(ElementTemplates.CONNECTOR_PROPERTY, "wechatpay.coupon.issue:1");
        incomplete.put(ElementTemplates.INPUT_PREFIX + "stockId", "not a stock!");
        assertThat(catchThrowable(() -> start(incomplete, customer("deploy-2")))).hasMessageContaining("Stock id must be the stock's id")
                .hasMessageContaining("批次号");

        assertThat(catchThrowable(() -> start(massStep("Hello ${customer.nickname}"), customer("deploy-3"))))
                .hasMessageContaining("unknown placeholders [customer.nickname]");
    }

    @Test
    void aCustomerWhoseDataDoesNotFitTheStepIsRoutedNotRetried() {
        long customer = customer("no-city-1");
        Map<String, String> tag = new LinkedHashMap<>();
        tag.put(ElementTemplates.CONNECTOR_PROPERTY, "pond.customer.tag:1");
        tag.put(ElementTemplates.INPUT_PREFIX + "group", "City");
        tag.put(ElementTemplates.INPUT_PREFIX + "tag", "${customer.attributes.city}");
        ProcessInstance instance = start(tag, customer);

        runJob(instance);

        assertThat(waitingAt(instance)).isEqualTo("handled");
        assertThat(runtimeService.getVariable(instance.getId(), "errorCode")).isEqualTo(ConnectorStep.INPUT_INVALID);
        assertThat(deliveryOf(instance).status()).isEqualTo(Deliveries.Status.FAILED);
        assertThat(deliveryOf(instance).detail()).contains("Tag is required");
    }

    @Test
    void aWebhookIsSignedCarriesTheStepsKeyAndEscapesTheCustomersData() {
        long customer = customer("hook-1");
        directory.updateProfiles(List.of(customer), List.of(new CustomerDirectory.ProfilePatch("Ann \"the\" Hook", null, null,
                null, null, null)));
        Map<String, String> step = new LinkedHashMap<>();
        step.put(ElementTemplates.CONNECTOR_PROPERTY, "webhook.post:1");
        step.put(ElementTemplates.INPUT_PREFIX + "url", sandbox.baseUrl() + "/webhook/orders");
        step.put(ElementTemplates.INPUT_PREFIX + "body", "{\"customer\": \"${customer.name}\", \"id\": ${customer.id}}");
        ProcessInstance instance = start(step, customer);

        runJob(instance);

        assertThat(waitingAt(instance)).isEqualTo("after");
        Sandbox.Message received = sandbox.messages("webhook", "POST").stream()
                .filter(m -> deliveryOf(instance).key().equals(m.summary())).findFirst().orElseThrow();
        assertThat(received.recipient()).isEqualTo("/sandbox/webhook/orders");
        assertThat(received.request()).isEqualTo("{\"customer\":\"Ann \\\"the\\\" Hook\",\"id\":" + customer + "}");
        assertThat(runtimeService.getVariable(instance.getId(), "webhookStatus")).isEqualTo(200);
    }

    @Test
    void aCrmRecordIsUpdatedWithTheMappedFieldsAndAMissingRecordIsABusinessError() {
        long customer = customer("crm-1");
        Map<String, String> step = new LinkedHashMap<>();
        step.put(ElementTemplates.CONNECTOR_PROPERTY, "crm.record.update:1");
        step.put(ElementTemplates.INPUT_PREFIX + "path", "/contacts/${customer.id}");
        step.put(ElementTemplates.INPUT_PREFIX + "fields", "{\"stage\": \"hot\", \"owner\": \"${customer.owner}\"}");
        ProcessInstance instance = start(step, customer);
        runJob(instance);
        assertThat(waitingAt(instance)).isEqualTo("after");
        assertThat(sandbox.messages("crm", "PATCH /contacts/" + customer)).singleElement()
                .satisfies(m -> assertThat(m.request()).isEqualTo("{\"stage\":\"hot\",\"owner\":\"zhangsan\"}"));

        step.put(ElementTemplates.INPUT_PREFIX + "path", "/contacts/missing-${customer.id}");
        ProcessInstance missing = start(step, customer);
        runJob(missing);
        assertThat(waitingAt(missing)).isEqualTo("handled");
        assertThat(runtimeService.getVariable(missing.getId(), "errorCode")).isEqualTo("CRM_NOT_FOUND");
    }

    @Test
    void aMassSendToACustomerGroupGoesToTheGroupThroughItsStaffMember() {
        Map<String, String> step = new LinkedHashMap<>(massStep("Group offer"));
        step.put(ElementTemplates.INPUT_PREFIX + "chatType", "group");
        step.put(ElementTemplates.INPUT_PREFIX + "chatId", "wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA");
        step.put(ElementTemplates.PURPOSE_PROPERTY, "SERVICE");
        ProcessInstance instance = start(step, customer("group-1"));
        runJob(instance);
        assertThat(waitingAt(instance)).isEqualTo("after");
        assertThat(sandbox.messages("wecom", "add_msg_template")).filteredOn(m -> m.request().contains("Group offer"))
                .singleElement().satisfies(m -> {
                    assertThat(m.recipient()).isEqualTo("wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA");
                    assertThat(m.request()).contains("\"chat_type\":\"group\"").contains("\"sender\":\"zhangsan\"");
                });
    }

    @Test
    void twoNodesTakingTheSameStepAtOnceCallOnce() throws Exception {
        Deliveries.Step step = new Deliveries.Step(ConnectorStep.deliveryKey("race/" + System.nanoTime()), "race", "wecom.tag.mark:1",
                "race-instance", "send", null, null);
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(8);
        java.util.concurrent.ExecutorService nodes = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Deliveries.Claim>> claims = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                claims.add(nodes.submit(() -> {
                    together.await();
                    return deliveries.claim(step, false, null);
                }));
            }
            List<Deliveries.Claim> outcomes = new ArrayList<>();
            for (java.util.concurrent.Future<Deliveries.Claim> claim : claims) {
                outcomes.add(claim.get());
            }
            assertThat(outcomes).filteredOn(c -> c == Deliveries.Claim.CLAIMED).hasSize(1);
            assertThat(outcomes).filteredOn(c -> c == Deliveries.Claim.IN_FLIGHT_ELSEWHERE).hasSize(7);
        } finally {
            nodes.shutdownNow();
        }
    }
}
