package io.tessera.local;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's {@code chromium} and {@code chromium-driver}, headless, at 1280×800, with a fresh profile. Without
 * them a browser test is skipped with a message, except under CI ({@code CI} set), where their absence fails:
 * {@code .ci/run} installs them. Selenium is given both paths, so it never tries to download a browser or driver.
 */
final class HeadlessChromium {

    static final String BROWSER = env("TESSERA_CHROMIUM", "/usr/bin/chromium");
    static final String DRIVER = env("TESSERA_CHROMEDRIVER", "/usr/bin/chromedriver");

    private HeadlessChromium() {}

    /** Skips the calling test class (or fails it under CI) when the browser or its driver is missing. */
    static void assumeInstalled() {
        boolean installed = new File(BROWSER).canExecute() && new File(DRIVER).canExecute();
        if (!installed && System.getenv("CI") != null) {
            throw new IllegalStateException("CI is set but " + BROWSER + " or " + DRIVER
                    + " is missing: .ci/run installs them with apt-get install chromium chromium-driver");
        }
        assumeTrue(
                installed,
                "Browser tests skipped: " + BROWSER + " or " + DRIVER + " not found. Install them with "
                        + "'apt-get install -y chromium chromium-driver' (or set TESSERA_CHROMIUM / TESSERA_CHROMEDRIVER).");
    }

    static ChromeDriver start() {
        Path profile;
        try {
            profile = Files.createTempDirectory("tessera-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions()
                .setBinary(BROWSER)
                .addArguments(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-dev-shm-usage",
                        "--hide-scrollbars",
                        "--window-size=1280,800",
                        "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        // The window size includes the (invisible) browser frame; the page itself gets exactly 1280×800.
        driver.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", 1280, "height", 800, "deviceScaleFactor", 1, "mobile", false));
        return driver;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
