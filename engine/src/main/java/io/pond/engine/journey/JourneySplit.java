package io.pond.engine.journey;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A/B splits: an exclusive gateway with {@code camunda:property name="pond.split"} holding the variants and their
 * percentages ({@code [{"variant":"A","percent":50},{"variant":"B","percent":50}]}), and on each outgoing flow
 * {@code ${pondSplit.is(execution, 'A')}}. The variant is a hash of the customer, the journey version and the
 * gateway, so a customer always gets the same one in that version; each choice is recorded for analytics.
 */
public class JourneySplit {

    public static final String SPLIT = "pond.split";

    public record Variant(String variant, int percent) {
    }

    private final JdbcTemplate jdbc;
    private final Journeys journeys;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, List<Variant>> definitions = new ConcurrentHashMap<>();
    /** journey key and version of each process definition (they never change) */
    private final Map<String, String[]> versions = new ConcurrentHashMap<>();

    public JourneySplit(JdbcTemplate jdbc, Journeys journeys, Clock clock) {
        this.jdbc = jdbc;
        this.journeys = journeys;
        this.clock = clock;
    }

    public boolean is(DelegateExecution execution, String variant) {
        return variant.equals(variantOf(execution));
    }

    /** The customer's variant at this gateway, chosen (and recorded) the first time they reach it. */
    public String variantOf(DelegateExecution execution) {
        String activityId = execution.getCurrentActivityId();
        List<Variant> variants = definitions.computeIfAbsent(execution.getProcessDefinitionId() + "/" + activityId,
                key -> variants(execution.getBpmnModelElementInstance()));
        String recorded = jdbc.query("select variant from pond_ab_assignment where process_instance_id = ? and activity_id = ?",
                rs -> rs.next() ? rs.getString(1) : null, execution.getProcessInstanceId(), activityId);
        if (recorded != null) {
            return recorded;
        }
        String customerId = String.valueOf(execution.getVariable(Enrollments.CUSTOMER_ID));
        String[] version = versions.computeIfAbsent(execution.getProcessDefinitionId(), id -> journeys.ofDefinition(id)
                .map(v -> new String[] {v.journeyKey(), Integer.toString(v.version())}).orElse(new String[] {id, "0"}));
        String journeyKey = version[0];
        int versionNumber = Integer.parseInt(version[1]);
        String chosen = choose(variants, customerId + "/" + journeyKey + "/" + versionNumber + "/" + activityId);
        // recorded in the step's transaction: a retried step records (and chooses) the same again
        jdbc.update("insert into pond_ab_assignment (process_instance_id, activity_id, journey_key, version, customer_id,"
                + " variant, assigned_at) values (?, ?, ?, ?, ?, ?, ?)", execution.getProcessInstanceId(), activityId,
                journeyKey, versionNumber, Long.parseLong(customerId), chosen, Timestamp.from(clock.instant()));
        return chosen;
    }

    /** The bucket 0..99 of the seed picks the variant whose percentage range holds it. */
    static String choose(List<Variant> variants, String seed) {
        int bucket = (int) Long.remainderUnsigned(hash(seed), 100);
        int upTo = 0;
        for (Variant variant : variants) {
            upTo += variant.percent();
            if (bucket < upTo) {
                return variant.variant();
            }
        }
        return variants.get(variants.size() - 1).variant();
    }

    static List<Variant> parse(String text, String where) {
        List<Variant> variants;
        try {
            variants = new ObjectMapper().readValue(text, new TypeReference<List<Variant>>() { });
        } catch (Exception e) {
            throw new IllegalArgumentException("The A/B split " + where + " is not readable: " + e.getMessage());
        }
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (Variant variant : variants) {
            if (variant.variant() == null || variant.variant().isBlank() || variant.percent() < 0) {
                throw new IllegalArgumentException("The A/B split " + where + " has a variant without a name or with a"
                        + " negative percentage");
            }
            if (seen.put(variant.variant(), variant.percent()) != null) {
                throw new IllegalArgumentException("The A/B split " + where + " names the variant " + variant.variant() + " twice");
            }
        }
        int total = seen.values().stream().mapToInt(Integer::intValue).sum();
        if (variants.size() < 2 || total != 100) {
            throw new IllegalArgumentException("The A/B split " + where + " needs at least two variants whose percentages add"
                    + " up to 100 (they add up to " + total + ") / A/B 分流 " + where + " 的比例之和必须为 100");
        }
        return new ArrayList<>(variants);
    }

    private List<Variant> variants(FlowElement gateway) {
        String text = gateway == null ? null : JourneyModel.property(gateway, SPLIT);
        if (text == null) {
            throw new IllegalStateException("The gateway " + (gateway == null ? "?" : gateway.getId()) + " asks for an A/B"
                    + " variant but has no " + SPLIT + " property");
        }
        return parse(text, gateway.getId());
    }

    private static long hash(String seed) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
