package io.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.events.user.Role;
import io.tessera.local.SecurityFixture.Answer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract's "every /api answer carries X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
 * on both sides, for every kind of answer: success, 400, 401 (no token, invalid token), 403 (role and
 * TENANT_FORBIDDEN), 404, 413, 429. Answers given before a tenant is known count against the client
 * address, so a flood without a valid token is refused with 429 too.
 */
class RateLimitHeadersIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String TENANT = "rlh-" + RUN;
    private static final String TINY = "rlh-tiny-" + RUN;
    private static final int TINY_LIMIT = 2;
    private static final int PER_ADDRESS = 40;
    private static final Map<String, String> LIMITS = Map.of(
            "tessera.rate-limit.tenants." + TINY,
            String.valueOf(TINY_LIMIT),
            "tessera.rate-limit.per-address-per-minute",
            String.valueOf(PER_ADDRESS));

    private static SecurityFixture system;

    @BeforeAll
    static void start(@TempDir Path home) {
        LIMITS.forEach(System::setProperty);
        try {
            system = SecurityFixture.start(home);
        } finally {
            LIMITS.keySet().forEach(System::clearProperty);
        }
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void everyAnswerOfTheQuerySideCarriesTheHeaders() {
        String viewer = system.token(TENANT, Role.VIEWER);
        String tiny = system.token(TINY, Role.VIEWER);
        Map<String, Answer> answers = new LinkedHashMap<>();
        answers.put("200", system.query("/api/deployments", viewer));
        answers.put("401 no token", system.query("/api/deployments", null));
        answers.put("401 invalid token", system.query("/api/deployments", "not-a-jwt"));
        answers.put("403 TENANT_FORBIDDEN", system.query("/api/deployments", viewer, "X-Tenant-ID", "someone-else"));
        answers.put("404", system.query("/api/deployments/no-such-deployment", viewer));
        answers.put("400", system.query("/api/deployments?cursor=not-a-cursor", viewer));
        answers.put("413", system.call(system.querySide, "POST", "/api/deployments", viewer, oversized()));
        for (int i = 0; i < TINY_LIMIT; i++) {
            system.query("/api/deployments", tiny);
        }
        answers.put("429", system.query("/api/deployments", tiny));

        assertEveryAnswerCarriesTheHeaders(answers);
    }

    @Test
    void everyAnswerOfTheCommandSideCarriesTheHeaders() {
        String editor = system.token(TENANT, Role.EDITOR);
        String viewer = system.token(TENANT, Role.VIEWER);
        String tiny = system.token(TINY, Role.EDITOR);
        Map<String, Answer> answers = new LinkedHashMap<>();
        answers.put("202", system.command("POST", "/api/deployments", editor, Map.of("project_name", "headers")));
        answers.put("401 no token", system.command("POST", "/api/deployments", null, Map.of("project_name", "x")));
        answers.put(
                "401 invalid token",
                system.command("POST", "/api/deployments", "not-a-jwt", Map.of("project_name", "x")));
        answers.put(
                "403 TENANT_FORBIDDEN",
                system.command(
                        "POST",
                        "/api/deployments",
                        editor,
                        Map.of("project_name", "x"),
                        "X-Tenant-ID",
                        "someone-else"));
        answers.put("403 FORBIDDEN", system.command("POST", "/api/deployments", viewer, Map.of("project_name", "x")));
        answers.put(
                "404",
                system.command(
                        "PATCH", "/api/deployments/no-such-deployment", editor, Map.of("url", "https://x.example")));
        answers.put("400", system.command("POST", "/api/deployments", editor, Map.of("project_name", "")));
        answers.put("413", system.call(system.commandSide, "POST", "/api/deployments", editor, oversized()));
        answers.put(
                "token endpoint, no tenant",
                system.call(
                        system.commandSide,
                        "POST",
                        "/api/auth/token",
                        null,
                        "{\"client_id\":\"nobody\",\"client_secret\":\"wrong\"}"));
        for (int i = 0; i < TINY_LIMIT; i++) {
            system.command("POST", "/api/deployments", tiny, Map.of("project_name", "tiny-" + i));
        }
        answers.put("429", system.command("POST", "/api/deployments", tiny, Map.of("project_name", "one-too-many")));

        assertEveryAnswerCarriesTheHeaders(answers);
        assertThat(answers.get("403 TENANT_FORBIDDEN").errorCode()).isEqualTo("TENANT_FORBIDDEN");
    }

    @Test
    void aFloodWithoutATokenIsRefusedPerClientAddress() throws IOException {
        // A loopback address of its own, so this bucket is not the one the other tests' 401s count in.
        String address = "127.0." + ThreadLocalRandom.current().nextInt(1, 255) + "."
                + ThreadLocalRandom.current().nextInt(2, 255);
        for (String base : new String[] {system.querySide, system.commandSide}) {
            long previous = Long.MAX_VALUE;
            for (int i = 0; i < PER_ADDRESS; i++) {
                RawAnswer answer = rawGet(address, base, "/api/deployments");
                assertThat(answer.status()).as(answer.text()).isEqualTo(401);
                long remaining = Long.parseLong(answer.header("x-ratelimit-remaining"));
                assertThat(remaining).isLessThan(previous);
                previous = remaining;
            }
            RawAnswer refused = rawGet(address, base, "/api/deployments");
            assertThat(refused.status()).as(refused.text()).isEqualTo(429);
            assertThat(refused.text()).contains("\"RATE_LIMITED\"");
            assertThat(refused.header("retry-after")).isNotNull();
            assertThat(refused.header("x-ratelimit-limit")).isEqualTo(String.valueOf(PER_ADDRESS));
            assertThat(refused.header("x-ratelimit-remaining")).isEqualTo("0");
        }
    }

    private static void assertEveryAnswerCarriesTheHeaders(Map<String, Answer> answers) {
        long now = Instant.now().getEpochSecond();
        SoftAssertions softly = new SoftAssertions();
        answers.forEach((kind, answer) -> {
            String expectedStatus = kind.substring(0, 3);
            if (Character.isDigit(expectedStatus.charAt(0))) {
                softly.assertThat(String.valueOf(answer.status()))
                        .as(kind + ": " + answer.describe())
                        .isEqualTo(expectedStatus);
            }
            softly.assertThat(answer.headers().firstValue("X-RateLimit-Limit"))
                    .as(kind + " X-RateLimit-Limit")
                    .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
            softly.assertThat(answer.headers().firstValue("X-RateLimit-Remaining"))
                    .as(kind + " X-RateLimit-Remaining")
                    .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isNotNegative());
            softly.assertThat(answer.headers().firstValue("X-RateLimit-Reset"))
                    .as(kind + " X-RateLimit-Reset (epoch seconds)")
                    .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(now - 5, now + 65));
        });
        Answer limited = answers.get("429");
        softly.assertThat(limited.errorCode()).isEqualTo("RATE_LIMITED");
        softly.assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        softly.assertThat(limited.headers().firstValue("X-RateLimit-Limit")).hasValue(String.valueOf(TINY_LIMIT));
        softly.assertThat(answers.get("401 no token").headers().firstValue("X-RateLimit-Limit"))
                .as("a request without a token counts against its client address")
                .hasValue(String.valueOf(PER_ADDRESS));
        softly.assertAll();
    }

    private static String oversized() {
        return "{\"project_name\":\"" + "x".repeat(300 * 1024) + "\"}";
    }

    private record RawAnswer(int status, String text) {

        String header(String name) {
            for (String line : text.split("\r\n")) {
                if (line.isEmpty()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon > 0
                        && line.substring(0, colon)
                                .trim()
                                .toLowerCase(Locale.ROOT)
                                .equals(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    /** One GET over a socket bound to {@code localAddress}, which the server sees as the client address. */
    private static RawAnswer rawGet(String localAddress, String base, String path) throws IOException {
        URI uri = URI.create(base);
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", uri.getPort()), 5000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(text.substring(9, 12));
            return new RawAnswer(status, text);
        }
    }
}
