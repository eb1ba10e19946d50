package io.pond.engine.journey;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pond.engine.api.NotFoundException;
import io.pond.engine.audit.AuditLog;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.migration.MigrationPlan;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Journeys and their lifecycle: a draft (diagram and settings) is edited freely; publishing deploys it as
 * the next version; pausing suspends every version with its customers (nothing is sent, timers wait and fire
 * when resumed); archiving ends the journey for everyone in it. Publishing a new version either leaves the
 * customers in flight on their version or moves them, by a migration plan that maps equal activity ids;
 * what cannot be moved is reported before anything changes.
 */
public class Journeys {

    /** A journey key is its BPMN process id: letters, digits, _ and -, starting with a letter. */
    public static final Pattern KEY = Pattern.compile("[a-zA-Z][a-zA-Z0-9_-]{0,63}");

    public enum Status { DRAFT, PUBLISHED, PAUSED, ARCHIVED }

    /** What happens to customers in flight when a new version is published. */
    public enum InFlight {
        /** They finish on the version they entered. */
        STAY,
        /** They move to the new version where they are (same activity id); refused if any cannot. */
        MOVE
    }

    public record Journey(String key, String name, String description, String owner, Status status, JourneySettings settings,
            String draftBpmn, Integer publishedVersion, String updatedBy, Instant updatedAt) {
    }

    public record Version(String journeyKey, int version, String processDefinitionId, JourneySettings settings,
            String publishedBy, Instant publishedAt, String note) {
    }

    /** Customers waiting at an activity of an older version that the new version does not have. */
    public record Unmappable(int version, String activityId, long customers) {
    }

    /** What publishing did: the new version, and how many customers moved to it (and through which batch). */
    public record Published(Version version, long moved, String migrationBatchId) {
    }

    private final JdbcTemplate jdbc;
    private final RepositoryService repositoryService;
    private final RuntimeService runtimeService;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;
    private final AuditLog auditLog;
    private final Clock clock;
    private final List<Runnable> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final JourneyValidation validation;
    private final java.util.function.Predicate<String> mayWriteScripts;

