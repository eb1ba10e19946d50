package io.pond.designer.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import io.pond.designer.ProductDatabase;
import io.pond.designer.ProductIT;
import io.pond.engine.customer.CustomerDirectory;
import io.pond.engine.customer.Identity;
import io.pond.engine.customer.IdentityType;
import io.pond.engine.identity.PondRole;
import io.pond.engine.journey.JourneySettings;
import io.pond.engine.journey.Journeys;
import io.pond.engine.test.TestUsers;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Conditions in the designer: analysts build rules (data) and cannot write Groovy or publish; developers and admins
 * write Groovy in the code editor, checked by the sandbox as they type and tried against a customer.
 */
@ProductIT
class JourneyConditionsBrowserIT extends ProductDatabase {

    @LocalServerPort int port;
    @Autowired Journeys journeys;
    @Autowired IdentityService identityService;
    @Autowired CustomerDirectory directory;

    private final String run = Integer.toString(ThreadLocalRandom.current().nextInt(100_000, 999_999));

    private String journeyWithACondition() {
        String key = "vip-" + run;
        journeys.create(key, "VIP " + run, null, JourneySettings.defaults(), """
                <?xml version="1.0" encoding="UTF-8"?>
                <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                    xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
                    xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="d" targetNamespace="https://pond.io/test">
                  <bpmn:process id="vip" isExecutable="true">
                    <bpmn:startEvent id="start"/>
                    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="big"/>
                    <bpmn:exclusiveGateway id="big" name="Big spender?" default="no"/>
                    <bpmn:sequenceFlow id="yes" sourceRef="big" targetRef="thanks"/>
                    <bpmn:sequenceFlow id="no" sourceRef="big" targetRef="done"/>
                    <bpmn:endEvent id="thanks"/>
                    <bpmn:endEvent id="done"/>
                  </bpmn:process>
                  <bpmndi:BPMNDiagram id="di"><bpmndi:BPMNPlane id="plane" bpmnElement="vip">
                    <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36"/></bpmndi:BPMNShape>
                    <bpmndi:BPMNShape id="big_di" bpmnElement="big" isMarkerVisible="true"><dc:Bounds x="190" y="93" width="50" height="50"/></bpmndi:BPMNShape>
                    <bpmndi:BPMNShape id="thanks_di" bpmnElement="thanks"><dc:Bounds x="300" y="100" width="36" height="36"/></bpmndi:BPMNShape>
                    <bpmndi:BPMNShape id="done_di" bpmnElement="done"><dc:Bounds x="300" y="200" width="36" height="36"/></bpmndi:BPMNShape>
                    <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="136" y="118"/><di:waypoint x="190" y="118"/></bpmndi:BPMNEdge>
                    <bpmndi:BPMNEdge id="yes_di" bpmnElement="yes"><di:waypoint x="240" y="118"/><di:waypoint x="300" y="118"/></bpmndi:BPMNEdge>
                    <bpmndi:BPMNEdge id="no_di" bpmnElement="no"><di:waypoint x="215" y="143"/><di:waypoint x="215" y="218"/><di:waypoint x="300" y="218"/></bpmndi:BPMNEdge>
                  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
                </bpmn:definitions>
                """, "admin");
        return key;
    }

    @Test
    void anAnalystBuildsARuleButWritesNoScriptAndPublishesNothing() {
        String key = journeyWithACondition();
        TestUsers.ensure(identityService, "ana" + run, "Journey-Map-2026!", PondRole.ANALYST);
        try (PondBrowser browser = new PondBrowser(port, "en-US,en")) {
            browser.open("/login").logIn("ana" + run, "Journey-Map-2026!");
            browser.waitFor(d -> !d.findElements(By.id("current-user")).isEmpty());
            browser.open("/journey/" + key);
            browser.selectOnCanvas("yes");
            assertThat(browser.driver().findElements(By.cssSelector("#condition-mode vaadin-radio-button"))).hasSize(1);
            assertThat(browser.isPresent(By.id("designer-publish"))).isFalse();
            browser.select(By.id("rule-kind"), "did an event");
            browser.type(By.id("rule-event"), "order_paid");
            browser.type(By.id("rule-times"), "2");
            browser.click(By.id("rule-apply"));
            browser.waitFor(d -> journeys.require(key).draftBpmn().contains("pondRule.matches(execution"));
            assertThat(journeys.require(key).draftBpmn()).contains("order_paid").doesNotContain("groovy");
            browser.click(By.id("designer-validate"));
            browser.waitFor(d -> d.findElements(By.id("problem-list")).stream().noneMatch(WebElement::isDisplayed));

            // an SOP flow: the palette holds staff tasks, waits and conditions, no connector
            browser.open("/journeys");
            browser.click(By.id("journey-new-sop"));
            browser.type(By.id("journey-name"), "Store visit SOP " + run);
            browser.type(By.id("journey-key"), "sop-" + run);
            browser.click(By.id("journey-create"));
            browser.waitForPath("/journey/sop-" + run);
            browser.waitFor(d -> d.findElement(By.cssSelector(".djs-palette .entry[data-action='pond-task']")));
            assertThat(browser.driver().findElements(By.cssSelector(".djs-palette .entry[data-action^='pond-connector']"))).isEmpty();
            assertThat(browser.text(By.id("journey-kind"))).isEqualTo("SOP flow");
            assertThat(journeys.require("sop-" + run).settings().sop()).isTrue();
        }
    }

    @Test
    void aDeveloperWritesGroovyCheckedAsTypedAndTriesItOnACustomer() {
        String key = journeyWithACondition();
        long customer = directory.resolve(List.of(Set.of(new Identity(IdentityType.MEMBER_ID, "V" + run))), List.of("test"))[0];
        TestUsers.ensure(identityService, "dev" + run, "Journey-Map-2026!", PondRole.DEVELOPER);
        try (PondBrowser browser = new PondBrowser(port, "en-US,en")) {
            browser.open("/login").logIn("dev" + run, "Journey-Map-2026!");
            browser.waitFor(d -> !d.findElements(By.id("current-user")).isEmpty());
            browser.open("/journey/" + key);
            browser.selectOnCanvas("yes");
            browser.click(By.xpath("//vaadin-radio-button[normalize-space(.)='Groovy script']"));
            WebElement editor = browser.waitFor(d -> d.findElement(By.cssSelector("#condition-script .cm-content")));
            // typed as a person types, into what has the focus (chromedriver's synthetic "(" and ")" confuse
            // CodeMirror's input handling, so the call is written without parentheses, which Groovy allows)
            new Actions(browser.driver()).click(editor).sendKeys("System.exit 0").perform();
            browser.waitForText(By.id("script-check"), "'exit' is not allowed");
            // kept in the draft, as typed; validation marks it on its path and the publish refuses it
            browser.waitFor(d -> journeys.require(key).draftBpmn().contains("System.exit 0"));
            browser.click(By.id("designer-validate"));
            browser.waitForText(By.id("problem-list"), "'exit' is not allowed");

            // replaced through CodeMirror's own transaction (synthetic shifted keys such as '>' and '&' reach it out of order)
            browser.run("const view = document.querySelector('#condition-script').view;"
                    + "view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: arguments[0]}});",
                    "customer.points >= 0 && customer.id != null");
            browser.waitForText(By.id("script-check"), "The sandbox accepts it");
            browser.waitFor(d -> journeys.require(key).draftBpmn().contains("language=\"groovy\""));
            browser.type(By.id("script-customer"), Long.toString(customer));
            browser.click(By.id("script-test"));
            browser.waitForText(By.id("script-result"), "Result: true");
        }
    }
}
