package io.pond.designer.views;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import io.pond.engine.identity.PondUser;
import jakarta.annotation.security.PermitAll;
import org.camunda.bpm.engine.ProcessEngine;

/** The first page after login: what runs right now. */
@Route(value = "", layout = MainLayout.class)
@PermitAll
public class HomeView extends VerticalLayout implements HasDynamicTitle {

    public HomeView(AuthenticationContext authentication, ProcessEngine engine) {
        setId("home-view");
        String name = authentication.getAuthenticatedUser(PondUser.class).map(PondUser::displayName).orElse("");
        H2 welcome = new H2(getTranslation("home.welcome", name));
        welcome.setId("home-welcome");
        Paragraph intro = new Paragraph(getTranslation("home.intro"));

        FlexLayout figures = new FlexLayout(
                figure("home.figure.journeys",
                        engine.getRepositoryService().createProcessDefinitionQuery().latestVersion().active().count()),
                figure("home.figure.inJourney",
                        engine.getRuntimeService().createProcessInstanceQuery().active().count()),
                figure("home.figure.incidents",
                        engine.getRuntimeService().createIncidentQuery().count()));
        figures.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        figures.getStyle().set("gap", "var(--lumo-space-m)");
        add(welcome, intro, figures);
    }

    private Div figure(String labelKey, long value) {
        Span number = new Span(String.format("%,d", value));
        number.getStyle().set("font-size", "var(--lumo-font-size-xxxl)").set("font-weight", "600");
        Span label = new Span(getTranslation(labelKey));
        label.getStyle().set("color", "var(--lumo-secondary-text-color)");
        Div card = new Div(number, new Div(label));
        card.getStyle().set("padding", "var(--lumo-space-m) var(--lumo-space-l)")
                .set("border-radius", "var(--lumo-border-radius-l)")
                .set("background", "var(--lumo-contrast-5pct)")
                .set("min-width", "12em");
        return card;
    }

    @Override
    public String getPageTitle() {
        return getTranslation("nav.home") + " · " + getTranslation("app.name");
    }
}
