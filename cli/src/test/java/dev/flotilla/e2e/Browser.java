package dev.flotilla.e2e;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium driven through the system's chromedriver (Debian's {@code chromium} and {@code
 * chromium-driver}; nothing is downloaded), pointed at one control plane. Each {@link
 * #screenshot(String)} lands in {@code target/screenshots/} so that a person can look at the views.
 */
final class Browser implements AutoCloseable {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final String base;
  private final ChromeDriver driver;

  /** Skips the calling test when the machine has no Chromium or no chromedriver. */
  static void assumeInstalled() {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "needs "
            + CHROMIUM
            + " and "
            + CHROMEDRIVER
            + " (apt-get install chromium chromium-driver)");
  }

  Browser(String base) {
    this.base = base;
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--window-size=1280,900");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    this.driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
  }

  /** Opens {@code path} (absolute on the control plane, e.g. {@code /applications?q=x}). */
  Browser open(String path) {
    driver.get(base + path);
    return this;
  }

  /** Logs in on the login page (opening it first when elsewhere) and waits to have left it. */
  Browser login(String token) {
    if (!path().startsWith("/login")) {
      open("/login");
    }
    driver.findElement(By.id("token")).sendKeys(token);
    WebElement submit =
        driver.findElement(By.cssSelector("form[action='/login'] button[type=submit]"));
    submit.click();
    // Refused or accepted, the answer is a new page: wait for it, not for the click.
    await().atMost(Duration.ofSeconds(20)).until(() -> isStale(submit));
    return this;
  }

  private static boolean isStale(WebElement element) {
    try {
      element.isEnabled();
      return false;
    } catch (org.openqa.selenium.StaleElementReferenceException e) {
      return true;
    }
  }

  /** Logs out with the page's button and waits for the login page that follows. */
  void logout() {
    one("#logout").click();
    await().atMost(Duration.ofSeconds(20)).until(() -> path().startsWith("/login"));
  }

  /** The path and query of the page shown now. */
  String path() {
    String url = driver.getCurrentUrl();
    return url.startsWith(base) ? url.substring(base.length()) : url;
  }

  /**
   * The text of the first element {@code css} selects, read in one script: the live updates swap
   * regions of the page, so an element found in one call may be gone in the next.
   */
  String text(String css) {
    Object text =
        script(
            "var e = document.querySelector(arguments[0]);"
                + " return e ? e.innerText.trim() : null;",
            css);
    if (text == null) {
      throw new org.openqa.selenium.NoSuchElementException("nothing matches " + css);
    }
    return text.toString();
  }

  /**
   * Waits until the first element {@code css} selects says {@code expected}: after a click that
   * posts a form, the next page may not have loaded yet when the click returns (and the old page
   * may still show an earlier message).
   */
  void awaitText(String css, String expected) {
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreException(org.openqa.selenium.NoSuchElementException.class)
        .untilAsserted(
            () -> org.assertj.core.api.Assertions.assertThat(text(css)).contains(expected));
  }

  /** The {@code attribute} of every element {@code css} selects, read in one script. */
  @SuppressWarnings("unchecked")
  List<String> attributes(String css, String attribute) {
    return (List<String>)
        script(
            "var name = arguments[1];"
                + " return Array.from(document.querySelectorAll(arguments[0]))"
                + ".map(function (e) { return e.getAttribute(name); });",
            css,
            attribute);
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  WebElement one(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  String pageText() {
    return String.valueOf(script("return document.body ? document.body.innerText : '';"));
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /**
   * POSTs a form body from the page (so with its session cookie and Origin) and answers "STATUS
   * body": how the server answers a request the page's buttons would not send.
   */
  String post(String path, String formBody) {
    Object r =
        ((JavascriptExecutor) driver)
            .executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                    + "fetch(arguments[0], {method: 'POST', credentials: 'same-origin', redirect:"
                    + " 'manual', headers: {'Content-Type': 'application/x-www-form-urlencoded'},"
                    + " body: arguments[1]})"
                    + ".then(function (r) { return r.text().then(function (t) {"
                    + " done(r.status + ' ' + t); }); })"
                    + ".catch(function (e) { done('ERROR ' + e); });",
                path,
                formBody);
    return String.valueOf(r);
  }

  /**
   * Clicks what {@code css} selects, finding it again if a live update replaced it between finding
   * and clicking.
   */
  void click(String css) {
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
        .until(
            () -> {
              one(css).click();
              return true;
            });
  }

  /** Marks this document, so that {@link #sameDocument()} tells whether it was reloaded since. */
  void markDocument() {
    script("window.flotillaTestMark = 'kept';");
  }

  /**
   * Clicks what submits a form or follows a link, and waits until the page it leads to has loaded:
   * a click returns before the next page is there, and reading at once reads the old one.
   */
  void submit(String css) {
    markDocument();
    click(css);
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> !sameDocument() && "complete".equals(script("return document.readyState;")));
  }

  boolean sameDocument() {
    return "kept".equals(script("return window.flotillaTestMark || '';"));
  }

  /**
   * Waits until the live stream of this page is open and the page has re-read itself once (app.js
   * does on open, and marks the body), so that nothing swaps its regions behind the test's back.
   */
  void awaitLive() {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                "open".equals(script("return document.body.dataset.stream || '';"))
                    && !"".equals(script("return document.body.dataset.refreshed || '';")));
  }

  /** Saves what the browser shows as {@code target/screenshots/NAME.png}. */
  void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      File shot = driver.getScreenshotAs(OutputType.FILE);
      Files.copy(
          shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  ChromeDriver driver() {
    return driver;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
