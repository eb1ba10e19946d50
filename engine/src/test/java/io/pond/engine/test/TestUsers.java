package io.pond.engine.test;

import io.pond.engine.identity.PondRole;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;

/** Users for tests, created once per database; their passwords must meet the password policy. */
public final class TestUsers {

    private TestUsers() {
    }

    /** Creates the user with the given role unless a user with that id exists already. */
    public static void ensure(IdentityService identity, String id, String password, PondRole role) {
        if (identity.createUserQuery().userId(id).count() > 0) {
            return;
        }
        User user = identity.newUser(id);
        user.setFirstName(id.substring(0, 1).toUpperCase() + id.substring(1));
        user.setPassword(password);
        identity.saveUser(user);
        identity.createMembership(id, role.groupId());
    }
}
