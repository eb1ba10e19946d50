package io.pond.engine.connector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.pond.connectors.spi.ConnectorDescriptor;
import io.pond.connectors.spi.ConnectorInputs;
import io.pond.connectors.spi.ElementTemplates;
import io.pond.connectors.spi.InputProblem;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParse;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import io.pond.engine.journey.JourneyValidation;

/**
 * Publish-time checks of connector steps: a diagram whose connector step names a connector that is not
 * installed, or gives it inputs its declaration refuses (a required input missing, a value that does not fit,
 * an unknown placeholder), is not deployed, whoever deploys it (the designer, the REST API, Camunda Modeler).
 * The message names the step and every problem, in English and Chinese.
 */
public class ConnectorStepChecks extends AbstractProcessEnginePlugin {

    private static final String DELEGATE = "${pondConnector}";

    private final Supplier<ConnectorRegistry> registry;

    public ConnectorStepChecks(Supplier<ConnectorRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        if (configuration.getCustomPreBPMNParseListeners() == null) {
            configuration.setCustomPreBPMNParseListeners(new ArrayList<>());
        }
        configuration.getCustomPreBPMNParseListeners().add(new AbstractBpmnParseListener() {
            @Override
            public void parseServiceTask(Element element, ScopeImpl scope, ActivityImpl activity) {
                check(element);
            }

            @Override
            public void parseSendTask(Element element, ScopeImpl scope, ActivityImpl activity) {
                check(element);
            }
        });
    }

    private void check(Element element) {
        String delegate = element.attributeNS(BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS, "delegateExpression");
        if (delegate == null || !DELEGATE.equals(delegate.trim())) {
            return;
        }
        Map<String, String> properties = properties(element);
        String step = element.attribute("name") == null ? element.attribute("id")
                : element.attribute("name") + " (" + element.attribute("id") + ")";
        String key = properties.get(ElementTemplates.CONNECTOR_PROPERTY);
        if (key == null || key.isBlank()) {
            throw new ProcessEngineException("The step " + step + " runs a connector but names none (camunda:property "
                    + ElementTemplates.CONNECTOR_PROPERTY + ") / 步骤 " + step + " 未指定连接器");
        }
        ConnectorDescriptor connector = registry.get().find(key.trim()).map(ConnectorRegistry.Registered::descriptor)
                .orElseThrow(() -> new ProcessEngineException("The step " + step + " uses the connector " + key
                        + ", which is not installed / 步骤 " + step + " 使用的连接器 " + key + " 未安装"));
        Map<String, String> inputs = new HashMap<>();
        properties.forEach((name, value) -> {
            if (name.startsWith(ElementTemplates.INPUT_PREFIX)) {
                inputs.put(name.substring(ElementTemplates.INPUT_PREFIX.length()), value);
            }
        });
        List<InputProblem> problems = ConnectorInputs.validate(connector.inputs(), inputs);
        if (!problems.isEmpty()) {
            throw new ProcessEngineException("The step " + step + " (" + connector.nameEn() + "): "
                    + String.join("; ", problems.stream().map(InputProblem::messageEn).toList()) + " / 步骤 " + step + "（"
                    + connector.nameZh() + "）：" + String.join("；", problems.stream().map(InputProblem::messageZh).toList()));
        }
    }

    /** The same checks on a diagram being validated: each problem on its step, for the designer to mark. */
    public static void check(BpmnModelInstance model, ConnectorRegistry registry, List<JourneyValidation.Problem> problems) {
        for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
            if (!DELEGATE.equals(task.getCamundaDelegateExpression() == null ? null : task.getCamundaDelegateExpression().trim())) {
                continue;
            }
            Map<String, String> properties = new HashMap<>();
            if (task.getExtensionElements() != null) {
                task.getExtensionElements().getElementsQuery().filterByType(CamundaProperties.class).list()
                        .forEach(group -> group.getCamundaProperties().forEach(p -> properties.put(p.getCamundaName(), p.getCamundaValue())));
            }
            String key = properties.get(ElementTemplates.CONNECTOR_PROPERTY);
            ConnectorDescriptor connector = key == null ? null
                    : registry.find(key.trim()).map(ConnectorRegistry.Registered::descriptor).orElse(null);
            if (connector == null) {
                problems.add(JourneyValidation.Problem.of(task, key == null || key.isBlank() ? "choose the connector it runs"
                        : "the connector " + key + " is not installed", key == null || key.isBlank() ? "请选择要执行的连接器"
                        : "连接器 " + key + " 未安装"));
                continue;
            }
            Map<String, String> inputs = new HashMap<>();
            properties.forEach((name, value) -> {
                if (name != null && name.startsWith(ElementTemplates.INPUT_PREFIX)) {
                    inputs.put(name.substring(ElementTemplates.INPUT_PREFIX.length()), value);
                }
            });
            for (InputProblem problem : ConnectorInputs.validate(connector.inputs(), inputs)) {
                problems.add(JourneyValidation.Problem.of(task, problem.messageEn(), problem.messageZh()));
            }
        }
    }

    private static Map<String, String> properties(Element element) {
        Map<String, String> properties = new HashMap<>();
        Element extensions = element.element("extensionElements");
        if (extensions == null) {
            return properties;
        }
        for (Element group : extensions.elementsNS(BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS, "properties")) {
            for (Element property : group.elementsNS(BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS, "property")) {
                properties.put(property.attribute("name"), property.attribute("value"));
            }
        }
        return properties;
    }
}
