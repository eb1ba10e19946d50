package io.pond.connectors.coupon;

import io.pond.connectors.spi.Input;
import io.pond.connectors.spi.InputType;

/** A WeChat Pay merchant that issues coupons (APIv3), and the platform key its answers are signed with. */
public record WeChatPaySettings(
        @Input(labelEn = "API base URL", labelZh = "接口地址", required = true, defaultValue = "https://api.mch.weixin.qq.com")
        String baseUrl,
        @Input(labelEn = "Merchant id (mchid)", labelZh = "商户号", required = true, pattern = "[0-9]{8,12}",
                patternHint = "the merchant's digits") String mchid,
        @Input(labelEn = "App id bound to the merchant", labelZh = "绑定的 AppID", required = true) String appid,
        @Input(labelEn = "Merchant certificate serial number", labelZh = "商户证书序列号", required = true) String serialNo,
        @Input(labelEn = "Merchant private key (PEM)", labelZh = "商户私钥 (PEM)", type = InputType.SECRET, required = true)
        String privateKey,
        @Input(labelEn = "Platform public key (PEM)", labelZh = "平台公钥 (PEM)", required = true,
                descriptionEn = "Answers are checked against it", descriptionZh = "用于验证应答签名") String platformPublicKey) {
}
