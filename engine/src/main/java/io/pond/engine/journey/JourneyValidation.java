package io.pond.engine.journey;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import javax.xml.datatype.DatatypeConfigurationException;
import javax.xml.datatype.DatatypeFactory;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Activity;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.BusinessRuleTask;
import org.camunda.bpm.model.bpmn.instance.EndEvent;
import org.camunda.bpm.model.bpmn.instance.ExclusiveGateway;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.InclusiveGateway;
import org.camunda.bpm.model.bpmn.instance.IntermediateCatchEvent;
import org.camunda.bpm.model.bpmn.instance.MessageEventDefinition;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.ScriptTask;
import org.camunda.bpm.model.bpmn.instance.SendTask;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.bpmn.instance.TimerEventDefinition;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;

/**
 * What is wrong with a journey's diagram, node by node. The designer marks each problem on its node and lists it;
 * publishing refuses a diagram with any problem that would make customers fail ({@link Problem#blocking()}), the
 * rest (a node nothing leads to, a path that stops, a gateway without a default) the designer asks to fix first.
 * Pond's own checks and the ones other parts add (connector inputs, rules, scripts) all report here, so the
 * designer's "validate" and the engine's publish can never disagree.
 */
public class JourneyValidation {

    /** One problem; {@code elementId} is null when it concerns the whole diagram. */
    public record Problem(String elementId, String messageEn, String messageZh, boolean blocking) {

        public static Problem of(FlowElement element, String en, String zh) {
            return new Problem(element.getId(), "The step " + JourneyModel.nameOf(element) + ": " + en,
                    "步骤 " + JourneyModel.nameOf(element) + "：" + zh, true);
        }

        public Problem advisory() {
            return new Problem(elementId, messageEn, messageZh, false);
        }

        public String text() {
            return messageEn + " / " + messageZh;
        }
    }

    /** A check of some part of a diagram; it adds what it finds. */
    @FunctionalInterface
    public interface Check {
        void check(BpmnModelInstance model, List<Problem> problems);
    }

    private static final DatatypeFactory DURATIONS;

