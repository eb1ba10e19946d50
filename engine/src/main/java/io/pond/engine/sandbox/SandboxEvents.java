package io.pond.engine.sandbox;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pond.engine.customer.Customer;
import io.pond.engine.customer.CustomerDirectory;
import io.pond.engine.customer.Identity;
import io.pond.engine.customer.IdentityType;
import io.pond.engine.event.EventIngestion;
import io.pond.engine.journey.EventRule;
import io.pond.engine.journey.Journeys;
import io.pond.engine.journey.JourneySettings;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.model.bpmn.instance.Message;

/**
 * The sandbox's customer doing something (adding to the cart, paying, opening a quote): an event of theirs, taken in
 * exactly as the event API takes one from a shop or mini-program, so a journey that enters, waits or ends on it
 * behaves as it will in production.
 */
public class SandboxEvents {

    private final CustomerDirectory directory;
    private final EventIngestion ingestion;
    private final Journeys journeys;
    private final RepositoryService repositoryService;
    private final ObjectMapper json;
    private final Clock clock;

    public SandboxEvents(CustomerDirectory directory, EventIngestion ingestion, Journeys journeys,
            RepositoryService repositoryService, ObjectMapper json, Clock clock) {
        this.directory = directory;
        this.ingestion = ingestion;
        this.journeys = journeys;
        this.repositoryService = repositoryService;
        this.json = json;
        this.clock = clock;
    }

    /** What {@link #send} took in: the event, for the customer it now belongs to (a merged customer's survivor). */
    public record Sent(String eventId, long customerId) {
    }

    /** Why an event was not sent, so a form can put the message on the field that is wrong. */
    public enum Reason {
        NO_CUSTOMER, NO_IDENTITY, NOT_JSON, NOT_AN_OBJECT, BAD_TYPE, REFUSED
    }

    /** An event {@link #send} did not send; nothing was stored. */
    public static final class Refused extends IllegalArgumentException {
        private final Reason reason;
        private final String detail;

        Refused(Reason reason, String message) {
            this(reason, message, null);
        }

        Refused(Reason reason, String message, String detail) {
            super(message);
            this.reason = reason;
            this.detail = detail;
        }

        public Reason reason() {
            return reason;
        }

        /** What the JSON parser said of properties that are not JSON ("Unrecognized token 'tea'…"); null otherwise. */
        public String detail() {
            return detail;
        }
    }

    /**
     * Sends an event of the customer's, identified by one of their identities as a real sender would.
     *
     * @param properties a JSON object, or blank for none
     * @throws Refused saying what is wrong: no such customer, properties that are not a JSON object, or what the event
     *         API refuses (the type's form, ...)
     */
    public Sent send(long customerId, String type, String properties) {
        // a merged customer's id leads to the profile that holds their identities now
        long current = directory.find(customerId).map(Customer::id)
                .orElseThrow(() -> new Refused(Reason.NO_CUSTOMER, "There is no customer " + customerId + "."));
        Identity identity = directory.identities(current).stream().findFirst().orElseThrow(() -> new Refused(Reason.NO_IDENTITY,
                "Customer " + current + " has no identity (phone, WeCom, member id, ...) that an event could name."));
        ObjectNode event = json.createObjectNode();
        String eventId = "sandbox-" + UUID.randomUUID();
        event.put("eventId", eventId).put("type", type == null ? "" : type.trim())
                .put("occurredAt", clock.instant().toString());
        event.putObject("customer").put(identity.type().key(), identity.value());
        event.set("properties", properties(properties));
        EventIngestion.Result result = ingestion.ingest(event);
        if (!result.rejected().isEmpty()) {
            List<EventIngestion.FieldError> errors = result.rejected().get(0).errors();
            throw new Refused(errors.stream().allMatch(error -> error.field().equals("type")) ? Reason.BAD_TYPE : Reason.REFUSED,
                    errors.stream().map(error -> error.field() + " " + error.message()).collect(Collectors.joining("; ")));
        }
        return new Sent(eventId, current);
    }

    /** The customer who added a staff member on WeCom with this external_userid (the sandbox's scan), if known yet. */
    public Optional<Long> customerOnWeCom(String externalUserid) {
        return directory.findByIdentity(Identity.of(IdentityType.WECOM_EXTERNAL_USERID, externalUserid));
    }

    /** The event types the live journeys enter, wait, convert or end on: what is worth sending. */
    public List<String> eventTypesInUse() {
        Set<String> types = new TreeSet<>();
        for (Journeys.Version version : journeys.live()) {
            JourneySettings settings = version.settings();
            if (settings.entry().event() != null) {
                types.add(settings.entry().event().eventType());
            }
            if (settings.goal() != null) {
                types.add(settings.goal().eventType());
            }
            settings.exits().stream().map(EventRule::eventType).forEach(types::add);
            repositoryService.getBpmnModelInstance(version.processDefinitionId()).getModelElementsByType(Message.class)
                    .stream().map(Message::getName).filter(name -> name != null && !name.isBlank()).forEach(types::add);
        }
        return List.copyOf(types);
    }

    private JsonNode properties(String text) {
        if (text == null || text.isBlank()) {
            return json.createObjectNode();
        }
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Refused(Reason.NOT_JSON, "The properties are not JSON (" + e.getOriginalMessage()
                    + "); write an object, e.g. {\"product\": \"product-a\"}.", e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new Refused(Reason.NOT_AN_OBJECT, "The properties must be a JSON object, e.g. {\"product\": \"product-a\"}.");
        }
        return node;
    }
}
