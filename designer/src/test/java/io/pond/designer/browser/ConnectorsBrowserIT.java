package io.pond.designer.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.pond.connectors.spi.ConnectorDescriptor;
import io.pond.connectors.wecom.WeComSettings;
import io.pond.connectors.wecom.WeComTags;
import io.pond.designer.ProductDatabase;
import io.pond.designer.ProductIT;
import io.pond.engine.connector.ConnectorSettings;
import io.pond.engine.customer.CustomerDirectory;
import io.pond.engine.customer.IdentityType;
import io.pond.engine.event.PropertyCondition;
import io.pond.engine.journey.Enrollments;
import io.pond.engine.journey.EventRule;
import io.pond.engine.journey.JourneySettings;
import io.pond.engine.journey.Journeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** The connector screens in a real browser: settings whose secrets never come back, the sandbox outbox and its customer. */
@ProductIT
class ConnectorsBrowserIT extends ProductDatabase {

    @LocalServerPort int port;
    @Autowired ConnectorSettings settings;
    @Autowired JdbcTemplate jdbc;
    @Autowired Journeys journeys;
    @Autowired Enrollments enrollments;
    @Autowired CustomerDirectory directory;

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

    @Test
    void anEventSentAsTheScannedCustomerEntersTheJourneyThatStartsOnIt() {
        String key = "sandbox-cart-" + run;
        journeys.create(key, "Cart " + run, null, new JourneySettings(new JourneySettings.Entry(JourneySettings.EntryType.EVENT,
                new EventRule("cart_item_added", List.of(new PropertyCondition("run", PropertyCondition.Operator.EQUALS, run))),
                null), JourneySettings.Reentry.ONCE, null, null, List.of(), false), """
                <?xml version="1.0" encoding="UTF-8"?>
                <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="https://pond.io/test">
                  <bpmn:process id="cart" isExecutable="true">
                    <bpmn:startEvent id="start"/>
                    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="later"/>
                    <bpmn:intermediateCatchEvent id="later"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
                    <bpmn:sequenceFlow id="f2" sourceRef="later" targetRef="end"/>
                    <bpmn:endEvent id="end"/>
                  </bpmn:process>
                </bpmn:definitions>
                """, "admin");
        journeys.publish(key, Journeys.InFlight.STAY, "admin");
        try (PondBrowser browser = new PondBrowser(port, "en-US,en")) {
            browser.open("/login").logIn("admin", ProductIT.ADMIN_PASSWORD);
            browser.waitForText(By.id("current-user"), "Administrator");
            browser.open("/sandbox");
            browser.type(By.id("scan-name"), "Cart " + run);
            browser.click(By.id("scan-action"));
            browser.waitFor(driver -> !browser.value(By.id("event-customer")).isBlank());
            long customer = Long.parseLong(browser.value(By.id("event-customer")));
            assertThat(directory.identities(customer)).as("the customer the scan made is filled in")
                    .anyMatch(identity -> identity.type() == IdentityType.WECOM_EXTERNAL_USERID);

            browser.comboBox(By.id("event-type"), "cart_item_added");
            browser.typeArea(By.id("event-properties"), "{\"run\": tea" + run + "}");
            browser.click(By.id("event-send"));
            browser.waitFor(driver -> "true".equals(browser.property(By.id("event-properties"), "invalid")));
            assertThat(browser.property(By.id("event-properties"), "errorMessage"))
                    .startsWith("This is not JSON (Unrecognized token 'tea" + run + "'").endsWith("). Write an object, e.g. {\"product\": \"product-a\"}");
            assertThat(browser.value(By.id("event-properties"))).as("what was typed stays").isEqualTo("{\"run\": tea" + run + "}");
            assertThat(enrollments.of(customer)).as("nothing was sent").isEmpty();

            browser.typeArea(By.id("event-properties"), "{\"run\": \"" + run + "\"}");
            browser.click(By.id("event-send"));
            browser.waitForText(By.tagName("vaadin-notification-card"), "cart_item_added sent for customer " + customer);
            // the outbox relay hands the event to the journeys within a second or two
            browser.waitFor(driver -> enrollments.of(customer).stream().anyMatch(e -> e.journeyKey().equals(key)));
            assertThat(enrollments.of(customer)).singleElement().extracting(Enrollments.Enrollment::source)
                    .isEqualTo(Enrollments.Source.EVENT);
        }
    }
}
