package io.pond.designer.security;

import java.util.Set;
import java.util.stream.Collectors;

import com.vaadin.flow.spring.security.AuthenticationContext;
import io.pond.engine.identity.Permission;
import io.pond.engine.identity.PondRole;
import io.pond.engine.identity.PondUser;
import org.springframework.stereotype.Component;

/** The logged-in user as the views need them: who, and what they may do. */
@Component
public class CurrentUser {

    private final AuthenticationContext authentication;

    public CurrentUser(AuthenticationContext authentication) {
        this.authentication = authentication;
    }

    public String id() {
        return authentication.getPrincipalName().orElse("anonymous");
    }

    public String displayName() {
        return authentication.getAuthenticatedUser(PondUser.class).map(PondUser::displayName).orElse(id());
    }

    public Set<PondRole> roles() {
        return authentication.getGrantedRoles().stream()
                .flatMap(role -> java.util.Arrays.stream(PondRole.values()).filter(r -> r.name().equals(role)))
                .collect(Collectors.toSet());
    }

    public boolean can(Permission permission) {
        return permission.grantedTo(roles());
    }
}
