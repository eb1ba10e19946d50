package io.pond.connectors.crm;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.pond.connectors.spi.Connector;
import io.pond.connectors.spi.ConnectorContext;
import io.pond.connectors.spi.ConnectorException;
import io.pond.connectors.spi.ConnectorType;
import io.pond.connectors.spi.Input;
import io.pond.connectors.spi.InputType;

/** Updates a record in a REST CRM; the body maps Pond's fields to the CRM's, e.g. {"stage": "${customer.attributes.stage}"}. */
@ConnectorType(id = "crm.record.update", nameEn = "Update CRM record", nameZh = "更新 CRM 记录",
        descriptionEn = "Updates a record in your CRM through its REST API.", descriptionZh = "通过 REST API 更新 CRM 中的记录。",
        icon = "/connectors/crm.svg", group = "crm", settings = RestCrmSettings.class,
        // an update sets fields to values: applying it twice leaves the record as applying it once
        idempotent = true)
public class CrmRecordUpdate implements Connector<CrmRecordUpdate.UpdateInput> {

    public enum Method { PATCH, PUT, POST }

    public record UpdateInput(
            @Input(labelEn = "Record path", labelZh = "记录路径", required = true,
                    defaultValue = "/contacts/${customer.identity.member_id}") String path,
            @Input(labelEn = "Method", labelZh = "方法", defaultValue = "PATCH") Method method,
            @Input(labelEn = "Fields (JSON)", labelZh = "字段 (JSON)", type = InputType.JSON, required = true) JsonNode fields) {
    }

    @Override
    public Map<String, Object> execute(UpdateInput input, ConnectorContext context) throws ConnectorException {
        RestCrm.call(context.settings(RestCrmSettings.class), input.method().name(), input.path(), input.fields());
        return Map.of();
    }
}
