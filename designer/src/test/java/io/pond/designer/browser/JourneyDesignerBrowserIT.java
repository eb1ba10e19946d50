package io.pond.designer.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import io.pond.designer.ProductDatabase;
import io.pond.designer.ProductIT;
import io.pond.engine.customer.ConsentChannel;
import io.pond.engine.customer.Consents;
import io.pond.engine.customer.CustomerDirectory;
import io.pond.engine.customer.Identity;
import io.pond.engine.customer.IdentityType;
import io.pond.engine.journey.Journeys;
import io.pond.engine.sandbox.Sandbox;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The designer in Chromium: the cart-abandonment journey drawn from the palette, configured in the properties
 * panel, validated (one deliberate error fixed), published, a test customer enrolled and followed as time passes.
 */
@ProductIT
class JourneyDesignerBrowserIT extends ProductDatabase {

    /** Noon in Shanghai: marketing messages are not held for quiet hours. */
    private static final Instant NOON = ZonedDateTime.of(2026, 11, 25, 12, 0, 0, 0, ZoneId.of("Asia/Shanghai")).toInstant();
    private static final Path SCREENSHOTS = Path.of("target/screenshots");

    @LocalServerPort int port;
    @Autowired Journeys journeys;
    @Autowired CustomerDirectory directory;
    @Autowired Consents consents;
    @Autowired ManagementService managementService;
    @Autowired Sandbox sandbox;

    private final String run = Integer.toString(ThreadLocalRandom.current().nextInt(100_000, 999_999));

    @BeforeEach
    void noon() {
        ClockUtil.setCurrentTime(Date.from(NOON));
    }

    @AfterEach
    void realTime() {
        ClockUtil.reset();
    }

