package io.pond.engine;

import java.time.Clock;

import io.pond.engine.audit.AuditLog;
import io.pond.engine.audit.SecurityAuditListener;
import io.pond.engine.identity.CamundaIdentityAuthenticationProvider;
import io.pond.engine.identity.IdentityBootstrap;
import io.pond.engine.identity.PasswordChange;
import io.pond.engine.identity.PondAdminProperties;
import io.pond.engine.security.EngineSecurityConfiguration;
import io.pond.engine.user.UserPreferences;
import io.pond.engine.web.StartupReport;
import org.camunda.bpm.engine.IdentityService;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/** Wires Pond's engine module: identity, security of Camunda's endpoints, audit and user settings. */
@AutoConfiguration
@EnableConfigurationProperties(PondAdminProperties.class)
@Import({EngineSecurityConfiguration.class, CustomerDataConfiguration.class, ConnectorConfiguration.class,
        JourneyConfiguration.class})
public class PondEngineAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return new EngineClock(java.time.ZoneId.systemDefault());
    }

    @Bean
    AuditLog auditLog(JdbcTemplate jdbc, Clock clock) {
        return new AuditLog(jdbc, clock);
    }

    @Bean
    SecurityAuditListener securityAuditListener(AuditLog auditLog) {
        return new SecurityAuditListener(auditLog);
    }

    @Bean
    IdentityBootstrap identityBootstrap(PondAdminProperties admin, AuditLog auditLog) {
        return new IdentityBootstrap(admin, auditLog);
    }

    @Bean
    CamundaIdentityAuthenticationProvider camundaIdentityAuthenticationProvider(IdentityService identityService) {
        return new CamundaIdentityAuthenticationProvider(identityService);
    }

    @Bean
    PasswordChange passwordChange(IdentityService identityService, AuditLog auditLog) {
        return new PasswordChange(identityService, auditLog);
    }

    @Bean
    UserPreferences userPreferences(JdbcTemplate jdbc, Clock clock) {
        return new UserPreferences(jdbc, clock);
    }

    @Bean
    HistoryCleanupWindow historyCleanupWindow(@Value("${pond.history.cleanup-from}") String from,
            @Value("${pond.history.cleanup-until}") String until) {
        return new HistoryCleanupWindow(from, until);
    }

    @Bean
    StartupReport startupReport() {
        return new StartupReport();
    }
}
