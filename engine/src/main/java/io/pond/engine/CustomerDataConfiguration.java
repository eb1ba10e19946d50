package io.pond.engine;

import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pond.engine.api.ApiErrors;
import io.pond.engine.apikey.ApiKeys;
import io.pond.engine.audit.AuditLog;
import io.pond.engine.customer.ConsentController;
import io.pond.engine.customer.Consents;
import io.pond.engine.customer.CustomerAttributes;
import io.pond.engine.customer.CustomerDirectory;
import io.pond.engine.customer.CustomerMerger;
import io.pond.engine.customer.CustomerSearch;
import io.pond.engine.customer.CustomerTags;
import io.pond.engine.db.SqlDialect;
import io.pond.engine.db.TableStatistics;
import io.pond.engine.event.AutoTagRules;
import io.pond.engine.event.CustomerEventListener;
import io.pond.engine.event.EventController;
import io.pond.engine.event.EventHistory;
import io.pond.engine.event.EventIngestion;
import io.pond.engine.event.OutboxRelay;
import io.pond.engine.importing.CustomerExport;
import io.pond.engine.importing.CustomerImport;
import io.pond.engine.importing.ImportController;
import io.pond.engine.segment.Segments;
import org.camunda.bpm.engine.ProcessEngine;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.support.TransactionTemplate;

/** The customer side: profiles, identities, tags, consent, attributes, events and their API. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@Import({EventController.class, ConsentController.class, ImportController.class, ApiErrors.class})
class CustomerDataConfiguration {

    @Bean
    SqlDialect sqlDialect(DataSource dataSource) {
        return SqlDialect.of(dataSource);
    }

    @Bean
    TableStatistics tableStatistics(JdbcTemplate jdbc, SqlDialect dialect, TransactionTemplate transaction) {
        return new TableStatistics(jdbc, dialect, transaction);
    }

    @Bean
    CustomerMerger customerMerger(JdbcTemplate jdbc, ProcessEngine engine, AuditLog auditLog, Clock clock) {
        return new CustomerMerger(jdbc, engine, auditLog, clock);
    }

    @Bean
    CustomerDirectory customerDirectory(JdbcTemplate jdbc, SqlDialect dialect, CustomerMerger merger, Clock clock) {
        return new CustomerDirectory(jdbc, dialect, merger, clock);
    }

    @Bean
    CustomerTags customerTags(JdbcTemplate jdbc, SqlDialect dialect, Clock clock) {
        return new CustomerTags(jdbc, dialect, clock);
    }

    @Bean
    Consents consents(JdbcTemplate jdbc, AuditLog auditLog, Clock clock) {
        return new Consents(jdbc, auditLog, clock);
    }

    @Bean
    CustomerAttributes customerAttributes(JdbcTemplate jdbc, SqlDialect dialect, Clock clock) {
        return new CustomerAttributes(jdbc, dialect, clock);
    }

    @Bean
    AutoTagRules autoTagRules(JdbcTemplate jdbc, CustomerTags tags, ObjectMapper json, Clock clock) {
        return new AutoTagRules(jdbc, tags, json, clock);
    }

    @Bean
    EventIngestion eventIngestion(JdbcTemplate jdbc, SqlDialect dialect, CustomerDirectory directory,
            AutoTagRules autoTagRules, TransactionTemplate transaction, Clock clock) {
        return new EventIngestion(jdbc, dialect, directory, autoTagRules, transaction, clock);
    }

    @Bean
    OutboxRelay outboxRelay(JdbcTemplate jdbc, SqlDialect dialect, ObjectProvider<CustomerEventListener> listeners,
            TransactionTemplate transaction, Clock clock, @Value("${pond.outbox.workers}") int workers) {
        List<CustomerEventListener> all = listeners.orderedStream().toList();
        return new OutboxRelay(jdbc, dialect, all, transaction, clock, workers);
    }

    @Bean
    Segments segments(JdbcTemplate jdbc, CustomerAttributes attributes, ObjectMapper json, TransactionTemplate transaction,
            Clock clock, @Value("${pond.timezone:Asia/Shanghai}") String zone) {
        return new Segments(jdbc, attributes, json, transaction, clock, ZoneId.of(zone));
    }

    @Bean
    EventHistory eventHistory(JdbcTemplate jdbc) {
        return new EventHistory(jdbc);
    }

    @Bean
    CustomerSearch customerSearch(JdbcTemplate jdbc, Segments segments) {
        return new CustomerSearch(jdbc, segments);
    }

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService customerImportExecutor() {
        // one import at a time: a second waits in the queue instead of competing for the database
        return Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pond-import");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    CustomerImport customerImport(JdbcTemplate jdbc, CustomerDirectory directory, CustomerAttributes attributes,
            CustomerTags tags, TransactionTemplate transaction, ExecutorService customerImportExecutor, AuditLog auditLog,
            Clock clock, SqlDialect dialect) {
        CustomerImport imports = new CustomerImport(jdbc, directory, attributes, tags, transaction, customerImportExecutor,
                dialect, auditLog, clock);
        imports.failInterrupted();
        return imports;
    }

    @Bean
    CustomerExport customerExport(Segments segments, CustomerAttributes attributes, JdbcTemplate jdbc) {
        return new CustomerExport(segments, attributes, new NamedParameterJdbcTemplate(jdbc));
    }

    /** PostgreSQL's driver sends a batch of inserts as one multi-row insert only when asked to. */
    @Bean
    static BeanPostProcessor postgresBatchInserts() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) {
                if (bean instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null
                        && hikari.getJdbcUrl().startsWith("jdbc:postgresql:")) {
                    hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
                }
                return bean;
            }
        };
    }

    @Bean
    ApiKeys apiKeys(JdbcTemplate jdbc, AuditLog auditLog, Clock clock, io.pond.engine.secret.SecretBox secrets) {
        return new ApiKeys(jdbc, auditLog, clock, secrets);
    }
}
