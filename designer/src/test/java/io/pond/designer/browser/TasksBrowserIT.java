package io.pond.designer.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import io.pond.designer.ProductDatabase;
import io.pond.designer.ProductIT;
import io.pond.engine.customer.CustomerDirectory;
import io.pond.engine.customer.Identity;
import io.pond.engine.customer.IdentityType;
import io.pond.engine.journey.Enrollments;
import io.pond.engine.journey.JourneySettings;
import io.pond.engine.journey.Journeys;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The task inbox in a browser: a journey's staff task for the customer's owner, completed with an outcome the journey follows. */
@ProductIT
class TasksBrowserIT extends ProductDatabase {

    @LocalServerPort int port;
    @Autowired Journeys journeys;
    @Autowired Enrollments enrollments;
    @Autowired CustomerDirectory directory;
    @Autowired RuntimeService runtimeService;
    @Autowired org.camunda.bpm.engine.TaskService taskService;

    private final String run = Integer.toString(ThreadLocalRandom.current().nextInt(100_000, 999_999));

    @Test
    void aStaffTaskIsCompletedFromTheInboxWithAnOutcomeTheJourneyFollows() {
        String key = "follow-up-" + run;
        journeys.create(key, "Follow-up " + run, null, JourneySettings.defaults(), """
                <?xml version="1.0" encoding="UTF-8"?>
                <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="https://pond.io/test">
                  <bpmn:process id="p" isExecutable="true">
                    <bpmn:startEvent id="start"/>
                    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call"/>
                    <bpmn:userTask id="call" name="报价跟进：致电客户了解意向 Call %1$s about the quote">
                      <bpmn:extensionElements><camunda:properties>
                        <camunda:property name="pond.outcomes" value="interested,not_interested"/>
                      </camunda:properties></bpmn:extensionElements>
                    </bpmn:userTask>
                    <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="how"/>
                    <bpmn:exclusiveGateway id="how" default="no"/>
                    <bpmn:sequenceFlow id="yes" sourceRef="how" targetRef="offer">
                      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${outcome == 'interested'}</bpmn:conditionExpression>
                    </bpmn:sequenceFlow>
                    <bpmn:sequenceFlow id="no" sourceRef="how" targetRef="end"/>
                    <bpmn:userTask id="offer" camunda:assignee="sales"/>
                    <bpmn:endEvent id="end"/>
                  </bpmn:process>
                </bpmn:definitions>
                """.formatted(run), "admin");
        journeys.publish(key, Journeys.InFlight.STAY, "admin");
        long customer = directory.resolve(List.of(Set.of(new Identity(IdentityType.MEMBER_ID, "T" + run))), List.of("test"))[0];
        directory.updateProfiles(List.of(customer), List.of(new CustomerDirectory.ProfilePatch("王" + run, null, null, null, null,
                "admin")));
        enrollments.enroll(key, customer, Enrollments.Source.API, Map.of());
        // added on WeCom by a shop assistant who has no Pond login: the team's task, which an admin sees too
        long ofAssistant = directory.resolve(List.of(Set.of(new Identity(IdentityType.MEMBER_ID, "A" + run))), List.of("test"))[0];
        directory.updateProfiles(List.of(ofAssistant), List.of(new CustomerDirectory.ProfilePatch("李" + run, null, null, null,
                null, "assistant-" + run)));
        enrollments.enroll(key, ofAssistant, Enrollments.Source.API, Map.of());

        try (PondBrowser browser = new PondBrowser(port, "zh-CN,zh")) {
            browser.open("/login").logIn("admin", ProductIT.ADMIN_PASSWORD);
            browser.waitForText(By.id("current-user"), "Administrator");
            browser.open("/tasks");
            String rows = browser.waitForText(By.id("task-grid"), "李" + run);
            assertThat(rows).contains("王" + run).contains(key).contains("团队（未分配）");
            // with the admin's extra column, the outcome pickers are still in view: the grid does not scroll sideways
            assertThat(browser.run("const table = document.getElementById('task-grid').shadowRoot.getElementById('table');"
                    + " return table.scrollWidth <= table.clientWidth;")).isEqualTo(true);
            for (long who : List.of(customer, ofAssistant)) {
                String task = taskService.createTaskQuery().processInstanceId(enrollments.active(who).get(0).processInstanceId())
                        .singleResult().getId();
                browser.select(By.id("outcome-" + task), "有意向");
                browser.click(By.id("complete-" + task));
                browser.waitFor(d -> d.findElements(By.id("complete-" + task)).isEmpty());
            }
            // the next step is for "sales", who has no login either: the admin sees whose it is
            browser.waitFor(d -> !browser.text(By.id("task-grid")).contains("Call " + run));
            assertThat(browser.text(By.id("task-grid"))).contains("sales");
        }
        for (long who : List.of(customer, ofAssistant)) {
            assertThat(runtimeService.getActiveActivityIds(enrollments.active(who).get(0).processInstanceId()))
                    .containsExactly("offer");
        }
    }
}
