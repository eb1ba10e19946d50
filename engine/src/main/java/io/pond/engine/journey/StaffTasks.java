package io.pond.engine.journey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pond.engine.audit.AuditLog;
import io.pond.engine.customer.Customer;
import io.pond.engine.customer.CustomerDirectory;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.bpmn.instance.UserTask;

/**
 * Staff tasks: a journey's user task is assigned to the customer's owner (the staff member who added them on
 * WeCom, whose WeCom userid is their Pond user id), or offered to {@value #FALLBACK_GROUP} when the customer has none
 * or the owner has no Pond login (nobody could see the task otherwise). Admins see every task nobody else can. The
 * staff member completes it with one of the outcomes the step lists
 * ({@code camunda:property name="pond.outcomes" value="called,no_answer"}); the journey branches on the variable
 * {@code outcome}. An escalation is an ordinary timer on the task.
 */
public class StaffTasks {

    public static final String OUTCOMES = "pond.outcomes";
    public static final String OUTCOME_VARIABLE = "outcome";
    public static final String FALLBACK_GROUP = "marketing-ops";

    public record StaffTask(String id, String name, String description, String assignee, Instant due, Instant created,
            Long customerId, String customerName, String journeyKey, List<String> outcomes) {

        public boolean overdue(Instant now) {
            return due != null && due.isBefore(now);
        }
    }

    private final TaskService taskService;
    private final IdentityService identityService;
    private final RepositoryService repositoryService;
    private final CustomerDirectory directory;
    private final AuditLog auditLog;

    public StaffTasks(TaskService taskService, IdentityService identityService, RepositoryService repositoryService,
            CustomerDirectory directory, AuditLog auditLog) {
        this.taskService = taskService;
        this.identityService = identityService;
        this.repositoryService = repositoryService;
        this.directory = directory;
        this.auditLog = auditLog;
    }

    /**
     * The assignee of a journey's user task: the customer's owner when they have a Pond login, or nobody (then the
     * fallback group sees it).
     */
    public String assignee(DelegateExecution execution) {
        Object customerId = execution.getVariable(Enrollments.CUSTOMER_ID);
        if (customerId == null) {
            return null;
        }
        return directory.find(Long.parseLong(customerId.toString())).map(Customer::ownerId).filter(o -> !o.isBlank())
                .filter(owner -> identityService.createUserQuery().userId(owner).count() > 0).orElse(null);
    }

    /**
     * Tasks for this person: assigned to them, or open to one of their groups, soonest due first. An admin also gets
     * every open task nobody else can take: unassigned ones of any group, and those of people whose login is gone.
     */
    public List<StaffTask> inbox(String userId, Collection<String> groups, boolean admin) {
        List<Task> tasks = new ArrayList<>(taskService.createTaskQuery().taskAssignee(userId).active().list());
        if (admin) {
            tasks.addAll(taskService.createTaskQuery().taskUnassigned().active().list());
            String[] people = identityService.createUserQuery().list().stream().map(User::getId).toArray(String[]::new);
            tasks.addAll(people.length == 0 ? taskService.createTaskQuery().taskAssigned().active().list()
                    : taskService.createTaskQuery().taskAssigned().taskAssigneeNotIn(people).active().list());
        } else if (!groups.isEmpty()) {
            tasks.addAll(taskService.createTaskQuery().taskCandidateGroupIn(new ArrayList<>(groups)).taskUnassigned().active()
                    .list());
        }
        Map<String, StaffTask> result = new LinkedHashMap<>();
        for (Task task : tasks) {
            result.putIfAbsent(task.getId(), describe(task));
        }
        return result.values().stream().sorted(java.util.Comparator.comparing(StaffTask::due,
                java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()))).toList();
    }

    /**
     * Completes the task with an outcome the step allows; the person must be its assignee, or take it from their
     * group, or be an admin.
     */
    public void complete(String taskId, String outcome, String actor, Collection<String> actorGroups, boolean admin) {
        Task task = taskService.createTaskQuery().taskId(taskId).singleResult();
        if (task == null) {
            throw new IllegalArgumentException("The task " + taskId + " is done already or does not exist");
        }
        StaffTask staffTask = describe(task);
        if (!staffTask.outcomes().isEmpty() && !staffTask.outcomes().contains(outcome)) {
            throw new IllegalArgumentException("'" + outcome + "' is not an outcome of this task; choose one of "
                    + staffTask.outcomes());
        }
        boolean mine = actor.equals(task.getAssignee());
        boolean ourGroup = task.getAssignee() == null && !actorGroups.isEmpty() && taskService.createTaskQuery().taskId(taskId)
                .taskCandidateGroupIn(new ArrayList<>(actorGroups)).count() > 0;
        if (!mine && !ourGroup && !admin) {
            throw new SecurityException("The task " + task.getName() + " is " + task.getAssignee() + "'s");
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        if (outcome != null) {
            variables.put(OUTCOME_VARIABLE, outcome);
        }
        if (task.getAssignee() == null) {
            taskService.claim(taskId, actor);
        }
        taskService.complete(taskId, variables);
        auditLog.record(actor, "TASK_COMPLETED", (task.getName() == null ? taskId : task.getName()) + " -> " + outcome);
    }

    private StaffTask describe(Task task) {
        Object customerId = task.getProcessInstanceId() == null ? taskService.getVariableLocal(task.getId(), Enrollments.CUSTOMER_ID)
                : taskService.getVariable(task.getId(), Enrollments.CUSTOMER_ID);
        Long customer = customerId == null ? null : Long.valueOf(customerId.toString());
        String customerName = customer == null ? null : directory.find(customer).map(Customer::displayName).orElse(null);
        List<String> outcomes = List.of();
        String journeyKey = null;
        if (task.getProcessDefinitionId() != null) {
            journeyKey = repositoryService.getProcessDefinition(task.getProcessDefinitionId()).getKey();
            UserTask element = repositoryService.getBpmnModelInstance(task.getProcessDefinitionId())
                    .getModelElementById(task.getTaskDefinitionKey());
            String listed = element == null ? null : JourneyModel.property(element, OUTCOMES);
            if (listed != null && !listed.isBlank()) {
                outcomes = Arrays.stream(listed.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            }
        }
        return new StaffTask(task.getId(), task.getName(), task.getDescription(), task.getAssignee(), instant(task.getDueDate()),
                instant(task.getCreateTime()), customer, customerName, journeyKey, outcomes);
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
