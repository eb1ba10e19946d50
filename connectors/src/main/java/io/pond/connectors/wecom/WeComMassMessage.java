package io.pond.connectors.wecom;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

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
import io.pond.connectors.spi.Reconcilable;

/**
 * A mass message (企业群发) to the journey's customer, or to a customer group: WeCom creates a task that the
 * staff member confirms in their client. A customer WeCom cannot reach (fail_list) is a business outcome.
 * WeCom cannot deduplicate a send, so a send whose answer was lost is settled by reading WeCom's tasks
 * (wecom-contract.md §3.2, §3.3) rather than by sending again.
 */
@ConnectorType(id = "wecom.mass-message.send", nameEn = "WeCom message", nameZh = "企业微信群发",
        descriptionEn = "Creates a mass-send task for the staff member to confirm: to the customer, or to a group chat.",
        descriptionZh = "创建企业群发任务，由员工确认后发送给客户或客户群。",
        icon = "/connectors/wecom.svg", group = "messaging", channel = "WECOM", settings = WeComSettings.class,
        outputs = @ConnectorType.Output(name = "msgid", descriptionEn = "the mass-send task id", descriptionZh = "群发任务 ID"))
public class WeComMassMessage implements Connector<WeComMassMessage.MassInput>, Reconcilable<WeComMassMessage.MassInput> {

    /** How many tasks with another text one reconciliation reads the recipients of before it leaves the decision to an operator. */
    static final int MAX_TASKS_READ = 100;

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

    /**
     * Looks for the task among those WeCom lists for the sender in the window: a task that includes the customer (or
     * group) with this very text took effect; none that includes them means nothing was created. A task with another
     * text that includes them (another journey, or a text whose data changed) cannot be told apart: unknown.
     */
    @Override
    public Outcome reconcile(MassInput input, ConnectorContext context, Instant from, Instant to) throws ConnectorException {
        WeComClient client = WeComClient.of(context.settings(WeComSettings.class), context.clock());
        boolean group = input.chatType() == ChatType.group;
        String target = group ? input.chatId() : context.customer().flatMap(c -> c.identity("wecom_external_userid")).orElse(null);
        if (target == null || target.isBlank()) {
            return Outcome.unknown("the recipient has no WeCom id to look for");
        }
        String sender = input.sender() == null || input.sender().isBlank() ? null : input.sender().trim();
        List<JsonNode> sameText = new ArrayList<>();
        List<JsonNode> otherText = new ArrayList<>();
        ObjectNode tasks = JsonHttp.JSON.createObjectNode().put("chat_type", group ? "group" : "single")
                .put("start_time", from.getEpochSecond()).put("end_time", to.getEpochSecond()).put("filter_type", 2)
                .put("limit", 100);
        if (sender != null) {
            tasks.put("creator", sender);
        }
        find(client, "/cgi-bin/externalcontact/get_groupmsg_list_v2", tasks, "group_msg_list",
                task -> {
                    (input.text().equals(task.path("text").path("content").asText()) ? sameText : otherText).add(task);
                    return false; // read them all
                });
        String window = (sender == null ? "" : " by " + sender) + " between " + from + " and " + to;
        for (JsonNode task : sameText) {
            String msgid = task.path("msgid").asText();
            Integer status = statusOf(client, msgid, sender, target);
            if (status != null) {
                return Outcome.tookEffect(Map.of("msgid", msgid), "WeCom has the task " + msgid + " for " + target
                        + " (send status " + status + ")");
            }
        }
        if (otherText.size() > MAX_TASKS_READ) {
            return Outcome.unknown("no task with this text" + window + " includes " + target + ", but WeCom lists "
                    + otherText.size() + " other tasks, too many to read the recipients of");
        }
        for (JsonNode task : otherText) {
            String msgid = task.path("msgid").asText();
            if (statusOf(client, msgid, sender, target) != null) {
                return Outcome.unknown("WeCom has the task " + msgid + " for " + target + window
                        + ", but with another text; check whether it is this step's message");
            }
        }
        if (group && !sameText.isEmpty()) {
            // WeCom lists a group among a task's results only once it was sent
            return Outcome.unknown(sameText.size() + " task(s) with this text" + window
                    + " have not been sent yet, so WeCom does not say whether they are for " + target);
        }
        return Outcome.noEffect("no mass-send task" + window + " includes " + target);
    }

    /** The send status of the target in one task, or null when the task does not include it. */
    private static Integer statusOf(WeComClient client, String msgid, String sender, String target) throws ConnectorException {
        List<String> senders = new ArrayList<>();
        if (sender != null) {
            senders.add(sender);
        } else {
            find(client, "/cgi-bin/externalcontact/get_groupmsg_task", JsonHttp.JSON.createObjectNode().put("msgid", msgid)
                    .put("limit", 1000), "task_list", task -> {
                        senders.add(task.path("userid").asText());
                        return false; // read them all
                    });
        }
        for (String userid : senders) {
            JsonNode row = find(client, "/cgi-bin/externalcontact/get_groupmsg_send_result", JsonHttp.JSON.createObjectNode()
                    .put("msgid", msgid).put("userid", userid).put("limit", 1000), "send_list",
                    result -> target.equals(result.path("external_userid").asText(null))
                            || target.equals(result.path("chat_id").asText(null)));
            if (row != null) {
                return row.path("status").asInt();
            }
        }
        return null;
    }

    /** Reads a WeCom list page by page (cursor, next_cursor) up to the first row {@code wanted} accepts. */
    private static JsonNode find(WeComClient client, String path, ObjectNode query, String list, Predicate<JsonNode> wanted)
            throws ConnectorException {
        String cursor = "";
        do {
            JsonNode page = client.post(path, query.put("cursor", cursor));
            for (JsonNode row : page.path(list)) {
                if (wanted.test(row)) {
                    return row;
                }
            }
            cursor = page.path("next_cursor").asText("");
        } while (!cursor.isEmpty());
        return null;
    }
}
