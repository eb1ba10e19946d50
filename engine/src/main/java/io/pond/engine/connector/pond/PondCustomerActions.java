package io.pond.engine.connector.pond;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;

import io.pond.connectors.spi.BusinessConnectorException;
import io.pond.connectors.spi.Connector;
import io.pond.connectors.spi.ConnectorContext;
import io.pond.connectors.spi.ConnectorException;
import io.pond.connectors.spi.ConnectorType;
import io.pond.connectors.spi.Input;
import io.pond.connectors.spi.InputType;
import io.pond.engine.customer.AttributeDefinition;
import io.pond.engine.customer.CustomerAttributes;
import io.pond.engine.customer.CustomerDirectory;
import io.pond.engine.customer.CustomerTags;
import io.pond.engine.customer.LifecycleStage;
import io.pond.engine.customer.TagSource;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * Pond's own customer actions as connectors: they change Pond's data in the step's own transaction, so they
 * happen exactly when the journey moves on, and repeating one changes nothing.
 */
public final class PondCustomerActions {

    private PondCustomerActions() {
    }

    private static long customerOf(ConnectorContext context) throws BusinessConnectorException {
        return context.customer().map(ConnectorContext.CustomerView::id).orElseThrow(() -> new BusinessConnectorException(
                "POND_NO_CUSTOMER", "This step changes a customer, but the journey runs for none"));
    }

    @ConnectorType(id = "pond.customer.attribute.set", nameEn = "Set customer attribute", nameZh = "设置客户属性",
            descriptionEn = "Sets one attribute of the customer's profile.", descriptionZh = "设置客户档案中的一个属性。",
            icon = "/connectors/pond.svg", group = "customer", idempotent = true)
    public static final class SetAttribute implements Connector<SetAttribute.AttributeInput> {

        public record AttributeInput(
                @Input(labelEn = "Attribute key", labelZh = "属性键", required = true, pattern = "[a-z][a-z0-9_]{0,63}",
                        patternHint = "lower-case letters, digits and _") String key,
                @Input(labelEn = "Value", labelZh = "值", type = InputType.TEMPLATE,
                        descriptionEn = "Empty removes the attribute", descriptionZh = "留空则删除该属性") String value) {
        }

        private final CustomerAttributes attributes;

        public SetAttribute(CustomerAttributes attributes) {
            this.attributes = attributes;
        }

        @Override
        public Map<String, Object> execute(AttributeInput input, ConnectorContext context) throws ConnectorException {
            long customer = customerOf(context);
            AttributeDefinition definition = attributes.definition(input.key()).orElseThrow(() -> new BusinessConnectorException(
                    "POND_UNKNOWN_ATTRIBUTE", "There is no customer attribute " + input.key()));
            Object value;
            try {
                value = definition.parse(input.value());
            } catch (IllegalArgumentException e) {
                throw new BusinessConnectorException("POND_INVALID_ATTRIBUTE_VALUE", e.getMessage());
            }
            attributes.set(List.of(new CustomerAttributes.Value(customer, input.key(), value)));
            return Map.of();
        }
    }

    @ConnectorType(id = "pond.customer.tag", nameEn = "Tag customer", nameZh = "客户打标签",
            descriptionEn = "Adds a tag to the customer or removes one.", descriptionZh = "为客户添加或移除标签。",
            icon = "/connectors/pond.svg", group = "customer", idempotent = true)
    public static final class Tag implements Connector<Tag.TagInput> {

        public enum Action { ADD, REMOVE }

        public record TagInput(
                @Input(labelEn = "Action", labelZh = "操作", required = true, defaultValue = "ADD") Action action,
                @Input(labelEn = "Tag group", labelZh = "标签组", required = true, maxLength = 64) String group,
                @Input(labelEn = "Tag", labelZh = "标签", type = InputType.TEMPLATE, required = true, maxLength = 64) String tag) {
        }

        private final CustomerTags tags;

        public Tag(CustomerTags tags) {
            this.tags = tags;
        }

        @Override
        public Map<String, Object> execute(TagInput input, ConnectorContext context) throws ConnectorException {
            long customer = customerOf(context);
            if (input.action() == Action.REMOVE) {
                tags.findTag(input.group(), input.tag()).ifPresent(tag -> tags.untag(List.of(customer), tag.id()));
            } else {
                tags.tag(List.of(customer), tags.ensureTag(input.group(), input.tag(), null).id(), TagSource.JOURNEY);
            }
            return Map.of();
        }
    }