    @Test
    void cartAbandonmentIsDrawnConfiguredValidatedPublishedAndWatched() throws Exception {
        String externalUserid = "wmcart" + run;
        long customer = directory.resolve(List.of(Set.of(new Identity(IdentityType.WECOM_EXTERNAL_USERID, externalUserid),
                new Identity(IdentityType.WECHAT_OPENID, "ocart" + run))), List.of("test"))[0];
        directory.updateProfiles(List.of(customer), List.of(new CustomerDirectory.ProfilePatch("Lin " + run, null, null, null,
                null, "admin")));
        consents.grant(customer, ConsentChannel.WECOM, "test", "test");
        String key = "cart-" + run;

        try (PondBrowser browser = new PondBrowser(port, "en-US,en")) {
            browser.open("/login").logIn("admin", ProductIT.ADMIN_PASSWORD);
            browser.waitForText(By.id("current-user"), "Administrator");
            browser.open("/journeys");
            browser.click(By.id("journey-new"));
            browser.type(By.id("journey-name"), "Cart abandonment " + run);
            browser.type(By.id("journey-key"), key);
            browser.click(By.id("journey-create"));
            browser.waitForPath("/journey/" + key);
            browser.canvasNode("entry");
            browser.screenshot(SCREENSHOTS.resolve("designer-empty.png"));
            showFrom(browser, 100);

            // drawn from the palette, block by block, each connected from the one before
            String wait = place(browser, "pond-wait", 300, 178);
            connect(browser, "entry", wait);
            browser.selectOnCanvas(wait);
            browser.type(By.id("prop-name"), "Wait 2 h");
            browser.type(By.id("timer-amount"), "2");
            awaitSaved(browser, key, "PT2H");
            assertThat(journeys.require(key).draftBpmn()).contains("Wait 2 h");
            String coupon = place(browser, "pond-connector-wechatpay.coupon.issue", 440, 178);
            connect(browser, wait, coupon);
            browser.selectOnCanvas(coupon);
            browser.type(By.id("prop-name"), "5-yuan coupon");
            awaitSaved(browser, key, "5-yuan coupon");
            // the stock id stays empty: the deliberate error validation must find
            String remind = place(browser, "pond-connector-wecom.mass-message.send", 440, 340);
            connect(browser, coupon, remind);
            browser.selectOnCanvas(remind);
            browser.type(By.id("prop-name"), "Cart reminder");
            browser.typeArea(By.id("input-text"), "${customer.name}, your cart is still waiting: 5 yuan off today.");
            browser.type(By.id("preview-customer"), Long.toString(customer));
            browser.waitForText(By.id("preview-text"), "Lin " + run + ", your cart is still waiting");
            awaitSaved(browser, key, "5 yuan off today");
            String end = place(browser, "pond-end", 600, 340);
            connect(browser, remind, end);
            // the goal: paying ends the journey as a conversion
            place(browser, "pond-goal", 200, 300);
            String goalStart = (String) browser.run("return document.querySelector('pond-journey-canvas').modeler"
                    + ".get('elementRegistry').filter(e => e.type === 'bpmn:StartEvent' && e.parent.type === 'bpmn:SubProcess')[0].id");
            browser.selectOnCanvas(goalStart);
            browser.type(By.id("event-type"), "order_paid");
            awaitSaved(browser, key, "name=\"order_paid\"");
            browser.screenshot(SCREENSHOTS.resolve("designer-drawing.png"));

            // validate: the coupon's stock is missing, marked on the node and listed
            browser.click(By.id("designer-validate"));
            String problem = browser.waitForText(By.id("problem-list"), "Stock");
            assertThat(problem).contains("5-yuan coupon");
            assertThat(browser.isPresent(By.cssSelector(".pond-problem-badge[data-element='" + coupon + "']"))).isTrue();
            browser.screenshot(SCREENSHOTS.resolve("designer-validation.png"));
            browser.selectOnCanvas(wait);
            browser.click(By.cssSelector("#problem-list .problem[data-element='" + coupon + "']"));
            browser.waitFor(d -> coupon.equals(browser.run("return document.querySelector('pond-journey-canvas').selectedId")));
            browser.type(By.id("input-stockId"), "CART5");
            awaitSaved(browser, key, "CART5");
            browser.click(By.id("designer-validate"));
            browser.waitFor(d -> d.findElements(By.id("problem-list")).stream().noneMatch(WebElement::isDisplayed));

            browser.click(By.id("designer-publish"));
            browser.typeArea(By.id("publish-note"), "First version, drawn in the browser test");
            browser.click(By.id("publish-confirm"));
            browser.waitForText(By.id("journey-status"), "Published");
            assertThat(journeys.versions(key)).singleElement().satisfies(v -> {
                assertThat(v.note()).contains("drawn");
                assertThat(v.settings().goal().eventType()).isEqualTo("order_paid");
            });

            browser.click(By.id("designer-live"));
            // a name where the id goes: the field says what it takes, and the corrected id clears it
            browser.type(By.id("test-customer"), "Lin");
            browser.click(By.id("test-enrol"));
            browser.waitFor(d -> "true".equals(browser.property(By.id("test-customer"), "invalid")));
            assertThat(browser.property(By.id("test-customer"), "errorMessage")).isEqualTo("Enter a customer id (a number)");
            browser.type(By.id("test-customer"), Long.toString(customer));
            browser.click(By.id("test-enrol"));
            browser.waitFor(d -> "false".equals(browser.property(By.id("test-customer"), "invalid")));
            awaitCount(browser, wait, "data-waiting", "1");
            assertThat(sentTo(externalUserid)).isEmpty();

            ClockUtil.setCurrentTime(Date.from(NOON.plusSeconds(2 * 3600 + 60)));
            io.pond.engine.test.DueJobs.run(managementService);
            awaitCount(browser, end, "data-passed", "1");
            awaitCount(browser, wait, "data-waiting", "0");
            assertThat(browser.text(By.cssSelector(".pond-count[data-element='" + wait + "']"))).isEqualTo("0 waiting · 1 passed");
            assertThat(browser.text(By.id("live-totals"))).contains("Entered 1");
            browser.screenshot(SCREENSHOTS.resolve("designer-live.png"));
        }
        assertThat(sentTo(externalUserid)).containsExactly("Lin " + run + ", your cart is still waiting: 5 yuan off today.");
        assertThat(sandbox.messages(10_000)).anySatisfy(m -> {
            assertThat(m.system()).isEqualTo("wechatpay");
            assertThat(m.recipient()).contains("ocart" + run);
        });
    }

