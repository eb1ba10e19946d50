package io.pond.engine.identity;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/** What a role allows; the UI and the services ask for a permission, never for a role. */
public enum Permission {
    /** See phone numbers in full; everyone else sees them masked. */
    VIEW_PHONE_NUMBERS(PondRole.ADMIN, PondRole.MARKETING_OPS),
    /** Change profiles, tags on customers and consent by hand. */
    EDIT_CUSTOMERS(PondRole.ADMIN, PondRole.MARKETING_OPS),
    /** Import customers from CSV and export segments. */
    IMPORT_EXPORT(PondRole.ADMIN, PondRole.MARKETING_OPS),
    /** Create tags and auto-tag rules (rules are conditions, which analysts write). */
    EDIT_TAGS_AND_RULES(PondRole.ADMIN, PondRole.MARKETING_OPS, PondRole.ANALYST),
    /** Build and save segments. */
    EDIT_SEGMENTS(PondRole.ADMIN, PondRole.MARKETING_OPS, PondRole.ANALYST),
    /** Declare custom attributes. */
    MANAGE_ATTRIBUTES(PondRole.ADMIN),
    /** Create and revoke the API keys other systems call Pond with. */
    MANAGE_API_KEYS(PondRole.ADMIN, PondRole.DEVELOPER),
    /** Enter the endpoints and credentials of WeCom, WeChat Pay, the CRM and webhooks. */
    CONFIGURE_CONNECTORS(PondRole.ADMIN, PondRole.DEVELOPER),
    /** Settle a delivery whose fate is unknown (sent or send again), after checking with the remote side. */
    RESOLVE_DELIVERIES(PondRole.ADMIN, PondRole.MARKETING_OPS, PondRole.DEVELOPER),
    /** Play the customer in the sandbox (simulate a QR scan) and reset it. */
    USE_SANDBOX(PondRole.ADMIN, PondRole.MARKETING_OPS, PondRole.DEVELOPER),
    /** Draw and save journeys and SOP flows. */
    EDIT_JOURNEYS(PondRole.ADMIN, PondRole.MARKETING_OPS, PondRole.ANALYST, PondRole.DEVELOPER),
    /** Publish, pause, resume and archive journeys: what customers receive changes. */
    PUBLISH_JOURNEYS(PondRole.ADMIN, PondRole.MARKETING_OPS, PondRole.DEVELOPER),
    /** Write Groovy conditions: scripts are code; everyone else uses the rule builder. */
    WRITE_SCRIPTS(PondRole.ADMIN, PondRole.DEVELOPER),
    /** See and complete every staff task, also those nobody else can take (no assignee, or a login that is gone). */
    HANDLE_ALL_TASKS(PondRole.ADMIN),
    /** Manage users and roles, and read the audit log. */
    MANAGE_USERS(PondRole.ADMIN);

    private final Set<PondRole> roles;

    Permission(PondRole... roles) {
        this.roles = EnumSet.of(roles[0], roles);
    }

    public boolean grantedTo(Collection<PondRole> userRoles) {
        return userRoles.stream().anyMatch(roles::contains);
    }

    public Set<PondRole> roles() {
        return roles;
    }
}
