package io.pond.designer.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/** Every page needs a login unless it says otherwise, and only the login page says otherwise. */
class ViewAccessTest {

    @Test
    void everyRouteDeclaresWhoMayOpenItAndOnlyTheLoginPageIsAnonymous() throws ClassNotFoundException {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(Route.class));
        List<Class<?>> routes = new java.util.ArrayList<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("io.pond")) {
            routes.add(Class.forName(candidate.getBeanClassName()));
        }
        assertThat(routes).hasSizeGreaterThan(5);
        for (Class<?> route : routes) {
            assertThat(route.isAnnotationPresent(PermitAll.class) || route.isAnnotationPresent(RolesAllowed.class)
                    || route.isAnnotationPresent(DenyAll.class) || route.isAnnotationPresent(AnonymousAllowed.class))
                    .as(route.getName() + " declares its access").isTrue();
        }
        assertThat(routes.stream().filter(route -> route.isAnnotationPresent(AnonymousAllowed.class)))
                .containsExactly(LoginView.class);
    }

    @Test
    void settingsAreForAdministratorsAndDevelopersOnly() {
        assertThat(io.pond.designer.views.settings.SettingsView.class.getAnnotation(RolesAllowed.class).value())
                .containsExactlyInAnyOrder("ADMIN", "DEVELOPER");
    }
}
