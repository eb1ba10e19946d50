package io.pond.connectors.wecom;

import io.pond.connectors.spi.Input;
import io.pond.connectors.spi.InputType;

/** How Pond reaches a WeCom corp: a self-built app listed under 客户联系 → 可调用接口的应用, and its callback. */
public record WeComSettings(
        @Input(labelEn = "API base URL", labelZh = "接口地址", required = true, defaultValue = "https://qyapi.weixin.qq.com")
        String baseUrl,
        @Input(labelEn = "Corp id", labelZh = "企业 ID", required = true, pattern = "ww[0-9a-zA-Z]{8,30}",
                patternHint = "a corp id starting with ww")
        String corpId,
        @Input(labelEn = "App secret", labelZh = "应用 Secret", type = InputType.SECRET, required = true)
        String secret,
        @Input(labelEn = "Callback token", labelZh = "回调 Token", type = InputType.SECRET)
        String callbackToken,
        @Input(labelEn = "Callback EncodingAESKey", labelZh = "回调 EncodingAESKey", type = InputType.SECRET,
                pattern = "[A-Za-z0-9]{43}", patternHint = "43 letters and digits")
        String encodingAesKey) {
}
