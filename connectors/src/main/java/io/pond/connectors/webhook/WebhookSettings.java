package io.pond.connectors.webhook;

import io.pond.connectors.spi.Input;
import io.pond.connectors.spi.InputType;

/** The secret every webhook body is signed with, for receivers to check. */
public record WebhookSettings(
        @Input(labelEn = "Signing secret", labelZh = "签名密钥", type = InputType.SECRET, required = true) String signingSecret) {
}
