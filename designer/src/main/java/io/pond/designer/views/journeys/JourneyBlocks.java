package io.pond.designer.views.journeys;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.pond.connectors.spi.ConnectorDescriptor;
import io.pond.connectors.spi.ElementTemplates;
import io.pond.engine.connector.ConnectorRegistry;
import io.pond.engine.journey.JourneySplit;

/**
 * The journey palette: what each block is in BPMN. Built-in blocks (entry, waits, conditions, split, staff task,
 * end) and one block per installed connector, named in the user's language; the canvas creates exactly this.
 */
final class JourneyBlocks {

    /** What the canvas needs to create a block (see pond-journey-canvas.js, shapeFor). */
    record Block(String id, String group, String title, String name, String type, String eventDefinition, String className,
            String icon, String timer, String delegateExpression, Map<String, String> properties, String kind) {
    }

    /** The split of a new A/B block: half and half. */
    static final String HALF_AND_HALF = "[{\"variant\":\"A\",\"percent\":50},{\"variant\":\"B\",\"percent\":50}]";

    private JourneyBlocks() {
    }

    /** @param sop only what an SOP flow uses: staff tasks, waits and conditions */
    static List<Block> of(ConnectorRegistry registry, Locale locale, boolean sop) {
        boolean zh = Locale.CHINESE.getLanguage().equals(locale.getLanguage());
        List<Block> blocks = new ArrayList<>();
        blocks.add(builtIn("entry", "entry", zh ? "入口：客户从这里进入旅程" : "Entry: where customers enter", zh ? "入口" : "Entry",
                "bpmn:StartEvent", null, "bpmn-icon-start-event-none", null, Map.of()));
        blocks.add(builtIn("wait", "wait", zh ? "等待：一段时间、到某时刻或客户当地的下一个时间点" : "Wait: a duration, until a time, or the next local time",
                zh ? "等待 1 小时" : "Wait 1 h", "bpmn:IntermediateCatchEvent", "bpmn:TimerEventDefinition",
                "bpmn-icon-intermediate-event-catch-timer", "PT1H", Map.of()));
        if (!sop) {
            blocks.add(builtIn("wait-event", "wait", zh ? "等待事件" : "Wait for an event", zh ? "等待事件" : "Wait for event",
                    "bpmn:IntermediateCatchEvent", "bpmn:MessageEventDefinition", "bpmn-icon-intermediate-event-catch-message",
                    null, Map.of()));
            blocks.add(builtIn("timeout", "wait", zh ? "事件或超时：接事件等待与等待时间，先到先走" : "Event or timeout: follow it with a wait for an event and a wait; whichever comes first",
                    zh ? "事件或超时" : "Event or timeout", "bpmn:EventBasedGateway", null, "bpmn-icon-gateway-eventbased", null, Map.of()));
        }
        blocks.add(builtIn("condition", "decide", zh ? "条件：按规则或脚本分支" : "Condition: branch on a rule or a script",
                zh ? "条件" : "Condition", "bpmn:ExclusiveGateway", null, "bpmn-icon-gateway-xor", null, Map.of()));
        if (!sop) {
            blocks.add(builtIn("split", "decide", zh ? "A/B 分流：按比例分配客户" : "A/B split: customers by percentage",
                    "A/B", "bpmn:ExclusiveGateway", null, "bpmn-icon-gateway-complex", null,
                    Map.of(JourneySplit.SPLIT, HALF_AND_HALF)));
        }
        blocks.add(builtIn("task", "act", zh ? "员工任务：交给客户的负责人" : "Staff task: for the customer's owner",
                zh ? "员工任务" : "Staff task", "bpmn:UserTask", null, "bpmn-icon-user-task", null, Map.of()));
        blocks.add(builtIn("end", "end", zh ? "结束" : "End", zh ? "结束" : "End", "bpmn:EndEvent", null,
                "bpmn-icon-end-event-none", null, Map.of()));
        if (!sop) {
            blocks.add(builtIn("goal", "end", zh ? "目标：客户做到时（如付款）以转化结束旅程" : "Goal: when the customer does it (e.g. pays), the journey ends as a conversion",
                    zh ? "目标" : "Goal", "bpmn:SubProcess", null, "bpmn-icon-event-subprocess-expanded", null, Map.of()));
            blocks.add(builtIn("exit", "end", zh ? "退出：客户做到时（如退订）旅程结束" : "Exit: when the customer does it (e.g. unsubscribes), the journey ends",
                    zh ? "退出" : "Exit", "bpmn:SubProcess", null, "bpmn-icon-end-event-terminate", null, Map.of()));
        }
        // connectors last: the blocks every journey uses stay at the top of the palette
        if (!sop) {
            for (ConnectorDescriptor connector : registry.descriptors()) {
                Map<String, String> properties = new LinkedHashMap<>();
                properties.put(ElementTemplates.CONNECTOR_PROPERTY, connector.key());
                for (ConnectorDescriptor.InputDescriptor input : connector.inputs()) {
                    if (!input.defaultValue().isEmpty()) {
                        properties.put(ElementTemplates.INPUT_PREFIX + input.name(), input.defaultValue());
                    }
                }
                String name = zh ? connector.nameZh() : connector.nameEn();
                blocks.add(new Block("connector-" + connector.id(), "connectors", name, name, "bpmn:ServiceTask", null,
                        "bpmn-icon-service-task", ElementTemplates.icon(connector).orElse(null), null, ElementTemplates.DELEGATE, properties, "connector"));
            }
        }
        return blocks;
    }

    private static Block builtIn(String id, String group, String title, String name, String type, String eventDefinition,
            String className, String timer, Map<String, String> properties) {
        return new Block(id, group, title, name, type, eventDefinition, className, null, timer, null, properties,
                "entry".equals(id) ? "start" : id);
    }
}
