package io.pond.engine.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.pond.engine.customer.ConsentChannel;
import io.pond.engine.customer.CustomerDirectory;
import io.pond.engine.customer.CustomerTags;
import io.pond.engine.customer.TagSource;
import io.pond.engine.event.PropertyCondition;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Journeys as customers live them: entering, waiting, branching, splitting, converting, leaving, new versions. */
class JourneyRuntimeIT extends JourneyTestSupport {

    @Autowired CustomerTags tags;
    @Autowired JourneyStats stats;
    @Autowired StaffTasks staffTasks;

    private static final String END = "<bpmn:endEvent id=\"end\"/>";

    private List<String> received(long customer) {
        return messagesTo(customer);
    }

    private static JourneySettings onEvent(String type, PropertyCondition... conditions) {
        return new JourneySettings(new JourneySettings.Entry(JourneySettings.EntryType.EVENT, new EventRule(type, List.of(conditions)),
                null), JourneySettings.Reentry.ONCE, null, null, List.of(), false);
    }

    private static JourneySettings byApi(JourneySettings.Reentry reentry, Integer days, EventRule goal, List<EventRule> exits) {
        return new JourneySettings(JourneySettings.Entry.api(), reentry, days, goal, exits, false);
    }

    @Test
    void anEventWithMatchingPropertiesEntersTheCustomerOnceAndTheJourneyRuns() {
        String key = key("welcome");
        publish(key, """
                <bpmn:startEvent id="start"/>
                %s%s%s%s%s""".formatted(flow("f1", "start", "welcome"), send("welcome", "Welcome to store 12"),
                flow("f2", "welcome", "end"), END, ""),
                onEvent("contact_added", new PropertyCondition("state", PropertyCondition.Operator.EQUALS, "store-12")));
        long fromStore12 = customer("w12-" + key);
        long fromStore7 = customer("w7-" + key);

        event(fromStore12, "contact_added", "{\"state\": \"store-12\"}");
        event(fromStore7, "contact_added", "{\"state\": \"store-7\"}");

        Enrollments.Enrollment entered = enrollment(key, fromStore12);
        assertThat(entered.source()).isEqualTo(Enrollments.Source.EVENT);
        assertThat(runtimeService.getVariable(entered.processInstanceId(), "state")).as("the event's values travel along")
                .isEqualTo("store-12");
        assertThat(enrollments.of(fromStore7)).as("another store's QR code").isEmpty();
        assertThat(received(fromStore12)).as("nothing is sent in the event's transaction").isEmpty();

        runDueJobs();
        assertThat(received(fromStore12)).containsExactly("Welcome to store 12");
        Enrollments.Enrollment done = enrollment(key, fromStore12);
        assertThat(done.endedAt()).isNotNull();
        assertThat(done.endReason()).isEqualTo("COMPLETED");

        event(fromStore12, "contact_added", "{\"state\": \"store-12\"}");
        runDueJobs();
        assertThat(enrollments.of(fromStore12)).as("once ever").hasSize(1);
        assertThat(received(fromStore12)).hasSize(1);
    }

    @Test
    void reentryPoliciesAreKeptAndNobodyIsInTwiceAtTheSameTime() {
        String process = "<bpmn:startEvent id=\"start\"/>" + flow("f1", "start", "wait") + "<bpmn:userTask id=\"wait\"/>"
                + flow("f2", "wait", "end") + END;
        String once = key("once");
        String weekly = key("weekly");
        String any = key("any");
        publish(once, process, byApi(JourneySettings.Reentry.ONCE, null, null, List.of()));
        publish(weekly, process, byApi(JourneySettings.Reentry.AFTER_DAYS, 7, null, List.of()));
        publish(any, process, byApi(JourneySettings.Reentry.ANY, null, null, List.of()));
        long customer = customer("re-" + once);

        for (String key : List.of(once, weekly, any)) {
            assertThat(enrollments.enroll(key, customer, Enrollments.Source.API, Map.of())).isEqualTo(Enrollments.Outcome.ENROLLED);
            assertThat(enrollments.enroll(key, customer, Enrollments.Source.API, Map.of())).as(key)
                    .isEqualTo(Enrollments.Outcome.ALREADY_IN);
            runDueJobs();
            taskService.complete(taskService.createTaskQuery().processInstanceId(enrollment(key, customer).processInstanceId())
                    .singleResult().getId());
        }
        assertThat(enrollments.enroll(once, customer, Enrollments.Source.API, Map.of())).isEqualTo(Enrollments.Outcome.NOT_AGAIN);
        assertThat(enrollments.enroll(weekly, customer, Enrollments.Source.API, Map.of())).isEqualTo(Enrollments.Outcome.NOT_AGAIN);
        assertThat(enrollments.enroll(any, customer, Enrollments.Source.API, Map.of())).isEqualTo(Enrollments.Outcome.ENROLLED);
        later(java.time.Duration.ofDays(7));
        assertThat(enrollments.enroll(weekly, customer, Enrollments.Source.API, Map.of())).isEqualTo(Enrollments.Outcome.ENROLLED);
        assertThat(enrollments.enroll(once, customer, Enrollments.Source.API, Map.of())).isEqualTo(Enrollments.Outcome.NOT_AGAIN);
        assertThat(enrollments.enroll(any, 987654321L, Enrollments.Source.API, Map.of()))
                .isEqualTo(Enrollments.Outcome.UNKNOWN_CUSTOMER);
        assertThat(jdbc.queryForObject("select count(*) from pond_enrollment where customer_id = ? and ended_at is null",
                Integer.class, customer)).isEqualTo(2);

        // a journey without a wait is over within its enrolment, and its enrolment says so
        String instant = key("instant");
        publish(instant, "<bpmn:startEvent id=\"start\"/>" + flow("f1", "start", "end") + END,
                byApi(JourneySettings.Reentry.ANY, null, null, List.of()));
        assertThat(enrollments.enroll(instant, customer, Enrollments.Source.API, Map.of())).isEqualTo(Enrollments.Outcome.ENROLLED);
        assertThat(enrollment(instant, customer).endReason()).isEqualTo("COMPLETED");
        assertThat(enrollments.enroll(instant, customer, Enrollments.Source.API, Map.of())).isEqualTo(Enrollments.Outcome.ENROLLED);
    }

