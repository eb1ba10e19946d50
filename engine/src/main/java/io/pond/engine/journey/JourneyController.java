package io.pond.engine.journey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pond.engine.customer.CustomerDirectory;
import io.pond.engine.customer.Identity;
import io.pond.engine.customer.IdentityType;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/journeys/{key}/enrollments}: enters customers into a published journey, by Pond id or by an
 * identity ({@code {"customers": [{"id": 42}, {"phone": "13800000000"}], "variables": {"campaign": "11.11"}}}), at
 * most 1,000 per call, and says for each what happened. {@code GET /api/v1/journeys/{key}/stats}: per-node figures.
 */
@RestController
public class JourneyController {

    static final int MAX_CUSTOMERS = 1000;

    private final Enrollments enrollments;
    private final Journeys journeys;
    private final JourneyStats stats;
    private final CustomerDirectory directory;

    public JourneyController(Enrollments enrollments, Journeys journeys, JourneyStats stats, CustomerDirectory directory) {
        this.enrollments = enrollments;
        this.journeys = journeys;
        this.stats = stats;
        this.directory = directory;
    }

    public record EnrollmentRequest(List<Map<String, Object>> customers, Map<String, Object> variables) {
    }

    @PostMapping(path = "/api/v1/journeys/{key}/enrollments", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> enroll(@PathVariable String key, @RequestBody EnrollmentRequest request) {
        journeys.require(key);
        if (request.customers() == null || request.customers().isEmpty()) {
            throw new IllegalArgumentException("customers is required: a list like [{\"id\": 42}] or [{\"phone\": \"13800000000\"}]");
        }
        if (request.customers().size() > MAX_CUSTOMERS) {
            throw new IllegalArgumentException("customers holds " + request.customers().size() + " entries; at most "
                    + MAX_CUSTOMERS + " per call");
        }
        List<Long> ids = new ArrayList<>();
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < request.customers().size(); i++) {
            Long id = customerId(request.customers().get(i), i);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("index", i);
            result.put("customerId", id);
            if (id == null) {
                result.put("outcome", Enrollments.Outcome.UNKNOWN_CUSTOMER.name());
            } else {
                ids.add(id);
            }
            results.add(result);
        }
        Map<Long, Enrollments.Outcome> outcomes = ids.isEmpty() ? Map.of()
                : enrollments.enroll(key, ids, Enrollments.Source.API, plainVariables(request.variables()));
        for (Map<String, Object> result : results) {
            if (result.get("customerId") != null) {
                result.put("outcome", outcomes.get((Long) result.get("customerId")).name());
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("journey", key);
        // a customer listed twice is enrolled (and counted) once
        body.put("enrolled", outcomes.values().stream().filter(o -> o == Enrollments.Outcome.ENROLLED).count());
        body.put("results", results);
        return body;
    }

    @GetMapping(path = "/api/v1/journeys/{key}/stats", produces = MediaType.APPLICATION_JSON_VALUE)
    public JourneyStats.VersionStats stats(@PathVariable String key, @RequestParam(required = false) Integer version) {
        Journeys.Journey journey = journeys.require(key);
        Integer which = version != null ? version : journey.publishedVersion();
        if (which == null) {
            throw new IllegalArgumentException("The journey " + key + " has not been published");
        }
        return stats.of(key, which);
    }

    /** A journey that takes nobody in (a draft, paused, archived). */
    @ExceptionHandler(Enrollments.NotTakingIn.class)
    ResponseEntity<Map<String, Object>> notTakingIn(Enrollments.NotTakingIn e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage()));
    }

    private Long customerId(Map<String, Object> customer, int index) {
        if (customer == null || customer.isEmpty()) {
            throw new IllegalArgumentException("customers[" + index + "] is empty: give an id or an identity");
        }
        if (customer.containsKey("id")) {
            Object id = customer.get("id");
            try {
                long value = Long.parseLong(String.valueOf(id));
                // a merged profile's id still reaches the person, through the profile it was merged into
                return directory.find(value).map(c -> c.mergedInto() == null ? c.id() : c.mergedInto()).orElse(null);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("customers[" + index + "].id is not a number: " + id);
            }
        }
        for (Map.Entry<String, Object> entry : customer.entrySet()) {
            IdentityType type = IdentityType.ofKey(entry.getKey()).orElseThrow(() -> new IllegalArgumentException(
                    "customers[" + index + "]." + entry.getKey() + " is neither id nor an identity type"));
            Identity identity;
            try {
                identity = Identity.of(type, String.valueOf(entry.getValue()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("customers[" + index + "]." + entry.getKey() + " " + e.getMessage());
            }
            var found = directory.findByIdentity(identity);
            if (found.isPresent()) {
                return found.get();
            }
        }
        return null;
    }

    /** Variables a journey keeps: plain values only (text, numbers, true/false). */
    private static Map<String, Object> plainVariables(Map<String, Object> variables) {
        if (variables == null) {
            return Map.of();
        }
        variables.forEach((name, value) -> {
            if (value != null && !(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                throw new IllegalArgumentException("variables." + name + " must be text, a number or true/false");
            }
            if (Enrollments.CUSTOMER_ID.equals(name)) {
                throw new IllegalArgumentException("variables." + name + " is set by Pond");
            }
        });
        return variables;
    }
}
