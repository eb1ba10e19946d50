package io.pond.engine.connector;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pond.connectors.spi.BusinessConnectorException;
import io.pond.connectors.spi.Connector;
import io.pond.connectors.spi.ConnectorContext;
import io.pond.connectors.spi.ConnectorDescriptor;
import io.pond.connectors.spi.ConnectorException;
import io.pond.connectors.spi.ConnectorInputs;
import io.pond.connectors.spi.ElementTemplates;
import io.pond.connectors.spi.Reconcilable;
import io.pond.connectors.spi.RetryableConnectorException;
import io.pond.engine.customer.Customer;
import io.pond.engine.customer.CustomerAttributes;
import io.pond.engine.customer.CustomerDirectory;
import io.pond.engine.customer.Identity;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.model.bpmn.instance.ExtensionElements;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;

/**
 * Runs every connector step ({@code camunda:delegateExpression="${pondConnector}"}): reads the step's
 * properties, finds the customer, checks the send policy, and calls the connector at most once per step
 * (see {@link Deliveries}); an attempt that ended without an answer is settled by asking the remote side
 * ({@link Reconcilable}) or by an operator, never by calling blindly again. Retryable failures go back to the job executor, business failures become BPMN
 * errors the journey can catch, blocked sends BPMN errors named after the rule that blocked them.
 */
public class ConnectorStep implements JavaDelegate {

    /** The BPMN error of a step whose inputs do not fit this customer's data. */
    public static final String INPUT_INVALID = "POND_INPUT_INVALID";

    private final ConnectorRegistry registry;
    private final ConnectorSettings settings;
    private final Deliveries deliveries;
    private final SendPolicy policy;
    private final CustomerDirectory directory;
    private final CustomerAttributes attributes;
    private final ObjectMapper json;
    private final Clock clock;
    private final Timing timing;
    private final Map<String, StepDefinition> definitions = new ConcurrentHashMap<>();

    /** How far before an unanswered attempt's last change its call may have gone out (request timeout, with room). */
    private static final Duration WINDOW_BEFORE = Duration.ofMinutes(5);
    /** Clocks of Pond and the remote side differ a little. */
    private static final Duration SKEW = Duration.ofMinutes(1);

    /**
     * When an earlier attempt without an answer is looked into.
     *
     * @param reconcileAfter how long after an AMBIGUOUS attempt the remote side is first asked (it may list a new task late)
     * @param inFlightLimit  how long an IN_FLIGHT attempt may still be running elsewhere: the job lock time
     */
    public record Timing(Duration reconcileAfter, Duration inFlightLimit) {
    }

    public ConnectorStep(ConnectorRegistry registry, ConnectorSettings settings, Deliveries deliveries, SendPolicy policy,
            CustomerDirectory directory, CustomerAttributes attributes, ObjectMapper json, Clock clock, Timing timing) {
        this.registry = registry;
        this.settings = settings;
        this.deliveries = deliveries;
        this.policy = policy;
        this.directory = directory;
        this.attributes = attributes;
        this.json = json;
        this.clock = clock;
        this.timing = timing;
    }

    /** What a step's diagram says: which connector, its inputs, where its outputs go, its purpose. */
    record StepDefinition(String connector, Map<String, String> inputs, Map<String, String> outputs, String purpose) {
    }

