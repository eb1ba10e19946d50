package io.pond.designer.i18n;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

import com.vaadin.flow.i18n.I18NProvider;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Every text of the UI, from {@code i18n/messages*.properties}: English (the root bundle) and
 * Simplified Chinese. Vaadin picks the one that matches the browser; other languages get English.
 */
@Component
public class PondI18NProvider implements I18NProvider {

    public static final Locale ENGLISH = Locale.ENGLISH;
    public static final Locale SIMPLIFIED_CHINESE = Locale.SIMPLIFIED_CHINESE;
    static final String BUNDLE = "i18n/messages";

    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    @Override
    public List<Locale> getProvidedLocales() {
        return List.of(ENGLISH, SIMPLIFIED_CHINESE);
    }

    @Override
    public String getTranslation(String key, Locale locale, Object... params) {
        ResourceBundle bundle = bundle(locale);
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            LoggerFactory.getLogger(PondI18NProvider.class).warn("No text for key '{}' ({})", key, locale);
            return "!" + key + "!";
        }
        return params.length == 0 ? pattern : new MessageFormat(pattern, bundle.getLocale()).format(params);
    }

    /** Chinese for any Chinese locale, English for everything else. */
    static ResourceBundle bundle(Locale locale) {
        Locale supported = locale != null && "zh".equals(locale.getLanguage()) ? SIMPLIFIED_CHINESE : Locale.ROOT;
        return ResourceBundle.getBundle(BUNDLE, supported, NO_FALLBACK);
    }
}