    static {
        try {
            DURATIONS = DatatypeFactory.newInstance();
        } catch (DatatypeConfigurationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final List<Check> checks = new CopyOnWriteArrayList<>();

    public JourneyValidation() {
        checks.add(JourneyValidation::paths);
        checks.add(JourneyValidation::gateways);
        checks.add(JourneyValidation::waits);
        checks.add(JourneyValidation::codeSteps);
    }

    public void add(Check check) {
        checks.add(check);
    }

    /** Reads and checks a diagram as the designer holds it. */
    public List<Problem> validate(String bpmn) {
        return validate(bpmn, null);
    }

    /**
     * Reads (once) and checks a diagram with its settings: an SOP flow holds staff tasks, waits and conditions only.
     * @param settings null: checked as a journey
     */
    public List<Problem> validate(String bpmn, JourneySettings settings) {
        BpmnModelInstance model;
        try {
            io.pond.engine.xml.SafeXml.parse(bpmn); // no DOCTYPE reaches Camunda's parser
        } catch (IllegalArgumentException e) {
            return List.of(new Problem(null, "The diagram is not acceptable XML: " + e.getMessage(),
                    "图不是可接受的 XML：" + e.getMessage(), true));
        }
        try {
            model = Bpmn.readModelFromStream(new ByteArrayInputStream(bpmn.getBytes(StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            return List.of(new Problem(null, "The diagram is not valid BPMN: " + rootMessage(e),
                    "图不是有效的 BPMN：" + rootMessage(e), true));
        }
        List<Problem> problems = new ArrayList<>(validate(model));
        if (settings != null && settings.sop()) {
            for (Activity step : model.getModelElementsByType(Activity.class)) {
                if (!(step instanceof org.camunda.bpm.model.bpmn.instance.UserTask) && !(step instanceof SubProcess)) {
                    problems.add(Problem.of(step, "an SOP flow holds staff tasks, waits and conditions only; journeys send",
                            "SOP 流程只包含员工任务、等待和条件；发送请在旅程中进行"));
                }
            }
        }
        return problems;
    }

    public List<Problem> validate(BpmnModelInstance model) {
        Collection<Process> processes = model.getModelElementsByType(Process.class);
        if (processes.size() != 1) {
            return List.of(new Problem(null, "A journey's diagram holds exactly one process; this one holds " + processes.size(),
                    "旅程图只能包含一个流程，此图包含 " + processes.size() + " 个", true));
        }
        List<Problem> problems = new ArrayList<>();
        for (Check check : checks) {
            try {
                check.check(model, problems);
            } catch (RuntimeException e) {
                problems.add(new Problem(null, rootMessage(e), rootMessage(e), true));
            }
        }
        return problems;
    }

    /** One message of every blocking problem, for an exception; null when there is none. */
    public static String blocking(List<Problem> problems) {
        List<Problem> blocking = problems.stream().filter(Problem::blocking).toList();
        return blocking.isEmpty() ? null : blocking.stream().map(Problem::messageEn).collect(Collectors.joining("; "))
                + " / " + blocking.stream().map(Problem::messageZh).collect(Collectors.joining("；"));
    }

    // ------------------------------------------------------------------ Pond's own checks

    /** Every node can be reached from an entry, and every path ends in an end. */
    private static void paths(BpmnModelInstance model, List<Problem> problems) {
        Collection<FlowNode> nodes = model.getModelElementsByType(FlowNode.class);
        Collection<SequenceFlow> flows = model.getModelElementsByType(SequenceFlow.class);
        if (model.getModelElementsByType(StartEvent.class).isEmpty()) {
            problems.add(new Problem(null, "The journey has no entry: add an Entry block", "旅程没有入口：请添加“入口”", true));
            return;
        }
        Set<FlowNode> reached = new HashSet<>();
        Deque<FlowNode> next = new ArrayDeque<>();
        for (StartEvent start : model.getModelElementsByType(StartEvent.class)) {
            ModelElementInstance scope = start.getParentElement();
            // entries of the process and of event sub-processes start on their own; an embedded sub-process's when it is reached
            if (scope instanceof Process || scope instanceof SubProcess sub && sub.triggeredByEvent()) {
                next.add(start);
            }
        }
        // each node's way out, read once: the walk and the dead-end check below use them
        Map<FlowNode, List<FlowNode>> onward = new HashMap<>();
        for (SequenceFlow flow : flows) {
            onward.computeIfAbsent(flow.getSource(), n -> new ArrayList<>()).add(flow.getTarget());
        }
        Map<FlowNode, List<FlowNode>> attached = new HashMap<>();
        for (BoundaryEvent boundary : model.getModelElementsByType(BoundaryEvent.class)) {
            attached.computeIfAbsent(boundary.getAttachedTo(), n -> new ArrayList<>()).add(boundary);
        }
        while (!next.isEmpty()) {
            FlowNode node = next.poll();
            if (!reached.add(node)) {
                continue;
            }
            next.addAll(onward.getOrDefault(node, List.of()));
            next.addAll(attached.getOrDefault(node, List.of()));
            if (node instanceof SubProcess sub) {
                sub.getChildElementsByType(StartEvent.class).forEach(next::add);
            }
            if (node.getParentElement() instanceof SubProcess parent) {
                next.add(parent);
            }
        }
        for (FlowNode node : nodes) {
            if (!reached.contains(node)) {
                problems.add(Problem.of(node, "nothing leads to it; connect it from an earlier step or remove it",
                        "没有任何步骤通向它；请从前面的步骤连接过来，或删除它").advisory());
            }
            boolean leaves = onward.containsKey(node);
            if (!leaves && !(node instanceof EndEvent) && !(node instanceof SubProcess sub && sub.triggeredByEvent())) {
                problems.add(Problem.of(node, "the path stops here; connect it to the next step or to an End",
                        "路径在此中断；请连接到下一步或“结束”").advisory());
            }
        }
    }

    /** A condition or split with more than one way out says which way each customer takes. */
    private static void gateways(BpmnModelInstance model, List<Problem> problems) {
        Collection<SequenceFlow> flows = model.getModelElementsByType(SequenceFlow.class);
        for (FlowNode gateway : model.getModelElementsByType(FlowNode.class)) {
            if (!(gateway instanceof ExclusiveGateway) && !(gateway instanceof InclusiveGateway)) {
                continue;
            }
            List<SequenceFlow> out = flows.stream().filter(f -> f.getSource() == gateway).toList();
            if (out.size() < 2) {
                continue;
            }
            String split = JourneyModel.property(gateway, JourneySplit.SPLIT);
            if (split != null) {
                try {
                    List<JourneySplit.Variant> variants = JourneySplit.parse(split, gateway.getId());
                    for (JourneySplit.Variant variant : variants) {
                        boolean routed = out.stream().anyMatch(f -> f.getConditionExpression() != null
                                && f.getConditionExpression().getTextContent().contains("'" + variant.variant() + "'"));
                        if (!routed) {
                            problems.add(Problem.of(gateway, "no path for variant " + variant.variant(),
                                    "变体 " + variant.variant() + " 没有对应的路径"));
                        }
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(Problem.of(gateway, e.getMessage(), "A/B 分流设置无效：" + e.getMessage()));
                }
                continue;
            }
            SequenceFlow defaultFlow = gateway instanceof ExclusiveGateway exclusive ? exclusive.getDefault()
                    : ((InclusiveGateway) gateway).getDefault();
            if (defaultFlow == null) {
                problems.add(Problem.of(gateway, "no default path: choose the path customers take when no condition holds",
                        "没有默认路径：请指定条件都不满足时客户走哪条路径").advisory());
            }
            for (SequenceFlow flow : out) {
                if (flow != defaultFlow && (flow.getConditionExpression() == null
                        || flow.getConditionExpression().getTextContent().isBlank())) {
                    problems.add(Problem.of(flow, "a path out of a condition needs a condition (or is the default)",
                            "条件分支的每条路径都需要条件（或设为默认路径）"));
                }
            }
        }
    }

    /** Timers that Camunda can read, events with a type. */
    private static void waits(BpmnModelInstance model, List<Problem> problems) {
        for (TimerEventDefinition timer : model.getModelElementsByType(TimerEventDefinition.class)) {
            FlowElement event = (FlowElement) timer.getParentElement();
            String problem = timerProblem(timer);
            if (problem != null) {
                problems.add(Problem.of(event, problem, "等待时间无效：" + problem));
            }
        }
        for (MessageEventDefinition message : model.getModelElementsByType(MessageEventDefinition.class)) {
            FlowElement event = (FlowElement) message.getParentElement();
            if (message.getMessage() == null || message.getMessage().getName() == null || message.getMessage().getName().isBlank()) {
                problems.add(Problem.of(event, "choose the event type it waits for", "请选择要等待的事件类型"));
            }
            if (event instanceof IntermediateCatchEvent) {
                try {
                    JourneyModel.conditions(event);
                } catch (IllegalArgumentException e) {
                    problems.add(Problem.of(event, e.getMessage(), "事件条件无法读取"));
                }
            }
        }
    }

    static String timerProblem(TimerEventDefinition timer) {
        String duration = text(timer.getTimeDuration());
        String date = text(timer.getTimeDate());
        String cycle = text(timer.getTimeCycle());
        int given = (duration == null ? 0 : 1) + (date == null ? 0 : 1) + (cycle == null ? 0 : 1);
        if (given != 1) {
            return given == 0 ? "say how long to wait or until when" : "give one of a duration, a date or a cycle";
        }
        String value = duration != null ? duration : date != null ? date : cycle;
        if (value.contains("${") || value.contains("#{") || cycle != null) {
            return null;  // an expression (next local time, a date from the event) is read when a customer arrives
        }
        if (duration != null) {
            try {
                DURATIONS.newDuration(value);
                return null;
            } catch (IllegalArgumentException e) {
                return "'" + value + "' is not a duration such as PT2H or P3D";
            }
        }
        try {
            OffsetDateTime.parse(value);
            return null;
        } catch (RuntimeException e) {
            try {
                LocalDateTime.parse(value);
                return null;
            } catch (RuntimeException again) {
                return "'" + value + "' is not a date and time such as 2026-12-24T09:00:00+08:00";
            }
        }
    }

    /** Steps that run code instead of a connector send without Pond's consent, quiet-hour and frequency checks. */
    private static void codeSteps(BpmnModelInstance model, List<Problem> problems) {
        List<Activity> code = new ArrayList<>();
        for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
            if (!"${pondConnector}".equals(JourneyModel.trim(task.getCamundaDelegateExpression()))) {
                code.add(task);
            }
        }
        code.addAll(model.getModelElementsByType(SendTask.class));
        code.addAll(model.getModelElementsByType(ScriptTask.class));
        code.addAll(model.getModelElementsByType(BusinessRuleTask.class));
        for (Activity step : code) {
            problems.add(Problem.of(step, "it does not run through a Pond connector, so nothing it sends is checked for consent,"
                    + " quiet hours or frequency; use a connector block", "未通过 Pond 连接器执行，发送内容不经过授权、免打扰和频次检查；请使用连接器模块").advisory());
        }
    }

    private static String text(ModelElementInstance expression) {
        return expression == null || expression.getTextContent() == null || expression.getTextContent().isBlank() ? null
                : expression.getTextContent().trim();
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