    @Override
    public void execute(DelegateExecution execution) throws Exception {
        StepDefinition step = definitions.computeIfAbsent(execution.getProcessDefinitionId() + "/" + execution.getCurrentActivityId(),
                k -> read(execution.getBpmnModelElementInstance()));
        ConnectorRegistry.Registered registered = registry.find(step.connector()).orElseThrow(() -> new IllegalStateException(
                "The step " + execution.getCurrentActivityId() + " uses the connector " + step.connector()
                        + ", which is not installed"));
        ConnectorDescriptor descriptor = registered.descriptor();
        Optional<Customer> customer = customer(execution.getProcessBusinessKey());
        Object loop = execution.getVariableLocal("loopCounter");
        String natural = execution.getProcessInstanceId() + "/" + execution.getCurrentActivityId() + "/" + (loop == null ? 0 : loop);
        String key = deliveryKey(natural);
        Long customerId = customer.map(Customer::id).orElse(null);

        Customer who = null;
        if (descriptor.customerFacing()) {
            who = customer.orElseThrow(() -> new IllegalStateException("The step " + execution.getCurrentActivityId()
                    + " reaches a customer, but the journey's business key names none"));
        }
        // bind first: a step whose inputs do not fit is a modelling error, found before anything is claimed
        Deliveries.Step row = new Deliveries.Step(key, natural, descriptor.key(), execution.getProcessInstanceId(),
                execution.getCurrentActivityId(), customerId, descriptor.customerFacing() ? step.purpose() : null);
        ConnectorContext.CustomerView view = customer.map(this::view).orElse(null);
        Record input;
        try {
            input = ConnectorInputs.bind(descriptor.inputType(), descriptor.inputs(), step.inputs(), view,
                    execution.getVariables());
        } catch (IllegalArgumentException e) {
            // the diagram passed its checks, so this customer's data does not fit (no phone, a name too long...):
            // the journey routes it like any refusal
            String why = INPUT_INVALID + ": " + e.getMessage();
            if (deliveries.claim(row, descriptor.idempotent(), () -> new Deliveries.Guarded(Deliveries.Status.FAILED, why))
                    == Deliveries.Claim.ALREADY_SENT) {
                setOutputs(execution, step, read(deliveries.find(key).map(Deliveries.Delivery::output).orElse(null)));
                return;
            }
            throw new BpmnError(INPUT_INVALID, why);
        }
        Record connectorSettings = settings.load(descriptor, descriptor.settingsType());

        SendPolicy.Decision[] decision = new SendPolicy.Decision[1];
        Customer recipient = who;
        Deliveries.Guard guard = recipient == null ? null : () -> {
            decision[0] = policy.check(recipient.id(), descriptor.channel(), !"SERVICE".equals(step.purpose()),
                    recipient.timezone(), key);
            switch (decision[0].verdict()) {
                case BLOCK:
                    return new Deliveries.Guarded(Deliveries.Status.BLOCKED, decision[0].reason());
                case WAIT:
                    return new Deliveries.Guarded(Deliveries.Status.DEFERRED, "quiet hours until " + decision[0].until());
                default:
                    return null;
            }
        };
        StepContext context = new StepContext(key, view, connectorSettings, clock);
        Deliveries.Claim claim = deliveries.claim(row, descriptor.idempotent(), guard);
        if (claim == Deliveries.Claim.IN_FLIGHT_ELSEWHERE) {
            claim = settleEarlierAttempt(registered, row, input, context, guard);
        }
        switch (claim) {
            case ALREADY_SENT:
                setOutputs(execution, step, read(deliveries.find(key).map(Deliveries.Delivery::output).orElse(null)));
                return;
            case GUARDED:
                if (decision[0].verdict() == SendPolicy.Verdict.WAIT) {
                    throw new StepExceptions.Deferred(decision[0].until(), "Waiting for quiet hours to end at " + decision[0].until());
                }
                throw new BpmnError(decision[0].reason(), "Not sent: " + decision[0].reason());
            default:
                break;
        }

        Map<String, Object> outputs;
        try {
            outputs = call(registered.connector(), input, context);
        } catch (RetryableConnectorException e) {
            if (e.outcomeUnknown() && !descriptor.idempotent()) {
                deliveries.mark(key, Deliveries.Status.AMBIGUOUS, e.getMessage());
                throw ambiguous(registered, descriptor.key() + ": " + e.getMessage() + ". The request went out, so it may have been"
                        + " sent; it is not sent again.");
            }
            deliveries.mark(key, Deliveries.Status.RETRYING, e.getMessage());
            throw new StepExceptions.Retry(descriptor.key() + ": " + e.getMessage(), e.retryAfter().orElse(null), e);
        } catch (BusinessConnectorException e) {
            deliveries.mark(key, Deliveries.Status.FAILED, e.errorCode() + ": " + e.getMessage());
            throw new BpmnError(e.errorCode(), e.getMessage());
        } catch (RuntimeException e) {
            // a fault in the connector itself: whether the call went out is unknown
            if (descriptor.idempotent()) {
                deliveries.mark(key, Deliveries.Status.RETRYING, e.toString());
                throw e;
            }
            deliveries.mark(key, Deliveries.Status.AMBIGUOUS, e.toString());
            throw ambiguous(registered, descriptor.key() + " failed unexpectedly (" + e + "); it may have sent, so it is not sent again.");
        }
        Map<String, Object> kept = outputs == null ? Map.of() : outputs;
        deliveries.sent(key, write(kept));
        setOutputs(execution, step, kept);
    }

