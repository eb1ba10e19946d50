package io.pond.engine.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pond.engine.customer.AttributeDefinition;
import io.pond.engine.customer.AttributeType;
import io.pond.engine.segment.SegmentCondition.Operator;
import org.junit.jupiter.api.Test;

class SegmentSqlTest {

    private final SegmentSql sql = new SegmentSql(List.of(
            new AttributeDefinition("city", "City", "城市", AttributeType.STRING, null),
            new AttributeDefinition("age", "Age", "年龄", AttributeType.NUMBER, null)),
            Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC), ZoneId.of("Asia/Shanghai"));

    @Test
    void aBadConditionIsRefusedWithItsPlaceInTheTree() {
        SegmentCondition definition = new SegmentCondition.All(List.of(
                new SegmentCondition.HasTag(1),
                new SegmentCondition.Any(List.of(new SegmentCondition.AttributeIs("age", Operator.GREATER_THAN, List.of("old"))))));
        assertThatThrownBy(() -> sql.compile(definition)).hasMessage("Condition 1.2.1 age must be a number, not 'old'");
        assertThatThrownBy(() -> sql.compile(new SegmentCondition.AttributeIs("shoe_size", Operator.EQUALS, List.of("42"))))
                .hasMessageContaining("'shoe_size', which is not defined");
        assertThatThrownBy(() -> sql.compile(new SegmentCondition.AttributeIs("city", Operator.LESS_THAN, List.of("A"))))
                .hasMessageContaining("LESS_THAN compares numbers or dates");
        assertThatThrownBy(() -> sql.compile(new SegmentCondition.AttributeIs("age", Operator.BETWEEN, List.of("1"))))
                .hasMessageContaining("BETWEEN takes 2 value(s), not 1");
        assertThatThrownBy(() -> sql.compile(new SegmentCondition.DidEvent("order_paid",
                SegmentCondition.DidEvent.Count.AT_LEAST, 1, 30, java.time.LocalDate.of(2026, 1, 1))))
                .hasMessageContaining("not both");
    }

    @Test
    void whatUsersTypeNeverBecomesSql() {
        SegmentSql.Compiled compiled = sql.compile(new SegmentCondition.AttributeIs("city", Operator.CONTAINS,
                List.of("x'); drop table pond_customer; --")));
        assertThat(compiled.predicate()).doesNotContain("drop");
        assertThat(compiled.parameters()).contains("%x'); drop table pond\\_customer; --%");
    }

    @Test
    void definitionsSurviveTheirJsonForm() throws Exception {
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        SegmentCondition definition = new SegmentCondition.All(List.of(
                new SegmentCondition.Not(new SegmentCondition.HasTag(7)),
                new SegmentCondition.DidEvent("order_paid", SegmentCondition.DidEvent.Count.AT_LEAST, 2, 30, null),
                new SegmentCondition.ConsentIs(io.pond.engine.customer.ConsentChannel.WECOM, true)));
        String text = json.writeValueAsString(definition);
        assertThat(text).contains("\"kind\":\"all\"", "\"kind\":\"event\"");
        assertThat(json.readValue(text, SegmentCondition.class)).isEqualTo(definition);
    }
}
