package io.pond.designer.views;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import io.pond.designer.i18n.LanguageSelection;
import io.pond.designer.i18n.LanguageSwitch;

/** The only page open without a login. */
@Route("login")
@AnonymousAllowed
public class LoginView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    final LoginForm form = new LoginForm();

    public LoginView(LanguageSelection languages) {
        setSizeFull();
        setAlignItems(FlexComponent.Alignment.CENTER);
        setJustifyContentMode(FlexComponent.JustifyContentMode.CENTER);

        HorizontalLayout top = new HorizontalLayout(new LanguageSwitch(languages));
        top.setWidthFull();
        top.setJustifyContentMode(FlexComponent.JustifyContentMode.END);

        Image logo = new Image("images/pond-logo.svg", "");
        logo.setHeight("56px");
        H1 name = new H1(getTranslation("app.name"));
        name.getStyle().set("margin", "0");
        Paragraph tagline = new Paragraph(getTranslation("app.tagline"));
        tagline.getStyle().set("color", "var(--lumo-secondary-text-color)").set("margin-top", "0");

        form.setAction("login");
        form.setForgotPasswordButtonVisible(false);
        form.setI18n(i18n());

        VerticalLayout center = new VerticalLayout(logo, name, tagline, form);
        center.setAlignItems(FlexComponent.Alignment.CENTER);
        center.setSpacing(false);
        center.setWidth("auto");
        add(top, center);
        setFlexGrow(1, center);
    }

    private LoginI18n i18n() {
        LoginI18n i18n = LoginI18n.createDefault();
        i18n.getForm().setTitle(getTranslation("login.title"));
        i18n.getForm().setUsername(getTranslation("login.username"));
        i18n.getForm().setPassword(getTranslation("login.password"));
        i18n.getForm().setSubmit(getTranslation("login.submit"));
        i18n.getErrorMessage().setTitle(getTranslation("login.error.title"));
        i18n.getErrorMessage().setMessage(getTranslation("login.error.message"));
        LoginI18n.ErrorMessage errors = i18n.getErrorMessage();
        errors.setUsername(getTranslation("login.error.username"));
        errors.setPassword(getTranslation("login.error.password"));
        return i18n;
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        form.setError(event.getLocation().getQueryParameters().getParameters().containsKey("error"));
    }

    @Override
    public String getPageTitle() {
        return getTranslation("login.pageTitle");
    }
}