    /**
     * An earlier attempt of this step is IN_FLIGHT or AMBIGUOUS and its remote side cannot deduplicate: the call may
     * have taken effect. A connector that can ask its remote side settles it (took effect: the step continues with what
     * it found; certainly not: the step calls again); otherwise, or while the answer is unknown, it is not called again.
     */
    private Deliveries.Claim settleEarlierAttempt(ConnectorRegistry.Registered registered, Deliveries.Step row, Record input,
            StepContext context, Deliveries.Guard guard) {
        String remote = remoteSide(registered);
        Deliveries.Delivery earlier = deliveries.find(row.key()).orElseThrow();
        if (earlier.status() == Deliveries.Status.SENT) {
            return Deliveries.Claim.ALREADY_SENT;
        }
        if (!(registered.connector() instanceof Reconcilable<?>)) {
            String why = "An earlier attempt of this step ended without an answer from the " + remote + "; the message may have gone"
                    + " out, so it is not sent again.";
            deliveries.mark(row.key(), Deliveries.Status.AMBIGUOUS, why);
            throw ambiguous(registered, why);
        }
        // an attempt still IN_FLIGHT may be running on another node until its job lock runs out; one that ended
        // AMBIGUOUS gives the remote side a moment to list what it did
        Instant askFrom = earlier.updatedAt().plus(earlier.status() == Deliveries.Status.IN_FLIGHT
                ? timing.inFlightLimit() : timing.reconcileAfter());
        Instant now = clock.instant();
        if (now.isBefore(askFrom)) {
            throw new StepExceptions.Ambiguous("An earlier attempt of this step has no answer from the " + remote + " yet; it is"
                    + " not sent again, and the " + remote + " is asked what became of it from " + askFrom + ".", askFrom);
        }
        Reconcilable.Outcome outcome;
        try {
            outcome = reconcile(registered.connector(), input, context, earlier.updatedAt().minus(WINDOW_BEFORE), now.plus(SKEW));
        } catch (ConnectorException | RuntimeException e) {
            outcome = Reconcilable.Outcome.unknown("it could not be asked: " + e.getMessage());
        }
        String asked = "Asked the " + remote + " about the attempt without an answer: " + outcome.detail();
        switch (outcome.verdict()) {
            case TOOK_EFFECT:
                if (deliveries.settle(row.key(), earlier.status(), Deliveries.Resolution.SENT, write(outcome.outputs()), asked)) {
                    return Deliveries.Claim.ALREADY_SENT;
                }
                break;
            case NO_EFFECT:
                if (deliveries.settle(row.key(), earlier.status(), Deliveries.Resolution.SEND_AGAIN, null, asked)) {
                    Deliveries.Claim again = deliveries.claim(row, false, guard);
                    if (again != Deliveries.Claim.IN_FLIGHT_ELSEWHERE) {
                        return again;
                    }
                }
                break;
            default:
                deliveries.undecided(row.key(), asked);
                throw ambiguous(registered, asked + ". It is not sent again.");
        }
        // another attempt settled it first: look again on the next try
        throw new StepExceptions.Ambiguous("Another attempt of this step settled it at the same moment; it is looked at again.",
                now.plus(timing.reconcileAfter()));
    }

    /**
     * The step stops without calling: with a connector that can ask its remote side, it is asked again after a while,
     * by the retry cycle; otherwise an operator checks at once (an incident) and marks the delivery.
     */
    private StepExceptions.Ambiguous ambiguous(ConnectorRegistry.Registered registered, String why) {
        if (registered.connector() instanceof Reconcilable<?>) {
            Instant askAt = clock.instant().plus(timing.reconcileAfter());
            return new StepExceptions.Ambiguous(why + " The " + remoteSide(registered) + " is asked what became of it from "
                    + askAt + "; when its retries are used up, check it and mark the delivery as sent or to be sent again.", askAt);
        }
        return new StepExceptions.Ambiguous(why + " Check it, then mark the delivery as sent or to be sent again.", null);
    }