    @Test
    void waitsForTimeAndForAnEventWithItsConditionsOrTimesOut() {
        String key = key("nurture");
        publish(key, """
                <bpmn:startEvent id="start"/>
                %s
                <bpmn:intermediateCatchEvent id="wait24h"><bpmn:timerEventDefinition><bpmn:timeDuration>PT24H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
                %s%s%s
                <bpmn:eventBasedGateway id="readOrNot"/>
                %s
                <bpmn:intermediateCatchEvent id="read">
                  <bpmn:extensionElements><camunda:properties>
                    <camunda:property name="pond.when" value="[{&quot;property&quot;:&quot;article&quot;,&quot;operator&quot;:&quot;EQUALS&quot;,&quot;value&quot;:&quot;case-a&quot;}]"/>
                  </camunda:properties></bpmn:extensionElements>
                  <bpmn:messageEventDefinition messageRef="m_read"/>
                </bpmn:intermediateCatchEvent>
                %s
                <bpmn:intermediateCatchEvent id="notRead"><bpmn:timerEventDefinition><bpmn:timeDuration>PT48H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
                %s%s%s%s%s
                <bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/>
                """.formatted(flow("f1", "start", "wait24h"), flow("f2", "wait24h", "caseStudy"), send("caseStudy", "Case study A"),
                flow("f3", "caseStudy", "readOrNot"), flow("f4", "readOrNot", "read"), flow("f5", "readOrNot", "notRead"),
                flow("f6", "read", "trial"), send("trial", "Trial invitation"), flow("f7", "trial", "end"),
                flow("f8", "notRead", "reminder"), send("reminder", "Reminder: case study A") + flow("f9", "reminder", "end2")),
                byApi(JourneySettings.Reentry.ONCE, null, null, List.of()));
        long reads = customer("reads-" + key);
        long readsOther = customer("other-" + key);
        long silent = customer("silent-" + key);
        enrollments.enroll(key, List.of(reads, readsOther, silent), Enrollments.Source.API, Map.of());

        runDueJobs();
        later(hours(23));
        runDueJobs();
        assertThat(received(reads)).as("still within the 24 hours").isEmpty();
        later(hours(1));
        runDueJobs();
        for (long customer : List.of(reads, readsOther, silent)) {
            assertThat(received(customer)).containsExactly("Case study A");
            assertThat(waitingAt(key, customer)).containsExactlyInAnyOrder("readOrNot");
        }

        // the next morning (one marketing message a day per customer)
        later(hours(22));
        event(reads, "article_read", "{\"article\": \"case-a\"}");
        event(readsOther, "article_read", "{\"article\": \"case-b\"}");
        runDueJobs();
        assertThat(received(reads)).containsExactly("Case study A", "Trial invitation");
        assertThat(waitingAt(key, readsOther)).as("another article does not count").containsExactly("readOrNot");

        later(hours(26));
        runDueJobs();
        assertThat(received(reads)).containsExactly("Case study A", "Trial invitation");
        assertThat(received(readsOther)).containsExactly("Case study A", "Reminder: case study A");
        assertThat(received(silent)).containsExactly("Case study A", "Reminder: case study A");
        for (long customer : List.of(reads, readsOther, silent)) {
            assertThat(enrollment(key, customer).endReason()).isEqualTo("COMPLETED");
        }
    }

    @Test
    void theNextLocalTimeIsTheCustomersOwn() {
        String key = key("nine");
        publish(key, """
                <bpmn:startEvent id="start"/>%s
                <bpmn:intermediateCatchEvent id="nine"><bpmn:timerEventDefinition><bpmn:timeDate>${pondTime.next('09:00', customerId)}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
                %s<bpmn:userTask id="after"/>""".formatted(flow("f1", "start", "nine"), flow("f2", "nine", "after")),
                byApi(JourneySettings.Reentry.ONCE, null, null, List.of()));
        long shanghai = customer("sh-" + key);
        long newYork = customer("ny-" + key);
        directory.updateProfiles(List.of(newYork), List.of(new CustomerDirectory.ProfilePatch(null, null, null, null,
                "America/New_York", null)));
        enrollments.enroll(key, List.of(shanghai, newYork), Enrollments.Source.API, Map.of());
        runDueJobs();

        // now: 2026-11-25 12:00 in Shanghai = 2026-11-24 23:00 in New York
        assertThat(timerDue(key, shanghai)).isEqualTo(ZonedDateTime.of(2026, 11, 26, 9, 0, 0, 0, ZoneId.of("Asia/Shanghai"))
                .toInstant());
        assertThat(timerDue(key, newYork)).isEqualTo(ZonedDateTime.of(2026, 11, 25, 9, 0, 0, 0, ZoneId.of("America/New_York"))
                .toInstant());
        later(hours(14));
        runDueJobs();
        assertThat(waitingAt(key, newYork)).containsExactly("after");
        assertThat(waitingAt(key, shanghai)).containsExactly("nine");
    }

