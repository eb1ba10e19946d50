package io.pond.engine.identity;

import java.util.List;

import io.pond.engine.audit.AuditLog;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.PasswordPolicyResult;
import org.camunda.bpm.engine.identity.PasswordPolicyRule;
import org.camunda.bpm.engine.identity.User;

/** A user changes their own password: the current one must be right and the new one must meet the policy. */
public class PasswordChange {

    public enum Outcome { CHANGED, WRONG_CURRENT_PASSWORD, POLICY_VIOLATED }

    /** What happened; {@code violatedRules} is not empty only for {@link Outcome#POLICY_VIOLATED}. */
    public record Result(Outcome outcome, List<PasswordPolicyRule> violatedRules) {
    }

    private final IdentityService identityService;
    private final AuditLog auditLog;

    public PasswordChange(IdentityService identityService, AuditLog auditLog) {
        this.identityService = identityService;
        this.auditLog = auditLog;
    }

    public Result change(String userId, String currentPassword, String newPassword) {
        if (!identityService.checkPassword(userId, currentPassword)) {
            auditLog.record(userId, "PASSWORD_CHANGE_REFUSED", "wrong current password");
            return new Result(Outcome.WRONG_CURRENT_PASSWORD, List.of());
        }
        User user = identityService.createUserQuery().userId(userId).singleResult();
        PasswordPolicyResult policy = identityService.checkPasswordAgainstPolicy(newPassword, user);
        if (!policy.isValid()) {
            return new Result(Outcome.POLICY_VIOLATED, policy.getViolatedRules());
        }
        user.setPassword(newPassword);
        identityService.saveUser(user);
        auditLog.record(userId, "PASSWORD_CHANGED", null);
        return new Result(Outcome.CHANGED, List.of());
    }
}
