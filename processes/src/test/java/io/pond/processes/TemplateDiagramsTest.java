package io.pond.processes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.bpmn.instance.dc.Bounds;
import org.camunda.bpm.model.bpmn.instance.di.Waypoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A template is the first diagram many users open: no two of its nodes lie on each other (a boundary event on its step
 * aside), and no flow runs through a node it does not start or end at.
 */
class TemplateDiagramsTest {

    static List<JourneyTemplates.Template> templates() {
        return JourneyTemplates.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void nodesAndFlowsAreDrawnApart(JourneyTemplates.Template template) {
        BpmnModelInstance model = Bpmn.readModelFromStream(
                new ByteArrayInputStream(template.bpmn().getBytes(StandardCharsets.UTF_8)));
        List<BpmnShape> shapes = List.copyOf(model.getModelElementsByType(BpmnShape.class));
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            for (BpmnShape other : shapes.subList(i + 1, shapes.size())) {
                BpmnShape shape = shapes.get(i);
                if (!onItsStep(shape, other) && overlap(shape.getBounds(), other.getBounds())) {
                    problems.add(id(shape) + " lies on " + id(other));
                }
            }
        }
        for (BpmnEdge edge : model.getModelElementsByType(BpmnEdge.class)) {
            SequenceFlow flow = (SequenceFlow) edge.getBpmnElement();
            List<Waypoint> points = List.copyOf(edge.getWaypoints());
            for (BpmnShape shape : shapes) {
                BaseElement node = shape.getBpmnElement();
                if (node == flow.getSource() || node == flow.getTarget()
                        || node instanceof BoundaryEvent boundary && (boundary.getAttachedTo() == flow.getSource()
                        || boundary.getAttachedTo() == flow.getTarget())
                        || flow.getSource() instanceof BoundaryEvent start && start.getAttachedTo() == node) {
                    continue;
                }
                for (int p = 0; p + 1 < points.size(); p++) {
                    if (crosses(points.get(p), points.get(p + 1), shape.getBounds())) {
                        problems.add("flow " + flow.getId() + " runs through " + id(shape));
                        break;
                    }
                }
            }
        }
        assertThat(problems).as(template.key()).isEmpty();
    }

    private static boolean onItsStep(BpmnShape a, BpmnShape b) {
        return a.getBpmnElement() instanceof BoundaryEvent event && event.getAttachedTo() == b.getBpmnElement()
                || b.getBpmnElement() instanceof BoundaryEvent event2 && event2.getAttachedTo() == a.getBpmnElement();
    }

    private static boolean overlap(Bounds a, Bounds b) {
        return a.getX() < b.getX() + b.getWidth() && b.getX() < a.getX() + a.getWidth()
                && a.getY() < b.getY() + b.getHeight() && b.getY() < a.getY() + a.getHeight();
    }

    /** Whether the segment passes inside the shape (more than 2 px in from its border), looked at every pixel. */
    private static boolean crosses(Waypoint from, Waypoint to, Bounds shape) {
        double length = Math.hypot(to.getX() - from.getX(), to.getY() - from.getY());
        for (double step = 0; step <= length; step++) {
            double x = from.getX() + (to.getX() - from.getX()) * step / length;
            double y = from.getY() + (to.getY() - from.getY()) * step / length;
            if (x > shape.getX() + 2 && x < shape.getX() + shape.getWidth() - 2 && y > shape.getY() + 2
                    && y < shape.getY() + shape.getHeight() - 2) {
                return true;
            }
        }
        return false;
    }

    private static String id(BpmnShape shape) {
        return shape.getBpmnElement().getId();
    }
}
