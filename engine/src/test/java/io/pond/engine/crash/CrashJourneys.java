package io.pond.engine.crash;

import java.util.List;
import java.util.Set;

import io.pond.connectors.spi.ElementTemplates;
import io.pond.engine.customer.ConsentChannel;
import io.pond.engine.customer.Consents;
import io.pond.engine.customer.CustomerDirectory;
import io.pond.engine.customer.Identity;
import io.pond.engine.customer.IdentityType;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * The application side of {@link CrashIT}, active in the Pond it starts in a JVM of its own
 * ({@code pond.test.crash.customers} set): the first start creates the customers and starts one journey
 * each, whose connector step sends a WeCom message and whose next step, in the same engine transaction,
 * holds the transaction open (while {@code pond.test.crash.hold} is true) until the JVM is killed.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("pond.test.crash.customers")
class CrashJourneys {

    static final String PROCESS = "crashJourney";

    /** Between the send and the engine's commit. */
    @Bean
    JavaDelegate crashPoint(@Value("${pond.test.crash.hold:false}") boolean hold) {
        return execution -> {
            while (hold) {
                Thread.sleep(60_000);
            }
        };
    }

    @EventListener(ApplicationReadyEvent.class)
    void startJourneys(ApplicationReadyEvent ready) {
        var context = ready.getApplicationContext();
        int customers = context.getEnvironment().getRequiredProperty("pond.test.crash.customers", Integer.class);
        RepositoryService repository = context.getBean(RepositoryService.class);
        if (repository.createProcessDefinitionQuery().processDefinitionKey(PROCESS).count() > 0) {
            return; // the restart: the journeys are running already
        }
        CustomerDirectory directory = context.getBean(CustomerDirectory.class);
        Consents consents = context.getBean(Consents.class);
        repository.createDeployment().addString(PROCESS + ".bpmn", """
                <?xml version="1.0" encoding="UTF-8"?>
                <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="crashDefinitions" targetNamespace="https://pond.io/test">
                  <bpmn:process id="%s" isExecutable="true">
                    <bpmn:startEvent id="start"/>
                    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="send"/>
                    <bpmn:serviceTask id="send" camunda:asyncBefore="true" camunda:delegateExpression="${pondConnector}">
                      <bpmn:extensionElements><camunda:properties>
                        <camunda:property name="%s" value="wecom.mass-message.send:1"/>
                        <camunda:property name="%stext" value="Hello ${customer.name}, once"/>
                      </camunda:properties></bpmn:extensionElements>
                    </bpmn:serviceTask>
                    <bpmn:sequenceFlow id="f2" sourceRef="send" targetRef="hold"/>
                    <bpmn:serviceTask id="hold" camunda:delegateExpression="${crashPoint}"/>
                    <bpmn:sequenceFlow id="f3" sourceRef="hold" targetRef="done"/>
                    <bpmn:endEvent id="done"/>
                  </bpmn:process>
                </bpmn:definitions>
                """.formatted(PROCESS, ElementTemplates.CONNECTOR_PROPERTY, ElementTemplates.INPUT_PREFIX)).deploy();
        RuntimeService runtime = context.getBean(RuntimeService.class);
        for (int i = 1; i <= customers; i++) {
            long customer = directory.resolve(List.of(Set.of(new Identity(IdentityType.WECOM_EXTERNAL_USERID,
                    "wmCRASH" + i))), List.of("crash test"))[0];
            directory.updateProfiles(List.of(customer), List.of(new CustomerDirectory.ProfilePatch("Crash " + i, null, null,
                    null, null, "zhangsan")));
            consents.grant(customer, ConsentChannel.WECOM, "crash test", "test");
            runtime.startProcessInstanceByKey(PROCESS, Long.toString(customer));
        }
    }
}
