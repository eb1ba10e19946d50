package io.pond.engine.identity;

import java.util.Arrays;
import java.util.Optional;

import org.camunda.bpm.engine.authorization.Groups;

/**
 * What a user may do in Pond. Each role is a group in Camunda's identity service, so Pond and
 * Cockpit / Admin share one user store and an administrator assigns roles in Camunda Admin.
 */
public enum PondRole {
    /** Everything, including users, settings and Camunda's webapps. */
    ADMIN("admin", "Administrators"),
    /** Draws and publishes journeys. */
    MARKETING_OPS("marketing-ops", "Marketing operations"),
    /** Edits SOP flows and conditions; cannot publish. */
    ANALYST("analyst", "Business analysts"),
    /** Configures connectors. */
    DEVELOPER("developer", "Developers"),
    /** Reads everything, changes nothing. */
    VIEWER("viewer", "Viewers");

    /** Group type of the groups Pond creates for its roles. */
    public static final String GROUP_TYPE = "POND_ROLE";

    private final String groupId;
    private final String groupName;

    PondRole(String groupId, String groupName) {
        this.groupId = groupId;
        this.groupName = groupName;
    }

    public String groupId() {
        return groupId;
    }

    public String groupName() {
        return groupName;
    }

    /** The Spring Security authority, e.g. {@code ROLE_MARKETING_OPS}; {@code hasRole("MARKETING_OPS")} matches it. */
    public String authority() {
        return "ROLE_" + name();
    }

    /** The role a Camunda group grants; members of Camunda's own {@code camunda-admin} group are admins too. */
    public static Optional<PondRole> ofGroup(String groupId) {
        if (Groups.CAMUNDA_ADMIN.equals(groupId)) {
            return Optional.of(ADMIN);
        }
        return Arrays.stream(values()).filter(role -> role.groupId.equals(groupId)).findFirst();
    }
}
