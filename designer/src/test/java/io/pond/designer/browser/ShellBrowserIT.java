package io.pond.designer.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import io.pond.designer.ProductDatabase;
import io.pond.designer.ProductIT;
import io.pond.engine.identity.PondRole;
import io.pond.engine.test.TestUsers;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A user in a real browser: login page, the shell in Chinese or English, the language switch, Cockpit. */
@ProductIT
class ShellBrowserIT extends ProductDatabase {

    private static final By NAV = By.id("main-nav");
    private static final By WELCOME = By.id("home-welcome");

    @LocalServerPort int port;
    @Autowired IdentityService identityService;

    @Test
    void aChineseBrowserGetsTheLoginPageAndTheShellInChinese() {
        try (PondBrowser browser = new PondBrowser(port, "zh-CN,zh")) {
            browser.open("/");
            browser.waitForPath("/login");
            assertThat(browser.text(By.tagName("vaadin-login-form"))).contains("登录");
            browser.screenshot(Path.of("target/screenshots/login-zh.png"));

            browser.logIn("admin", ProductIT.ADMIN_PASSWORD);
            assertThat(browser.waitForText(NAV, "旅程"))
                    .contains("概览", "旅程", "客户", "分群", "连接器", "任务", "设置");
            assertThat(browser.text(WELCOME)).isEqualTo("欢迎，Administrator");
            assertThat(browser.text(By.id("current-user"))).isEqualTo("Administrator");
            browser.screenshot(Path.of("target/screenshots/home-zh.png"));
        }
    }

    @Test
    void anEnglishBrowserGetsTheShellInEnglish() {
        try (PondBrowser browser = new PondBrowser(port, "en-US,en")) {
            browser.open("/").logIn("admin", ProductIT.ADMIN_PASSWORD);
            assertThat(browser.waitForText(NAV, "Journeys"))
                    .contains("Overview", "Journeys", "Customers", "Segments", "Connectors", "Tasks", "Settings");
            assertThat(browser.text(WELCOME)).isEqualTo("Welcome, Administrator");
            browser.screenshot(Path.of("target/screenshots/home-en.png"));
        }
    }

    @Test
    void theLanguageChosenFollowsTheUserToTheirNextLogin() {
        TestUsers.ensure(identityService, "lena", "Journey-Map-2026!", PondRole.MARKETING_OPS);
        try (PondBrowser browser = new PondBrowser(port, "en-US,en")) {
            browser.open("/").logIn("lena", "Journey-Map-2026!");
            browser.waitForText(NAV, "Journeys");
            browser.chooseLanguage("中文");
            browser.waitForText(NAV, "旅程");
            assertThat(browser.text(NAV)).as("marketing ops see no settings").doesNotContain("设置");

            browser.openUserMenuItem("logout");
            browser.waitForPath("/login");
        }
        try (PondBrowser otherBrowser = new PondBrowser(port, "en-US,en")) {
            otherBrowser.open("/").logIn("lena", "Journey-Map-2026!");
            assertThat(otherBrowser.waitForText(NAV, "旅程")).contains("客户");
        }
    }

    @Test
    void aWrongPasswordKeepsTheUserOnTheLoginPageWithAnError() {
        TestUsers.ensure(identityService, "walt", "Journey-Map-2026!", PondRole.VIEWER);
        try (PondBrowser browser = new PondBrowser(port, "en-US,en")) {
            browser.open("/").logIn("walt", "not-the-password");
            browser.waitForPath("/login?error");
            assertThat(browser.waitForText(By.tagName("vaadin-login-form"), "Wrong user name or password"))
                    .contains("Wrong user name or password");
        }
    }

    @Test
    void cockpitRecognisesTheAdministratorLoggedInToPond() {
        try (PondBrowser browser = new PondBrowser(port, "en-US,en")) {
            browser.open("/camunda/app/cockpit/default/");
            browser.waitForPath("/login");
            browser.logIn("admin", ProductIT.ADMIN_PASSWORD);
            browser.waitForPath("/camunda/app/cockpit/default/");
            @SuppressWarnings("unchecked")
            Map<String, Object> camundaUser = (Map<String, Object>) browser.script(
                    "const done = arguments[arguments.length - 1];"
                            + "fetch('/camunda/api/admin/auth/user/default').then(r => r.json()).then(done);");
            assertThat(camundaUser).containsEntry("userId", "admin");
        }
    }

    @Test
    void aViewerCanUsePondButNotCamundasWebapps() {
        TestUsers.ensure(identityService, "vic", "Journey-Map-2026!", PondRole.VIEWER);
        try (PondBrowser browser = new PondBrowser(port, "en-US,en")) {
            browser.open("/").logIn("vic", "Journey-Map-2026!");
            assertThat(browser.waitForText(NAV, "Journeys")).doesNotContain("Settings", "Cockpit");
            Object status = browser.script("const done = arguments[arguments.length - 1];"
                    + "fetch('/camunda/app/cockpit/default/', {redirect: 'manual'}).then(r => done(r.status));");
            assertThat(status).isEqualTo(403L);
        }
    }

    @Test
    void aUserReplacesTheirPasswordFromTheUserMenu() {
        TestUsers.ensure(identityService, "chen", "Journey-Map-2026!", PondRole.ANALYST);
        try (PondBrowser browser = new PondBrowser(port, "zh-CN,zh")) {
            browser.open("/").logIn("chen", "Journey-Map-2026!");
            browser.waitForText(NAV, "旅程");
            browser.openUserMenuItem("change-password");
            browser.type(By.id("password-current"), "Journey-Map-2026!");
            browser.type(By.id("password-new"), "short");
            browser.type(By.id("password-repeat"), "short");
            browser.click(By.id("password-save"));
            assertThat(browser.waitForText(By.id("password-new"), "至少 10 个字符")).contains("至少 10 个字符");

            browser.type(By.id("password-new"), "Better-Route-2027!");
            browser.type(By.id("password-repeat"), "Better-Route-2027!");
            browser.click(By.id("password-save"));
            browser.waitForText(By.tagName("vaadin-notification-card"), "密码已修改");
            browser.openUserMenuItem("logout");
            browser.waitForPath("/login");
            browser.logIn("chen", "Better-Route-2027!");
            browser.waitForText(NAV, "旅程");
        }
    }
}
