package io.pond.designer.views;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import io.pond.engine.customer.Identity;
import io.pond.engine.customer.IdentityType;

/** Names and formats shared by the views: enum values in the user's language, times, masked phones. */
public final class Labels {

    private Labels() {
    }

    /** The translation of an enum constant, under the key {@code prefix.CONSTANT}. */
    public static String of(Component component, String prefix, Enum<?> value) {
        return value == null ? "" : component.getTranslation(prefix + "." + value.name());
    }

    public static String time(Instant instant) {
        if (instant == null) {
            return "";
        }
        Locale locale = UI.getCurrent() == null ? Locale.ENGLISH : UI.getCurrent().getLocale();
        return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM).withLocale(locale)
                .withZone(ZoneId.systemDefault()).format(instant);
    }

    /** An identity as the user may see it: phones in full only with the permission to. */
    public static String identity(Identity identity, boolean fullPhones) {
        String value = identity.type() == IdentityType.PHONE && !fullPhones ? IdentityType.maskPhone(identity.value())
                : identity.value();
        return identity.type().key() + ": " + value;
    }
}
