package io.pond.connectors.crm;

import io.pond.connectors.spi.Input;
import io.pond.connectors.spi.InputType;

/** A CRM with a REST API: its address and the header that authenticates Pond. */
public record RestCrmSettings(
        @Input(labelEn = "API base URL", labelZh = "接口地址", required = true, pattern = "https?://\\S+",
                patternHint = "an http(s) address") String baseUrl,
        @Input(labelEn = "Authentication header", labelZh = "认证请求头", defaultValue = "Authorization") String authHeader,
        @Input(labelEn = "Authentication value", labelZh = "认证值", type = InputType.SECRET,
                descriptionEn = "e.g. Bearer <token>", descriptionZh = "例如 Bearer <token>") String authValue) {
}
