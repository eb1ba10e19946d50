package io.pond.designer.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import io.pond.designer.ProductDatabase;
import io.pond.designer.ProductIT;
import io.pond.engine.customer.AttributeDefinition;
import io.pond.engine.customer.AttributeType;
import io.pond.engine.customer.CustomerAttributes;
import io.pond.engine.customer.CustomerDirectory;
import io.pond.engine.customer.CustomerTags;
import io.pond.engine.customer.Identity;
import io.pond.engine.customer.IdentityType;
import io.pond.engine.customer.TagSource;
import io.pond.engine.identity.PondRole;
import io.pond.engine.segment.Segments;
import io.pond.engine.test.TestUsers;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.support.TransactionTemplate;

/** Customer screens in a real browser: the segment builder's live count, the list, masked phones, import. */
@ProductIT
class CustomerDataBrowserIT extends ProductDatabase {

    @LocalServerPort int port;
    @Autowired CustomerDirectory directory;
    @Autowired CustomerTags tags;
    @Autowired CustomerAttributes attributes;
    @Autowired Segments segments;
    @Autowired IdentityService identityService;
    @Autowired TransactionTemplate transaction;
    @TempDir Path folder;

    private String group;
    private String run;

    @BeforeEach
    void customers() {
        run = Integer.toString(ThreadLocalRandom.current().nextInt(100_000, 999_999));
        group = "Browser " + run;
        attributes.define(new AttributeDefinition("city", "City", "城市", AttributeType.STRING, null));
        CustomerTags.Tag vip = tags.ensureTag(group, "VIP", null);
        transaction.executeWithoutResult(status -> {
            long[] ids = directory.resolve(List.of(
                    Set.of(new Identity(IdentityType.MEMBER_ID, "A-" + run), Identity.of(IdentityType.PHONE, "139" + run + "01")),
                    Set.of(new Identity(IdentityType.MEMBER_ID, "B-" + run)),
                    Set.of(new Identity(IdentityType.MEMBER_ID, "C-" + run))), List.of("test", "test", "test"));
            directory.updateProfiles(List.of(ids[0], ids[1], ids[2]), List.of(
                    new CustomerDirectory.ProfilePatch("Ann " + run, null, null, null, null, null),
                    new CustomerDirectory.ProfilePatch("Bob " + run, null, null, null, null, null),
                    new CustomerDirectory.ProfilePatch("Cai " + run, null, null, null, null, null)));
            tags.tag(List.of(ids[0], ids[1]), vip.id(), TagSource.MANUAL);
            attributes.set(List.of(new CustomerAttributes.Value(ids[0], "city", "Shanghai " + run),
                    new CustomerAttributes.Value(ids[1], "city", "Hangzhou"),
                    new CustomerAttributes.Value(ids[2], "city", "Shanghai " + run)));
        });
    }

    @Test
    void aSegmentBuiltInTheBrowserShowsItsLiveCountAndIsSaved() {
        try (PondBrowser browser = new PondBrowser(port, "en-US,en")) {
            browser.open("/segments").logIn("admin", ProductIT.ADMIN_PASSWORD);
            browser.waitForText(By.id("segment-error"), "Complete the conditions");

            browser.select(By.id("condition-0-kind"), "a tag");
            browser.comboBox(By.id("condition-0-tag"), group + ": VIP");
            assertThat(browser.waitForText(By.id("segment-count"), "2 customers")).isEqualTo("2 customers");

            browser.click(By.id("segment-add-condition"));
            browser.select(By.id("condition-1-kind"), "an attribute");
            browser.comboBox(By.id("condition-1-attribute"), "City (city)");
            browser.type(By.id("condition-1-value"), "Shanghai " + run);
            assertThat(browser.waitForText(By.id("segment-count"), "1 customer")).isEqualTo("1 customer");
            assertThat(browser.waitForText(By.id("segment-sample"), "Ann " + run)).doesNotContain("Bob " + run);

            browser.select(By.id("segment-match"), "any of these");
            assertThat(browser.waitForText(By.id("segment-count"), "3 customers")).isEqualTo("3 customers");
            browser.screenshot(Path.of("target/screenshots/segment-builder.png"));

            browser.type(By.id("segment-name"), "VIPs or Shanghai " + run);
            browser.click(By.id("segment-save"));
            browser.waitForText(By.id("segment-list"), "VIPs or Shanghai " + run);
        }
        assertThat(segments.list()).anySatisfy(segment -> {
            assertThat(segment.name()).isEqualTo("VIPs or Shanghai " + run);
            assertThat(segments.count(segment.definition())).isEqualTo(3);
        });
    }

    @Test
    void aViewerFindsACustomerButSeesTheirPhoneMasked() {
        TestUsers.ensure(identityService, "vivian", "Journey-Map-2026!", PondRole.VIEWER);
        try (PondBrowser browser = new PondBrowser(port, "en-US,en")) {
            browser.open("/customers").logIn("vivian", "Journey-Map-2026!");
            browser.type(By.id("customer-search"), "139" + run + "01");
            browser.waitForText(By.id("customer-count"), "1 customer");
            String row = browser.waitForText(By.id("customer-grid"), "Ann " + run);
            assertThat(row).contains(IdentityType.maskPhone("+86139" + run + "01")).doesNotContain("139" + run + "01");
            browser.click(By.linkText("Ann " + run));
            String identities = browser.waitForText(By.id("customer-identities"), "member_id: A-" + run);
            assertThat(identities).contains("phone: +86139****").doesNotContain(run + "01");
            assertThat(browser.isPresent(By.id("import-customers"))).as("viewers cannot import").isFalse();
        }
    }

    @Test
    void anImportStartedInTheBrowserShowsItsProgressAndTheBadRows() throws Exception {
        Path csv = folder.resolve("customers.csv");
        Files.writeString(csv, "member_id,display_name,city\nIMP1-" + run + ",Dan " + run + ",Wuhan\n,No identity,\nIMP2-" + run
                + ",Eve " + run + ",Wuhan\n", StandardCharsets.UTF_8);
        try (PondBrowser browser = new PondBrowser(port, "zh-CN,zh")) {
            browser.open("/customers").logIn("admin", ProductIT.ADMIN_PASSWORD);
            browser.click(By.id("import-customers"));
            browser.upload(By.id("import-upload"), csv);
            browser.click(By.id("import-start"));
            assertThat(browser.waitForText(By.id("import-status"), "完成")).contains("导入 2 行", "拒绝 1 行");
            assertThat(browser.isPresent(By.id("import-errors"))).isTrue();
            browser.screenshot(Path.of("target/screenshots/import-zh.png"));
        }
        assertThat(directory.findByIdentity(new Identity(IdentityType.MEMBER_ID, "IMP2-" + run))).isPresent();
    }
}