    // ------------------------------------------------------------------ the canvas, as a user handles it

    /** Scrolls the canvas so that diagram x = {@code left} is at the left edge, right of the palette. */
    private static void showFrom(PondBrowser browser, int left) {
        browser.run("const c = document.querySelector('pond-journey-canvas').modeler.get('canvas');"
                + "const vb = c.viewbox(); c.viewbox({x: arguments[0] - 220, y: 60, width: vb.outer.width, height: vb.outer.height});",
                left);
    }

    /** Clicks a palette block and clicks the canvas where it goes; returns the new node's id. */
    private static String place(PondBrowser browser, String block, int x, int y) {
        String shapes = "return document.querySelector('pond-journey-canvas').modeler.get('elementRegistry')"
                + ".filter(e => !e.waypoints && e.type !== 'label' && e.parent).map(e => e.id)";
        @SuppressWarnings("unchecked")
        List<String> before = (List<String>) browser.run(shapes);
        browser.click(By.cssSelector(".djs-palette .entry[data-action='" + block + "']"));
        @SuppressWarnings("unchecked")
        List<Number> at = (List<Number>) browser.run("const el = document.querySelector('pond-journey-canvas');"
                + "const c = el.modeler.get('canvas'); const vb = c.viewbox(); const r = el.getBoundingClientRect();"
                + "return [r.left + (arguments[0] - vb.x) * vb.scale, r.top + (arguments[1] - vb.y) * vb.scale];", x, y);
        new Actions(browser.driver()).moveToLocation(at.get(0).intValue() - 5, at.get(1).intValue() - 5)
                .moveToLocation(at.get(0).intValue(), at.get(1).intValue()).click().perform();
        String id = browser.waitFor(d -> {
            @SuppressWarnings("unchecked")
            List<String> now = (List<String>) browser.run(shapes);
            return now.stream().filter(shape -> !before.contains(shape)).findFirst().orElse(null);
        });
        browser.canvasNode(id);
        return id;
    }

    /** The context pad's connect: from the selected node to the target. */
    private static void connect(PondBrowser browser, String from, String to) {
        browser.selectOnCanvas(from);
        browser.click(By.cssSelector(".djs-context-pad .entry[data-action='connect']"));
        WebElement target = browser.canvasNode(to);
        new Actions(browser.driver()).moveToElement(target, 2, 2).moveToElement(target).click().perform();
        browser.waitFor(d -> (Boolean) browser.run("return document.querySelector('pond-journey-canvas').modeler"
                + ".get('elementRegistry').filter(e => e.type === 'bpmn:SequenceFlow' && e.source.id === arguments[0]"
                + " && e.target.id === arguments[1]).length === 1", from, to));
    }

    /** Waits until the live count on a node shows the figure (the view refreshes every 2 s). */
    private static void awaitCount(PondBrowser browser, String elementId, String attribute, String value) {
        browser.waitFor(d -> d.findElements(By.cssSelector(".pond-count[data-element='" + elementId + "'][" + attribute + "='"
                + value + "']")).size() == 1);
    }

    /** Waits until the saved draft holds the text: the change went canvas, server, database. */
    private void awaitSaved(PondBrowser browser, String key, String text) {
        browser.waitFor(d -> journeys.require(key).draftBpmn().contains(text));
    }

    private List<String> sentTo(String externalUserid) {
        return sandbox.messages(10_000).stream()
                .filter(m -> "wecom".equals(m.system()) && "add_msg_template".equals(m.operation()) && m.recipient() != null
                        && m.recipient().contains(externalUserid))
                .map(Sandbox.Message::summary).toList();
    }
}
