package io.pond.engine.journey;

import java.util.ArrayList;
import java.util.function.Supplier;

import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.util.xml.Element;

/**
 * Ties the engine to Pond's enrolments: whenever a journey instance ends (its last step, a goal, an exit,
 * deletion, archiving) its enrolment is closed in the same transaction. A built-in listener, so it runs even
 * when instances are deleted skipping custom listeners.
 */
public class JourneyRuntime extends AbstractProcessEnginePlugin {

    private final Supplier<Enrollments> enrollments;

    public JourneyRuntime(Supplier<Enrollments> enrollments) {
        this.enrollments = enrollments;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        if (configuration.getCustomPostBPMNParseListeners() == null) {
            configuration.setCustomPostBPMNParseListeners(new ArrayList<>());
        }
        configuration.getCustomPostBPMNParseListeners().add(new AbstractBpmnParseListener() {
            @Override
            public void parseProcess(Element processElement, ProcessDefinitionEntity processDefinition) {
                processDefinition.addBuiltInListener(ExecutionListener.EVENTNAME_END,
                        (ExecutionListener) execution -> {
                            if (execution.getId().equals(execution.getProcessInstanceId())) {
                                enrollments.get().ended(execution.getProcessInstanceId());
                            }
                        });
            }
        });
    }
}