    private Instant timerDue(String key, long customer) {
        Job timer = managementService.createJobQuery().processInstanceId(enrollment(key, customer).processInstanceId()).timers()
                .singleResult();
        return timer.getDuedate().toInstant();
    }

    @Test
    void aGoalAndAnExitDrawnAsEventSubProcessesEndTheJourneyLikeTheSettingsOnes() {
        String key = key("drawn-goal");
        String ending = """
                <bpmn:subProcess id="%1$s" triggeredByEvent="true">
                  <bpmn:extensionElements><camunda:properties><camunda:property name="pond.end" value="%1$s"/></camunda:properties></bpmn:extensionElements>
                  <bpmn:startEvent id="%1$sStart"><bpmn:messageEventDefinition messageRef="%2$s"/></bpmn:startEvent>
                  <bpmn:sequenceFlow id="%1$sFlow" sourceRef="%1$sStart" targetRef="%1$sEnd"/>
                  <bpmn:endEvent id="%1$sEnd"/>
                </bpmn:subProcess>
                """;
        journeys.create(key, "Drawn goal", null, JourneySettings.defaults(), """
                <?xml version="1.0" encoding="UTF-8"?>
                <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="https://pond.io/test">
                  <bpmn:message id="paid" name="order_paid"/>
                  <bpmn:message id="gone" name="unsubscribe"/>
                  <bpmn:process id="draft" isExecutable="true">
                    <bpmn:startEvent id="start"/>
                    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait"/>
                    <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
                    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end"/>
                    <bpmn:endEvent id="end"/>
                    %s
                    %s
                  </bpmn:process>
                </bpmn:definitions>
                """.formatted(ending.formatted("goal", "paid"), ending.formatted("exit", "gone")), "marketer");
        assertThat(journeys.validate(key)).isEmpty();
        journeys.publish(key, Journeys.InFlight.STAY, "marketer");
        assertThat(journeys.latest(key).orElseThrow().settings().goal().eventType()).isEqualTo("order_paid");
        assertThat(journeys.latest(key).orElseThrow().settings().exits()).extracting(EventRule::eventType).containsExactly("unsubscribe");

        long pays = customer("pays-" + key);
        long leaves = customer("leaves-" + key);
        enrollments.enroll(key, List.of(pays, leaves), Enrollments.Source.API, Map.of());
        later(hours(1));
        Instant paidAt = now();
        event(pays, "order_paid", "{\"amount\": 99}");
        event(leaves, "unsubscribe", "{}");
        assertThat(enrollment(key, pays).endReason()).isEqualTo("GOAL");
        assertThat(enrollment(key, pays).convertedAt()).isEqualTo(paidAt);
        assertThat(enrollment(key, leaves).endReason()).isEqualTo("EXIT");
        assertThat(runtimeService.createProcessInstanceQuery().processDefinitionKey(key).count()).isZero();
    }

    @Test
    void theGoalEndsTheJourneyAtOnceAsAConversionAndExitsAndOptOutsEndItToo() {
        String key = key("cart");
        publish(key, "<bpmn:startEvent id=\"start\"/>" + flow("f1", "start", "wait2h")
                + "<bpmn:intermediateCatchEvent id=\"wait2h\"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2H</bpmn:timeDuration>"
                + "</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>" + flow("f2", "wait2h", "remind")
                + send("remind", "Your cart is waiting") + flow("f3", "remind", "end") + END,
                byApi(JourneySettings.Reentry.ONCE, null, new EventRule("order_paid", List.of()),
                        List.of(new EventRule("unsubscribe", List.of()))));
        long pays = customer("pays-" + key);
        long leaves = customer("leaves-" + key);
        long optsOut = customer("optout-" + key);
        long forgets = customer("forgets-" + key);
        enrollments.enroll(key, List.of(pays, leaves, optsOut, forgets), Enrollments.Source.API, Map.of());
        runDueJobs();

        later(hours(1));
        Instant paidAt = now();
        event(pays, "order_paid", "{\"amount\": 99}");
        event(leaves, "unsubscribe", "{}");
        consents.revoke(optsOut, ConsentChannel.WECOM, "unsubscribe link", "test");

        Enrollments.Enrollment converted = enrollment(key, pays);
        assertThat(converted.endReason()).isEqualTo("GOAL");
        assertThat(converted.convertedAt()).isEqualTo(paidAt);
        assertThat(converted.endedAt()).isEqualTo(paidAt);
        assertThat(enrollment(key, leaves).endReason()).isEqualTo("EXIT");
        assertThat(enrollment(key, leaves).convertedAt()).isNull();
        assertThat(enrollment(key, optsOut).endReason()).isEqualTo("OPT_OUT");
        assertThat(runtimeService.createProcessInstanceQuery().processDefinitionKey(key).count()).isEqualTo(1);

        later(hours(1));
        runDueJobs();
        assertThat(received(forgets)).containsExactly("Your cart is waiting");
        for (long customer : List.of(pays, leaves, optsOut)) {
            assertThat(received(customer)).isEmpty();
        }
        JourneyStats.VersionStats figures = stats.of(key, 1);
        assertThat(figures.totals().entered()).isEqualTo(4);
        assertThat(figures.totals().converted()).isEqualTo(1);
        assertThat(figures.totals().endedBy()).containsEntry("GOAL", 1L).containsEntry("EXIT", 1L).containsEntry("OPT_OUT", 1L)
                .containsEntry("COMPLETED", 1L);
        assertThat(figures.nodes().get("remind").passed()).isEqualTo(1);
        assertThat(figures.nodes().get("start").converted()).isEqualTo(1);
    }

