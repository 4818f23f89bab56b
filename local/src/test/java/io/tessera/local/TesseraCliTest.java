package io.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TesseraCliTest {

    private static final String SECRET = "a-test-secret-of-at-least-thirty-two-bytes";

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int tessera(Map<String, String> env, String... args) {
        return TesseraCli.execute(
                args,
                env,
                home,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void printsTheUsageWithoutArguments() {
        assertThat(tessera(Map.of())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("./tessera run", "./tessera token", "./tessera replay");
    }

    @Test
    void everyCommandPrintsItsOwnUsageOnHelp() {
        for (String command : List.of("run", "token", "replay", "verify", "projections", "import")) {
            for (String help : List.of("--help", "-h")) {
                out.reset();
                assertThat(tessera(Map.of(), command, help))
                        .as(command + " " + help)
                        .isZero();
                assertThat(out.toString(StandardCharsets.UTF_8))
                        .as(command + " " + help)
                        .startsWith("Usage:")
                        .contains("./tessera " + command);
            }
        }
        out.reset();
        assertThat(tessera(Map.of(), "projections", "rebuild", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("./tessera projections rebuild");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void printsTheVersionTheBuildWrote() {
        assertThat(tessera(Map.of(), "--version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).matches("tessera \\d+\\.\\d+\\.\\d+\\S*\\R");
    }

    @Test
    void replayNeedsATenantAndAPositionAndSaysWhatIsWrong() {
        assertThat(tessera(Map.of(JwtSecret.VARIABLE, SECRET), "replay")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--tenant is required");
        assertThat(tessera(Map.of(JwtSecret.VARIABLE, SECRET), "replay", "--tenant", "Not A Tenant"))
                .isEqualTo(2);
        assertThat(tessera(Map.of(JwtSecret.VARIABLE, SECRET), "replay", "--tenant", "acme", "--from", "-1"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--from takes a position");
        assertThat(tessera(
                        Map.of(JwtSecret.VARIABLE, SECRET),
                        "replay",
                        "--tenant",
                        "acme",
                        "--url",
                        "http://127.0.0.1:1"))
                .isEqualTo(1);
    }

    @Test
    void helpListsTheBenchmarkWhichOnlyTheScriptRuns() {
        assertThat(tessera(Map.of(), "help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("./tessera bench [--quick]");
        assertThat(tessera(Map.of(), "bench", "--quick")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bench runs from the ./tessera script");
    }

    @Test
    void rejectsAnUnknownCommandWithExitCodeTwo() {
        assertThat(tessera(Map.of(), "frobnicate")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown command 'frobnicate'");
    }

    @Test
    void projectionsNeedAnActionAndARebuildNeedsAName() {
        assertThat(tessera(Map.of(), "projections")).isEqualTo(2);
        assertThat(tessera(Map.of(), "projections", "rebuild")).isEqualTo(2);
        assertThat(tessera(Map.of(), "projections", "rebuild", "Deployments;")).isEqualTo(2);
        assertThat(tessera(Map.of(), "projections", "rebuild", "deployments", "--tenant", "NOT A TENANT"))
                .isEqualTo(2);
        assertThat(tessera(Map.of(), "projections", "frobnicate")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown projections action 'frobnicate'");
    }

    @Test
    void projectionsWithoutASecretFailWithExitCodeOne() {
        assertThat(tessera(Map.of(), "projections", "status", "--url", "http://127.0.0.1:9"))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("No JWT secret yet");
    }

    @Test
    void signsATokenWithTheConfiguredSecretAndTheGivenClaims() throws Exception {
        int exit = tessera(
                Map.of(JwtSecret.VARIABLE, SECRET),
                "token",
                "--tenant",
                "acme",
                "--roles",
                "viewer,editor",
                "--tenants",
                "globex",
                "--ttl",
                "30m",
                "--subject",
                "alice");

        assertThat(exit).isZero();
        SignedJWT jwt = SignedJWT.parse(out.toString(StandardCharsets.UTF_8).trim());
        assertThat(jwt.verify(new MACVerifier(SECRET.getBytes(StandardCharsets.UTF_8))))
                .isTrue();
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getStringClaim("tenant_id")).isEqualTo("acme");
        assertThat(claims.getStringListClaim("roles")).containsExactly("viewer", "editor");
        assertThat(claims.getStringListClaim("tenants")).containsExactly("globex");
        assertThat(claims.getClaim("platform_admin")).isNull();
        assertThat(Duration.between(
                        claims.getIssueTime().toInstant(),
                        claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void signsAPlatformAdminTokenWithTheSecretTheLocalRunKeeps() throws Exception {
        Files.writeString(home.resolve(JwtSecret.FILE_NAME), SECRET + "\n");

        assertThat(tessera(Map.of(), "token", "--tenant=platform", "--platform-admin"))
                .isZero();

        SignedJWT jwt = SignedJWT.parse(out.toString(StandardCharsets.UTF_8).trim());
        assertThat(jwt.verify(new MACVerifier(SECRET.getBytes(StandardCharsets.UTF_8))))
                .isTrue();
        assertThat(jwt.getJWTClaimsSet().getBooleanClaim("platform_admin")).isTrue();
    }

    @Test
    void tellsToStartTheLocalRunWhenThereIsNoSecret() {
        assertThat(tessera(Map.of(), "token", "--tenant", "acme", "--roles", "viewer"))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("./tessera run");
    }

    @Test
    void rejectsBadTokenArgumentsWithExitCodeTwo() {
        Map<String, String> env = Map.of(JwtSecret.VARIABLE, SECRET);
        for (List<String> args : List.of(
                List.of("token", "--roles", "viewer"),
                List.of("token", "--tenant", "acme"),
                List.of("token", "--tenant", "acme", "--roles", "superuser"),
                List.of("token", "--tenant", "Acme Corp", "--roles", "viewer"),
                List.of("token", "--tenant", "acme", "--roles", "viewer", "--ttl", "forever"),
                List.of("token", "--tenant", "acme", "--roles", "viewer", "--colour", "blue"),
                List.of("token", "--tenant", "acme", "--roles"))) {
            assertThat(tessera(env, args.toArray(String[]::new)))
                    .as(args.toString())
                    .isEqualTo(2);
        }
    }

    @Test
    void rejectsATooShortSecret() {
        assertThat(tessera(Map.of(JwtSecret.VARIABLE, "short"), "token", "--tenant", "acme", "--roles", "viewer"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("at least 32 bytes");
    }

    @Test
    void rejectsAPortThatIsNotANumberBeforeStartingAnything() {
        assertThat(tessera(Map.of("TESSERA_PG_PORT", "five"), "run")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("TESSERA_PG_PORT");
        assertThat(home).isEmptyDirectory();
    }
}
