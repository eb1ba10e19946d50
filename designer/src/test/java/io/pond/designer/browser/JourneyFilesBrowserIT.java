package io.pond.designer.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import io.pond.designer.ProductDatabase;
import io.pond.designer.ProductIT;
import io.pond.engine.journey.JourneySettings;
import io.pond.engine.journey.Journeys;
import io.pond.processes.JourneyTemplates;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.builder.AbstractFlowNodeBuilder;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * BPMN files in and out of the designer: Pond's export re-imports unchanged, a Camunda Modeler file using Pond's
 * element templates imports, validates and publishes, and a 200-node journey opens, is edited and saved (the
 * times are printed and written to target/designer-performance.txt).
 */
@ProductIT
class JourneyFilesBrowserIT extends ProductDatabase {

    @LocalServerPort int port;
    @Autowired Journeys journeys;

    private final String run = Integer.toString(ThreadLocalRandom.current().nextInt(100_000, 999_999));

    @Test
    void anExportedJourneyReimportsUnchanged() throws Exception {
        String key = "roundtrip-" + run;
        journeys.create(key, "Round trip " + run, null, JourneySettings.defaults(),
                JourneyTemplates.find("cart-abandonment").orElseThrow().bpmn(), "admin");
        try (PondBrowser browser = new PondBrowser(port, "en-US,en")) {
            browser.open("/login").logIn("admin", ProductIT.ADMIN_PASSWORD);
            browser.waitForText(By.id("current-user"), "Administrator");
            browser.open("/journey/" + key);
            browser.selectOnCanvas("remind");
            browser.type(By.id("prop-name"), "Cart reminder " + run);
            browser.waitFor(d -> journeys.require(key).draftBpmn().contains("Cart reminder " + run));
            String exported = (String) browser.script("const done = arguments[arguments.length - 1];"
                    + "fetch(document.querySelector('#designer-export').href).then(r => r.text()).then(done)");
            assertThat(exported).isEqualTo(journeys.require(key).draftBpmn()).contains("pond.input.text");

            Path file = Files.createTempFile("pond-export-", ".bpmn");
            Files.writeString(file, exported, StandardCharsets.UTF_8);
            browser.open("/journeys");
            browser.upload(By.id("journey-import"), file);
            browser.waitForPath("/journey/cart-abandonment");
            browser.canvasNode("remind");
            String reimported = (String) browser.script("const done = arguments[arguments.length - 1];"
                    + "document.querySelector('pond-journey-canvas').getXml().then(done)");
            assertThat(reimported).isEqualTo(exported);
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aTemplateFromTheGalleryIsPublishedChangedAndComparedWithItsVersion() {
        try (PondBrowser browser = new PondBrowser(port, "en-US,en")) {
            browser.open("/login").logIn("admin", ProductIT.ADMIN_PASSWORD);
            browser.waitForText(By.id("current-user"), "Administrator");
            browser.open("/journeys");
            browser.click(By.id("journey-templates"));
            browser.click(By.id("template-birthday-care"));
            browser.waitForPath("/journey/birthday-care");
            String key = browser.path().substring("/journey/".length());
            browser.canvasNode("end");
            browser.click(By.id("designer-publish"));
            browser.typeArea(By.id("publish-note"), "As shipped");
            browser.click(By.id("publish-confirm"));
            browser.waitForText(By.id("journey-status"), "Published");
            // a first version has nobody in flight to speak of
            assertThat(browser.waitForText(By.xpath("//vaadin-notification-card[contains(., 'is live')]"), "Version 1 is live"))
                    .isEqualTo("Version 1 is live");

            String someNode = (String) browser.run("return document.querySelector('pond-journey-canvas').modeler.get('elementRegistry')"
                    + ".filter(e => e.type === 'bpmn:ServiceTask')[0].id");
            browser.selectOnCanvas(someNode);
            browser.type(By.id("prop-name"), "Renamed " + run);
            browser.waitFor(d -> journeys.require(key).draftBpmn().contains("Renamed " + run));
            browser.click(By.id("designer-versions"));
            browser.waitForText(By.cssSelector("vaadin-dialog-overlay"), "As shipped");
            browser.click(By.id("compare-1"));
            browser.waitFor(d -> "0/0/1".equals(d.findElement(By.id("problem-list")).getAttribute("data-diff")));
            assertThat(browser.isPresent(By.cssSelector(".pond-problem-badge[data-element='" + someNode + "']"))).isTrue();

            // the second version, customers in flight staying where they are (the default): the notice says so
            browser.click(By.id("designer-publish"));
            browser.click(By.id("publish-confirm"));
            browser.waitForText(By.xpath("//vaadin-notification-card[contains(., 'Version 2')]"),
                    "Version 2 is live; customers already in the journey finish on the version they entered");
            assertThat(journeys.require(key).publishedVersion()).isEqualTo(2);

            browser.click(By.id("designer-pause"));
            browser.waitForText(By.id("journey-status"), "Paused");
            assertThat(journeys.require(key).status()).isEqualTo(Journeys.Status.PAUSED);
            browser.click(By.id("designer-resume"));
            browser.waitForText(By.id("journey-status"), "Published");
        }
    }

    @Test
    void aCamundaModelerFileWithPondsTemplatesImportsValidatesAndPublishes() throws Exception {
        Path file = Path.of("src/test/resources/modeler/birthday-coupon-modeler.bpmn");
        try (PondBrowser browser = new PondBrowser(port, "zh-CN,zh")) {
            browser.open("/login").logIn("admin", ProductIT.ADMIN_PASSWORD);
            browser.waitForText(By.id("current-user"), "Administrator");
            browser.open("/journeys");
            browser.upload(By.id("journey-import"), file);
            browser.waitForPath("/journey/birthday_coupon");
            browser.canvasNode("Activity_greet");
            String key = browser.path().substring("/journey/".length());
            browser.selectOnCanvas("Activity_coupon");
            assertThat(browser.value(By.id("input-stockId"))).isEqualTo("BDAY20");
            browser.click(By.id("designer-validate"));
            browser.waitFor(d -> d.findElements(By.id("problem-list")).stream().noneMatch(WebElement::isDisplayed)
                    && d.getPageSource().contains("未发现问题"));
            browser.click(By.id("designer-publish"));
            browser.click(By.id("publish-confirm"));
            browser.waitForText(By.id("journey-status"), "已发布");
            assertThat(journeys.require(key).publishedVersion()).isEqualTo(1);
        }
    }

    @Test
    void aJourneyOf200NodesOpensIsEditedAndSaved() throws Exception {
        String key = "big-" + run;
        AbstractFlowNodeBuilder<?, ?> builder = Bpmn.createExecutableProcess(key).startEvent("n0").name("Entry");
        for (int i = 1; i < 199; i++) {
            builder = i % 2 == 1
                    ? builder.intermediateCatchEvent("n" + i).name("Wait " + i).timerWithDuration("PT1H")
                    : builder.userTask("n" + i).name("Call " + i);
        }
        String bpmn = Bpmn.convertToString(builder.endEvent("n199").name("End").done());
        journeys.create(key, "Big " + run, null, JourneySettings.defaults(), bpmn, "admin");
        try (PondBrowser browser = new PondBrowser(port, "en-US,en")) {
            browser.open("/login").logIn("admin", ProductIT.ADMIN_PASSWORD);
            browser.waitForText(By.id("current-user"), "Administrator");

            long opening = System.nanoTime();
            browser.open("/journey/" + key);
            browser.canvasNode("n199");
            long openMillis = (System.nanoTime() - opening) / 1_000_000;
            Number importMillis = (Number) browser.run("return document.querySelector('pond-journey-canvas').importMillis");

            long editing = System.nanoTime();
            browser.run("const m = document.querySelector('pond-journey-canvas').modeler;"
                    + "m.get('modeling').updateLabel(m.get('elementRegistry').get('n100'), 'Call back " + run + "');");
            long editMillis = (System.nanoTime() - editing) / 1_000_000;
            long saving = System.nanoTime();
            // polled every 10 ms (the browser waits poll every 500 ms, too coarse to time a save)
            while (!journeys.require(key).draftBpmn().contains("Call back " + run)) {
                assertThat(System.nanoTime() - saving).as("the edit reaches the database").isLessThan(20_000_000_000L);
                Thread.sleep(10);
            }
            long saveMillis = (System.nanoTime() - saving) / 1_000_000;

            assertThat(browser.run("return document.querySelector('pond-journey-canvas').modeler.get('elementRegistry')"
                    + ".filter(e => e.type !== 'label' && !e.waypoints && e.parent).length")).isEqualTo(200L);
            // the whole journey in view, its entry not hidden under the palette
            Number clearOfPalette = (Number) browser.run("const c = document.querySelector('pond-journey-canvas');"
                    + "const first = c.querySelector('[data-element-id=\"n0\"]').getBoundingClientRect();"
                    + "return first.left - c.querySelector('.djs-palette').getBoundingClientRect().right;");
            assertThat(clearOfPalette.doubleValue()).as("px between the palette and the entry").isGreaterThanOrEqualTo(0);
            String figures = String.format(Locale.ROOT, "designer, 200-node journey (%d shapes, %d KB of BPMN): open %d ms"
                    + " (bpmn-js import %s ms), edit %d ms, save %d ms (canvas to database)%n", 200,
                    bpmn.length() / 1024, openMillis, importMillis, editMillis, saveMillis);
            System.out.print(figures);
            Files.writeString(Path.of("target/designer-performance.txt"), figures, StandardCharsets.UTF_8);
        }
    }
}