    @Test
    void conditionsByRuleAndByGroovyAndAFailingScriptBecomesAnIncidentThere() {
        long tagId = tags.ensureTag("Journey test", "VIP-" + System.nanoTime(), null).id();
        String key = key("branch");
        String rule = "{&quot;kind&quot;:&quot;tag&quot;,&quot;tagId&quot;:" + tagId + "}";
        publish(key, """
                <bpmn:startEvent id="start"/>%s
                <bpmn:exclusiveGateway id="which" default="toOther"/>
                <bpmn:sequenceFlow id="toBig" sourceRef="which" targetRef="big">
                  <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="groovy" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">customer.points &gt;= 500 &amp;&amp; amount &gt; 100</bpmn:conditionExpression>
                </bpmn:sequenceFlow>
                <bpmn:sequenceFlow id="toTagged" sourceRef="which" targetRef="tagged">
                  <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${pondRule.matches(execution, '%s')}</bpmn:conditionExpression>
                </bpmn:sequenceFlow>
                <bpmn:sequenceFlow id="toOther" sourceRef="which" targetRef="other"/>
                <bpmn:userTask id="big"/><bpmn:userTask id="tagged"/><bpmn:userTask id="other"/>
                """.formatted(flow("f1", "start", "which"), rule), byApi(JourneySettings.Reentry.ANY, null, null, List.of()));
        long big = customer("big-" + key);
        long tagged = customer("tagged-" + key);
        long other = customer("other-" + key);
        directory.updateProfiles(List.of(big), List.of(new CustomerDirectory.ProfilePatch(null, null, null, 800L, null, null)));
        tags.tag(List.of(tagged), tagId, TagSource.MANUAL);
        enrollments.enroll(key, List.of(big, tagged, other), Enrollments.Source.API, Map.of("amount", 150));
        runDueJobs();
        assertThat(waitingAt(key, big)).containsExactly("big");
        assertThat(waitingAt(key, tagged)).containsExactly("tagged");
        assertThat(waitingAt(key, other)).containsExactly("other");

        String broken = key("broken");
        publish(broken, """
                <bpmn:startEvent id="start"/>%s
                <bpmn:exclusiveGateway id="loops" default="fine"/>
                <bpmn:sequenceFlow id="never" sourceRef="loops" targetRef="a">
                  <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="groovy" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">while (true) { }</bpmn:conditionExpression>
                </bpmn:sequenceFlow>
                <bpmn:sequenceFlow id="fine" sourceRef="loops" targetRef="b"/>
                <bpmn:userTask id="a"/><bpmn:userTask id="b"/>
                """.formatted(flow("f1", "start", "loops")), byApi(JourneySettings.Reentry.ANY, null, null, List.of()));
        enrollments.enroll(broken, other, Enrollments.Source.API, Map.of());
        runDueJobs();
        Incident stopped = runtimeService.createIncidentQuery().processInstanceId(enrollment(broken, other).processInstanceId())
                .singleResult();
        assertThat(stopped).as("an incident at once, not three retries").isNotNull();
        assertThat(stopped.getActivityId()).isEqualTo("loops");
        assertThat(stopped.getIncidentMessage()).contains("The script was stopped");

        // an operator fixes nothing; the engine still runs everyone else
        enrollments.enroll(key, other, Enrollments.Source.API, Map.of("amount", 1));
        runDueJobs();
        assertThat(taskService.createTaskQuery().processDefinitionKey(key).taskDefinitionKey("other").count()).isEqualTo(1);
    }

