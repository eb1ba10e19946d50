package io.pond.connectors.wecom;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.pond.connectors.spi.BusinessConnectorException;
import io.pond.connectors.spi.Connector;
import io.pond.connectors.spi.ConnectorContext;
import io.pond.connectors.spi.ConnectorException;
import io.pond.connectors.spi.ConnectorType;
import io.pond.connectors.spi.Input;

/** Reads the customer's WeCom profile: name, unionid, and the state of the first staff member who added them. */
@ConnectorType(id = "wecom.external-contact.get", nameEn = "WeCom contact details", nameZh = "获取企业微信客户详情",
        descriptionEn = "Fetches the customer's WeCom profile.", descriptionZh = "获取客户在企业微信中的资料。",
        icon = "/connectors/wecom.svg", group = "customer", settings = WeComSettings.class, idempotent = true,
        outputs = {@ConnectorType.Output(name = "wecomName", descriptionEn = "name", descriptionZh = "名称"),
                @ConnectorType.Output(name = "unionid", descriptionEn = "WeChat unionid", descriptionZh = "微信 unionid"),
                @ConnectorType.Output(name = "state", descriptionEn = "state of the first adding", descriptionZh = "首次添加的 state")})
public class WeComExternalContact implements Connector<WeComExternalContact.ContactInput> {

    public record ContactInput(
            @Input(labelEn = "external_userid", labelZh = "external_userid", defaultValue = "${customer.identity.wecom_external_userid}")
            String externalUserid) {
    }

    @Override
    public Map<String, Object> execute(ContactInput input, ConnectorContext context) throws ConnectorException {
        if (input.externalUserid() == null || input.externalUserid().isBlank()) {
            throw new BusinessConnectorException("WECOM_NO_EXTERNAL_USERID", "The customer has no WeCom external_userid");
        }
        JsonNode answer = WeComClient.of(context.settings(WeComSettings.class), context.clock())
                .get("/cgi-bin/externalcontact/get", Map.of("external_userid", input.externalUserid()));
        Map<String, Object> outputs = new HashMap<>();
        outputs.put("wecomName", answer.path("external_contact").path("name").asText(""));
        outputs.put("unionid", answer.path("external_contact").path("unionid").asText(""));
        outputs.put("state", answer.path("follow_user").path(0).path("state").asText(""));
        return outputs;
    }
}
