package io.pond.engine.journey;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.pond.engine.segment.SegmentCondition;
import io.pond.engine.segment.SegmentSql;
import io.pond.engine.segment.Segments;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Conditions drawn with the rule builder: {@code ${pondRule.matches(execution, '{"type":"tag","tagId":3}')}}. A rule
 * is a segment definition (tags, attributes, profile, consent, event counts, membership of saved segments) asked of
 * one customer, in one query. It is data, never code: whoever may edit a journey may write one.
 */
public class JourneyRules {

    private final JdbcTemplate jdbc;
    private final Segments segments;
    private final Map<String, SegmentCondition> parsed = new ConcurrentHashMap<>();

    public JourneyRules(JdbcTemplate jdbc, Segments segments) {
        this.jdbc = jdbc;
        this.segments = segments;
    }

    private static final java.util.regex.Pattern RULE = java.util.regex.Pattern.compile(
            "\\$\\{\\s*pondRule\\.matches\\(\\s*execution\\s*,\\s*'(.*)'\\s*\\)\\s*}", java.util.regex.Pattern.DOTALL);

    /**
     * Reports each rule condition that does not compile (an unknown attribute, a malformed definition) on its flow:
     * found when validating or publishing, not when a customer reaches the gateway.
     */
    public void check(org.camunda.bpm.model.bpmn.BpmnModelInstance model, List<JourneyValidation.Problem> problems) {
        for (org.camunda.bpm.model.bpmn.instance.SequenceFlow flow
                : model.getModelElementsByType(org.camunda.bpm.model.bpmn.instance.SequenceFlow.class)) {
            if (flow.getConditionExpression() == null || flow.getConditionExpression().getLanguage() != null) {
                continue;
            }
            java.util.regex.Matcher rule = RULE.matcher(flow.getConditionExpression().getTextContent().trim());
            if (rule.matches()) {
                try {
                    segments.compile(segments.read(rule.group(1)));
                } catch (RuntimeException e) {
                    problems.add(new JourneyValidation.Problem(flow.getId(), "The condition on " + JourneyModel.nameOf(flow)
                            + " is not a valid rule: " + e.getMessage(), "连线 " + JourneyModel.nameOf(flow) + " 的规则条件无效："
                            + e.getMessage(), true));
                }
            }
        }
    }

    public boolean matches(DelegateExecution execution, String rule) {
        Object customerId = execution.getVariable(Enrollments.CUSTOMER_ID);
        if (customerId == null) {
            throw new IllegalStateException("The rule at " + execution.getCurrentActivityId() + " needs the journey's customer,"
                    + " and this instance has none");
        }
        return matches(Long.parseLong(customerId.toString()), rule);
    }

    public boolean matches(long customerId, String rule) {
        SegmentCondition condition = parsed.computeIfAbsent(rule, text -> {
            try {
                return segments.read(text);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("The rule is not readable: " + e.getMessage(), e);
            }
        });
        SegmentSql.Compiled compiled = segments.compile(condition);
        List<Object> parameters = new ArrayList<>(compiled.parameters());
        parameters.add(customerId);
        Boolean matches = jdbc.queryForObject("select count(*) > 0 from pond_customer c where " + compiled.predicate()
                + " and c.id = ? and c.merged_into is null", Boolean.class, parameters.toArray());
        return Boolean.TRUE.equals(matches);
    }
}