    public Journeys(JdbcTemplate jdbc, RepositoryService repositoryService, RuntimeService runtimeService,
            TransactionTemplate transaction, ObjectMapper json, AuditLog auditLog, Clock clock, JourneyValidation validation,
            java.util.function.Predicate<String> mayWriteScripts) {
        this.jdbc = jdbc;
        this.validation = validation;
        this.mayWriteScripts = mayWriteScripts;
        this.repositoryService = repositoryService;
        this.runtimeService = runtimeService;
        this.transaction = transaction;
        this.json = json;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    /** What is wrong with the journey's draft, node by node (the designer's "validate"). */
    public List<JourneyValidation.Problem> validate(String key) {
        Journey journey = require(key);
        if (journey.draftBpmn() == null || journey.draftBpmn().isBlank()) {
            return List.of(new JourneyValidation.Problem(null, "The journey has no diagram yet", "旅程还没有流程图", true));
        }
        return validation.validate(journey.draftBpmn(), journey.settings());
    }

    /** Called after a journey is published, paused, resumed or archived on this node (caches drop their copy). */
    public void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    public Journey create(String key, String name, String description, JourneySettings settings, String bpmn, String actor) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("A journey key has letters, digits, _ and -, starts with a letter and has at"
                    + " most 64 characters: '" + key + "' does not");
        }
        requireName(name);
        requireSafe(bpmn);
        if (find(key).isPresent()) {
            throw new IllegalArgumentException("There is a journey " + key + " already");
        }
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("insert into pond_journey (journey_key, name, description, owner, status, settings, draft_bpmn, created_by,"
                        + " created_at, updated_by, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", key, name.trim(),
                description, actor, Status.DRAFT.name(), write(settings == null ? JourneySettings.defaults() : settings), bpmn,
                actor, now, actor, now);
        auditLog.record(actor, "JOURNEY_CREATED", key);
        return find(key).orElseThrow();
    }

    /** Saves the draft; what is published does not change until the next publish. */
    public Journey saveDraft(String key, String name, String description, JourneySettings settings, String bpmn, String actor) {
        Journey journey = require(key);
        if (journey.status() == Status.ARCHIVED) {
            throw new IllegalStateException("The journey " + key + " is archived: copy it to change it");
        }
        requireName(name);
        requireSafe(bpmn);
        jdbc.update("update pond_journey set name = ?, description = ?, settings = ?, draft_bpmn = ?, updated_by = ?, updated_at = ?"
                + " where journey_key = ?", name.trim(), description, write(settings), bpmn, actor, Timestamp.from(clock.instant()), key);
        return require(key);
    }

    public Optional<Journey> find(String key) {
        return jdbc.query("select * from pond_journey where journey_key = ?", (rs, i) -> journey(rs), key).stream().findFirst();
    }

    public Journey require(String key) {
        return find(key).orElseThrow(() -> new NotFoundException("There is no journey " + key));
    }

    public List<Journey> list() {
        return jdbc.query("select * from pond_journey order by updated_at desc", (rs, i) -> journey(rs));
    }

    public Optional<Version> version(String key, int version) {
        return jdbc.query("select * from pond_journey_version where journey_key = ? and version = ?", (rs, i) -> version(rs),
                key, version).stream().findFirst();
    }

    public Optional<Version> latest(String key) {
        return jdbc.query("select * from pond_journey_version where journey_key = ? order by version desc limit 1",
                (rs, i) -> version(rs), key).stream().findFirst();
    }

    public List<Version> versions(String key) {
        return jdbc.query("select * from pond_journey_version where journey_key = ? order by version", (rs, i) -> version(rs), key);
    }

    /** The published journeys that take customers in (not paused or archived), with their latest version. */
    public List<Version> live() {
        return jdbc.query("select v.* from pond_journey j join pond_journey_version v on v.journey_key = j.journey_key"
                + " and v.version = j.published_version where j.status = 'PUBLISHED'", (rs, i) -> version(rs));
    }

    /** The version a process definition belongs to. */
    public Optional<Version> ofDefinition(String processDefinitionId) {
        return jdbc.query("select * from pond_journey_version where process_definition_id = ?", (rs, i) -> version(rs),
                processDefinitionId).stream().findFirst();
    }

    /**
     * What {@link InFlight#MOVE} could not move if the draft were published now: customers of older versions who
     * wait at an activity the draft does not have.
     */
    public List<Unmappable> unmappable(String key) {
        Journey journey = require(key);
        Set<String> activities = model(journey).getModelElementsByType(FlowNode.class).stream().map(FlowNode::getId)
                .collect(Collectors.toSet());
        List<Unmappable> problems = new ArrayList<>();
        for (Version version : versions(key)) {
            jdbc.query("select act_id_, count(distinct proc_inst_id_) from act_ru_execution where proc_def_id_ = ?"
                    + " and act_id_ is not null group by act_id_", rs -> {
                        if (!activities.contains(rs.getString(1))) {
                            problems.add(new Unmappable(version.version(), rs.getString(1), rs.getLong(2)));
                        }
                    }, version.processDefinitionId());
        }
        return problems;
    }

    /**
     * Deploys the draft as the next version. With {@link InFlight#MOVE} the customers of older versions move to it;
     * when any of them cannot, nothing is published and the problems are named.
     *
     * @throws IllegalArgumentException when the diagram cannot be deployed (the engine's reasons, the connector
     *     checks) or customers cannot be moved
     */
    public Published publish(String key, InFlight inFlight, String actor) {
        return publish(key, inFlight, actor, null);
    }

    /** @param note what changed in this version, in the publisher's words (kept with the version) */
    public Published publish(String key, InFlight inFlight, String actor, String note) {
        Journey journey = require(key);
        if (journey.status() == Status.ARCHIVED) {
            throw new IllegalStateException("The journey " + key + " is archived");
        }
        if (inFlight == InFlight.MOVE) {
            List<Unmappable> problems = unmappable(key);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("Customers cannot move to the new version: " + problems.stream()
                        .map(p -> p.customers() + " at " + p.activityId() + " (version " + p.version() + ")")
                        .collect(Collectors.joining(", ")) + ". Keep them on their version, or keep those steps in the diagram.");
            }
        }
        BpmnModelInstance model = model(journey);
        List<String> scripted = JourneyModel.scripted(model);
        if (!scripted.isEmpty() && !mayWriteScripts.test(actor)) {
            // scripts are code: the sandbox is the second line, who may publish them is the first
            throw new SecurityException("Only developers and administrators may publish a journey that runs code, and "
                    + String.join(", ", scripted) + " run scripts or expressions Pond did not write. Write them as rules,"
                    + " or ask a developer to publish. / 只有开发者和管理员可以发布含代码（脚本或表达式）的旅程："
                    + String.join("、", scripted) + "。请改用规则，或请开发者发布。");
        }
        String refused = JourneyValidation.blocking(validation.validate(model));
        if (refused != null) {
            throw new IllegalArgumentException(refused);
        }
        Published published = transaction.execute(status -> {
            Deployment deployment;
            try {
                deployment = repositoryService.createDeployment().name(key).addModelInstance(key + ".bpmn", model).deploy();
            } catch (ProcessEngineException e) {
                throw new IllegalArgumentException("The journey cannot be published: " + e.getMessage(), e);
            }
            ProcessDefinition definition = repositoryService.createProcessDefinitionQuery().deploymentId(deployment.getId())
                    .singleResult();
            int next = latest(key).map(v -> v.version() + 1).orElse(1);
            Timestamp now = Timestamp.from(clock.instant());
            jdbc.update("insert into pond_journey_version (journey_key, version, process_definition_id, deployment_id, settings,"
                            + " published_by, published_at, note) values (?, ?, ?, ?, ?, ?, ?, ?)", key, next, definition.getId(),
                    deployment.getId(), write(JourneyModel.endings(model, journey.settings())), actor, now, note == null || note.isBlank() ? null : note.trim());
            jdbc.update("update pond_journey set status = ?, published_version = ?, updated_by = ?, updated_at = ? where journey_key = ?",
                    Status.PUBLISHED.name(), next, actor, now, key);
            long moved = 0;
            String batch = null;
            if (inFlight == InFlight.MOVE) {
                for (Version older : versions(key)) {
                    if (older.version() == next) {
                        continue;
                    }
                    long waiting = runtimeService.createProcessInstanceQuery().processDefinitionId(older.processDefinitionId()).count();
                    if (waiting == 0) {
                        continue;
                    }
                    MigrationPlan plan;
                    try {
                        plan = runtimeService.createMigrationPlan(older.processDefinitionId(), definition.getId())
                                .mapEqualActivities().updateEventTriggers().build();
                    } catch (ProcessEngineException e) {
                        throw new IllegalArgumentException("Customers of version " + older.version() + " cannot move: "
                                + e.getMessage(), e);
                    }
                    batch = runtimeService.newMigration(plan).processInstanceQuery(runtimeService.createProcessInstanceQuery()
                            .processDefinitionId(older.processDefinitionId())).skipCustomListeners().executeAsync().getId();
                    moved += waiting;
                }
            }
            auditLog.record(actor, "JOURNEY_PUBLISHED", key + " version " + next + (moved > 0 ? ", moving " + moved : ""));
            return new Published(version(key, next).orElseThrow(), moved, batch);
        });
        changed();
        return published;
    }

    /** Nothing is sent and nobody enters; timers wait and fire once the journey is resumed. */
    public void pause(String key, String actor) {
        transition(key, Status.PUBLISHED, Status.PAUSED, actor, "JOURNEY_PAUSED", true);
    }

    public void resume(String key, String actor) {
        transition(key, Status.PAUSED, Status.PUBLISHED, actor, "JOURNEY_RESUMED", false);
    }

    /** Ends the journey for everyone in it; nobody enters again. */
    public void archive(String key, String actor) {
        Journey journey = require(key);
        if (journey.status() == Status.ARCHIVED) {
            return;
        }
        transaction.executeWithoutResult(status -> {
            jdbc.update("update pond_journey set status = ?, updated_by = ?, updated_at = ? where journey_key = ?",
                    Status.ARCHIVED.name(), actor, Timestamp.from(clock.instant()), key);
            jdbc.update("update pond_enrollment set end_reason = 'ARCHIVED' where journey_key = ? and ended_at is null", key);
            if (runtimeService.createProcessInstanceQuery().processDefinitionKey(key).count() > 0) {
                runtimeService.deleteProcessInstancesAsync(null, runtimeService.createProcessInstanceQuery().processDefinitionKey(key),
                        "journey archived by " + actor, true);
            }
            auditLog.record(actor, "JOURNEY_ARCHIVED", key);
        });
        changed();
    }

    private void transition(String key, Status from, Status to, String actor, String action, boolean suspend) {
        Journey journey = require(key);
        if (journey.status() != from) {
            throw new IllegalStateException("The journey " + key + " is " + journey.status().name().toLowerCase()
                    + ", not " + from.name().toLowerCase());
        }
        transaction.executeWithoutResult(status -> {
            jdbc.update("update pond_journey set status = ?, updated_by = ?, updated_at = ? where journey_key = ?", to.name(),
                    actor, Timestamp.from(clock.instant()), key);
            var update = repositoryService.updateProcessDefinitionSuspensionState().byProcessDefinitionKey(key)
                    .includeProcessInstances(true);
            if (suspend) {
                update.suspend();
            } else {
                update.activate();
            }
            auditLog.record(actor, action, key);
        });
        changed();
    }

    private void changed() {
        changeListeners.forEach(Runnable::run);
    }

    /** The draft as the engine will run it: one executable process whose id is the journey's key. */
    BpmnModelInstance model(Journey journey) {
        if (journey.draftBpmn() == null || journey.draftBpmn().isBlank()) {
            throw new IllegalArgumentException("The journey " + journey.key() + " has no diagram yet");
        }
        BpmnModelInstance model;
        try {
            model = Bpmn.readModelFromStream(new ByteArrayInputStream(journey.draftBpmn().getBytes(StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("The diagram of " + journey.key() + " is not valid BPMN: " + rootMessage(e), e);
        }
        Collection<Process> processes = model.getModelElementsByType(Process.class);
        if (processes.size() != 1) {
            throw new IllegalArgumentException("A journey's diagram holds exactly one process; this one holds " + processes.size());
        }
        Process process = processes.iterator().next();
        process.setId(journey.key());
        process.setName(journey.name());
        process.setExecutable(true);
        JourneyModel.prepare(model, journey.settings().service());
        return model;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    /** A diagram with a DOCTYPE (external entities, entity bombs) is never stored, so no parser ever reads one. */
    private static void requireSafe(String bpmn) {
        if (bpmn != null && !bpmn.isBlank()) {
            try {
                io.pond.engine.xml.SafeXml.parse(bpmn);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("The diagram is not acceptable XML (a DOCTYPE is never accepted): "
                        + e.getMessage() + " / 流程图不是可接受的 XML（不接受 DOCTYPE）", e);
            }
        }
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A journey needs a name");
        }
    }

    private Journey journey(ResultSet rs) throws SQLException {
        Number version = (Number) rs.getObject("published_version");
        return new Journey(rs.getString("journey_key"), rs.getString("name"), rs.getString("description"), rs.getString("owner"),
                Status.valueOf(rs.getString("status")), read(rs.getString("settings")), rs.getString("draft_bpmn"),
                version == null ? null : version.intValue(), rs.getString("updated_by"), rs.getTimestamp("updated_at").toInstant());
    }

    private Version version(ResultSet rs) throws SQLException {
        return new Version(rs.getString("journey_key"), rs.getInt("version"), rs.getString("process_definition_id"),
                read(rs.getString("settings")), rs.getString("published_by"), rs.getTimestamp("published_at").toInstant(),
                rs.getString("note"));
    }

    String write(JourneySettings settings) {
        try {
            return json.writeValueAsString(settings == null ? JourneySettings.defaults() : settings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    JourneySettings read(String text) {
        try {
            return json.readValue(text, JourneySettings.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The settings of a journey are unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