    @Test
    void aDiagramWithAScriptTheSandboxRefusesOrARuleThatDoesNotCompileIsNotPublished() {
        String key = key("refused");
        String script = """
                <bpmn:startEvent id="start"/>%s
                <bpmn:exclusiveGateway id="exits" default="toB"/>
                <bpmn:sequenceFlow id="toA" name="Quit" sourceRef="exits" targetRef="a">
                  <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="groovy" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">customer.points > 1 &amp;&amp;
                  System.exit(1)</bpmn:conditionExpression>
                </bpmn:sequenceFlow>
                <bpmn:sequenceFlow id="toB" sourceRef="exits" targetRef="b"/>
                <bpmn:userTask id="a"/><bpmn:userTask id="b"/>
                """.formatted(flow("f1", "start", "exits"));
        assertThatThrownBy(() -> publish(key, script, byApi(JourneySettings.Reentry.ANY, null, null, List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Quit (toA)")
                .hasMessageContaining("Line 2").hasMessageContaining("'exit' is not allowed in scripts");
        assertThat(journeys.require(key).status()).as("nothing was deployed").isEqualTo(Journeys.Status.DRAFT);

        String rule = key("badrule");
        String unknownAttribute = script.replace("language=\"groovy\" ", "").replace("""
                customer.points > 1 &amp;&amp;
                  System.exit(1)""".strip(), "${pondRule.matches(execution, '{&quot;kind&quot;:&quot;attribute&quot;,"
                + "&quot;key&quot;:&quot;shoe_size&quot;,&quot;operator&quot;:&quot;EQUALS&quot;,&quot;values&quot;:[&quot;42&quot;]}')}");
        assertThat(unknownAttribute).contains("pondRule");
        assertThatThrownBy(() -> publish(rule, unknownAttribute, byApi(JourneySettings.Reentry.ANY, null, null, List.of())))
                .hasMessageContaining("Quit (toA) is not a valid rule").hasMessageContaining("shoe_size");
    }

    @Test
    void onlyDevelopersAndAdminsPublishScriptsAnalystsAndMarketingOpsPublishRules() {
        String marketer = "mo-" + UUID.randomUUID().toString().substring(0, 8);
        io.pond.engine.test.TestUsers.ensure(identityService, marketer, "Journey-Map-2026!", io.pond.engine.identity.PondRole.MARKETING_OPS);
        String groovy = """
                <bpmn:startEvent id="start"/>%s
                <bpmn:exclusiveGateway id="vip" default="no"/>
                <bpmn:sequenceFlow id="yes" name="Big spender" sourceRef="vip" targetRef="a">
                  <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="groovy" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">customer.points &gt; 1000</bpmn:conditionExpression>
                </bpmn:sequenceFlow>
                <bpmn:sequenceFlow id="no" sourceRef="vip" targetRef="b"/>
                <bpmn:endEvent id="a"/><bpmn:endEvent id="b"/>
                """.formatted(flow("f1", "start", "vip"));
        String key = key("scripted");
        journeys.create(key, "Scripted", null, JourneySettings.defaults(), diagram(groovy), marketer);
        assertThatThrownBy(() -> journeys.publish(key, Journeys.InFlight.STAY, marketer))
                .isInstanceOf(SecurityException.class).hasMessageContaining("Only developers and administrators")
                .hasMessageContaining("Big spender (yes)");
        assertThatThrownBy(() -> journeys.publish(key, Journeys.InFlight.STAY, "nobody-" + key)).isInstanceOf(SecurityException.class);
        assertThat(journeys.require(key).status()).isEqualTo(Journeys.Status.DRAFT);
        io.pond.engine.test.TestUsers.ensure(identityService, DEVELOPER, "Pond-Scripts-2026!", io.pond.engine.identity.PondRole.DEVELOPER);
        assertThat(journeys.publish(key, Journeys.InFlight.STAY, DEVELOPER).version().version()).isEqualTo(1);

        // the same decision as a rule is data, not code: marketing ops publish it
        String rule = key("ruled");
        journeys.create(rule, "Ruled", null, JourneySettings.defaults(), diagram(groovy.replace(" language=\"groovy\"", "")
                .replace("customer.points &gt; 1000", "${pondRule.matches(execution, '{&quot;kind&quot;:&quot;profile&quot;,"
                        + "&quot;field&quot;:&quot;POINTS&quot;,&quot;operator&quot;:&quot;GREATER_THAN&quot;,&quot;values&quot;:[&quot;1000&quot;]}')}")),
                marketer);
        assertThat(journeys.publish(rule, Journeys.InFlight.STAY, marketer).version().version()).isEqualTo(1);
    }

    @Test
    void expressionsTypedIntoTextAreTextAndExpressionsCamundaWouldEvaluateAreCodeOnlyDevelopersPublish() {
        String marketer = "mo-" + UUID.randomUUID().toString().substring(0, 8);
        io.pond.engine.test.TestUsers.ensure(identityService, marketer, "Journey-Map-2026!", io.pond.engine.identity.PondRole.MARKETING_OPS);
        // a name and a message text with expressions in them: Pond renders its own placeholders, the rest is text
        String text = key("text");
        journeys.create(text, "Text", null, JourneySettings.defaults(), diagram("<bpmn:startEvent id=\"start\" name=\"${1+1}\"/>"
                + flow("f1", "start", "remind") + send("remind", "#{7*7} and ${customer.name}").replace("id=\"remind\"",
                        "id=\"remind\" name=\"#{applicationContext}\"") + flow("f2", "remind", "end") + END), marketer);
        journeys.publish(text, Journeys.InFlight.STAY, marketer);
        long reader = customer("text-" + text);
        enrollments.enroll(text, reader, Enrollments.Source.API, Map.of());
        runDueJobs();
        assertThat(messagesTo(reader)).containsExactly("#{7*7} and Customer text-" + text);

        // an expression Camunda evaluates (a timer, an assignee) that Pond did not write runs code on the server
        String timer = key("timer");
        journeys.create(timer, "Timer", null, JourneySettings.defaults(), diagram("<bpmn:startEvent id=\"start\"/>"
                + flow("f1", "start", "wait") + "<bpmn:intermediateCatchEvent id=\"wait\" name=\"Wait\"><bpmn:timerEventDefinition>"
                + "<bpmn:timeDuration>${execution.getProcessEngineServices().getRuntimeService().toString()}</bpmn:timeDuration>"
                + "</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>" + flow("f2", "wait", "end") + END), marketer);
        assertThatThrownBy(() -> journeys.publish(timer, Journeys.InFlight.STAY, marketer))
                .isInstanceOf(SecurityException.class).hasMessageContaining("Wait (wait)");
        String assignee = key("assignee");
        journeys.create(assignee, "Assignee", null, JourneySettings.defaults(), diagram("<bpmn:startEvent id=\"start\"/>"
                + flow("f1", "start", "call") + "<bpmn:userTask id=\"call\" camunda:assignee=\"#{execution.processEngine}\"/>"
                + flow("f2", "call", "end") + END), marketer);
        assertThatThrownBy(() -> journeys.publish(assignee, Journeys.InFlight.STAY, marketer))
                .isInstanceOf(SecurityException.class).hasMessageContaining("call");
        assertThat(journeys.require(timer).status()).isEqualTo(Journeys.Status.DRAFT);
    }

    @Test
    void anEventThatComesWhileTheCustomerIsOnTheWayToItsWaitIsKeptAndDeliveredThere() {
        String key = key("early");
        publish(key, "<bpmn:startEvent id=\"start\"/>" + flow("f1", "start", "remind") + send("remind", "Read our case study")
                + flow("f2", "remind", "read") + "<bpmn:intermediateCatchEvent id=\"read\"><bpmn:messageEventDefinition"
                + " messageRef=\"m_read\"/></bpmn:intermediateCatchEvent>" + flow("f3", "read", "thanks")
                + send("thanks", "Thanks for reading") + flow("f4", "thanks", "end") + END,
                // service messages: two in a row are not held back by the daily marketing cap
                new JourneySettings(JourneySettings.Entry.api(), JourneySettings.Reentry.ONCE, null, null, List.of(), true));
        long quick = customer("quick-" + key);
        enrollments.enroll(key, quick, Enrollments.Source.API, Map.of());
        assertThat(waitingAt(key, quick)).as("the reminder is a step of its own, not sent yet").containsExactly("remind");

        // the customer reads before the reminder step has run: the event waits in the outbox instead of being lost
        event(quick, "article_read", "{}");
        assertThat(outbox.pending()).isPositive();
        assertThat(jdbc.queryForObject("select attempts from pond_outbox o join pond_event e on e.event_id = o.reference"
                + " where e.customer_id = ? and e.event_type = 'article_read'", Integer.class, quick))
                .as("coming too early is not a failure").isZero();

        runDueJobs();
        assertThat(waitingAt(key, quick)).containsExactly("read");
        later(Duration.ofSeconds(6));
        while (outbox.deliverBatch() > 0) {
            // the early event again, now that the customer waits for it
        }
        runDueJobs();
        assertThat(messagesTo(quick)).containsExactly("Read our case study", "Thanks for reading");
        assertThat(enrollment(key, quick).endReason()).isEqualTo("COMPLETED");
    }

    @Test
    void anABSplitIsDeterministicPerCustomerAndVersionAndRecorded() {
        String key = key("ab");
        String split = "[{&quot;variant&quot;:&quot;A&quot;,&quot;percent&quot;:30},{&quot;variant&quot;:&quot;B&quot;,&quot;percent&quot;:70}]";
        publish(key, """
                <bpmn:startEvent id="start"/>%s
                <bpmn:exclusiveGateway id="split">
                  <bpmn:extensionElements><camunda:properties><camunda:property name="pond.split" value="%s"/></camunda:properties></bpmn:extensionElements>
                </bpmn:exclusiveGateway>
                <bpmn:sequenceFlow id="toA" sourceRef="split" targetRef="a"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${pondSplit.is(execution, 'A')}</bpmn:conditionExpression></bpmn:sequenceFlow>
                <bpmn:sequenceFlow id="toB" sourceRef="split" targetRef="b"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${pondSplit.is(execution, 'B')}</bpmn:conditionExpression></bpmn:sequenceFlow>
                <bpmn:userTask id="a"/><bpmn:userTask id="b"/>
                """.formatted(flow("f1", "start", "split"), split), byApi(JourneySettings.Reentry.ANY, null, null, List.of()));
        List<Long> customers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            customers.add(customer("ab" + i + "-" + key));
        }
        enrollments.enroll(key, customers, Enrollments.Source.API, Map.of());
        runDueJobs();
        long a = taskService.createTaskQuery().processDefinitionKey(key).taskDefinitionKey("a").count();
        long b = taskService.createTaskQuery().processDefinitionKey(key).taskDefinitionKey("b").count();
        assertThat(a + b).isEqualTo(200);
        assertThat(a).as("about 30%% of 200").isBetween(40L, 80L);
        List<Map<String, Object>> recorded = jdbc.queryForList("select customer_id, variant from pond_ab_assignment"
                + " where journey_key = ? and version = 1", key);
        assertThat(recorded).hasSize(200);
        assertThat(recorded.stream().filter(r -> "A".equals(r.get("variant"))).count()).isEqualTo(a);

        // the same customer in the same version gets the same variant again
        long first = customers.get(0);
        String variant = waitingAt(key, first).get(0).toUpperCase();
        taskService.complete(taskService.createTaskQuery().processInstanceId(enrollment(key, first).processInstanceId())
                .singleResult().getId());
        enrollments.enroll(key, first, Enrollments.Source.API, Map.of());
        runDueJobs();
        Enrollments.Enrollment again = enrollments.active(first).get(0);
        assertThat(runtimeService.getActiveActivityIds(again.processInstanceId())).containsExactly(variant.toLowerCase());
    }

    @Test
    void publishingANewVersionKeepsOrMovesCustomersAndRefusesWhatCannotMove() {
        String key = key("versions");
        String v1 = "<bpmn:startEvent id=\"start\"/>" + flow("f1", "start", "a") + "<bpmn:userTask id=\"a\"/>" + flow("f2", "a", "b")
                + "<bpmn:userTask id=\"b\"/>";
        publish(key, v1, byApi(JourneySettings.Reentry.ONCE, null, null, List.of()));
        long first = customer("v1-" + key);
        long second = customer("v2-" + key);
        enrollments.enroll(key, first, Enrollments.Source.API, Map.of());
        runDueJobs();

        String v2 = v1.replace("<bpmn:userTask id=\"b\"/>", "<bpmn:userTask id=\"b\" name=\"Call\"/>");
        journeys.saveDraft(key, "Journey " + key, null, JourneySettings.defaults(), diagram(v2), "marketer");
        Journeys.Published stay = journeys.publish(key, Journeys.InFlight.STAY, "marketer");
        assertThat(stay.version().version()).isEqualTo(2);
        assertThat(stay.moved()).isZero();
        enrollments.enroll(key, second, Enrollments.Source.API, Map.of());
        assertThat(enrollment(key, first).version()).isEqualTo(1);
        assertThat(enrollment(key, second).version()).isEqualTo(2);
        assertThat(processDefinitionOf(enrollment(key, first))).isEqualTo(journeys.version(key, 1).orElseThrow().processDefinitionId());

        Journeys.Published moved = journeys.publish(key, Journeys.InFlight.MOVE, "marketer");
        runDueJobs();
        assertThat(moved.moved()).isEqualTo(2);
        assertThat(processDefinitionOf(enrollment(key, first))).isEqualTo(moved.version().processDefinitionId());
        assertThat(processDefinitionOf(enrollment(key, second))).isEqualTo(moved.version().processDefinitionId());
        assertThat(waitingAt(key, first)).containsExactly("a");

        String withoutA = "<bpmn:startEvent id=\"start\"/>" + flow("f1", "start", "b") + "<bpmn:userTask id=\"b\"/>";
        journeys.saveDraft(key, "Journey " + key, null, JourneySettings.defaults(), diagram(withoutA), "marketer");
        assertThat(journeys.unmappable(key)).extracting(Journeys.Unmappable::activityId, Journeys.Unmappable::customers)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 2L));
        assertThatThrownBy(() -> journeys.publish(key, Journeys.InFlight.MOVE, "marketer"))
                .hasMessageContaining("2 at a (version 3)");
        assertThat(journeys.latest(key).orElseThrow().version()).as("nothing was published").isEqualTo(3);
        assertThat(processDefinitionOf(enrollment(key, first))).isEqualTo(moved.version().processDefinitionId());
    }

