package io.pond.connectors.crm;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.pond.connectors.spi.Connector;
import io.pond.connectors.spi.ConnectorContext;
import io.pond.connectors.spi.ConnectorException;
import io.pond.connectors.spi.ConnectorType;
import io.pond.connectors.spi.Input;
import io.pond.connectors.spi.InputType;

/** Creates a follow-up task in a REST CRM for the customer's owner. */
@ConnectorType(id = "crm.task.create", nameEn = "CRM follow-up task", nameZh = "CRM 跟进任务",
        descriptionEn = "Creates a follow-up task in your CRM.", descriptionZh = "在 CRM 中创建跟进任务。",
        icon = "/connectors/crm.svg", group = "crm", settings = RestCrmSettings.class,
        outputs = @ConnectorType.Output(name = "crmTaskId", descriptionEn = "the CRM's task id", descriptionZh = "CRM 任务 ID"))
public class CrmTaskCreate implements Connector<CrmTaskCreate.TaskInput> {

    public record TaskInput(
            @Input(labelEn = "Tasks path", labelZh = "任务接口路径", required = true, defaultValue = "/tasks") String path,
            @Input(labelEn = "Task (JSON)", labelZh = "任务 (JSON)", type = InputType.JSON, required = true,
                    defaultValue = "{\"owner\": \"${customer.owner}\", \"subject\": \"Follow up ${customer.name}\"}")
            JsonNode task,
            @Input(labelEn = "Id field of the answer", labelZh = "应答中的 ID 字段", defaultValue = "id") String idField) {
    }

    @Override
    public Map<String, Object> execute(TaskInput input, ConnectorContext context) throws ConnectorException {
        JsonNode answer = RestCrm.call(context.settings(RestCrmSettings.class), "POST", input.path(), input.task());
        return Map.of("crmTaskId", answer.path(input.idField() == null ? "id" : input.idField()).asText());
    }
}
