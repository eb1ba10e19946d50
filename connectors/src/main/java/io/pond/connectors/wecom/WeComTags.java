package io.pond.connectors.wecom;

import java.util.Arrays;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pond.connectors.http.JsonHttp;
import io.pond.connectors.spi.BusinessConnectorException;
import io.pond.connectors.spi.Connector;
import io.pond.connectors.spi.ConnectorContext;
import io.pond.connectors.spi.ConnectorException;
import io.pond.connectors.spi.ConnectorType;
import io.pond.connectors.spi.Input;

/** Marks or unmarks WeCom corp tags on the customer, as seen by one staff member (mark_tag). */
@ConnectorType(id = "wecom.tag.mark", nameEn = "WeCom tags", nameZh = "企业微信标签",
        descriptionEn = "Adds and removes corp tags on the customer in WeCom.", descriptionZh = "在企业微信中为客户添加或移除企业标签。",
        icon = "/connectors/wecom.svg", group = "customer", settings = WeComSettings.class,
        // marking a tag that is already there changes nothing
        idempotent = true)
public class WeComTags implements Connector<WeComTags.TagInput> {

    public record TagInput(
            @Input(labelEn = "Staff member (userid)", labelZh = "员工 (userid)", required = true, defaultValue = "${customer.owner}")
            String userid,
            @Input(labelEn = "Tags to add (ids, comma-separated)", labelZh = "添加的标签 ID（逗号分隔）") String addTags,
            @Input(labelEn = "Tags to remove (ids, comma-separated)", labelZh = "移除的标签 ID（逗号分隔）") String removeTags) {
    }

    @Override
    public Map<String, Object> execute(TagInput input, ConnectorContext context) throws ConnectorException {
        String customer = context.customer().flatMap(c -> c.identity("wecom_external_userid")).orElseThrow(() ->
                new BusinessConnectorException("WECOM_NO_EXTERNAL_USERID", "The customer has no WeCom external_userid"));
        ObjectNode body = JsonHttp.JSON.createObjectNode();
        body.put("userid", input.userid());
        body.put("external_userid", customer);
        fill(body.putArray("add_tag"), input.addTags());
        fill(body.putArray("remove_tag"), input.removeTags());
        if (body.path("add_tag").isEmpty() && body.path("remove_tag").isEmpty()) {
            throw new IllegalArgumentException("Name at least one tag to add or remove");
        }
        WeComClient.of(context.settings(WeComSettings.class), context.clock()).post("/cgi-bin/externalcontact/mark_tag", body);
        return Map.of();
    }

    private static void fill(ArrayNode array, String ids) {
        if (ids != null) {
            Arrays.stream(ids.split("[,，\\s]+")).filter(id -> !id.isBlank()).forEach(array::add);
        }
    }
}