    private String processDefinitionOf(Enrollments.Enrollment enrollment) {
        return runtimeService.createProcessInstanceQuery().processInstanceId(enrollment.processInstanceId()).singleResult()
                .getProcessDefinitionId();
    }

    @Test
    void aPausedJourneySendsNothingAndTakesNobodyUntilResumedAndArchivingEndsItForEveryone() {
        String key = key("pause");
        publish(key, "<bpmn:startEvent id=\"start\"/>" + flow("f1", "start", "wait1h")
                + "<bpmn:intermediateCatchEvent id=\"wait1h\"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration>"
                + "</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>" + flow("f2", "wait1h", "hello")
                + send("hello", "Hello after an hour") + flow("f3", "hello", "end") + END,
                byApi(JourneySettings.Reentry.ONCE, null, null, List.of()));
        long customer = customer("p-" + key);
        long late = customer("late-" + key);
        enrollments.enroll(key, customer, Enrollments.Source.API, Map.of());
        runDueJobs();
        journeys.pause(key, "marketer");
        later(hours(3));
        runDueJobs();
        assertThat(received(customer)).as("paused").isEmpty();
        assertThatThrownBy(() -> enrollments.enroll(key, late, Enrollments.Source.API, Map.of()))
                .isInstanceOf(Enrollments.NotTakingIn.class);

        journeys.resume(key, "marketer");
        runDueJobs();
        assertThat(received(customer)).containsExactly("Hello after an hour");

        enrollments.enroll(key, late, Enrollments.Source.API, Map.of());
        runDueJobs();
        journeys.archive(key, "marketer");
        runDueJobs();
        assertThat(runtimeService.createProcessInstanceQuery().processDefinitionKey(key).count()).isZero();
        assertThat(enrollment(key, late).endReason()).isEqualTo("ARCHIVED");
        assertThat(enrollment(key, late).endedAt()).isNotNull();
        assertThat(received(late)).isEmpty();
    }

