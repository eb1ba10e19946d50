package io.pond.connectors.wecom;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pond.connectors.http.JsonHttp;
import io.pond.connectors.spi.Connector;
import io.pond.connectors.spi.ConnectorContext;
import io.pond.connectors.spi.ConnectorException;
import io.pond.connectors.spi.ConnectorType;
import io.pond.connectors.spi.Input;
import io.pond.connectors.spi.InputType;

/** The welcome message (欢迎语) to a customer who just added a staff member: one use of the event's welcome_code. */
@ConnectorType(id = "wecom.welcome-message.send", nameEn = "WeCom welcome message", nameZh = "企业微信欢迎语",
        descriptionEn = "Sends the welcome message to a new contact; the welcome code is valid for 20 seconds.",
        descriptionZh = "向新添加的客户发送欢迎语；welcome_code 有效期 20 秒。",
        icon = "/connectors/wecom.svg", group = "messaging", channel = "WECOM", settings = WeComSettings.class,
        // WeCom takes a welcome code once (a second use is 41051): calling again can never greet twice
        idempotent = true)
public class WeComWelcomeMessage implements Connector<WeComWelcomeMessage.WelcomeInput> {

    public record WelcomeInput(
            @Input(labelEn = "Welcome code", labelZh = "欢迎语 code", required = true, defaultValue = "${journey.welcome_code}",
                    descriptionEn = "From the contact_added event that started the journey",
                    descriptionZh = "来自触发旅程的 contact_added 事件") String welcomeCode,
            @Input(labelEn = "Text", labelZh = "文本", type = InputType.TEMPLATE, maxLength = 4000) String text,
            @Input(labelEn = "Link title", labelZh = "链接标题", maxLength = 128) String linkTitle,
            @Input(labelEn = "Link URL", labelZh = "链接地址", maxLength = 2048, pattern = "https?://\\S+",
                    patternHint = "an http(s) address") String linkUrl) {
    }

    @Override
    public Map<String, Object> execute(WelcomeInput input, ConnectorContext context) throws ConnectorException {
        ObjectNode body = JsonHttp.JSON.createObjectNode();
        body.put("welcome_code", input.welcomeCode());
        if (input.text() != null && !input.text().isBlank()) {
            body.putObject("text").put("content", input.text());
        }
        if (input.linkUrl() != null && !input.linkUrl().isBlank()) {
            ObjectNode link = body.putArray("attachments").addObject().put("msgtype", "link").putObject("link");
            link.put("title", input.linkTitle() == null ? input.linkUrl() : input.linkTitle());
            link.put("url", input.linkUrl());
        }
        if (!body.has("text") && !body.has("attachments")) {
            throw new IllegalArgumentException("A welcome message needs a text or a link");
        }
        WeComClient.of(context.settings(WeComSettings.class), context.clock())
                .post("/cgi-bin/externalcontact/send_welcome_msg", body);
        return Map.of();
    }

}
