package io.pond.connectors.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a connector: what it is called, in English and Chinese, and what it returns. Together with
 * the {@link Input} annotations on its input record, this one declaration drives publish-time
 * validation, the designer's properties form and the exported Camunda element template.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ConnectorType {

    /** {@code <system>.<object>.<verb>}, e.g. {@code wecom.welcome-message.send}; never reused for another shape. */
    String id();

    /** Raised when the inputs change incompatibly; old versions stay registered so old diagrams still run. */
    int version() default 1;

    String nameEn();

    String nameZh();

    String descriptionEn();

    String descriptionZh();

    /** A classpath resource with an SVG icon, e.g. {@code /connectors/wecom.svg}; empty for none. */
    String icon() default "";

    /** The palette group: messaging, coupon, crm, webhook, customer. */
    String group();

    /**
     * The consent channel (WECOM, SMS, EMAIL...) when the connector reaches a customer: such a send is
     * checked against consent, the frequency cap and quiet hours first. Empty when it does not.
     */
    String channel() default "";

    /**
     * Whether the remote side deduplicates calls by {@link ConnectorContext#idempotencyKey()} (as WeChat Pay does
     * with out_request_no). Only then may a step whose earlier attempt ended without an answer call again;
     * otherwise Pond stops and shows the step as ambiguous rather than risk a second send.
     */
    boolean idempotent() default false;

    /** The connector's settings (endpoint, credentials), shared by all its steps; {@link NoSettings} for none. */
    Class<? extends Record> settings() default NoSettings.class;

    Output[] outputs() default {};

    /** One value the connector returns, stored as a process variable named by the step (default: the name). */
    @interface Output {
        String name();

        String descriptionEn();

        String descriptionZh();
    }

    /** Settings of a connector that needs none. */
    record NoSettings() {
    }
}
