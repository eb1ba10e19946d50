package io.pond.connectors.wecom;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pond.connectors.http.JsonHttp;
import io.pond.connectors.spi.Connector;
import io.pond.connectors.spi.ConnectorContext;
import io.pond.connectors.spi.ConnectorException;
import io.pond.connectors.spi.ConnectorType;
import io.pond.connectors.spi.Input;

/** A channel QR code (渠道活码) for one staff member; its state comes back on every contact added through it. */
@ConnectorType(id = "wecom.contact-way.create", nameEn = "WeCom channel QR code", nameZh = "企业微信渠道活码",
        descriptionEn = "Creates a 'contact me' QR code whose state tells where a new contact came from.",
        descriptionZh = "创建「联系我」二维码，state 标明新客户的来源渠道。",
        icon = "/connectors/wecom.svg", group = "customer", settings = WeComSettings.class,
        outputs = {@ConnectorType.Output(name = "configId", descriptionEn = "the contact way's config id", descriptionZh = "配置 ID"),
                @ConnectorType.Output(name = "qrCode", descriptionEn = "the QR code image URL", descriptionZh = "二维码图片地址")})
public class WeComContactWay implements Connector<WeComContactWay.ContactWayInput> {

    public record ContactWayInput(
            @Input(labelEn = "Staff member (userid)", labelZh = "员工 (userid)", required = true) String userid,
            @Input(labelEn = "State (source)", labelZh = "渠道标识 state", required = true, maxLength = 30,
                    pattern = "[A-Za-z0-9_\\-]+", patternHint = "letters, digits, _ and -, at most 30") String state,
            @Input(labelEn = "Remark", labelZh = "备注", maxLength = 30) String remark,
            @Input(labelEn = "Add without confirmation", labelZh = "无需验证即可添加", defaultValue = "true") boolean skipVerify) {
    }

    @Override
    public Map<String, Object> execute(ContactWayInput input, ConnectorContext context) throws ConnectorException {
        ObjectNode body = JsonHttp.JSON.createObjectNode();
        body.put("type", 1);
        body.put("scene", 2);
        body.put("state", input.state());
        body.put("skip_verify", input.skipVerify());
        if (input.remark() != null) {
            body.put("remark", input.remark());
        }
        body.putArray("user").add(input.userid());
        JsonNode answer = WeComClient.of(context.settings(WeComSettings.class), context.clock())
                .post("/cgi-bin/externalcontact/add_contact_way", body);
        return Map.of("configId", answer.path("config_id").asText(), "qrCode", answer.path("qr_code").asText());
    }
}