    private static String remoteSide(ConnectorRegistry.Registered registered) {
        return "remote side (" + registered.descriptor().system() + ")";
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Reconcilable.Outcome reconcile(Connector connector, Record input, ConnectorContext context, Instant from,
            Instant to) throws ConnectorException {
        return ((Reconcilable) connector).reconcile(input, context, from, to);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, Object> call(Connector connector, Record input, ConnectorContext context) throws ConnectorException {
        return connector.execute(input, context);
    }

    private void setOutputs(DelegateExecution execution, StepDefinition step, Map<String, Object> outputs) {
        outputs.forEach((name, value) -> execution.setVariable(step.outputs().getOrDefault(name, name), value));
    }

    private Optional<Customer> customer(String businessKey) {
        if (businessKey == null || !businessKey.matches("[0-9]{1,18}")) {
            return Optional.empty();
        }
        return directory.find(Long.parseLong(businessKey));
    }

    /** The customer as a connector sees them (the designer's preview renders texts from it, as a send would). */
    public Optional<ConnectorContext.CustomerView> customerView(long customerId) {
        return directory.find(customerId).map(this::view);
    }

    private ConnectorContext.CustomerView view(Customer customer) {
        Map<String, String> identities = new LinkedHashMap<>();
        for (Identity identity : directory.identities(customer.id())) {
            identities.putIfAbsent(identity.type().key(), identity.value());
        }
        return new ConnectorContext.CustomerView(customer.id(), customer.displayName(), customer.memberTier(), customer.points(),
                customer.timezone(), customer.ownerId(), identities, attributes.of(customer.id()));
    }

    private static StepDefinition read(FlowElement element) {
        Map<String, String> properties = new HashMap<>();
        ExtensionElements extensions = element.getExtensionElements();
        if (extensions != null) {
            for (CamundaProperties group : extensions.getChildElementsByType(CamundaProperties.class)) {
                for (CamundaProperty property : group.getCamundaProperties()) {
                    properties.put(property.getCamundaName(), property.getCamundaValue());
                }
            }
        }
        String connector = properties.get(ElementTemplates.CONNECTOR_PROPERTY);
        if (connector == null) {
            throw new IllegalStateException("The step " + element.getId() + " names no connector (camunda:property "
                    + ElementTemplates.CONNECTOR_PROPERTY + ")");
        }
        Map<String, String> inputs = new HashMap<>();
        Map<String, String> outputs = new HashMap<>();
        properties.forEach((name, value) -> {
            if (name.startsWith(ElementTemplates.INPUT_PREFIX)) {
                inputs.put(name.substring(ElementTemplates.INPUT_PREFIX.length()), value);
            } else if (name.startsWith(ElementTemplates.OUTPUT_PREFIX) && value != null && !value.isBlank()) {
                outputs.put(name.substring(ElementTemplates.OUTPUT_PREFIX.length()), value.trim());
            }
        });
        return new StepDefinition(connector, inputs, outputs,
                properties.getOrDefault(ElementTemplates.PURPOSE_PROPERTY, "MARKETING"));
    }

    private String write(Map<String, Object> outputs) {
        try {
            return json.writeValueAsString(outputs);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The outputs of a connector cannot be stored: " + e.getMessage(), e);
        }
    }

    private Map<String, Object> read(String output) {
        try {
            return output == null ? Map.of() : json.readValue(output, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The stored outputs of a step are unreadable: " + e.getMessage(), e);
        }
    }

    /** A step's key: short enough for every remote idempotency field (WeChat Pay allows 128 characters). */
    public static String deliveryKey(String natural) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(natural.getBytes(StandardCharsets.UTF_8));
            return "pond" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record StepContext(String idempotencyKey, CustomerView view, Record settings, Clock clock) implements ConnectorContext {

        @Override
        public Optional<CustomerView> customer() {
            return Optional.ofNullable(view);
        }

        @Override
        public <S extends Record> S settings(Class<S> type) {
            return type.cast(settings);
        }
    }
}
