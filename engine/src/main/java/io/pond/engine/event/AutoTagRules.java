package io.pond.engine.event;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pond.engine.customer.CustomerTags;
import io.pond.engine.customer.TagSource;
import io.pond.engine.db.Jdbc;
import org.springframework.jdbc.core.JdbcTemplate;

/** "When an event of type X (with these property conditions) arrives, add or remove tag T." */
public class AutoTagRules {

    public enum Action { ADD, REMOVE }

    public record Rule(Long id, String name, String eventType, List<PropertyCondition> conditions, Action action,
            long tagId, boolean enabled) {

        public Rule {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("A rule needs a name");
            }
            if (eventType == null || !EventIngestion.EVENT_TYPE.matcher(eventType.trim()).matches()) {
                throw new IllegalArgumentException("A rule needs the event type it reacts to, e.g. contact_added");
            }
            if (action == null) {
                throw new IllegalArgumentException("A rule adds or removes a tag");
            }
            name = name.trim();
            eventType = eventType.trim();
            conditions = conditions == null ? List.of() : List.copyOf(conditions);
        }

        boolean matches(String type, JsonNode properties) {
            return enabled && eventType.equals(type) && conditions.stream().allMatch(c -> c.test(properties));
        }
    }

    private final JdbcTemplate jdbc;
    private final CustomerTags tags;
    private final ObjectMapper json;
    private final Clock clock;

    public AutoTagRules(JdbcTemplate jdbc, CustomerTags tags, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.tags = tags;
        this.json = json;
        this.clock = clock;
    }

    public List<Rule> rules() {
        return jdbc.query("select id, name, event_type, conditions, action, tag_id, enabled from pond_auto_tag_rule order by name",
                (rs, i) -> new Rule(rs.getLong(1), rs.getString(2), rs.getString(3), parse(rs.getString(4)),
                        Action.valueOf(rs.getString(5)), rs.getLong(6), rs.getBoolean(7)));
    }

    public long save(Rule rule) {
        tags.tag(rule.tagId()).orElseThrow(() -> new IllegalArgumentException("No tag " + rule.tagId()));
        String conditions = write(rule.conditions());
        if (rule.id() == null) {
            return Jdbc.insertReturningId(jdbc, "insert into pond_auto_tag_rule (name, event_type, conditions, action, tag_id,"
                            + " enabled, created_at) values (?, ?, ?, ?, ?, ?, ?)", rule.name(), rule.eventType(), conditions,
                    rule.action().name(), rule.tagId(), rule.enabled(), Timestamp.from(clock.instant()));
        }
        jdbc.update("update pond_auto_tag_rule set name = ?, event_type = ?, conditions = ?, action = ?, tag_id = ?,"
                        + " enabled = ? where id = ?", rule.name(), rule.eventType(), conditions, rule.action().name(),
                rule.tagId(), rule.enabled(), rule.id());
        return rule.id();
    }

    public void delete(long id) {
        jdbc.update("delete from pond_auto_tag_rule where id = ?", id);
    }

    /**
     * Applies the enabled rules to newly stored events, in the order given: for each customer and tag the
     * last matching event decides whether the tag is added or removed.
     */
    public void apply(List<CustomerEvent> events) {
        List<Rule> enabled = rules().stream().filter(Rule::enabled).toList();
        if (enabled.isEmpty() || events.isEmpty()) {
            return;
        }
        Map<List<Long>, Action> decisions = new LinkedHashMap<>();
        for (CustomerEvent event : events) {
            JsonNode properties = properties(event.propertiesJson());
            for (Rule rule : enabled) {
                if (rule.matches(event.type(), properties)) {
                    decisions.remove(List.of(event.customerId(), rule.tagId()));
                    decisions.put(List.of(event.customerId(), rule.tagId()), rule.action());
                }
            }
        }
        Map<Long, List<Long>> adds = new LinkedHashMap<>();
        Map<Long, List<Long>> removes = new LinkedHashMap<>();
        decisions.forEach((customerAndTag, action) -> (action == Action.ADD ? adds : removes)
                .computeIfAbsent(customerAndTag.get(1), t -> new ArrayList<>()).add(customerAndTag.get(0)));
        adds.forEach((tag, customers) -> tags.tag(customers, tag, TagSource.RULE));
        removes.forEach((tag, customers) -> tags.untag(customers, tag));
    }

    private JsonNode properties(String text) {
        try {
            return text == null ? json.createObjectNode() : json.readTree(text);
        } catch (JsonProcessingException e) {
            return json.createObjectNode();
        }
    }

    private List<PropertyCondition> parse(String text) {
        try {
            return json.readValue(text, new TypeReference<List<PropertyCondition>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored auto-tag rule has unreadable conditions: " + e.getMessage(), e);
        }
    }

    private String write(List<PropertyCondition> conditions) {
        try {
            return json.writeValueAsString(conditions);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
