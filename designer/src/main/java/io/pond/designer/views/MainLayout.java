package io.pond.designer.views;

import java.util.stream.Collectors;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.avatar.Avatar;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.menubar.MenuBarVariant;
import com.vaadin.flow.component.contextmenu.MenuItem;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.spring.security.AuthenticationContext;
import io.pond.designer.i18n.LanguageSelection;
import io.pond.designer.i18n.LanguageSwitch;
import io.pond.designer.security.CurrentUser;
import io.pond.designer.views.journeys.JourneysView;
import io.pond.designer.views.customers.CustomersView;
import io.pond.designer.views.segments.SegmentsView;
import io.pond.designer.views.settings.SettingsView;
import io.pond.designer.views.tags.TagsView;
import io.pond.engine.identity.Permission;
import io.pond.engine.identity.PasswordChange;
import io.pond.engine.identity.PondRole;
import io.pond.engine.identity.PondUser;
import jakarta.annotation.security.PermitAll;

/** The shell around every view: navigation, language, the current user and logout. */
@PermitAll
public class MainLayout extends AppLayout {

    private final CurrentUser user;

    public MainLayout(AuthenticationContext authentication, LanguageSelection languages, PasswordChange passwordChange,
            CurrentUser user) {
        this.user = user;
        Image logo = new Image("images/pond-logo.svg", "");
        logo.setHeight("28px");
        Span title = new Span(getTranslation("app.name"));
        title.getStyle().set("font-weight", "600").set("font-size", "var(--lumo-font-size-l)");

        HorizontalLayout navbar = new HorizontalLayout(new DrawerToggle(), logo, title);
        navbar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        navbar.setWidthFull();
        Div spacer = new Div();
        navbar.addAndExpand(spacer);
        navbar.add(new LanguageSwitch(languages), userMenu(authentication, passwordChange));
        navbar.getStyle().set("padding-right", "var(--lumo-space-m)");
        addToNavbar(navbar);

        addToDrawer(navigation(authentication));
        setPrimarySection(Section.DRAWER);
    }

    private SideNav navigation(AuthenticationContext authentication) {
        SideNav nav = new SideNav();
        nav.setId("main-nav");
        nav.addItem(new SideNavItem(getTranslation("nav.home"), HomeView.class, VaadinIcon.HOME.create()));
        nav.addItem(new SideNavItem(getTranslation("nav.journeys"), JourneysView.class, VaadinIcon.ROAD_BRANCHES.create()));
        nav.addItem(new SideNavItem(getTranslation("nav.customers"), CustomersView.class, VaadinIcon.USERS.create()));
        nav.addItem(new SideNavItem(getTranslation("nav.segments"), SegmentsView.class, VaadinIcon.FILTER.create()));
        nav.addItem(new SideNavItem(getTranslation("nav.tags"), TagsView.class, VaadinIcon.TAGS.create()));
        nav.addItem(new SideNavItem(getTranslation("nav.connectors"), ConnectorsView.class, VaadinIcon.CONNECT.create()));
        nav.addItem(new SideNavItem(getTranslation("nav.sandbox"), SandboxView.class, VaadinIcon.FLASK.create()));
        nav.addItem(new SideNavItem(getTranslation("nav.tasks"), TasksView.class, VaadinIcon.TASKS.create()));
        if (user.can(Permission.MANAGE_USERS) || user.can(Permission.MANAGE_API_KEYS)) {
            nav.addItem(new SideNavItem(getTranslation("nav.settings"), SettingsView.class, VaadinIcon.COG.create()));
        }
        if (authentication.hasRole(PondRole.ADMIN.name())) {
            SideNavItem cockpit = new SideNavItem(getTranslation("nav.cockpit"), "/camunda/app/cockpit/default/",
                    VaadinIcon.DASHBOARD.create());
            cockpit.setOpenInNewBrowserTab(true);
            cockpit.setRouterIgnore(true);
            nav.addItem(cockpit);
        }
        return nav;
    }

    private MenuBar userMenu(AuthenticationContext authentication, PasswordChange passwordChange) {
        PondUser user = authentication.getAuthenticatedUser(PondUser.class).orElseThrow();
        String roles = authentication.getGrantedRoles().stream()
                .map(role -> getTranslation("role." + role))
                .sorted()
                .collect(Collectors.joining(", "));

        Avatar avatar = new Avatar(user.displayName());
        avatar.addThemeVariants(com.vaadin.flow.component.avatar.AvatarVariant.LUMO_XSMALL);
        Span name = new Span(user.displayName());
        name.setId("current-user");
        HorizontalLayout who = new HorizontalLayout(avatar, name);
        who.setSpacing(true);
        who.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);

        MenuBar menu = new MenuBar();
        menu.setId("user-menu");
        menu.addThemeVariants(MenuBarVariant.LUMO_TERTIARY_INLINE);
        MenuItem root = menu.addItem(who);
        root.getSubMenu().addItem(getTranslation("user.signedInAs", user.id(), roles.isEmpty() ? "-" : roles))
                .setEnabled(false);
        root.getSubMenu().addItem(getTranslation("user.changePassword"),
                click -> new ChangePasswordDialog(user.id(), passwordChange).open())
                .setId("change-password");
        root.getSubMenu().addItem(getTranslation("user.logout"), click -> authentication.logout())
                .setId("logout");
        return menu;
    }
}
