package io.pond.engine.journey;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pond.engine.customer.ConsentChannel;
import io.pond.engine.event.CustomerEvent;
import io.pond.engine.event.CustomerEventListener;
import io.pond.engine.event.PropertyCondition;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What a customer's event does to journeys, in this order: it ends the journeys whose goal (a conversion) or
 * exit it is; it moves on the customer where they wait for it (its type, and the wait's conditions on its
 * properties); and it enters the customer into the live journeys that start on it. Runs in the outbox relay's
 * transaction, so an event is applied once with everything it causes, or not at all and delivered again.
 */
public class JourneyEvents implements CustomerEventListener {

    private static final long LIVE_CACHE_NANOS = 2_000_000_000L;
    private static final Set<String> RESERVED = Set.of(Enrollments.CUSTOMER_ID);

    private final JdbcTemplate jdbc;
    private final Journeys journeys;
    private final Enrollments enrollments;
    private final RuntimeService runtimeService;
    private final RepositoryService repositoryService;
    private final ObjectMapper json;
    private final CommandExecutor commands;
    private final Map<String, Journeys.Version> versions = new ConcurrentHashMap<>();
    private final Map<String, List<PropertyCondition>> waitConditions = new ConcurrentHashMap<>();
    private volatile List<Journeys.Version> live;
    private volatile long liveLoadedAt;

    public JourneyEvents(JdbcTemplate jdbc, Journeys journeys, Enrollments enrollments, RuntimeService runtimeService,
            RepositoryService repositoryService, ObjectMapper json, CommandExecutor commands) {
        this.jdbc = jdbc;
        this.journeys = journeys;
        this.enrollments = enrollments;
        this.runtimeService = runtimeService;
        this.repositoryService = repositoryService;
        this.json = json;
        this.commands = commands;
        journeys.onChange(() -> live = null);
    }

    /** A batch in one engine command: the waits it moves on and the entries it makes are written in one flush. */
    @Override
    public void onEvents(List<CustomerEvent> events) {
        commands.execute(commandContext -> {
            events.forEach(this::onEvent);
            return null;
        });
    }

    @Override
    public void onEvent(CustomerEvent event) {
        JsonNode properties = properties(event);
        // read once: the goal and exit checks and the early-event check use the same list
        List<Enrollments.Enrollment> active = enrollments.active(event.customerId());
        Set<String> ended = endJourneys(event, properties, active);
        moveOnWaiting(event, properties, ended, active);
        enter(event, properties);
    }

    /** An opt-out ends every marketing journey of the customer at once; service journeys (order notices) go on. */
    public void optedOut(long customerId, ConsentChannel channel) {
        for (Enrollments.Enrollment enrollment : enrollments.active(customerId)) {
            if (!version(enrollment).settings().service()) {
                enrollments.end(enrollment, Enrollments.EndReason.OPT_OUT, "opted out of " + channel);
            }
        }
    }

    /** Ends the journeys whose goal or exit the event is; returns their instances. */
    private Set<String> endJourneys(CustomerEvent event, JsonNode properties, List<Enrollments.Enrollment> active) {
        Set<String> ended = new HashSet<>();
        for (Enrollments.Enrollment enrollment : active) {
            JourneySettings settings = version(enrollment).settings();
            boolean goal = settings.goal() != null && settings.goal().matches(event.type(), properties);
            if (goal || settings.exits().stream().anyMatch(exit -> exit.matches(event.type(), properties))) {
                enrollments.end(enrollment, goal ? Enrollments.EndReason.GOAL : Enrollments.EndReason.EXIT,
                        event.type() + " " + event.eventId());
                ended.add(enrollment.processInstanceId());
            }
        }
        return ended;
    }

    /** @param ended instances this event just ended: still in the tables until the command ends, but gone */
    private void moveOnWaiting(CustomerEvent event, JsonNode properties, Set<String> ended,
            List<Enrollments.Enrollment> active) {
        // from the customer's instances (business key) through their executions to the subscriptions: indexed all the
        // way, however many others wait for the same event type
        List<Map<String, Object>> waiting = jdbc.queryForList("select s.execution_id_, s.activity_id_, pi.proc_def_id_, pi.id_"
                + " from act_ru_execution pi join act_ru_execution e on e.proc_inst_id_ = pi.id_"
                + " join act_ru_event_subscr s on s.execution_id_ = e.id_"
                + " where pi.business_key_ = ? and pi.parent_id_ is null and pi.suspension_state_ = 1"
                + " and s.event_type_ = 'message' and s.event_name_ = ? order by s.created_",
                Long.toString(event.customerId()), event.type());
        Set<String> movedOn = new HashSet<>();
        Set<String> awaiting = new HashSet<>();
        for (Map<String, Object> subscription : waiting) {
            awaiting.add((String) subscription.get("id_"));
            String executionId = (String) subscription.get("execution_id_");
            if (movedOn.contains(executionId) || ended.contains((String) subscription.get("id_"))) {
                continue;
            }
            List<PropertyCondition> conditions = waitConditions((String) subscription.get("proc_def_id_"),
                    (String) subscription.get("activity_id_"));
            if (conditions.stream().allMatch(condition -> condition.test(properties))) {
                runtimeService.messageEventReceived(event.type(), executionId, variables(properties));
                movedOn.add(executionId);
            }
        }
        notYetWaiting(event, active, ended, awaiting);
    }

