package io.pond.engine;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.pond.connectors.http.JsonHttp;
import io.pond.connectors.spi.Connector;
import io.pond.engine.audit.AuditLog;
import io.pond.engine.config.SettingException;
import io.pond.engine.connector.ConnectorRegistry;
import io.pond.engine.connector.ConnectorSettings;
import io.pond.engine.connector.ConnectorStep;
import io.pond.engine.connector.ConnectorStepChecks;
import io.pond.engine.connector.Deliveries;
import io.pond.engine.connector.DeliveryResolution;
import io.pond.engine.connector.ElementTemplateController;
import io.pond.engine.connector.SendPolicy;
import io.pond.engine.connector.StepFailures;
import io.pond.engine.connector.pond.PondCustomerActions;
import io.pond.engine.customer.Consents;
import io.pond.engine.customer.CustomerAttributes;
import io.pond.engine.customer.CustomerDirectory;
import io.pond.engine.customer.CustomerTags;
import io.pond.engine.sandbox.Sandbox;
import io.pond.engine.secret.SecretBox;
import io.pond.engine.wecom.WeComCallbackController;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.TaskService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** Connectors: the registry, the step that runs them, deliveries, the send policy, settings and the sandbox. */
@Configuration(proxyBeanMethods = false)
@Import({ElementTemplateController.class, Sandbox.Controllers.class, WeComCallbackController.class})
class ConnectorConfiguration {

    /** Timestamps and nonces of signed callbacks (WeCom's), so a recorded one cannot be sent again. */
    @Bean
    io.pond.engine.security.ReplayGuard replayGuard(org.springframework.jdbc.core.JdbcTemplate jdbc, java.time.Clock clock) {
        return new io.pond.engine.security.ReplayGuard(jdbc, clock);
    }

    @Bean
    SecretBox secretBox(@Value("${pond.secret-key:}") String key, @Value("${pond.data-dir:./pond-data}") String dataDir) {
        return SecretBox.from(key, Path.of(dataDir));
    }

    /**
     * A step's calls (a token, the call, a reconciliation's queries) must end well before its job lock runs out: once
     * it has, another node may take the job and call again while the first call is still waiting for its answer.
     */
    @Bean
    ConnectorRegistry connectorRegistry(ObjectProvider<Connector<?>> connectors,
            @Value("${pond.connectors.request-timeout:PT10S}") Duration requestTimeout,
            @Value("${camunda.bpm.job-execution.lock-time-in-millis:300000}") long lockTime) {
        // its own limits first (at most a minute): raising the lock cannot help a timeout beyond them
        try {
            JsonHttp.requestTimeout(requestTimeout);
        } catch (IllegalArgumentException e) {
            throw new SettingException(e.getMessage(), e);
        }
        if (Duration.ofMillis(lockTime).compareTo(requestTimeout.multipliedBy(3)) < 0) {
            throw new SettingException("The job lock (camunda.bpm.job-execution.lock-time-in-millis = " + lockTime
                    + " ms) must be at least three times the connectors' request timeout (POND_CONNECTORS_REQUEST_TIMEOUT,"
                    + " pond.connectors.request-timeout = " + requestTimeout + "): a step still waiting for an answer when its"
                    + " lock runs out can be run again by another node and send twice. Lower the timeout or raise the lock.");
        }
        return ConnectorRegistry.discover(connectors.orderedStream().toList());
    }

    @Bean
    Sandbox sandbox(JdbcTemplate jdbc, Clock clock, Environment environment) {
        return new Sandbox(jdbc, clock, environment);
    }

    @Bean
    ConnectorSettings connectorSettings(JdbcTemplate jdbc, SecretBox secrets, Sandbox sandbox, AuditLog auditLog, Clock clock) {
        return new ConnectorSettings(jdbc, secrets, sandbox, auditLog, clock);
    }

