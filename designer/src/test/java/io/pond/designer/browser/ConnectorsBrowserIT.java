package io.pond.designer.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ThreadLocalRandom;

import io.pond.connectors.spi.ConnectorDescriptor;
import io.pond.connectors.wecom.WeComSettings;
import io.pond.connectors.wecom.WeComTags;
import io.pond.designer.ProductDatabase;
import io.pond.designer.ProductIT;
import io.pond.engine.connector.ConnectorSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** The connector screens in a real browser: settings whose secrets never come back, and the sandbox outbox. */
@ProductIT
class ConnectorsBrowserIT extends ProductDatabase {

    @LocalServerPort int port;
    @Autowired ConnectorSettings settings;
    @Autowired JdbcTemplate jdbc;

    private final String run = Integer.toString(ThreadLocalRandom.current().nextInt(100_000, 999_999));

    @AfterEach
    void backToTheSandbox() {
        settings.reset("wecom", "test");
    }

    @Test
    void aSecretIsStoredEncryptedAndNeverShownAgain() {
        String secret = "TopSecret-" + run;
        try (PondBrowser browser = new PondBrowser(port, "en-US,en")) {
            browser.open("/login").logIn("admin", ProductIT.ADMIN_PASSWORD);
            browser.waitForText(By.id("current-user"), "Administrator");
            browser.open("/connectors");
            browser.click(By.xpath("//vaadin-tab[normalize-space(.)='Settings']"));
            browser.waitForText(By.id("settings-wecom-state"), "Using the sandbox");
            browser.type(By.id("setting-wecom-baseUrl"), "https://qyapi.weixin.qq.com");
            browser.type(By.id("setting-wecom-corpId"), "ww" + run + "abcdef");
            browser.type(By.id("setting-wecom-secret"), secret);
            browser.click(By.id("settings-wecom-save"));
            browser.waitForText(By.id("settings-wecom-state"), "Configured");

            browser.open("/connectors");
            browser.click(By.xpath("//vaadin-tab[normalize-space(.)='Settings']"));
            browser.waitForText(By.id("settings-wecom-state"), "Configured");
            assertThat(browser.value(By.id("setting-wecom-corpId"))).isEqualTo("ww" + run + "abcdef");
            assertThat(browser.value(By.id("setting-wecom-secret"))).as("the browser never gets the secret").isEmpty();
            assertThat(browser.property(By.id("setting-wecom-secret"), "placeholder")).isEqualTo("Stored (hidden)");
            assertThat(browser.pageSource()).doesNotContain(secret);
        }
        ConnectorDescriptor weCom = ConnectorDescriptor.of(WeComTags.class);
        assertThat(settings.load(weCom, WeComSettings.class).secret()).as("what the connectors get").isEqualTo(secret);
        assertThat(jdbc.queryForObject("select setting_value from pond_connector_setting where system_name = 'wecom'"
                + " and setting_name = 'secret'", String.class)).as("stored encrypted").doesNotContain(secret).isNotBlank();
    }

    @Test
    void aScanPlayedInTheSandboxShowsInTheOutboxInChinese() {
        try (PondBrowser browser = new PondBrowser(port, "zh-CN,zh")) {
            browser.open("/login").logIn("admin", ProductIT.ADMIN_PASSWORD);
            browser.waitForText(By.id("current-user"), "Administrator");
            browser.open("/sandbox");
            browser.type(By.id("scan-name"), "客户" + run);
            browser.type(By.id("scan-state"), "store_" + run);
            browser.click(By.id("scan-action"));
            String outbox = browser.waitForText(By.id("sandbox-outbox"), "客户" + run);
            assertThat(outbox).contains("add_external_contact").contains("store_" + run).contains("企业微信");
        }
        assertThat(jdbc.queryForObject("select count(*) from pond_event where event_type = 'contact_added'"
                + " and properties like ?", Integer.class, "%store_" + run + "%")).isOne();
    }
}