    /**
     * A customer whose journey waits for this event further on, and who is on the way there right now (a step of
     * theirs is due to run), gets the event a little later instead of never: the relay delivers it again.
     */
    private void notYetWaiting(CustomerEvent event, List<Enrollments.Enrollment> active, Set<String> ended,
            Set<String> awaiting) {
        for (Enrollments.Enrollment enrollment : active) {
            String instance = enrollment.processInstanceId();
            if (instance == null || ended.contains(instance) || awaiting.contains(instance)
                    || !awaits(version(enrollment).processDefinitionId(), event.type())) {
                continue;
            }
            Integer dueSteps = jdbc.queryForObject("select count(*) from act_ru_job where process_instance_id_ = ? and retries_ > 0"
                    + " and (duedate_ is null or duedate_ <= ?)", Integer.class, instance,
                    new java.sql.Timestamp(org.camunda.bpm.engine.impl.util.ClockUtil.getCurrentTime().getTime()));
            if (dueSteps != null && dueSteps > 0) {
                throw new io.pond.engine.event.CustomerEventListener.NotYet("customer " + event.customerId() + " is on the way"
                        + " to a wait for " + event.type() + " in " + enrollment.journeyKey());
            }
        }
    }

    /** Whether the definition has a wait (a catch event, or one on a step) for this event type. */
    private boolean awaits(String processDefinitionId, String eventType) {
        return awaited.computeIfAbsent(processDefinitionId, id -> {
            Set<String> types = new HashSet<>();
            var model = repositoryService.getBpmnModelInstance(id);
            for (org.camunda.bpm.model.bpmn.instance.MessageEventDefinition message
                    : model.getModelElementsByType(org.camunda.bpm.model.bpmn.instance.MessageEventDefinition.class)) {
                boolean waits = message.getParentElement() instanceof org.camunda.bpm.model.bpmn.instance.IntermediateCatchEvent
                        || message.getParentElement() instanceof org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
                if (waits && message.getMessage() != null && message.getMessage().getName() != null) {
                    types.add(message.getMessage().getName());
                }
            }
            return Set.copyOf(types);
        }).contains(eventType);
    }

    private void enter(CustomerEvent event, JsonNode properties) {
        for (Journeys.Version version : live()) {
            JourneySettings.Entry entry = version.settings().entry();
            if (entry.type() == JourneySettings.EntryType.EVENT && entry.event().matches(event.type(), properties)) {
                try {
                    enrollments.enroll(version.journeyKey(), event.customerId(), Enrollments.Source.EVENT, variables(properties));
                } catch (Enrollments.NotTakingIn paused) {
                    // paused or archived since the list was read: it takes nobody in
                }
            }
        }
    }

    /** The event types each process definition waits for (definitions never change). */
    private final Map<String, Set<String>> awaited = new java.util.concurrent.ConcurrentHashMap<>();

    private List<Journeys.Version> live() {
        List<Journeys.Version> current = live;
        if (current == null || System.nanoTime() - liveLoadedAt > LIVE_CACHE_NANOS) {
            current = journeys.live();
            live = current;
            liveLoadedAt = System.nanoTime();
        }
        return current;
    }

    private Journeys.Version version(Enrollments.Enrollment enrollment) {
        return versions.computeIfAbsent(enrollment.journeyKey() + "/" + enrollment.version(),
                key -> journeys.version(enrollment.journeyKey(), enrollment.version()).orElseThrow());
    }

    private List<PropertyCondition> waitConditions(String processDefinitionId, String activityId) {
        return waitConditions.computeIfAbsent(processDefinitionId + "/" + activityId, key -> {
            BaseElement wait = repositoryService.getBpmnModelInstance(processDefinitionId).getModelElementById(activityId);
            return wait == null ? List.of() : JourneyModel.conditions(wait);
        });
    }

    /** The event's top-level values, as variables the journey's later steps can use ({{amount}}, a condition). */
    static Map<String, Object> variables(JsonNode properties) {
        Map<String, Object> variables = new HashMap<>();
        properties.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (RESERVED.contains(field.getKey()) || !value.isValueNode() || value.isNull()) {
                return;
            }
            variables.put(field.getKey(), value.isIntegralNumber() && value.canConvertToLong() ? (Object) value.longValue()
                    : value.isNumber() ? (Object) value.doubleValue() : value.isBoolean() ? (Object) value.booleanValue()
                    : value.asText());
        });
        return variables;
    }

    private JsonNode properties(CustomerEvent event) {
        try {
            JsonNode node = event.propertiesJson() == null ? null : json.readTree(event.propertiesJson());
            return node == null || !node.isObject() ? json.createObjectNode() : node;
        } catch (JsonProcessingException e) {
            return json.createObjectNode();
        }
    }
}
