package io.pond.engine.identity;

import java.io.Serializable;
import java.security.Principal;

/** The principal of a logged-in user: the Camunda user id and a name to show. */
public record PondUser(String id, String displayName) implements Principal, Serializable {

    @Override
    public String getName() {
        return id;
    }
}
