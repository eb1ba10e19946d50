package io.pond.engine.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The designer's "validate": each problem on its node, blocking or to be fixed before the designer publishes. */
class JourneyValidationTest {

    private final JourneyValidation validation = new JourneyValidation();

    private static String diagram(String body) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="https://pond.io/test">
                  <bpmn:message id="m" name="order_paid"/>
                  <bpmn:message id="nameless"/>
                  <bpmn:process id="p" isExecutable="true">
                %s
                  </bpmn:process>
                </bpmn:definitions>
                """.formatted(body);
    }

    private List<String> problems(String body) {
        return validation.validate(diagram(body)).stream()
                .map(p -> p.elementId() + (p.blocking() ? "!" : "?") + " " + p.messageEn()).toList();
    }

    @Test
    void aCleanJourneyHasNoProblem() {
        assertThat(problems("""
                <bpmn:startEvent id="start"/>
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait"/>
                <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
                <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="paid"/>
                <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>
                <bpmn:sequenceFlow id="f3" sourceRef="paid" targetRef="end"/>
                <bpmn:endEvent id="end"/>
                """)).isEmpty();
    }

    @Test
    void unreachableStepsAndPathsThatStopAreMarkedOnTheirNodes() {
        assertThat(problems("""
                <bpmn:startEvent id="start"/>
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call"/>
                <bpmn:userTask id="call" name="Call"/>
                <bpmn:userTask id="orphan"/>
                <bpmn:sequenceFlow id="f2" sourceRef="orphan" targetRef="end"/>
                <bpmn:endEvent id="end"/>
                """)).containsExactlyInAnyOrder(
                "call? The step Call (call): the path stops here; connect it to the next step or to an End",
                "orphan? The step orphan: nothing leads to it; connect it from an earlier step or remove it",
                "end? The step end: nothing leads to it; connect it from an earlier step or remove it");
    }

    @Test
    void aConditionNeedsADefaultPathAndAConditionOnEveryOtherPath() {
        assertThat(problems("""
                <bpmn:startEvent id="start"/>
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="vip"/>
                <bpmn:exclusiveGateway id="vip" name="VIP?"/>
                <bpmn:sequenceFlow id="yes" sourceRef="vip" targetRef="end"><bpmn:conditionExpression>${true}</bpmn:conditionExpression></bpmn:sequenceFlow>
                <bpmn:sequenceFlow id="no" sourceRef="vip" targetRef="end"/>
                <bpmn:endEvent id="end"/>
                """)).containsExactlyInAnyOrder(
                "vip? The step VIP? (vip): no default path: choose the path customers take when no condition holds",
                "no! The step no: a path out of a condition needs a condition (or is the default)");
    }

    @Test
    void timersEventsAndSplitsThatCannotRunBlockThePublish() {
        assertThat(problems("""
                <bpmn:startEvent id="start"/>
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait"/>
                <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>two hours</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
                <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="event"/>
                <bpmn:intermediateCatchEvent id="event"><bpmn:messageEventDefinition messageRef="nameless"/></bpmn:intermediateCatchEvent>
                <bpmn:sequenceFlow id="f3" sourceRef="event" targetRef="ab"/>
                <bpmn:exclusiveGateway id="ab">
                  <bpmn:extensionElements><camunda:properties>
                    <camunda:property name="pond.split" value='[{"variant":"A","percent":60},{"variant":"B","percent":60}]'/>
                  </camunda:properties></bpmn:extensionElements>
                </bpmn:exclusiveGateway>
                <bpmn:sequenceFlow id="a" sourceRef="ab" targetRef="end"><bpmn:conditionExpression>${pondSplit.is(execution, 'A')}</bpmn:conditionExpression></bpmn:sequenceFlow>
                <bpmn:sequenceFlow id="b" sourceRef="ab" targetRef="end"><bpmn:conditionExpression>${pondSplit.is(execution, 'B')}</bpmn:conditionExpression></bpmn:sequenceFlow>
                <bpmn:endEvent id="end"/>
                """)).hasSize(3).anySatisfy(p -> assertThat(p).startsWith("wait! ").contains("'two hours' is not a duration"))
                .anySatisfy(p -> assertThat(p).startsWith("event! ").contains("choose the event type"))
                .anySatisfy(p -> assertThat(p).startsWith("ab! ").contains("100"));
    }

    @Test
    void codeOutsideConnectorsIsMarkedAsUncheckedSending() {
        assertThat(problems("""
                <bpmn:startEvent id="start"/>
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="mail"/>
                <bpmn:serviceTask id="mail" camunda:class="com.example.SendMail"/>
                <bpmn:sequenceFlow id="f2" sourceRef="mail" targetRef="end"/>
                <bpmn:endEvent id="end"/>
                """)).singleElement().satisfies(p -> assertThat(p).startsWith("mail? ").contains("consent"));
    }

    @Test
    void anSopFlowHoldsStaffTasksWaitsAndConditionsOnly() {
        String sop = diagram("""
                <bpmn:startEvent id="start"/>
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="visit"/>
                <bpmn:userTask id="visit" name="Visit the store"/>
                <bpmn:sequenceFlow id="f2" sourceRef="visit" targetRef="send"/>
                <bpmn:serviceTask id="send" camunda:delegateExpression="${pondConnector}"/>
                <bpmn:sequenceFlow id="f3" sourceRef="send" targetRef="end"/>
                <bpmn:endEvent id="end"/>
                """);
        assertThat(validation.validate(sop, JourneySettings.sopFlow())).singleElement()
                .satisfies(p -> assertThat(p.elementId() + " " + p.messageEn()).startsWith("send ").contains("SOP flow"));
        assertThat(validation.validate(sop, JourneySettings.defaults())).isEmpty();
    }

    @Test
    void aDiagramWithADoctypeIsRefusedBeforeAnyEntityIsResolved() {
        String xxe = diagram("<bpmn:startEvent id=\"start\" name=\"&e;\"/>").replace("<bpmn:definitions",
                "<!DOCTYPE bpmn:definitions [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<bpmn:definitions");
        assertThat(validation.validate(xxe)).singleElement().satisfies(p -> {
            assertThat(p.messageEn()).contains("not acceptable XML").contains("DOCTYPE");
            assertThat(p.messageEn()).doesNotContain("root:");
        });
    }

    @Test
    void aFileThatIsNotBpmnIsOneClearProblem() {
        assertThat(validation.validate("<definitions>")).singleElement()
                .satisfies(p -> assertThat(p.messageEn()).startsWith("The diagram is not"));
    }
}
