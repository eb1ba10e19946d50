package io.pond.engine.web;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import com.zaxxer.hikari.HikariDataSource;

/** Tells the person who started Pond where to open it and which database it uses. */
public class StartupReport {

    private static final Logger LOG = LoggerFactory.getLogger(StartupReport.class);

    @EventListener
    public void onReady(ApplicationReadyEvent event) {
        if (!(event.getApplicationContext() instanceof WebServerApplicationContext web) || web.getWebServer() == null) {
            return;
        }
        String contextPath = event.getApplicationContext().getEnvironment().getProperty("server.servlet.context-path", "");
        String url = "http://localhost:" + web.getWebServer().getPort() + contextPath + "/";
        DataSource dataSource = event.getApplicationContext().getBeanProvider(DataSource.class).getIfAvailable();
        String database = dataSource == null ? "none" : describe(dataSource);
        LOG.info("Pond is ready. Open {} (database: {})", url, database);
    }

    /** The JDBC URL without its query string, which may hold a password. */
    static String describe(DataSource dataSource) {
        String url = null;
        HikariDataSource hikari = DataSourceUnwrapper.unwrap(dataSource, HikariDataSource.class);
        if (hikari != null) {
            url = hikari.getJdbcUrl();
        } else if (dataSource instanceof DriverManagerDataSource plain) {
            url = plain.getUrl();
        }
        return url == null ? dataSource.getClass().getSimpleName() : withoutSecrets(url);
    }

    static String withoutSecrets(String jdbcUrl) {
        int cut = jdbcUrl.length();
        for (char separator : new char[] {'?', ';'}) {
            int at = jdbcUrl.indexOf(separator);
            if (at >= 0) {
                cut = Math.min(cut, at);
            }
        }
        String base = jdbcUrl.substring(0, cut);
        // jdbc:postgresql://user:password@host/db
        return base.replaceFirst("//[^/@]*@", "//");
    }
}