    @Test
    void aStaffTaskGoesToTheCustomersOwnerBranchesOnItsOutcomeAndEscalatesAfterADay() {
        String key = key("staff");
        publish(key, """
                <bpmn:startEvent id="start"/>%s
                <bpmn:userTask id="call" name="Call about the quote">
                  <bpmn:extensionElements><camunda:properties>
                    <camunda:property name="pond.outcomes" value="interested, not_interested"/>
                  </camunda:properties></bpmn:extensionElements>
                </bpmn:userTask>
                <bpmn:boundaryEvent id="overdue" attachedToRef="call" cancelActivity="false">
                  <bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition>
                </bpmn:boundaryEvent>
                %s<bpmn:userTask id="escalated" camunda:assignee="manager"/>
                %s<bpmn:exclusiveGateway id="how" default="lost"/>
                <bpmn:sequenceFlow id="won" sourceRef="how" targetRef="opportunity">
                  <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${outcome == 'interested'}</bpmn:conditionExpression>
                </bpmn:sequenceFlow>
                <bpmn:sequenceFlow id="lost" sourceRef="how" targetRef="closed"/>
                <bpmn:userTask id="opportunity" camunda:assignee="sales"/><bpmn:endEvent id="closed"/>
                """.formatted(flow("f1", "start", "call"), flow("f2", "overdue", "escalated"), flow("f3", "call", "how")),
                byApi(JourneySettings.Reentry.ONCE, null, null, List.of()));
        long keen = customer("keen-" + key);
        long slow = customer("slow-" + key);
        enrollments.enroll(key, List.of(keen, slow), Enrollments.Source.API, Map.of());
        runDueJobs();

        List<StaffTasks.StaffTask> inbox = staffTasks.inbox("zhangsan", List.of(), false).stream()
                .filter(t -> key.equals(t.journeyKey())).toList();
        assertThat(inbox).hasSize(2).allSatisfy(task -> {
            assertThat(task.name()).isEqualTo("Call about the quote");
            assertThat(task.outcomes()).containsExactly("interested", "not_interested");
        });
        StaffTasks.StaffTask keenTask = inbox.stream().filter(t -> t.customerId() == keen).findFirst().orElseThrow();
        assertThat(keenTask.customerName()).isEqualTo("Customer keen-" + key);
        assertThatThrownBy(() -> staffTasks.complete(keenTask.id(), "maybe", "zhangsan", List.of(), false))
                .hasMessageContaining("not an outcome");
        assertThatThrownBy(() -> staffTasks.complete(keenTask.id(), "interested", "lisi", List.of("analyst"), false))
                .isInstanceOf(SecurityException.class);
        staffTasks.complete(keenTask.id(), "interested", "zhangsan", List.of(), false);
        assertThat(waitingAt(key, keen)).containsExactly("opportunity");

        later(java.time.Duration.ofHours(25));
        runDueJobs();
        assertThat(waitingAt(key, slow)).containsExactlyInAnyOrder("call", "escalated");
        assertThat(staffTasks.inbox("manager", List.of(), false)).anyMatch(t -> key.equals(t.journeyKey()) && t.customerId() == slow);
        StaffTasks.StaffTask slowTask = staffTasks.inbox("zhangsan", List.of(), false).stream()
                .filter(t -> key.equals(t.journeyKey())).findFirst().orElseThrow();
        staffTasks.complete(slowTask.id(), "not_interested", "zhangsan", List.of(), false);
        assertThat(waitingAt(key, slow)).containsExactly("escalated");
    }

