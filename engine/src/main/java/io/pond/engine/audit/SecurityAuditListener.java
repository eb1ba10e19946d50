package io.pond.engine.audit;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.security.authentication.event.LogoutSuccessEvent;

/**
 * Writes logins, failed logins and logouts to the audit log. Successful HTTP Basic calls are not
 * logged: each API request authenticates, and the log would drown in them.
 */
public class SecurityAuditListener {

    private final AuditLog auditLog;

    public SecurityAuditListener(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @EventListener
    public void onLogin(InteractiveAuthenticationSuccessEvent event) {
        auditLog.record(event.getAuthentication().getName(), "LOGIN", null);
    }

    @EventListener
    public void onFailure(AbstractAuthenticationFailureEvent event) {
        auditLog.record(event.getAuthentication().getName(), "LOGIN_FAILED", event.getException().getMessage());
    }

    @EventListener
    public void onLogout(LogoutSuccessEvent event) {
        auditLog.record(event.getAuthentication().getName(), "LOGOUT", null);
    }
}
