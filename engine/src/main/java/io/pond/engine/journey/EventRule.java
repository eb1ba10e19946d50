package io.pond.engine.journey;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.pond.engine.event.EventIngestion;
import io.pond.engine.event.PropertyCondition;

/** An event type and conditions on its properties: {@code contact_added} with {@code state = store-12}. */
public record EventRule(String eventType, List<PropertyCondition> conditions) {

    public EventRule {
        if (eventType == null || !EventIngestion.EVENT_TYPE.matcher(eventType.trim()).matches()) {
            throw new IllegalArgumentException("'" + eventType + "' is not an event type (lower case, digits, _ . -)");
        }
        eventType = eventType.trim();
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    public boolean matches(String type, JsonNode properties) {
        return eventType.equals(type) && conditions.stream().allMatch(condition -> condition.test(properties));
    }
}
