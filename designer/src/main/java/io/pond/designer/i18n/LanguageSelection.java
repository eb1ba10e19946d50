package io.pond.designer.i18n;

import java.util.Locale;
import java.util.Optional;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import com.vaadin.flow.server.VaadinSession;
import io.pond.engine.user.UserPreferences;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Which language a UI speaks: the one the user chose (kept with the user, so it follows them to other
 * browsers), else the one the browser asks for. A choice made on the login page becomes the user's choice.
 */
@Component
public class LanguageSelection implements VaadinServiceInitListener {

    private static final String CHOSEN = LanguageSelection.class.getName() + ".chosen";
    private static final String LOADED_FOR = LanguageSelection.class.getName() + ".loadedFor";

    private final UserPreferences preferences;

    public LanguageSelection(UserPreferences preferences) {
        this.preferences = preferences;
    }

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addUIInitListener(init -> apply(init.getUI()));
    }

    /** Switches the current session to {@code locale} and remembers it for the logged-in user. */
    public void choose(Locale locale) {
        VaadinSession session = VaadinSession.getCurrent();
        session.setAttribute(CHOSEN, locale);
        session.setLocale(locale);
        currentUser().ifPresent(user -> preferences.saveLocale(user, locale));
    }

    private void apply(UI ui) {
        VaadinSession session = ui.getSession();
        Optional<String> user = currentUser();
        if (user.isPresent() && !user.get().equals(session.getAttribute(LOADED_FOR))) {
            session.setAttribute(LOADED_FOR, user.get());
            Locale chosenBeforeLogin = (Locale) session.getAttribute(CHOSEN);
            if (chosenBeforeLogin != null) {
                preferences.saveLocale(user.get(), chosenBeforeLogin);
            } else {
                preferences.locale(user.get()).ifPresent(saved -> session.setAttribute(CHOSEN, saved));
            }
        }
        Locale chosen = (Locale) session.getAttribute(CHOSEN);
        if (chosen != null) {
            ui.setLocale(chosen);
        }
    }

    private static Optional<String> currentUser() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken) {
            return Optional.empty();
        }
        return Optional.of(authentication.getName());
    }
}
