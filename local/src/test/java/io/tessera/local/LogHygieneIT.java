package io.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import io.tessera.events.Topics;
import io.tessera.events.user.Role;
import io.tessera.infra.logging.MaskingMessageConverter;
import io.tessera.infra.logging.MaskingThrowableConverter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Log hygiene over a whole scenario: every line both sides write, formatted with the production pattern (so
 * {@code %maskedMsg} / {@code %maskedEx} apply exactly as on the console), is captured from before the system
 * starts, at the production level (INFO). Then: no e-mail address, no JWT, no secret, no bearer credential in
 * any line; and no error answer to a client carries a stack trace, SQL or another tenant's id.
 */
class LogHygieneIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String TENANT = "hyg-a-" + RUN;
    private static final String FOREIGN = "hyg-fgn-" + RUN;
    private static final Pattern ANY_EMAIL =
            Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    private static final Pattern ANY_JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}");
    private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+(?!\\[masked])[A-Za-z0-9._~+/=-]{6,}");
    private static final Pattern STACK_TRACE =
            Pattern.compile("(?i)(\\bat [a-z][\\w$]*(\\.[\\w$]+)+\\(|exception|\\.java:\\d+|caused by)");
    private static final Pattern SQL = Pattern.compile(
            "(?i)(\\bselect\\b.+\\bfrom\\b|\\binsert into\\b|\\bupdate\\b.+\\bset\\b|\\bdelete from\\b|postgres|psql|sqlstate|\\bjdbc\\b|syntax error)");

    private static final CapturingAppender capture = new CapturingAppender();
    private static final KeepAttached keepAttached = new KeepAttached();
    private static String productionPattern;
    private static final StdoutTee stdout = new StdoutTee();
    private static SecurityFixture system;

    private final List<String> emails = new ArrayList<>();
    private final List<String> tokensUsed = new ArrayList<>();
    private final Map<String, SecurityFixture.Answer> answers = new LinkedHashMap<>();

    @BeforeAll
    static void startCapturingThenTheSystem(@TempDir Path home) throws IOException {
        productionPattern = patternOfTheSharedConfiguration();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        stdout.install();
        capture.attachTo(context);
        context.addListener(keepAttached);
        // The services' own logback-spring.xml logs at INFO; the local run's logback.xml only warnings. Capture at
        // the production level, for the whole start-up too.
        System.setProperty("logging.level.root", "INFO");
        try {
            system = SecurityFixture.start(home);
        } finally {
            System.clearProperty("logging.level.root");
        }
        capture.attachTo(context);
    }

    @AfterAll
    static void stop() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.removeListener(keepAttached);
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(capture);
        capture.stop();
        try {
            if (system != null) {
                system.close();
            }
        } finally {
            stdout.uninstall();
        }
    }

    @Test
    void noPersonalDataNoCredentialsInAnyLogLineAndNoInternalsInAnyErrorAnswer() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertThat(productionPattern).contains("%maskedMsg").contains("%maskedEx");
        Appender<ILoggingEvent> console =
                context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE");
        assertThat(console)
                .as("the console appender of the shared configuration")
                .isInstanceOf(OutputStreamAppender.class);
        assertThat(((PatternLayoutEncoder) ((OutputStreamAppender<ILoggingEvent>) console).getEncoder()).getPattern())
                .as("the captured lines use the production console pattern")
                .isEqualTo(productionPattern);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);

        runTheScenario();
        awaitEverythingConsumed();

        // Both views of the same output: the console as written (from before start-up; Spring's Logback reset
        // drops extra appenders, not the console), and our appender, attached again once both sides run.
        List<String> lines = new ArrayList<>(stdout.lines());
        lines.addAll(capture.lines());
        List<String> problems = new ArrayList<>();
        for (String line : lines) {
            for (String email : emails) {
                String localPart = email.substring(0, email.indexOf('@'));
                if (line.contains(email)
                        || line.contains(localPart)
                        || line.contains(email.substring(email.indexOf('@')))) {
                    problems.add("e-mail " + email + " in: " + line);
                }
            }
            find(ANY_EMAIL, line).ifPresent(m -> problems.add("an e-mail address (" + m + ") in: " + line));
            find(ANY_JWT, line).ifPresent(m -> problems.add("a JWT (" + m + ") in: " + line));
            for (String token : tokensUsed) {
                for (String segment : token.split("\\.")) {
                    if (segment.length() >= 16 && line.contains(segment)) {
                        problems.add("a segment of a token used in: " + line);
                    }
                }
            }
            if (line.contains(system.jwtSecret)) {
                problems.add("the JWT secret in: " + line);
            }
            find(BEARER, line).ifPresent(m -> problems.add("a bearer credential (" + m + ") in: " + line));
        }
        answers.forEach((what, answer) -> {
            if (answer.status() < 400) {
                return;
            }
            String everything = answer.everything();
            find(STACK_TRACE, everything)
                    .ifPresent(m ->
                            problems.add(what + ": a stack trace (" + m + ") in the answer: " + answer.describe()));
            find(SQL, everything)
                    .ifPresent(m -> problems.add(what + ": SQL (" + m + ") in the answer: " + answer.describe()));
            if (everything.contains(FOREIGN)) {
                problems.add(what + ": the foreign tenant id in the answer: " + answer.describe());
            }
            if (!answer.json().path("error").path("code").isString()) {
                problems.add(what + ": not the failure envelope: " + answer.describe());
            }
        });

        List<String> masked = lines.stream()
                .filter(l -> l.contains("[masked]") || l.contains("[jwt]"))
                .toList();
        System.out.println();
        System.out.println("Log hygiene: " + stdout.lines().size() + " console lines + "
                + capture.lines().size()
                + " appender lines captured (production pattern, INFO), "
                + answers.size() + " answers checked, " + masked.size() + " lines where masking applied, "
                + problems.size() + " problem(s)");
        answers.forEach((what, answer) ->
                System.out.println("  answer " + what + ": HTTP " + answer.status() + " " + answer.errorCode()));
        System.out.println("  an unexpected error (500) was triggered: "
                + answers.values().stream().anyMatch(a -> a.status() >= 500));
        masked.stream().limit(20).forEach(l -> System.out.println("  masked: " + l.strip()));
        problems.forEach(p -> System.out.println("  FINDING " + p.strip()));

        assertThat(problems).isEmpty();
        // Not vacuous: the scenario did make the sides log personal data and credentials, which were masked.
        assertThat(masked).as("lines where masking applied").isNotEmpty();
    }

    private void runTheScenario() {
        String platform = remember(system.token("hyg-platform", "hyg-platform", List.of(), true));
        for (String tenant : List.of(TENANT, FOREIGN)) {
            keep(
                    "create tenant " + tenant,
                    system.command(
                            "POST", "/api/tenants", platform, Map.of("id", tenant, "name", tenant, "slug", tenant)));
        }
        String admin = remember(system.token(TENANT, Role.ADMIN));
        String editor = remember(system.token(TENANT, Role.EDITOR));
        String viewer = remember(system.token(TENANT, Role.VIEWER));
        String auditor = remember(system.token(TENANT, Role.AUDITOR, Role.VIEWER));
        String foreignAdmin = remember(system.token(FOREIGN, Role.ADMIN));

        // Users with distinctive e-mail addresses, in both tenants.
        for (String name : List.of("alice", "bob")) {
            String email = email(name);
            keep(
                    "create user " + name,
                    system.command("POST", "/api/users", admin, Map.of("email", email, "role", "viewer")));
        }
        keep(
                "create foreign user",
                system.command(
                        "POST", "/api/users", foreignAdmin, Map.of("email", email("mallory"), "role", "viewer")));
        keep(
                "invalid e-mail",
                system.command(
                        "POST", "/api/users", admin, Map.of("email", "not-an-address-" + RUN, "role", "viewer")));

        // Commands, a rejection (an illegal transition), reads.
        SecurityFixture.Answer created = keep(
                "create deployment",
                system.command("POST", "/api/deployments", editor, Map.of("project_name", "hygiene-" + RUN)));
        String deployment = SecurityFixture.acceptedId(created);
        keep(
                "illegal transition",
                system.command("PATCH", "/api/deployments/" + deployment, editor, Map.of("status", "active")));
        keep(
                "unknown status with an e-mail",
                system.command("PATCH", "/api/deployments/" + deployment, editor, Map.of("status", email("status"))));

        // Malformed bodies that carry personal data and a token: Jackson quotes the offending value.
        keep(
                "quota from an e-mail",
                system.call(
                        system.commandSide,
                        "PUT",
                        "/api/tenants/" + TENANT + "/quotas",
                        platform,
                        "{\"deployments_per_hour\": \"" + email("quota") + " " + editor
                                + "\", \"workflows_per_hour\": 5}"));
        keep(
                "config from a token",
                system.call(
                        system.commandSide,
                        "POST",
                        "/api/workflows",
                        editor,
                        "{\"name\": \"w\", \"config\": {\"k\": \"v\"}, \"name\": [\"" + email("config") + "\", \""
                                + editor + "\"]}"));
        keep(
                "broken JSON",
                system.call(
                        system.commandSide,
                        "POST",
                        "/api/users",
                        admin,
                        "{\"email\": \"" + email("broken") + "\", \"role\": \"viewer\", \"token\": \"" + editor
                                + "\""));

        // Credentials where they do not belong: a wrong key, a garbage bearer, a token in the query string.
        keep(
                "forged token",
                system.query(
                        "/api/deployments",
                        new io.tessera.infra.security.TokenIssuer("z".repeat(48), null)
                                .issue(
                                        email("forger"),
                                        TENANT,
                                        List.of(Role.VIEWER),
                                        List.of(),
                                        false,
                                        Duration.ofHours(1))));
        keep("garbage token", system.query("/api/deployments", "garbage-" + email("garbage")));
        keep("token in the query", system.query("/api/deployments?access_token=" + editor, null));
        keep("foreign tenant by header", system.query("/api/users", viewer, "X-Tenant-ID", FOREIGN));
        keep("foreign tenant stats", system.query("/api/tenants/" + FOREIGN + "/stats", viewer));

        // An unexpected failure, if the database can be made to throw: a NUL byte is not valid text in PostgreSQL.
        keep("NUL in a filter", system.query("/api/deployments?q=" + email("nul") + "%00", viewer));
        keep("NUL in a cursor", system.query("/api/deployments?cursor=%00" + editor, viewer));
        keep("NUL in an id", system.query("/api/deployments/x%00" + email("nulid") + "/history", viewer));
        keep("year 300000 filter", system.query("/api/deployments?created_after=%2B300000-01-01T00:00:00Z", viewer));
        keep("year -300000 filter", system.query("/api/workflows?created_before=-300000-01-01T00:00:00Z", viewer));
        keep("year 300000 audit", system.query("/api/audit?from=%2B300000-01-01T00:00:00Z", auditor));
        keep("NUL in an audit actor", system.query("/api/audit?actor=%00" + email("actor"), auditor));

        // Reads, including the audit and event log, which carry the e-mails.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> system.query("/api/users", viewer).body().contains(email("bob")));
        keep("audit", system.query("/api/audit", auditor));
        keep("events", system.query("/api/events?after_position=0", auditor));

        // Kafka: an accepted command with its token, a rejected one, a garbage token, and a record that cannot
        // be read, which quotes an e-mail and a token in its parse error.
        Map<String, String> results = system.sendCommands(
                List.of(
                        SecurityFixture.kafkaCommand(
                                SecurityFixture.newId(),
                                "CreateDeployment",
                                TENANT,
                                editor,
                                Map.of("project_name", "kafka-hygiene")),
                        SecurityFixture.kafkaCommand(
                                SecurityFixture.newId(),
                                "CreateDeployment",
                                TENANT,
                                viewer,
                                Map.of("project_name", "kafka-hygiene")),
                        SecurityFixture.kafkaCommand(
                                SecurityFixture.newId(),
                                "CreateDeployment",
                                FOREIGN,
                                editor,
                                Map.of("project_name", "kafka-hygiene")),
                        SecurityFixture.kafkaCommand(
                                SecurityFixture.newId(),
                                "UpdateDeployment",
                                TENANT,
                                "garbage-" + email("kafka"),
                                Map.of("id", deployment))),
                Duration.ofSeconds(60));
        assertThat(results).hasSize(4);
        try (KafkaProducer<String, String> producer = system.producer()) {
            producer.send(new ProducerRecord<>(
                    Topics.COMMANDS,
                    TENANT,
                    "{\"command_id\": \"" + SecurityFixture.newId() + "\", \"tenant_id\": \"" + TENANT
                            + "\", \"token\": \"" + editor + "\", \"payload\": \"" + email("dlq") + " Bearer " + editor
                            + "\"}"));
            producer.send(new ProducerRecord<>(
                    Topics.COMMANDS, TENANT, "not json " + email("dlq2") + " Bearer " + editor + " password=hunter2"));
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> capture.lines().stream()
                                .filter(l -> l.contains("Dead-lettering"))
                                .count()
                        >= 2);
    }

    /**
     * The publisher and the consumers log asynchronously. A deployment created last becomes visible only after
     * the query side consumed every earlier event of the tenant (one partition per tenant, in order), so once
     * it answers, the lines of everything before it have been written.
     */
    private void awaitEverythingConsumed() {
        String editor = remember(system.token(TENANT, Role.EDITOR));
        String viewer = remember(system.token(TENANT, Role.VIEWER));
        String last = SecurityFixture.acceptedId(
                system.command("POST", "/api/deployments", editor, Map.of("project_name", "hygiene-last-" + RUN)));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> system.query("/api/deployments/" + last, viewer).status() == 200);
    }

    private String email(String name) {
        String email = "hyg." + name + "." + RUN + "@hyg-mail-" + RUN + ".example";
        if (!emails.contains(email)) {
            emails.add(email);
        }
        return email;
    }

    private String remember(String token) {
        tokensUsed.add(token);
        return token;
    }

    private SecurityFixture.Answer keep(String what, SecurityFixture.Answer answer) {
        answers.put(what, answer);
        return answer;
    }

    private static java.util.Optional<String> find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? java.util.Optional.of(matcher.group()) : java.util.Optional.empty();
    }

    private static String patternOfTheSharedConfiguration() throws IOException {
        try (InputStream in = LogHygieneIT.class.getResourceAsStream("/io/tessera/infra/logging/logback-tessera.xml")) {
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Matcher matcher = Pattern.compile("name=\"CONSOLE_LOG_PATTERN\"\\s+value=\"([^\"]*)\"")
                    .matcher(xml);
            assertThat(matcher.find())
                    .as("CONSOLE_LOG_PATTERN in logback-tessera.xml")
                    .isTrue();
            return matcher.group(1)
                    .replace("&apos;", "'")
                    .replace("&quot;", "\"")
                    .replace("&amp;", "&");
        }
    }

    /** Every event of the root logger, formatted with the production pattern and its masking converters. */
    static final class CapturingAppender extends AppenderBase<ILoggingEvent> {

        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private PatternLayout layout;

        synchronized void attachTo(LoggerContext context) {
            Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            if (root.isAttached(this) && isStarted()) {
                return;
            }
            setContext(context);
            setName("log-hygiene-capture");
            layout = new PatternLayout();
            layout.setContext(context);
            layout.getInstanceConverterMap().put("maskedMsg", MaskingMessageConverter::new);
            layout.getInstanceConverterMap().put("maskedEx", MaskingThrowableConverter::new);
            layout.setPattern(productionPattern);
            layout.start();
            start();
            if (!root.isAttached(this)) {
                root.addAppender(this);
            }
        }

        @Override
        protected void append(ILoggingEvent event) {
            PatternLayout current = layout;
            if (current != null) {
                lines.add(current.doLayout(event));
            }
        }

        List<String> lines() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }
    }

    /** Everything written to System.out and System.err (where the console appender writes), split in lines. */
    static final class StdoutTee {

        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private java.io.PrintStream originalOut;
        private java.io.PrintStream originalErr;

        synchronized void install() {
            originalOut = System.out;
            originalErr = System.err;
            System.setOut(tee(originalOut));
            System.setErr(tee(originalErr));
        }

        private java.io.PrintStream tee(java.io.PrintStream original) {
            java.io.OutputStream both = new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    synchronized (bytes) {
                        bytes.write(b);
                    }
                    original.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    synchronized (bytes) {
                        bytes.write(b, off, len);
                    }
                    original.write(b, off, len);
                }

                @Override
                public void flush() {
                    original.flush();
                }
            };
            return new java.io.PrintStream(both, true, StandardCharsets.UTF_8);
        }

        synchronized void uninstall() {
            if (originalOut != null) {
                System.setOut(originalOut);
                System.setErr(originalErr);
            }
        }

        List<String> lines() {
            synchronized (bytes) {
                return List.of(bytes.toString(StandardCharsets.UTF_8).split("\\R"));
            }
        }
    }

    /** Spring re-initializes Logback when a context starts (a reset drops every appender): attach again. */
    static final class KeepAttached implements LoggerContextListener {

        @Override
        public boolean isResetResistant() {
            return true;
        }

        @Override
        public void onStart(LoggerContext context) {}

        @Override
        public void onReset(LoggerContext context) {
            capture.attachTo(context);
        }

        @Override
        public void onStop(LoggerContext context) {}

        @Override
        public void onLevelChange(Logger logger, Level level) {}
    }
}
