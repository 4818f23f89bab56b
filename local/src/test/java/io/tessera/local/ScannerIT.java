package io.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.tessera.events.user.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole system as a scanner and a careless client meet it, over real HTTP: a hundred paths that scanners try,
 * and every route of both sides with the wrong methods, content types, {@code Accept} headers and bodies, with and
 * without a token. No answer is a 5xx; a path that is no route is a 404 {@code NOT_FOUND} envelope with or without
 * a token; and nothing of it is logged as an error.
 */
class ScannerIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TENANT = "scan-" + UUID.randomUUID().toString().substring(0, 8);
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD");
    private static final List<String> SCANNER_PATHS = scannerPaths();

    private static SecurityFixture system;
    private static String token;
    private static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Errors errors = new Errors();

    @BeforeAll
    static void start(@TempDir Path home) {
        // Thousands of requests from one address within a minute: limits far above them (a limit is part of its
        // bucket's key, so these start fresh buckets), not the limiter off, which would change the migrations.
        System.setProperty("tessera.rate-limit.requests-per-minute", "100000000");
        System.setProperty("tessera.rate-limit.per-address-per-minute", "100000000");
        try {
            system = SecurityFixture.start(home);
        } finally {
            System.clearProperty("tessera.rate-limit.requests-per-minute");
            System.clearProperty("tessera.rate-limit.per-address-per-minute");
        }
        token = system.token(TENANT, Role.ADMIN, Role.AUDITOR);
        errors.attach();
    }

    @AfterAll
    static void stop() {
        errors.detach();
        if (system != null) {
            system.close();
        }
    }

    @Test
    void pathsThatAreNoRouteAre404InTheEnvelopeWithOrWithoutAToken() {
        List<String> problems = new ArrayList<>();
        for (String base : List.of(system.commandSide, system.querySide)) {
            for (String path : SCANNER_PATHS) {
                for (String method : List.of("GET", "POST", "DELETE")) {
                    for (String bearer : new String[] {null, token}) {
                        Answer answer = send(base, method, path, bearer, Map.of());
                        if (answer.status() == 400 && "VALIDATION_FAILED".equals(answer.code())) {
                            continue; // A URL the firewall refuses (traversal, encoded separators).
                        }
                        if (answer.status() != 404 || !"NOT_FOUND".equals(answer.code())) {
                            problems.add(describe(base, method, path, bearer, answer));
                        }
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(errors.lines()).as("errors logged while scanning").isEmpty();
    }

    @Test
    void everyRouteAnswersEveryMisuseWithA4xxNeverA5xx() {
        List<String> problems = new ArrayList<>();
        List<Route> routes = routes();
        List<Map<String, String>> misuses = misuses();
        int requests = 0;
        for (int r = 0; r < routes.size(); r++) {
            Route route = routes.get(r);
            for (int m = 0; m < METHODS.size(); m++) {
                String method = METHODS.get(m);
                // Each route meets every misuse across its methods; three per method keep the scan under a minute.
                for (Map<String, String> headers : List.of(
                        misuses.get(0),
                        misuses.get(1 + (r + m) % (misuses.size() - 1)),
                        misuses.get(1 + (r + m + 6) % (misuses.size() - 1)))) {
                    for (String bearer : new String[] {null, token}) {
                        if (opensAStream(route, method, bearer)) {
                            continue; // Not a misuse, and it answers only with its first event (LiveStreamIT).
                        }
                        Answer answer = send(route.base(), method, route.path(), bearer, headers);
                        requests++;
                        if (answer.status() >= 500 || answer.status() < 100) {
                            problems.add(describe(route.base(), method, route.path(), bearer, answer) + " " + headers);
                        }
                    }
                }
            }
        }
        System.out.println("ScannerIT: " + requests + " misuses of " + routes.size() + " routes, " + problems.size()
                + " answered 5xx");
        assertThat(problems).isEmpty();
        assertThat(errors.lines())
                .as("errors logged while misusing every route")
                .isEmpty();
    }

    private static boolean opensAStream(Route route, String method, String bearer) {
        return route.path().equals("/api/stream") && method.equals("GET") && bearer != null;
    }

    /** Every route both sides map, path variables filled in, including those that need no token. */
    private static List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        collect(system.run.commandSideContext(), system.commandSide, routes);
        collect(system.run.querySideContext(), system.querySide, routes);
        return routes;
    }

    private static void collect(ApplicationContext context, String base, List<Route> routes) {
        Set<String> paths = new LinkedHashSet<>();
        for (RequestMappingHandlerMapping mapping :
                context.getBeansOfType(RequestMappingHandlerMapping.class).values()) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                info.getPatternValues().forEach(pattern -> paths.add(pattern.replaceAll("\\{[^}]+}", "x-1")));
            }
        }
        paths.forEach(path -> routes.add(new Route(base, path)));
    }

    /** Headers and bodies a confused or hostile client sends; each with and without a token. */
    private static List<Map<String, String>> misuses() {
        return List.of(
                Map.of(),
                Map.of("Content-Type", "application/json", "body", "{"),
                Map.of("Content-Type", "text/plain", "body", "hello"),
                Map.of("Content-Type", "application/xml", "Accept", "application/xml", "body", "<a/>"),
                Map.of("Content-Type", "multipart/form-data; boundary=x", "body", "--x--"),
                Map.of("Accept", "text/html"),
                Map.of("Accept", "image/png"),
                Map.of("Accept", "text/event-stream"),
                Map.of("Content-Type", "application/json", "Accept", "application/json", "body", "[1, {\"a\": null}]"),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "body", "a=1&b=%ZZ"),
                Map.of("Idempotency-Key", "k".repeat(300), "Content-Type", "application/json", "body", "{}"),
                Map.of("X-Tenant-ID", "../../etc", "X-Min-Position", "-1"),
                Map.of("X-Min-Position", "99999999999999999999999", "Accept", "*/*"));
    }

    private static List<String> scannerPaths() {
        List<String> paths = new ArrayList<>(List.of(
                "/nope",
                "/api/nope",
                "/api/v1/deployments",
                "/api/deployments/x/y/z",
                "/api/tenants/x/nope",
                "/actuator/env",
                "/actuator/heapdump",
                "/actuator/beans",
                "/actuator/configprops",
                "/actuator/loggers",
                "/actuator/threaddump",
                "/actuator/mappings",
                "/actuator/shutdown",
                "/actuator/jolokia",
                "/.env",
                "/.git/config",
                "/.git/HEAD",
                "/.svn/entries",
                "/.DS_Store",
                "/.htaccess",
                "/.aws/credentials",
                "/wp-admin",
                "/wp-login.php",
                "/wp-content/plugins",
                "/xmlrpc.php",
                "/administrator",
                "/admin",
                "/admin/login",
                "/phpmyadmin",
                "/pma",
                "/server-status",
                "/server-info",
                "/console",
                "/h2-console",
                "/manager/html",
                "/jmx-console",
                "/web-console",
                "/solr/admin",
                "/cgi-bin/test.cgi",
                "/cgi-bin/luci",
                "/boaform/admin/formLogin",
                "/HNAP1",
                "/login",
                "/login.action",
                "/user/login",
                "/api/login",
                "/api/admin",
                "/api/users/me/settings",
                "/api/graphql",
                "/graphql",
                "/graphiql",
                "/api/swagger",
                "/swagger-ui.html",
                "/swagger.json",
                "/api-docs",
                "/v2/api-docs",
                "/openapi.json",
                "/config.json",
                "/debug",
                "/debug/pprof",
                "/metrics",
                "/prometheus",
                "/status",
                "/info",
                "/trace",
                "/env",
                "/backup.zip",
                "/db.sql",
                "/dump.sql",
                "/config.php",
                "/index.php",
                "/index.jsp",
                "/default.aspx",
                "/owa/auth/logon.aspx",
                "/remote/login",
                "/vpn/index.html",
                "/global-protect/login.esp",
                "/sdk",
                "/autodiscover/autodiscover.xml",
                "/ecp/",
                "/_ignition/execute-solution",
                "/telescope/requests",
                "/api/jsonws",
                "/jenkins/login",
                "/script",
                "/druid/index.html",
                "/nacos/",
                "/hudson",
                "/%2e%2e/%2e%2e/etc/passwd",
                "/api/%2e%2e/admin",
                "/api/deployments/..;/admin",
                "/;/api/deployments",
                "/api/deployments;jsessionid=1/x",
                "/robots.txt.bak",
                "/sitemap.xml.gz",
                "/crossdomain.xml",
                "/favicon.ico.php",
                "/.well-known/security.txt.old",
                "/api/stream/nope",
                "/api/events/nope",
                "/api/audit/nope",
                "/api/import/nope"));
        assertThat(paths).hasSizeGreaterThanOrEqualTo(100);
        return paths;
    }

    private record Route(String base, String path) {}

    private record Answer(int status, String body) {

        String code() {
            try {
                JsonNode json = JSON.readTree(body);
                return json.path("error").path("code").asString("");
            } catch (RuntimeException notJson) {
                return "";
            }
        }
    }

    private static Answer send(String base, String method, String path, String bearer, Map<String, String> headers) {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        } catch (IllegalArgumentException unsendable) {
            return new Answer(400, "{\"error\":{\"code\":\"VALIDATION_FAILED\"}}");
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        headers.forEach((name, value) -> {
            if (!name.equals("body")) {
                request.header(name, value);
            }
        });
        String body = headers.get("body");
        request.method(
                method,
                body == null || method.equals("HEAD")
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<java.io.InputStream> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (java.io.InputStream stream = response.body()) {
                // An open event stream never ends: its status and headers are the answer.
                boolean events =
                        response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
                return new Answer(
                        response.statusCode(),
                        events
                                ? ""
                                : new String(stream.readNBytes(64 * 1024), java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (java.io.IOException e) {
            return new Answer(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String describe(String base, String method, String path, String bearer, Answer answer) {
        return method + " " + base + path + (bearer == null ? " (no token)" : " (token)") + " -> " + answer.status()
                + " " + answer.body().substring(0, Math.min(200, answer.body().length()));
    }

    /** ERROR lines of both sides while the scan runs (a 404 is logged at DEBUG at most, a 4xx never as an error). */
    private static final class Errors extends AppenderBase<ILoggingEvent> {

        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        void attach() {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            setContext(context);
            start();
            context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(this);
        }

        void detach() {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this);
            stop();
        }

        List<String> lines() {
            return List.copyOf(lines);
        }

        @Override
        protected void append(ILoggingEvent event) {
            if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
                lines.add(event.getLoggerName() + ": " + event.getFormattedMessage());
            }
        }
    }
}
