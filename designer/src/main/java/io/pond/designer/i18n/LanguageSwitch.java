package io.pond.designer.i18n;

import java.util.Locale;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.select.Select;

/** A drop-down of the UI languages, each named in its own language; choosing one reloads the page in it. */
public class LanguageSwitch extends Select<Locale> {

    public LanguageSwitch(LanguageSelection selection) {
        setId("language-switch");
        setItems(PondI18NProvider.ENGLISH, PondI18NProvider.SIMPLIFIED_CHINESE);
        setItemLabelGenerator(locale -> "zh".equals(locale.getLanguage()) ? "中文" : "English");
        setWidth("7.5em");
        getElement().setAttribute("aria-label", getTranslation("language.switch"));
        addAttachListener(attach -> setValue(
                "zh".equals(attach.getUI().getLocale().getLanguage()) ? PondI18NProvider.SIMPLIFIED_CHINESE
                        : PondI18NProvider.ENGLISH));
        addValueChangeListener(change -> {
            if (change.isFromClient() && change.getValue() != null) {
                selection.choose(change.getValue());
                UI.getCurrent().getPage().reload();
            }
        });
    }
}