    @Test
    void aStaffTaskNobodyCouldSeeGoesToTheTeamAndAdminsSeeEveryTaskLeftWithoutAPerson() {
        String key = key("orphan");
        publish(key, """
                <bpmn:startEvent id="start"/>%s
                <bpmn:userTask id="call" name="Call back"/>
                """.formatted(flow("f1", "start", "call")), byApi(JourneySettings.Reentry.ONCE, null, null, List.of()));
        // wangwu added the first on WeCom but has no Pond login; lisi has one when the task is made, and leaves later
        long ofWangwu = customer("wangwu-" + key);
        long ofLisi = customer("lisi-" + key);
        String lisi = "lisi-" + key.hashCode();
        staffMember(lisi);
        directory.updateProfiles(List.of(ofWangwu, ofLisi), List.of(
                new CustomerDirectory.ProfilePatch(null, null, null, null, null, "wangwu"),
                new CustomerDirectory.ProfilePatch(null, null, null, null, null, lisi)));
        enrollments.enroll(key, List.of(ofWangwu, ofLisi), Enrollments.Source.API, Map.of());
        runDueJobs();

        StaffTasks.StaffTask teamTask = staffTasks.inbox("someone-in-ops", List.of(StaffTasks.FALLBACK_GROUP), false).stream()
                .filter(t -> key.equals(t.journeyKey()) && t.customerId() == ofWangwu).findFirst().orElseThrow();
        assertThat(teamTask.assignee()).as("wangwu has no login").isNull();
        assertThat(staffTasks.inbox(lisi, List.of(), false)).anyMatch(t -> key.equals(t.journeyKey()) && t.customerId() == ofLisi);

        identityService.deleteUser(lisi);
        assertThat(staffTasks.inbox("admin", List.of("admin"), true).stream().filter(t -> key.equals(t.journeyKey())))
                .extracting(StaffTasks.StaffTask::customerId).containsExactlyInAnyOrder(ofWangwu, ofLisi);
        assertThat(staffTasks.inbox("analyst", List.of("analyst"), false)).noneMatch(t -> key.equals(t.journeyKey()));
        StaffTasks.StaffTask left = staffTasks.inbox("admin", List.of("admin"), true).stream()
                .filter(t -> key.equals(t.journeyKey()) && t.customerId() == ofLisi).findFirst().orElseThrow();
        staffTasks.complete(left.id(), null, "admin", List.of("admin"), true);
        assertThat(enrollment(key, ofLisi).endReason()).isEqualTo("COMPLETED");
    }
}
