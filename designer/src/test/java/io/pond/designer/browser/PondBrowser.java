package io.pond.designer.browser;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, never a downloaded browser or driver,
 * with the few steps Pond's pages need. The browser asks for the given language, as a user's would.
 */
public final class PondBrowser implements AutoCloseable {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private final ChromeDriver driver;
    private final String baseUrl;
    private final WebDriverWait wait;

    public PondBrowser(int port, String acceptLanguage) {
        for (String file : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!new File(file).canExecute()) {
                throw new IllegalStateException(file + " is missing: install Debian's chromium and chromium-driver"
                        + " (scripts/test does) to run the browser tests.");
            }
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1400,900",
                "--lang=" + acceptLanguage.split(",")[0]);
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", acceptLanguage));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(service, options);
        this.baseUrl = "http://localhost:" + port;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    public PondBrowser open(String path) {
        driver.get(baseUrl + path);
        return this;
    }

    /** The page as the browser holds it now, shadow DOM values included where Vaadin mirrors them. */
    public String pageSource() {
        return driver.getPageSource();
    }

    /** The DOM property {@code value} of a Vaadin field: what the field holds, as the browser got it from the server. */
    public String value(By field) {
        return String.valueOf(until(ExpectedConditions.presenceOfElementLocated(field)).getDomProperty("value"));
    }

    /** A DOM property of an element, e.g. a field's placeholder. */
    public String property(By element, String name) {
        return String.valueOf(until(ExpectedConditions.presenceOfElementLocated(element)).getDomProperty(name));
    }

    public String path() {
        return driver.getCurrentUrl().substring(baseUrl.length());
    }

    /** Fills Vaadin's login form and submits it. */
    public PondBrowser logIn(String user, String password) {
        if (!path().startsWith("/login")) {
            open("/login");
        }
        WebElement name = until(ExpectedConditions.elementToBeClickable(By.cssSelector("input[name='username']")));
        name.clear();
        name.sendKeys(user);
        WebElement secret = driver.findElement(By.cssSelector("input[name='password']"));
        secret.clear();
        secret.sendKeys(password);
        driver.findElement(By.cssSelector("vaadin-button[slot='submit']")).click();
        return this;
    }

    /** Waits until the element is there and shows {@code text}; returns its whole text. */
    public String waitForText(By element, String text) {
        until(ExpectedConditions.textToBePresentInElementLocated(element, text));
        return driver.findElement(element).getText();
    }

    public String text(By element) {
        return until(ExpectedConditions.presenceOfElementLocated(element)).getText();
    }

    public boolean isPresent(By element) {
        return !driver.findElements(element).isEmpty();
    }

    public void waitForPath(String prefix) {
        until(d -> path().startsWith(prefix));
    }

