package io.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tessera.events.user.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Observability over the running system: traffic for three tenants, then each tenant's figures read back from
 * both sides' {@code /actuator/prometheus} as an operator's Prometheus would; one trace id followed in the log
 * from an HTTP command to its projection; a slow statement logged and counted with its tenant.
 */
class ObservabilityIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String A = "obs-a-" + RUN;
    private static final String B = "obs-b-" + RUN;
    private static final String C = "obs-c-" + RUN;
    private static final int RATE_LIMIT = 25;
    private static final CapturingAppender capture = new CapturingAppender();
    private static SecurityFixture system;
    /** Every trace recorded, exported within a few hundred ms, into {@link InMemorySpans} too. */
    private static final Map<String, String> SPANS = Map.of(
            "tessera.test.in-memory-spans", "true",
            "management.tracing.sampling.probability", "1.0",
            "management.opentelemetry.tracing.export.schedule-delay", "200ms");

    @BeforeAll
    static void start(@TempDir Path home) {
        System.setProperty("TESSERA_RATE_LIMIT_PER_MINUTE", Integer.toString(RATE_LIMIT));
        System.setProperty("logging.level.io.tessera.command.intake.CommandExecutor", "DEBUG");
        System.setProperty("logging.level.io.tessera.query.projection.ProjectionDispatcher", "DEBUG");
        SPANS.forEach(System::setProperty);
        try {
            system = SecurityFixture.start(home);
        } finally {
            System.clearProperty("TESSERA_RATE_LIMIT_PER_MINUTE");
            System.clearProperty("logging.level.io.tessera.command.intake.CommandExecutor");
            System.clearProperty("logging.level.io.tessera.query.projection.ProjectionDispatcher");
            SPANS.keySet().forEach(System::clearProperty);
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        capture.setContext(context);
        capture.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(capture);
    }

    @AfterAll
    static void stop() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(capture);
        if (system != null) {
            system.close();
        }
    }

    @Test
    void perTenantFiguresOnBothSides() {
        String admin = system.token("obs-admin-" + RUN, "platform", List.of(), true);
        Map<String, Integer> creations = Map.of(A, 1, B, 2, C, 3);
        for (String tenant : List.of(A, B, C)) {
            String editor = system.token(tenant, Role.EDITOR, Role.VIEWER);
            long position = 0;
            for (int i = 0; i < creations.get(tenant); i++) {
                SecurityFixture.Answer created =
                        system.command("POST", "/api/deployments", editor, Map.of("project_name", "obs-" + i));
                SecurityFixture.acceptedId(created);
                position = created.data().path("position").asLong();
            }
            assertThat(system.query("/api/deployments", editor, "X-Min-Position", Long.toString(position))
                            .status())
                    .isEqualTo(200);
            assertThat(system.query("/api/deployments/" + UUID.randomUUID(), editor)
                            .status())
                    .isEqualTo(404);
        }
        // C at its quota of 3: the fourth creation is refused.
        assertThat(system.command(
                                "PUT",
                                "/api/tenants/" + C + "/quotas",
                                admin,
                                Map.of("deployments_per_hour", 3, "workflows_per_hour", 50))
                        .status())
                .isEqualTo(202);
        String editorC = system.token(C, Role.EDITOR);
        SecurityFixture.Answer refused =
                system.command("POST", "/api/deployments", editorC, Map.of("project_name", "one-too-many"));
        assertThat(refused.errorCode()).isEqualTo("QUOTA_EXCEEDED");
        // B past its rate limit on the query side.
        String viewerB = system.token(B, Role.VIEWER);
        int limited = 0;
        for (int i = 0; i < RATE_LIMIT + 2; i++) {
            if (system.query("/api/deployments", viewerB).status() == 429) {
                limited++;
            }
        }
        assertThat(limited).isPositive();

        // Command side.
        String commandSide = metrics(system.commandSide);
        for (String tenant : List.of(A, B, C)) {
            assertThat(value(
                            commandSide,
                            "http_server_requests_seconds_count",
                            "tenant",
                            tenant,
                            "uri",
                            "/api/deployments",
                            "method",
                            "POST",
                            "status",
                            "202"))
                    .as("POST /api/deployments answered 202 for %s", tenant)
                    .isEqualTo((double) creations.get(tenant));
            assertThat(value(
                            commandSide,
                            "http_server_requests_seconds_bucket",
                            "tenant",
                            tenant,
                            "uri",
                            "/api/deployments",
                            "status",
                            "202",
                            "le",
                            "+Inf"))
                    .as("latency histogram of %s", tenant)
                    .isEqualTo((double) creations.get(tenant));
            assertThat(value(
                            commandSide,
                            "tessera_commands_total",
                            "tenant",
                            tenant,
                            "type",
                            "CreateDeployment",
                            "outcome",
                            "accepted",
                            "channel",
                            "http"))
                    .isEqualTo((double) creations.get(tenant));
        }
        assertThat(value(
                        commandSide,
                        "tessera_commands_total",
                        "tenant",
                        C,
                        "type",
                        "CreateDeployment",
                        "outcome",
                        "rejected",
                        "reason",
                        "QUOTA_EXCEEDED"))
                .isEqualTo(1.0);
        assertThat(value(commandSide, "tessera_quota_exceeded_total", "tenant", C, "resource", "deployment"))
                .isEqualTo(1.0);
        assertThat(value(
                        commandSide,
                        "http_server_requests_seconds_count",
                        "tenant",
                        C,
                        "uri",
                        "/api/deployments",
                        "status",
                        "429"))
                .isEqualTo(1.0);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String now = metrics(system.commandSide);
            for (String tenant : List.of(A, B, C)) {
                assertThat(value(now, "tessera_quota_used", "tenant", tenant, "resource", "deployment"))
                        .as("quota used by %s", tenant)
                        .isEqualTo((double) creations.get(tenant));
            }
            assertThat(value(now, "tessera_quota_limit", "tenant", C, "resource", "deployment"))
                    .isEqualTo(3.0);
            assertThat(value(now, "tessera_quota_utilization", "tenant", C, "resource", "deployment"))
                    .isEqualTo(1.0);
            assertThat(value(now, "tessera_quota_limit", "tenant", A, "resource", "deployment"))
                    .isEqualTo(100.0);
        });
        assertThat(value(commandSide, "tessera_kafka_publish_seconds_count", "outcome", "acknowledged"))
                .isGreaterThanOrEqualTo(6.0);
        assertThat(value(commandSide, "tessera_db_statement_seconds_count", "statement", "insert domain_event_entry"))
                .isPositive();
        assertThat(value(commandSide, "hikaricp_connections_max", "pool", "tessera-command-side"))
                .isEqualTo(20.0);
        assertThat(value(commandSide, "tessera_commands_dead_lettered_total")).isNotNull();

        // Query side.
        String querySide = metrics(system.querySide);
        for (String tenant : List.of(A, B, C)) {
            assertThat(value(
                            querySide,
                            "http_server_requests_seconds_count",
                            "tenant",
                            tenant,
                            "uri",
                            "/api/deployments/{id}",
                            "status",
                            "404"))
                    .as("404 of %s, by URI template", tenant)
                    .isEqualTo(1.0);
            assertThat(value(querySide, "tessera_projection_lag_seconds_count", "tenant", tenant))
                    .as("projection lag of %s", tenant)
                    .isGreaterThanOrEqualTo((double) creations.get(tenant));
        }
        assertThat(querySide).doesNotContain("uri=\"/api/deployments/" + RUN);
        assertThat(value(querySide, "tessera_ratelimit_refused_total", "tenant", B))
                .isEqualTo((double) limited);
        assertThat(value(querySide, "tessera_ratelimit_refused_total", "tenant", A))
                .isNull();
        assertThat(value(querySide, "hikaricp_connections_max", "pool", "tessera-query-side"))
                .isPositive();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(value(
                                metrics(system.querySide),
                                "tessera_projection_consumer_lag_records",
                                "group",
                                "tessera-query-side"))
                        .isGreaterThanOrEqualTo(0.0));
        System.out.println("Per-tenant figures read back from both sides for " + List.of(A, B, C));
    }

    @Test
    void oneTraceIdFromTheHttpCommandToItsProjection() {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String editor = system.token(A, Role.EDITOR);
        SecurityFixture.Answer created = system.command(
                "POST",
                "/api/deployments",
                editor,
                Map.of("project_name", "traced"),
                "traceparent",
                "00-" + traceId + "-00f067aa0ba902b7-01");
        String commandId = created.data().path("command_id").asString();
        assertThat(created.headers().firstValue("traceparent"))
                .hasValueSatisfying(header -> assertThat(header).startsWith("00-" + traceId + "-"));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(capture.ofTrace(traceId))
                        .anySatisfy(event -> assertThat(event.getLoggerName()).endsWith("ProjectionDispatcher")));
        List<ILoggingEvent> traced = capture.ofTrace(traceId);
        assertThat(traced)
                .anySatisfy(event -> assertThat(event.getLoggerName()).endsWith("CommandExecutor"))
                .allSatisfy(event -> {
                    assertThat(event.getMDCPropertyMap()).containsEntry("tenant_id", A);
                    assertThat(event.getMDCPropertyMap()).containsEntry("command_id", commandId);
                });
        traced.forEach(event -> System.out.println("traced: " + event.getLoggerName() + " " + event.getMDCPropertyMap()
                + " " + event.getFormattedMessage()));
    }

    /**
     * The spans exported for one HTTP command: the command side's server span, the publishing of its events under
     * it, and on the query side their projection under the publishing, all in the caller's trace.
     */
    @Test
    void oneExportedTraceFromTheHttpCommandThroughKafkaToItsProjection() {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String callerSpan = "00f067aa0ba902b8";
        SecurityFixture.Answer created = system.command(
                "POST",
                "/api/deployments",
                system.token(B, Role.EDITOR),
                Map.of("project_name", "exported"),
                "traceparent",
                "00-" + traceId + "-" + callerSpan + "-01");
        SecurityFixture.acceptedId(created);

        // Each side exports on its own schedule: the whole trace is asserted again until every span has arrived.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertWholeTrace(traceId, callerSpan, created));
        spansOf(traceId)
                .forEach(span -> System.out.printf(
                        "[traces] %s %s parent %s (%s)%n",
                        span.getResource().getAttribute(AttributeKey.stringKey("service.name")),
                        span.getSpanId(),
                        span.getParentSpanId(),
                        span.getName()));
    }

    private static void assertWholeTrace(String traceId, String callerSpan, SecurityFixture.Answer created) {
        List<SpanData> trace = spansOf(traceId);
        SpanData http = trace.stream()
                .filter(span -> span.getKind() == SpanKind.SERVER)
                .filter(span -> callerSpan.equals(span.getParentSpanId()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no server span under the caller's: " + trace));
        assertThat(created.headers().firstValue("traceparent"))
                .hasValue("00-" + traceId + "-" + http.getSpanId() + "-01");
        List<SpanData> publishing = trace.stream()
                .filter(span -> span.getName().startsWith("tessera.publish"))
                .toList();
        assertThat(publishing)
                .as("the events of the command, published under its request")
                .isNotEmpty()
                .allSatisfy(span -> assertThat(span.getParentSpanId()).isEqualTo(http.getSpanId()))
                .allSatisfy(span -> assertThat(span.getKind()).isEqualTo(SpanKind.PRODUCER));
        List<SpanData> projecting = trace.stream()
                .filter(span -> span.getName().startsWith("tessera.project"))
                .toList();
        assertThat(projecting)
                .as("projected on the query side under the publishing")
                .isNotEmpty()
                .allSatisfy(span ->
                        assertThat(publishing).extracting(SpanData::getSpanId).contains(span.getParentSpanId()));
    }

    private static List<SpanData> spansOf(String traceId) {
        return InMemorySpans.exported().stream()
                .filter(span -> traceId.equals(span.getTraceId()))
                .toList();
    }

    @Test
    void aSlowStatementIsLoggedWithItsTenantAndCounted() {
        DataSource pool = system.run.querySideContext().getBean(DataSource.class);
        try (MDC.MDCCloseable tenant = MDC.putCloseable("tenant_id", B)) {
            new JdbcTemplate(pool).queryForList("SELECT pg_sleep(0.6)");
        }
        assertThat(capture.events()).anySatisfy(event -> {
            assertThat(event.getFormattedMessage()).startsWith("Slow statement 'select pg_sleep'");
            assertThat(event.getMDCPropertyMap()).containsEntry("tenant_id", B);
        });
        assertThat(value(
                        metrics(system.querySide),
                        "tessera_db_slow_statements_total",
                        "tenant",
                        B,
                        "statement",
                        "select pg_sleep"))
                .isEqualTo(1.0);
    }

    @Test
    void metricsAskedForAsJsonAreRefusedWith406InTheEnvelope() {
        for (String base : List.of(system.commandSide, system.querySide)) {
            HttpResponse<String> response = scrape(base, "application/json");
            assertThat(response.statusCode()).as(base).isEqualTo(406);
            assertThat(response.body()).contains("\"success\":false", "\"code\":\"NOT_ACCEPTABLE\"", "text/plain");
        }
    }

    /** As Prometheus scrapes: no token, the text exposition format. */
    private static String metrics(String base) {
        HttpResponse<String> response = scrape(base, "text/plain");
        assertThat(response.statusCode()).isEqualTo(200);
        try {
            java.nio.file.Files.writeString(
                    Path.of("target", "prometheus-" + URI.create(base).getPort() + ".txt"), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return response.body();
    }

    private static HttpResponse<String> scrape(String base, String accept) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus"))
                .header("Accept", accept)
                .timeout(Duration.ofSeconds(30))
                .build();
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of the one sample of {@code name} whose labels include all given pairs; null if none. */
    static Double value(String exposition, String name, String... labelPairs) {
        List<Double> values = new ArrayList<>();
        Pattern sample = Pattern.compile("^" + Pattern.quote(name) + "(\\{.*})?\\s+(\\S+)$", Pattern.MULTILINE);
        Matcher matcher = sample.matcher(exposition);
        while (matcher.find()) {
            String labels = matcher.group(1) == null ? "" : matcher.group(1);
            boolean all = true;
            for (int i = 0; i + 1 < labelPairs.length; i += 2) {
                all &= labels.contains(labelPairs[i] + "=\"" + labelPairs[i + 1] + "\"");
            }
            if (all) {
                values.add(Double.parseDouble(matcher.group(2)));
            }
        }
        assertThat(values)
                .as("samples of %s with %s", name, List.of(labelPairs))
                .hasSizeLessThanOrEqualTo(1);
        return values.isEmpty() ? null : values.get(0);
    }

    private static final class CapturingAppender extends AppenderBase<ILoggingEvent> {

        private final List<ILoggingEvent> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            events.add(event);
        }

        List<ILoggingEvent> events() {
            synchronized (events) {
                return List.copyOf(events);
            }
        }

        List<ILoggingEvent> ofTrace(String traceId) {
            return events().stream()
                    .filter(event -> traceId.equals(event.getMDCPropertyMap().get("trace_id")))
                    .toList();
        }
    }
}
