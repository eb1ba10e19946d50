package io.pond.connectors.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** One input of a connector (a component of its input record) or one of its settings. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Input {

    String labelEn();

    String labelZh();

    /** Derived from the component's Java type when left at {@link InputType#AUTO}. */
    InputType type() default InputType.AUTO;

    boolean required() default false;

    /** A regular expression the whole value must match. */
    String pattern() default "";

    /** What the pattern means, e.g. "a stock id of digits". */
    String patternHint() default "";

    /** Choices of an {@link InputType#ENUM} input typed as String (an enum-typed component uses its constants). */
    String[] choices() default {};

    String defaultValue() default "";

    /** In characters; 0 for no limit. */
    int maxLength() default 0;

    String descriptionEn() default "";

    String descriptionZh() default "";
}