    /** Switches the language; the page reloads, which may pull the clicked item away mid-click. */
    public void chooseLanguage(String label) {
        until(ExpectedConditions.elementToBeClickable(By.id("language-switch"))).click();
        WebElement item = until(ExpectedConditions.elementToBeClickable(
                By.xpath("//vaadin-select-item[normalize-space(.)='" + label + "']")));
        try {
            item.click();
        } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.UnhandledAlertException e) {
            // the reload began: what the caller waits for next shows whether it worked
        } catch (org.openqa.selenium.WebDriverException e) {
            if (!String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                throw e;
            }
        }
    }

    /** Replaces the value of a Vaadin text or password field, given by the field's id. */
    public void type(By field, String text) {
        WebElement input = until(ExpectedConditions.presenceOfNestedElementLocatedBy(field, By.tagName("input")));
        input.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, "a"), text);
    }

    public void click(By element) {
        WebElement clickable = until(ExpectedConditions.elementToBeClickable(element));
        // a sticky bar (the navbar) or a dialog's footer may cover what scrolled under it: then it is scrolled to the middle
        ((JavascriptExecutor) driver).executeScript("const e = arguments[0], r = e.getBoundingClientRect();"
                + " const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);"
                + " if (r.top < 64 || r.bottom > window.innerHeight || !hit || !(hit === e || e.contains(hit)))"
                + " e.scrollIntoView({block: 'center'})", clickable);
        clickable.click();
    }

    /** Chooses the item with this label in a vaadin-select. */
    public void select(By select, String label) {
        until(ExpectedConditions.elementToBeClickable(select)).click();
        until(ExpectedConditions.elementToBeClickable(
                By.xpath("//vaadin-select-item[normalize-space(.)='" + label + "']"))).click();
    }

    /** Types into a vaadin-combo-box and picks the item with this label. */
    public void comboBox(By comboBox, String label) {
        WebElement input = until(ExpectedConditions.presenceOfNestedElementLocatedBy(comboBox, By.tagName("input")));
        input.click();
        input.sendKeys(label);
        until(ExpectedConditions.elementToBeClickable(
                By.xpath("//vaadin-combo-box-item[normalize-space(.)='" + label + "']"))).click();
    }

    /** Hands a file to a vaadin-upload, as choosing it in the file dialog would. */
    public void upload(By upload, Path file) {
        WebElement host = until(ExpectedConditions.presenceOfElementLocated(upload));
        List<WebElement> light = host.findElements(By.cssSelector("input[type='file']"));
        WebElement input = light.isEmpty() ? host.getShadowRoot().findElement(By.cssSelector("input[type='file']"))
                : light.get(0);
        input.sendKeys(file.toAbsolutePath().toString());
    }

    public void openUserMenuItem(String id) {
        until(ExpectedConditions.elementToBeClickable(By.cssSelector("#user-menu vaadin-menu-bar-button"))).click();
        until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
    }

    /** Runs JavaScript and returns its result (for a promise: call {@code arguments[arguments.length - 1]} with it). */
    public Object run(String javascript, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(javascript, arguments);
    }

    /** The driver itself, for pointer actions on the canvas. */
    public org.openqa.selenium.WebDriver driver() {
        return driver;
    }

    /** Waits until the condition holds (see {@link #until}). */
    public <T> T waitFor(java.util.function.Function<? super org.openqa.selenium.WebDriver, T> condition) {
        return until(condition);
    }

    /** A node of the journey canvas, once it is drawn. */
    public WebElement canvasNode(String elementId) {
        return until(d -> d.findElement(By.cssSelector(".djs-element[data-element-id='" + elementId + "']")));
    }

    /**
     * Selects a node of the journey canvas as a click on it does (through bpmn-js's selection: clicks on SVG are not
     * reliable in headless Chromium) and waits until the properties panel shows it.
     */
    public void selectOnCanvas(String elementId) {
        canvasNode(elementId);
        run("const m = document.querySelector('pond-journey-canvas').modeler;"
                + "m.get('selection').select(m.get('elementRegistry').get(arguments[0]));", elementId);
        until(d -> elementId.equals(run("return document.querySelector('pond-journey-canvas').selectedId")));
        until(d -> d.findElement(By.id("properties")).getText().contains(elementId));
    }

    /** Replaces the text of a vaadin-text-area. */
    public void typeArea(By area, String text) {
        WebElement input = until(ExpectedConditions.presenceOfNestedElementLocatedBy(area, By.tagName("textarea")));
        input.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, "a"), text);
    }

    public Object script(String javascript, Object... arguments) {
        return ((JavascriptExecutor) driver).executeAsyncScript(javascript, arguments);
    }

    public void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Waits as WebDriverWait does; on a timeout the page is saved as a screenshot, named in the error. */
    private <T> T until(java.util.function.Function<? super org.openqa.selenium.WebDriver, T> condition) {
        try {
            return wait.until(driver -> {
                try {
                    return condition.apply(driver);
                } catch (org.openqa.selenium.StaleElementReferenceException reloaded) {
                    return null; // the page was replaced under the check (a reload): look again
                } catch (org.openqa.selenium.WebDriverException e) {
                    if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                        return null; // the same, as Chromium's inspector reports it
                    }
                    throw e;
                }
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            Path shot = Path.of("target/screenshots/failed-" + System.currentTimeMillis() + ".png");
            try {
                screenshot(shot);
            } catch (RuntimeException ignored) {
                // the error below matters more
            }
            throw new org.openqa.selenium.TimeoutException(e.getMessage() + "\nScreenshot: " + shot.toAbsolutePath(), e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