    @ConnectorType(id = "pond.customer.stage.set", nameEn = "Set lifecycle stage", nameZh = "设置生命周期阶段",
            descriptionEn = "Moves the customer to a lifecycle stage.", descriptionZh = "将客户移到某个生命周期阶段。",
            icon = "/connectors/pond.svg", group = "customer", idempotent = true)
    public static final class SetStage implements Connector<SetStage.StageInput> {

        public record StageInput(@Input(labelEn = "Stage", labelZh = "阶段", required = true) LifecycleStage stage) {
        }

        private final CustomerDirectory directory;

        public SetStage(CustomerDirectory directory) {
            this.directory = directory;
        }

        @Override
        public Map<String, Object> execute(StageInput input, ConnectorContext context) throws ConnectorException {
            directory.updateProfiles(List.of(customerOf(context)),
                    List.of(new CustomerDirectory.ProfilePatch(null, input.stage(), null, null, null, null)));
            return Map.of();
        }
    }

    @ConnectorType(id = "pond.customer.tier.set", nameEn = "Set membership tier", nameZh = "设置会员等级",
            descriptionEn = "Sets the customer's membership tier.", descriptionZh = "设置客户的会员等级。",
            icon = "/connectors/pond.svg", group = "customer", idempotent = true)
    public static final class SetTier implements Connector<SetTier.TierInput> {

        public record TierInput(@Input(labelEn = "Tier", labelZh = "等级", type = InputType.TEMPLATE, required = true,
                maxLength = 64) String tier) {
        }

        private final CustomerDirectory directory;

        public SetTier(CustomerDirectory directory) {
            this.directory = directory;
        }

        @Override
        public Map<String, Object> execute(TierInput input, ConnectorContext context) throws ConnectorException {
            directory.updateProfiles(List.of(customerOf(context)),
                    List.of(new CustomerDirectory.ProfilePatch(null, null, input.tier().trim(), null, null, null)));
            return Map.of();
        }
    }

    @ConnectorType(id = "pond.task.create", nameEn = "Staff task", nameZh = "员工任务",
            descriptionEn = "Puts a task in the task inbox of the customer's owner (or of a group).",
            descriptionZh = "在客户归属员工（或某个组）的任务箱中创建任务。",
            icon = "/connectors/pond.svg", group = "customer", idempotent = true,
            outputs = @ConnectorType.Output(name = "taskId", descriptionEn = "the task's id", descriptionZh = "任务 ID"))
    public static final class CreateTask implements Connector<CreateTask.TaskInput> {

        public record TaskInput(
                @Input(labelEn = "Title", labelZh = "标题", type = InputType.TEMPLATE, required = true, maxLength = 255) String title,
                @Input(labelEn = "Details", labelZh = "详情", type = InputType.TEMPLATE, maxLength = 4000) String details,
                @Input(labelEn = "Due in hours", labelZh = "期限（小时）", defaultValue = "24") Integer dueInHours,
                @Input(labelEn = "Group when the customer has no owner", labelZh = "无归属员工时的组",
                        defaultValue = "marketing-ops") String fallbackGroup) {
        }

        private final TaskService taskService;

        public CreateTask(TaskService taskService) {
            this.taskService = taskService;
        }

        @Override
        public Map<String, Object> execute(TaskInput input, ConnectorContext context) throws ConnectorException {
            // the step's key is the task's id: a retried step finds its task instead of making a second one
            String id = context.idempotencyKey();
            if (taskService.createTaskQuery().taskId(id).singleResult() == null) {
                Task task = taskService.newTask(id);
                task.setName(input.title());
                task.setDescription(input.details());
                int hours = input.dueInHours() == null ? 24 : input.dueInHours();
                task.setDueDate(Date.from(ClockUtil.now().toInstant().plus(Duration.ofHours(Math.max(0, hours)))));
                String owner = context.customer().map(ConnectorContext.CustomerView::ownerId).orElse(null);
                if (owner != null && !owner.isBlank()) {
                    task.setAssignee(owner);
                }
                taskService.saveTask(task);
                if (owner == null || owner.isBlank()) {
                    taskService.addCandidateGroup(id, input.fallbackGroup() == null ? "marketing-ops" : input.fallbackGroup());
                }
                context.customer().ifPresent(customer -> taskService.setVariableLocal(id, "customerId", customer.id()));
            }
            return Map.of("taskId", id);
        }
    }
}
