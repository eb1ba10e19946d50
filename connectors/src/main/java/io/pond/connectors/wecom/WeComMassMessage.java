package io.pond.connectors.wecom;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pond.connectors.http.JsonHttp;
import io.pond.connectors.spi.BusinessConnectorException;
import io.pond.connectors.spi.Connector;
import io.pond.connectors.spi.ConnectorContext;
import io.pond.connectors.spi.ConnectorException;
import io.pond.connectors.spi.ConnectorType;
import io.pond.connectors.spi.Input;
import io.pond.connectors.spi.InputType;

/**
 * A mass message (企业群发) to the journey's customer, or to a customer group: WeCom creates a task that the
 * staff member confirms in their client. A customer WeCom cannot reach (fail_list) is a business outcome.
 */
@ConnectorType(id = "wecom.mass-message.send", nameEn = "WeCom message", nameZh = "企业微信群发",
        descriptionEn = "Creates a mass-send task for the staff member to confirm: to the customer, or to a group chat.",
        descriptionZh = "创建企业群发任务，由员工确认后发送给客户或客户群。",
        icon = "/connectors/wecom.svg", group = "messaging", channel = "WECOM", settings = WeComSettings.class,
        outputs = @ConnectorType.Output(name = "msgid", descriptionEn = "the mass-send task id", descriptionZh = "群发任务 ID"))
public class WeComMassMessage implements Connector<WeComMassMessage.MassInput> {

    public enum ChatType { single, group }

    public record MassInput(
            @Input(labelEn = "Send to", labelZh = "发送对象", defaultValue = "single") ChatType chatType,
            @Input(labelEn = "Staff member (userid)", labelZh = "发送员工 (userid)", defaultValue = "${customer.owner}",
                    descriptionEn = "Who confirms and sends; required for groups", descriptionZh = "确认并发送的员工；群发到群时必填")
            String sender,
            @Input(labelEn = "Group chat id", labelZh = "客户群 ID", descriptionEn = "For a group send",
                    descriptionZh = "群发到客户群时填写") String chatId,
            @Input(labelEn = "Text", labelZh = "文本", type = InputType.TEMPLATE, required = true, maxLength = 4000) String text) {
    }

    @Override
    public Map<String, Object> execute(MassInput input, ConnectorContext context) throws ConnectorException {
        ObjectNode body = JsonHttp.JSON.createObjectNode();
        boolean group = input.chatType() == ChatType.group;
        body.put("chat_type", group ? "group" : "single");
        String customerId = null;
        if (group) {
            if (input.chatId() == null || input.chatId().isBlank() || input.sender() == null || input.sender().isBlank()) {
                throw new IllegalArgumentException("A group send needs the group chat id and the staff member who sends");
            }
            body.putArray("chat_id_list").add(input.chatId());
        } else {
            customerId = context.customer().flatMap(c -> c.identity("wecom_external_userid")).orElseThrow(() ->
                    new BusinessConnectorException("WECOM_NO_EXTERNAL_USERID", "The customer has no WeCom external_userid"));
            body.putArray("external_userid").add(customerId);
        }
        if (input.sender() != null && !input.sender().isBlank()) {
            body.put("sender", input.sender());
        }
        body.putObject("text").put("content", input.text());
        JsonNode answer = WeComClient.of(context.settings(WeComSettings.class), context.clock())
                .post("/cgi-bin/externalcontact/add_msg_template", body);
        for (JsonNode failed : answer.path("fail_list")) {
            if (failed.asText().equals(customerId)) {
                throw new BusinessConnectorException("WECOM_NOT_REACHABLE",
                        "WeCom cannot reach " + customerId + " (fail_list): no longer a contact, or not visible to the app");
            }
        }
        return Map.of("msgid", answer.path("msgid").asText());
    }
}
