package io.pond.engine.identity;

import java.util.stream.Collectors;

import io.pond.engine.audit.AuditLog;
import io.pond.engine.config.SettingException;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.PasswordPolicyResult;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs once the engine is built: makes sure the role groups exist and, on the first start, creates the
 * administrator. There is no default password: an unset {@code POND_ADMIN_PASSWORD} gets a random one,
 * printed once; a password that breaks the password policy stops the start with the rules it broke.
 */
public class IdentityBootstrap extends AbstractProcessEnginePlugin {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityBootstrap.class);
    static final int GENERATED_PASSWORD_LENGTH = 20;

    private final PondAdminProperties admin;
    private final AuditLog auditLog;

    public IdentityBootstrap(PondAdminProperties admin, AuditLog auditLog) {
        this.admin = admin;
        this.auditLog = auditLog;
    }

    @Override
    public void postProcessEngineBuild(ProcessEngine engine) {
        IdentityService identity = engine.getIdentityService();
        for (PondRole role : PondRole.values()) {
            ensureGroup(identity, role.groupId(), role.groupName(), PondRole.GROUP_TYPE);
        }
        // Camunda's webapps look for this group: without a member, Admin offers a public "create first user" page.
        ensureGroup(identity, Groups.CAMUNDA_ADMIN, "Camunda administrators", Groups.GROUP_TYPE_SYSTEM);
        if (identity.createUserQuery().userId(admin.user()).count() == 0) {
            createAdmin(identity);
        }
    }

    private void createAdmin(IdentityService identity) {
        boolean generated = !admin.hasPassword();
        String password = generated ? GeneratedPasswords.generate(GENERATED_PASSWORD_LENGTH) : admin.password();
        User user = identity.newUser(admin.user());
        user.setFirstName("Administrator");
        PasswordPolicyResult policy = identity.checkPasswordAgainstPolicy(password, user);
        if (!policy.isValid()) {
            throw new SettingException("POND_ADMIN_PASSWORD (pond.admin.password) does not meet the password policy: "
                    + policy.getViolatedRules().stream()
                            .map(rule -> rule.getParameters() == null || rule.getParameters().isEmpty()
                                    ? rule.getPlaceholder() : rule.getPlaceholder() + " " + rule.getParameters())
                            .collect(Collectors.joining(", "))
                    + ". Use at least 10 characters with upper- and lower-case letters, a digit and a special"
                    + " character, not containing the user name.");
        }
        user.setPassword(password);
        try {
            identity.saveUser(user);
        } catch (ProcessEngineException e) {
            if (identity.createUserQuery().userId(admin.user()).count() > 0) {
                return; // another node created it at the same moment
            }
            throw new IllegalStateException("Cannot create the administrator '" + admin.user()
                    + "' (POND_ADMIN_USER): " + e.getMessage(), e);
        }
        identity.createMembership(admin.user(), PondRole.ADMIN.groupId());
        identity.createMembership(admin.user(), Groups.CAMUNDA_ADMIN);
        auditLog.record(null, "ADMIN_CREATED", "user=" + admin.user() + (generated ? ", password generated" : ""));
        if (generated) {
            LOG.warn("""

                    ==================================================================
                      Pond created the administrator '{}' with this password:

                          {}

                      It is shown only this once. Log in and change it from the
                      user menu, or set POND_ADMIN_PASSWORD before a first start.
                    ==================================================================""",
                    admin.user(), password);
        } else {
            LOG.info("Created the administrator '{}' with the password from POND_ADMIN_PASSWORD", admin.user());
        }
    }

    private static void ensureGroup(IdentityService identity, String id, String name, String type) {
        if (identity.createGroupQuery().groupId(id).count() > 0) {
            return;
        }
        Group group = identity.newGroup(id);
        group.setName(name);
        group.setType(type);
        try {
            identity.saveGroup(group);
        } catch (ProcessEngineException e) {
            if (identity.createGroupQuery().groupId(id).count() == 0) {
                throw e;
            }
        }
    }
}