    /**
     * A connector step holds two connections at once: its job's, and its delivery record's own short transaction. With
     * no more connections than job threads, every thread can hold one and wait for a second that never comes free.
     */
    @Bean
    Deliveries deliveries(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock, DataSource dataSource,
            @Value("${camunda.bpm.job-execution.enabled:true}") boolean jobsRunHere,
            @Value("${camunda.bpm.job-execution.max-pool-size:10}") int jobThreads) {
        if (jobsRunHere && dataSource instanceof HikariDataSource pool && pool.getMaximumPoolSize() <= jobThreads) {
            throw new SettingException("The database pool (spring.datasource.hikari.maximum-pool-size = "
                    + pool.getMaximumPoolSize() + ") must have more connections than the job executor has threads"
                    + " (camunda.bpm.job-execution.max-pool-size = " + jobThreads + "): a connector step holds two"
                    + " connections at once, so every thread could hold one and wait for a second, and no step would be"
                    + " sent. Give the pool twice the threads and a few more (Pond's defaults: 40 for 16).");
        }
        return new Deliveries(jdbc, transactions, clock);
    }

    @Bean
    DeliveryResolution deliveryResolution(Deliveries deliveries, @Lazy ManagementService managementService, AuditLog auditLog) {
        return new DeliveryResolution(deliveries, managementService, auditLog);
    }

    @Bean
    SendPolicy sendPolicy(Consents consents, Deliveries deliveries, Clock clock,
            @Value("${pond.policy.frequency-cap-per-day:1}") int cap,
            @Value("${pond.policy.quiet-hours.start:21:00}") String quietStart,
            @Value("${pond.policy.quiet-hours.end:09:00}") String quietEnd) {
        return new SendPolicy(consents, deliveries, new SendPolicy.PolicySettings(cap,
                timeOfDay("POND_POLICY_QUIET_HOURS_START (pond.policy.quiet-hours.start)", quietStart),
                timeOfDay("POND_POLICY_QUIET_HOURS_END (pond.policy.quiet-hours.end)", quietEnd)), clock);
    }

    private static LocalTime timeOfDay(String setting, String value) {
        try {
            return LocalTime.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new SettingException(setting + " must be a time of day as HH:mm, e.g. 21:00; '" + value + "' is not one.");
        }
    }

    /** The delegate every connector step names: {@code ${pondConnector}}. */
    @Bean("pondConnector")
    ConnectorStep pondConnector(ConnectorRegistry registry, ConnectorSettings settings, Deliveries deliveries, SendPolicy policy,
            CustomerDirectory directory, CustomerAttributes attributes, ObjectMapper json, Clock clock,
            @Value("${pond.connectors.reconcile-after:PT30S}") Duration reconcileAfter,
            @Value("${camunda.bpm.job-execution.lock-time-in-millis:300000}") long lockTime) {
        return new ConnectorStep(registry, settings, deliveries, policy, directory, attributes, json, clock,
                new ConnectorStep.Timing(reconcileAfter, Duration.ofMillis(lockTime)));
    }

    @Bean
    PondCustomerActions.SetAttribute pondSetAttribute(CustomerAttributes attributes) {
        return new PondCustomerActions.SetAttribute(attributes);
    }

    @Bean
    PondCustomerActions.Tag pondTag(CustomerTags tags) {
        return new PondCustomerActions.Tag(tags);
    }

    @Bean
    PondCustomerActions.SetStage pondSetStage(CustomerDirectory directory) {
        return new PondCustomerActions.SetStage(directory);
    }

    @Bean
    PondCustomerActions.SetTier pondSetTier(CustomerDirectory directory) {
        return new PondCustomerActions.SetTier(directory);
    }

    @Bean
    PondCustomerActions.CreateTask pondCreateTask(@Lazy TaskService taskService) {
        return new PondCustomerActions.CreateTask(taskService);
    }

    @Bean
    ConnectorStepChecks connectorStepChecks(ObjectProvider<ConnectorRegistry> registry) {
        return new ConnectorStepChecks(registry::getObject);
    }

    @Bean
    StepFailures stepFailures(@Value("${pond.connectors.retry-cycle:PT10S,PT1M,PT5M,PT15M}") String retryCycle) {
        return new StepFailures(retryCycle);
    }

}
