package io.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.EventCatalog;
import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.user.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard in a real headless Chromium against the whole running system: sign-in by {@code ?token=} and by
 * pasting, filters, debounced search and paging kept in the URL, infinite scroll over cursors into 1000+ rows
 * with only the visible rows in the DOM, a detail with its history, tenant switching, and a deployment created
 * through the command side appearing live. The page runs under the query side's Content-Security-Policy; a
 * violation fails the test. Screenshots at 1280×800 go to {@code target/dashboard-screenshots}, or where
 * {@code -Dtessera.screenshots=DIR} says ({@code ../docs} refreshes the README's).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

    private static final ConditionFactory EVENTUALLY =
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100));
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final String ACME = "acme-" + RUN;
    private static final String GLOBEX = "globex-" + RUN;
    private static final int ACME_DEPLOYMENTS = 1050;
    private static final String HOSTILE_NAME = "<img src=x onerror=alert(1)> & <b>co</b>";
    private static final List<String> SERVICES = List.of(
            "checkout-api",
            "billing-worker",
            "search-indexer",
            "auth-gateway",
            "media-transcoder",
            "inventory-sync",
            "notification-hub",
            "reporting-etl");

    private static SecurityFixture system;
    private static ChromeDriver browser;
    private static String viewerToken;
    private static Path screenshots;

    @BeforeAll
    static void startSeedAndOpenABrowser(@TempDir Path home) throws IOException {
        HeadlessChromium.assumeInstalled();
        system = SecurityFixture.start(home);
        seed();
        viewerToken =
                system.tokens.issue("operator", ACME, List.of(Role.VIEWER), Set.of(GLOBEX), false, Duration.ofHours(1));
        screenshots = Path.of(System.getProperty("tessera.screenshots", "target/dashboard-screenshots"));
        Files.createDirectories(screenshots);
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void servesThePageUnderAStrictContentSecurityPolicy() throws Exception {
        SecurityFixture.Answer page = htmlPage("/");
        assertThat(page.status()).isEqualTo(200);
        String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertThat(policy).contains("script-src 'self'", "default-src 'none'", "frame-ancestors 'none'");
        assertThat(policy).doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>");
        SecurityFixture.Answer api = system.query("/api/deployments", viewerToken);
        assertThat(api.headers().firstValue("Content-Security-Policy")).isEmpty();
    }

    @Test
    @Order(2)
    void signsInWithATokenInTheUrlOnceAndKeepsItOutOfTheUrl() {
        browser.get(system.querySide + "/?token=" + viewerToken);
        awaitRows();
        assertThat(browser.getCurrentUrl()).doesNotContain("token").doesNotContain(viewerToken);
        assertThat(script("return sessionStorage.getItem('tessera.token')")).isEqualTo(viewerToken);
        assertThat(script("return localStorage.getItem('tessera.token')")).isNull();
        assertThat(script("return localStorage.getItem('tessera.tenant')")).isEqualTo(ACME);
        EVENTUALLY.until(() -> text("[data-card=deployments] .total").equals(Integer.toString(ACME_DEPLOYMENTS)));
        assertThat(text("[data-card=deployment-quota] .total")).isEqualTo(ACME_DEPLOYMENTS + " / 5000");
        awaitLive();
        screenshot("dashboard-deployments.png");
        assertNoPolicyViolations();
    }

    @Test
    @Order(3)
    void filtersAndADebouncedSearchLiveInTheUrlSoAViewCanBeShared() {
        new Select(browser.findElement(By.id("status"))).selectByValue("failed");
        EVENTUALLY.until(() -> browser.getCurrentUrl().contains("status=failed")
                && !rowStatuses().isEmpty()
                && rowStatuses().stream().allMatch("failed"::equals));

        long before = requests();
        browser.findElement(By.id("q")).sendKeys("checkout");
        EVENTUALLY.until(() -> browser.getCurrentUrl().contains("q=checkout")
                && !rowNames().isEmpty()
                && rowNames().stream().allMatch(name -> name.startsWith("checkout-api")));
        long searchRequests = requests() - before;
        System.out.println("Typing 8 characters into the search sent " + searchRequests + " list request(s)");
        assertThat(searchRequests).isLessThan("checkout".length());

        List<String> shown = rowNames();
        browser.navigate().refresh();
        EVENTUALLY.until(() -> rowNames().equals(shown));
        assertThat(browser.findElement(By.id("q")).getDomProperty("value")).isEqualTo("checkout");
        assertThat(browser.findElement(By.id("status")).getDomProperty("value")).isEqualTo("failed");

        browser.get(system.querySide + "/?to=2000-01-01");
        EVENTUALLY.until(() -> "empty".equals(attribute("#state", "data-kind")));
        assertThat(text("#state")).contains("No deployments match these filters");
        browser.findElement(By.cssSelector("#state button")).click();
        awaitRows();
        assertThat(browser.getCurrentUrl()).doesNotContain("to=");
    }

    @Test
    @Order(4)
    void pageButtonsPageOnTheServer() {
        browser.get(system.querySide + "/?mode=pages");
        awaitRows();
        EVENTUALLY.until(() ->
                !browser.findElements(By.cssSelector("#pager [data-page='21']")).isEmpty());
        String firstOnPageOne = rowIds().get(0);
        browser.findElement(By.cssSelector("#pager [data-page='2']")).click();
        EVENTUALLY.until(() -> browser.getCurrentUrl().contains("page=2")
                && !rowIds().isEmpty()
                && !rowIds().get(0).equals(firstOnPageOne));
        assertThat(attribute("#pager [data-page='2']", "aria-current")).isEqualTo("page");
        assertThat(text("#count")).isEqualTo(ACME_DEPLOYMENTS + " deployments");
        browser.navigate().back();
        EVENTUALLY.until(() -> !rowIds().isEmpty() && rowIds().get(0).equals(firstOnPageOne));
    }

    @Test
    @Order(5)
    void infiniteScrollFollowsCursorsAndKeepsOnlyVisibleRowsInTheDom() {
        browser.get(system.querySide + "/");
        awaitRows();
        for (int round = 0; round < 20 && loadedRows() < ACME_DEPLOYMENTS; round++) {
            long loaded = loadedRows();
            script("const v = document.getElementById('viewport'); v.scrollTop = v.scrollHeight;");
            EVENTUALLY.until(() -> loadedRows() > loaded);
        }
        assertThat(loadedRows()).isEqualTo(ACME_DEPLOYMENTS);
        long inDom = ((Number) script("return document.querySelectorAll('#viewport .row').length")).longValue();
        assertThat(inDom).isLessThan(60);
        EVENTUALLY.until(() -> text("#count").startsWith(ACME_DEPLOYMENTS + " of " + ACME_DEPLOYMENTS));

        @SuppressWarnings("unchecked")
        Map<String, Object> frames = (Map<String, Object>) browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const v = document.getElementById('viewport');
                v.scrollTop = 0;
                const gaps = []; let last = performance.now(); let frame = 0;
                function step(now) {
                  gaps.push(now - last); last = now; v.scrollTop += 360;
                  if (++frame < 150) requestAnimationFrame(step);
                  else { gaps.sort((a, b) => a - b);
                    done({frames: gaps.length, p50: gaps[Math.floor(gaps.length * .5)],
                          p95: gaps[Math.floor(gaps.length * .95)], max: gaps[gaps.length - 1],
                          rowsInDom: document.querySelectorAll('#viewport .row').length}); }
                }
                requestAnimationFrame(step);
                """);
        System.out.println(
                "Scrolling " + ACME_DEPLOYMENTS + " rows, 360 px a frame (headless, 2 shared cores): " + frames);
        assertNoPolicyViolations();
    }

    @Test
    @Order(6)
    void aRowOpensItsDetailsWithTheAggregatesHistory() {
        browser.get(system.querySide + "/?status=failed");
        awaitRows();
        String id = rowIds().get(0);
        browser.findElement(By.cssSelector("#viewport .row[data-id='" + id + "']"))
                .click();
        EVENTUALLY.until(() ->
                browser.findElements(By.cssSelector("#detail .history li")).size() >= 3);
        List<String> types = browser.findElements(By.cssSelector("#detail .history li")).stream()
                .map(li -> li.getDomAttribute("data-type"))
                .toList();
        assertThat(types.get(0)).isEqualTo(EventCatalog.typeOf(DeploymentCreated.class));
        assertThat(types.subList(1, types.size())).containsOnly("tessera.deployment.status-changed.v1");
        assertThat(text("#detail dl")).contains(id).contains("failed");
        assertThat(browser.getCurrentUrl()).contains("open=" + id);
        screenshot("dashboard-detail.png");
        browser.navigate().refresh();
        EVENTUALLY.until(() ->
                browser.findElements(By.cssSelector("#detail .history li")).size() >= 3);
    }

    @Test
    @Order(7)
    void theWorkflowsViewListsWorkflows() {
        browser.get(system.querySide + "/");
        awaitRows();
        browser.findElement(By.id("tab-workflows")).click();
        EVENTUALLY.until(() -> browser.getCurrentUrl().contains("view=workflows")
                && loadedRows() == 24
                && rowNames().stream().allMatch(name -> name.contains("pipeline")));
        EVENTUALLY.until(() -> text("[data-card=workflows] .total").equals("24"));
        screenshot("dashboard-workflows.png");
        long hits = ((Number) script("return window.tesseraDashboard.counters().cacheHits")).longValue();
        browser.findElement(By.id("tab-deployments")).click();
        awaitRows();
        browser.findElement(By.id("tab-workflows")).click();
        EVENTUALLY.until(() -> loadedRows() == 24);
        assertThat(((Number) script("return window.tesseraDashboard.counters().cacheHits")).longValue())
                .as("going back to a view within the TTL is answered from the cache")
                .isGreaterThan(hits);
    }

    @Test
    @Order(8)
    void switchingTenantsShowsTheOtherTenantAndIsRemembered() {
        browser.get(system.querySide + "/");
        awaitRows();
        new Select(browser.findElement(By.id("tenant"))).selectByValue(GLOBEX);
        EVENTUALLY.until(() -> rowNames().size() == 6
                && rowNames().stream().noneMatch(name -> SERVICES.stream().anyMatch(name::startsWith)));
        assertThat(script("return localStorage.getItem('tessera.tenant')")).isEqualTo(GLOBEX);
        EVENTUALLY.until(() -> text("[data-card=deployments] .total").equals("6"));
        // Rendered as text, never as markup.
        assertThat(rowNames()).contains(HOSTILE_NAME);
        assertThat(browser.findElements(By.cssSelector("#viewport img, #viewport b")))
                .isEmpty();
        browser.navigate().refresh();
        EVENTUALLY.until(() -> rowNames().size() == 6);
        assertThat(new Select(browser.findElement(By.id("tenant")))
                        .getFirstSelectedOption()
                        .getDomProperty("value"))
                .isEqualTo(GLOBEX);
    }

    @Test
    @Order(9)
    void aDeploymentCreatedOnTheCommandSideAppearsLiveWithoutAReload() {
        awaitLive();
        script("window.__sameDocument = true;");
        String name = "globex-live-" + RUN;
        String editor = system.token(GLOBEX, Role.EDITOR);
        SecurityFixture.acceptedId(system.command("POST", "/api/deployments", editor, Map.of("project_name", name)));
        EVENTUALLY.until(() -> rowNames().contains(name));
        EVENTUALLY.until(() -> text("[data-card=deployments] .total").equals("7"));
        assertThat(script("return window.__sameDocument === true")).isEqualTo(true);
        assertNoPolicyViolations();
    }

    @Test
    @Order(10)
    void theClientWaitsForRetryAfterOn429SharesIdenticalRequestsAndCachesAnswers() {
        @SuppressWarnings("unchecked")
        Map<String, Object> outcome = (Map<String, Object>) browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/js/api.js').then(async ({ createApi }) => {
                  const calls = [];
                  const stub = async () => {
                    calls.push(performance.now());
                    if (calls.length === 1) {
                      return new Response(JSON.stringify({ success: false,
                          error: { code: 'RATE_LIMITED', message: 'Too many requests for this tenant; retry later' } }),
                        { status: 429, headers: { 'Retry-After': '1', 'X-RateLimit-Remaining': '0' } });
                    }
                    return new Response(JSON.stringify({ success: true, data: ['ok'] }),
                      { status: 200, headers: { 'X-RateLimit-Remaining': '41', 'X-RateLimit-Limit': '1000' } });
                  };
                  const real = window.fetch;
                  window.fetch = stub;
                  try {
                    const api = createApi({ token: () => 't', tenant: () => 'x' });
                    const [a, b] = await Promise.all([api.get('/api/probe'), api.get('/api/probe')]);
                    const c = await api.get('/api/probe');
                    done({ calls: calls.length, waitedMs: calls[1] - calls[0], shared: a === b, cached: c === a,
                           remaining: api.limits().remaining });
                  } catch (e) { done({ error: String(e) }); } finally { window.fetch = real; }
                });
                """);
        System.out.println("api.js against a stubbed 429: " + outcome);
        assertThat(outcome)
                .containsEntry("calls", 2L)
                .containsEntry("shared", true)
                .containsEntry("cached", true);
        // Retry-After: 1 means about a second; the browser's timers and its coarsened clock may fire a hair early.
        assertThat(((Number) outcome.get("waitedMs")).doubleValue()).isGreaterThanOrEqualTo(950.0);
        assertThat(((Number) outcome.get("remaining")).longValue()).isEqualTo(41);
    }

    @Test
    @Order(11)
    void signsOutAndInAgainByPastingAToken() {
        browser.findElement(By.id("sign-out")).click();
        EVENTUALLY.until(() -> browser.findElement(By.id("sign-in")).isDisplayed());
        assertThat(script("return sessionStorage.getItem('tessera.token')")).isNull();
        screenshot("dashboard-sign-in.png");
        browser.findElement(By.id("token-input")).sendKeys(viewerToken);
        browser.findElement(By.id("sign-in-button")).click();
        awaitRows();
        assertThat(browser.getCurrentUrl()).doesNotContain(viewerToken);
        browser.findElement(By.id("sign-out")).click();
        browser.findElement(By.id("token-input")).sendKeys("not-a-token");
        browser.findElement(By.id("sign-in-button")).click();
        EVENTUALLY.until(() -> text("#sign-in-error").contains("A valid bearer token is required"));
    }

    // ---- seeding: 1050 deployments and 24 workflows for ACME over Kafka (past the HTTP rate limit), six for GLOBEX

    private static void seed() {
        String platform = system.token("dashboard-setup", "dashboard-setup", List.of(), true);
        for (String[] tenant : new String[][] {{ACME, "Acme Corp"}, {GLOBEX, "Globex"}}) {
            SecurityFixture.acceptedId(system.command(
                    "POST", "/api/tenants", platform, Map.of("id", tenant[0], "name", tenant[1], "slug", tenant[0])));
        }
        SecurityFixture.acceptedId(system.command(
                "PUT",
                "/api/tenants/" + ACME + "/quotas",
                platform,
                Map.of("deployments_per_hour", 5000, "workflows_per_hour", 500)));
        String acmeEditor = system.token(ACME, Role.EDITOR);

        List<Map<String, Object>> creations = new ArrayList<>();
        for (int i = 0; i < ACME_DEPLOYMENTS; i++) {
            String name = SERVICES.get(i % SERVICES.size()) + "-" + (1000 + i);
            creations.add(command("CreateDeployment", ACME, acmeEditor, Map.of("project_name", name)));
        }
        List<String> ids = run(creations);
        // The newest 160 get varied statuses: pending, building, active, failed, cancelled in turn.
        List<Map<String, Object>> first = new ArrayList<>();
        List<Map<String, Object>> second = new ArrayList<>();
        for (int i = ACME_DEPLOYMENTS - 160; i < ACME_DEPLOYMENTS; i++) {
            String id = ids.get(i);
            switch (i % 5) {
                case 1 -> first.add(update(acmeEditor, id, "building"));
                case 2 -> {
                    first.add(update(acmeEditor, id, "building"));
                    second.add(update(acmeEditor, id, "active"));
                }
                case 3 -> {
                    first.add(update(acmeEditor, id, "building"));
                    second.add(update(acmeEditor, id, "failed"));
                }
                case 4 -> first.add(update(acmeEditor, id, "cancelled"));
                default -> {}
            }
        }
        run(first);
        run(second);

        List<Map<String, Object>> workflows = new ArrayList<>();
        List<String> kinds = List.of("release", "nightly", "canary", "rollback");
        for (int i = 0; i < 24; i++) {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("steps", List.of("build", "test", "deploy"));
            config.put("retries", i % 3);
            workflows.add(command(
                    "CreateWorkflow",
                    ACME,
                    acmeEditor,
                    Map.of("name", kinds.get(i % kinds.size()) + "-pipeline-" + (i + 1), "config", config)));
        }
        List<String> workflowIds = run(workflows);
        List<Map<String, Object>> workflowUpdates = new ArrayList<>();
        for (int i = 0; i < workflowIds.size(); i += 2) {
            workflowUpdates.add(command(
                    "UpdateWorkflow",
                    ACME,
                    acmeEditor,
                    Map.of("id", workflowIds.get(i), "status", i % 4 == 0 ? "active" : "archived")));
        }
        system.sendCommands(workflowUpdates, Duration.ofSeconds(60));

        String globexEditor = system.token(GLOBEX, Role.EDITOR);
        for (String name : List.of(
                "globex-portal", "globex-payments", "globex-crm", "globex-mailer", "globex-api", HOSTILE_NAME)) {
            SecurityFixture.acceptedId(
                    system.command("POST", "/api/deployments", globexEditor, Map.of("project_name", name)));
        }

        String acmeReader = system.token(ACME, Role.VIEWER);
        String globexReader = system.token(GLOBEX, Role.VIEWER);
        await().atMost(Duration.ofSeconds(300))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(total("/api/deployments?per_page=1", acmeReader)).isEqualTo(ACME_DEPLOYMENTS);
                    assertThat(total("/api/deployments?per_page=1&status=failed", acmeReader))
                            .isEqualTo(32);
                    assertThat(total("/api/workflows?per_page=1", acmeReader)).isEqualTo(24);
                    assertThat(total("/api/deployments?per_page=1", globexReader))
                            .isEqualTo(6);
                });
    }

    private static long total(String path, String token) {
        return system.query(path, token).json().path("pagination").path("total").asLong(-1);
    }

    private static Map<String, Object> update(String token, String id, String status) {
        return command("UpdateDeployment", ACME, token, Map.of("id", id, "status", status));
    }

    private static Map<String, Object> command(String type, String tenant, String token, Map<String, Object> payload) {
        return SecurityFixture.kafkaCommand(UUID.randomUUID().toString(), type, tenant, token, payload);
    }

    /** Sends the commands over Kafka; every one must be accepted. Returns the resource ids in order. */
    private static List<String> run(List<Map<String, Object>> commands) {
        Map<String, String> results = system.sendCommands(commands, Duration.ofSeconds(600));
        List<String> ids = new ArrayList<>();
        for (Map<String, Object> command : commands) {
            String raw = results.get((String) command.get("command_id"));
            assertThat(raw).as("result of " + command.get("type")).isNotNull();
            JsonNode result = SecurityFixture.JSON.readTree(raw);
            assertThat(result.path("status").asString()).as(raw).isEqualTo("accepted");
            ids.add(result.path("id").asString());
        }
        return ids;
    }

    // ---- reading the page

    /** The page as a browser asks for it ({@code SecurityFixture} asks for JSON, which a static page refuses). */
    private static SecurityFixture.Answer htmlPage(String path) throws IOException, InterruptedException {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(system.querySide + path))
                                .header("Accept", "text/html")
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        return new SecurityFixture.Answer(response.statusCode(), response.body(), response.headers());
    }

    private static Object script(String source) {
        return browser.executeScript(source);
    }

    private static long loadedRows() {
        return ((Number) script("return window.tesseraDashboard.rows()")).longValue();
    }

    private static long requests() {
        return ((Number) script("return window.tesseraDashboard.counters().requests")).longValue();
    }

    private static void awaitRows() {
        EVENTUALLY.until(
                () -> !browser.findElements(By.cssSelector("#viewport .row")).isEmpty());
    }

    private static void awaitLive() {
        EVENTUALLY.until(() -> "live".equals(attribute("#live", "data-state")));
    }

    private static List<String> rowNames() {
        return visibleRows(".name");
    }

    private static List<String> rowStatuses() {
        return visibleRows(".badge");
    }

    @SuppressWarnings("unchecked")
    private static List<String> visibleRows(String cell) {
        return (List<String>) script("return [...document.querySelectorAll('#viewport .row')]"
                + ".sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)"
                + ".map(r => r.querySelector('" + cell + "').textContent)");
    }

    @SuppressWarnings("unchecked")
    private static List<String> rowIds() {
        return (List<String>) script("return [...document.querySelectorAll('#viewport .row')]"
                + ".sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)"
                + ".map(r => r.dataset.id)");
    }

    private static String text(String css) {
        List<WebElement> found = browser.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText().trim();
    }

    private static String attribute(String css, String name) {
        List<WebElement> found = browser.findElements(By.cssSelector(css));
        return found.isEmpty() ? null : found.get(0).getDomAttribute(name);
    }

    private static void assertNoPolicyViolations() {
        assertThat(script("return window.tesseraDashboard.violations()"))
                .asList()
                .isEmpty();
    }

    private static void screenshot(String name) {
        // Let the row highlight and spinners settle: two animation frames.
        browser.executeAsyncScript(
                "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));");
        Path file = browser.getScreenshotAs(OutputType.FILE).toPath();
        try {
            Files.copy(file, screenshots.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
