package io.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.events.user.Role;
import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.infra.security.TokenIssuer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./tessera import} against the running system: the sample legacy database (infra/sample-legacy) in
 * a database of its own on the same embedded PostgreSQL, imported into a fresh tenant through the command
 * side's import endpoints, reconciled over the query API; run again (nothing stored); and an import stopped
 * part-way (--limit) resumed to completion with no duplicate.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImportIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String TENANT = "legacy-" + RUN;
    private static final String RESUMED_TENANT = "legacy-resumed-" + RUN;
    private static final Path SAMPLE = Path.of("..", "infra", "sample-legacy");

    @TempDir
    static Path home;

    private static LocalInfrastructure infrastructure;
    private static LocalRun run;
    private static TokenIssuer tokens;
    private static String legacyUrl;
    private static String smallLegacyUrl;

    @BeforeAll
    static void startTheSystemAndTheLegacyDatabase() throws Exception {
        infrastructure = LocalInfrastructure.shared();
        LocalRunSettings settings = TestRuns.onSharedInfrastructure(home);
        run = new LocalRun(settings, notice -> {}).start();
        tokens = settings.jwtSecret().tokenIssuer(Map.of());

        legacyUrl = legacyDatabase("legacy_" + RUN);
        // The resumption test runs on the first 600 rows: the machine is shared, and the full set takes minutes.
        smallLegacyUrl = legacyDatabase("legacy_small_" + RUN);
        try (Connection legacy = DriverManager.getConnection(
                        smallLegacyUrl, infrastructure.dbUser(), infrastructure.dbPassword());
                Statement statement = legacy.createStatement()) {
            statement.execute("DELETE FROM users WHERE id > 200");
            statement.execute("DELETE FROM deployments WHERE id > 300");
            statement.execute("DELETE FROM workflows WHERE id > 'wf-0100'");
        }
    }

    private static String legacyDatabase(String database) throws Exception {
        try (Connection tessera = tesseraDatabase();
                Statement statement = tessera.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        // The importer reads the legacy database as the login its URL names (here the superuser, who made it).
        String url = infrastructure.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1")
                + (infrastructure.jdbcUrl().contains("?") ? "&" : "?") + "user=" + infrastructure.dbUser();
        try (Connection legacy =
                        DriverManager.getConnection(url, infrastructure.dbUser(), infrastructure.dbPassword());
                Statement statement = legacy.createStatement()) {
            statement.execute(Files.readString(SAMPLE.resolve("schema.sql")));
            statement.execute(Files.readString(SAMPLE.resolve("data.sql")));
        }
        return url;
    }

    @AfterAll
    static void stopTheSystem() {
        if (run != null) {
            run.close();
        }
    }

    @Test
    @Order(1)
    void importsTheSampleDataAndReconcilesEveryTable() throws Exception {
        Result result = tessera("import", "--from", legacyUrl, "--default-tenant", TENANT);

        assertThat(result.exit()).as(result.all()).isZero();
        assertThat(result.out())
                .contains("Every legacy row is in Tessera with the same content.")
                .containsPattern("users\\s+300\\s+2\\s+298\\s+298\\s+298\\s+0\\s+0\\s+0")
                .containsPattern("deployments\\s+2000\\s+0\\s+2000\\s+2000\\s+2000\\s+0\\s+0\\s+0")
                .containsPattern("workflows\\s+700\\s+0\\s+700\\s+700\\s+700\\s+0\\s+0\\s+0");
        assertThat(result.err()).contains("imported 2998", "refused 0");
        // 2000 creations in minutes, twenty times the hourly quota: only the import mode allows that, and
        // every stored event says so.
        assertThat(count(
                        "SELECT count(*) FROM command_side.domain_event_entry WHERE aggregate_identifier <> ?"
                                + " AND convert_from(meta_data, 'UTF8') NOT LIKE '%\"import\":\"true\"%'"
                                + " AND convert_from(meta_data, 'UTF8') LIKE ?",
                        TENANT, "%\"tenant_id\":\"" + TENANT + "\"%"))
                .isZero();
        JsonNode epochDefault = new ApiClient(run.querySideUrl())
                .get("/api/deployments/" + importedId("deployment", "17"), token())
                .data();
        assertThat(epochDefault.path("created_at").asString()).startsWith("1970-01-01T00:00");
        JsonNode audit = new ApiClient(run.querySideUrl())
                .get(
                        "/api/audit?limit=1",
                        tokens.issue(
                                "it-auditor", TENANT, Set.of(Role.AUDITOR), Set.of(), false, Duration.ofMinutes(10)))
                .data();
        assertThat(audit.path(0).path("actor").asString()).isEqualTo("import:" + ImportCommand.SUBJECT);
    }

    @Test
    @Order(2)
    void aSecondRunStoresNothing() throws Exception {
        long events = count("SELECT count(*) FROM command_side.domain_event_entry");

        Result result = tessera("import", "--from", legacyUrl, "--default-tenant", TENANT);

        assertThat(result.exit()).as(result.all()).isZero();
        assertThat(result.err()).contains("imported 0", "unchanged 3000");
        assertThat(result.out()).contains("Every legacy row is in Tessera with the same content.");
        assertThat(count("SELECT count(*) FROM command_side.domain_event_entry"))
                .isEqualTo(events);
    }

    @Test
    @Order(3)
    void anImportStoppedPartWayResumesToCompletionWithoutDuplicates() throws Exception {
        Result stopped =
                tessera("import", "--from", smallLegacyUrl, "--default-tenant", RESUMED_TENANT, "--limit", "345");

        assertThat(stopped.exit()).as(stopped.all()).isZero();
        assertThat(stopped.out()).contains("Stopped after 345 rows");
        assertThat(count(
                        "SELECT count(DISTINCT aggregate_identifier) FROM command_side.domain_event_entry"
                                + " WHERE payload_type LIKE '%.DeploymentCreated' AND convert_from(meta_data, 'UTF8') LIKE ?",
                        "%\"tenant_id\":\"" + RESUMED_TENANT + "\"%"))
                .isEqualTo(345 - 200);

        Result resumed = tessera("import", "--from", smallLegacyUrl, "--default-tenant", RESUMED_TENANT);

        assertThat(resumed.exit()).as(resumed.all()).isZero();
        // 600 rows, one of them a user seen before (skipped, shown as unchanged): 255 new, 345 done before.
        assertThat(resumed.err()).contains("imported 255", "unchanged 345");
        assertThat(resumed.out())
                .contains("Every legacy row is in Tessera with the same content.")
                .containsPattern("users\\s+200\\s+1\\s+199\\s+199\\s+199")
                .containsPattern("deployments\\s+300\\s+0\\s+300\\s+300\\s+300");
        assertThat(count("""
                        SELECT count(*) FROM (
                            SELECT aggregate_identifier, payload_type, payload FROM command_side.domain_event_entry
                            WHERE convert_from(meta_data, 'UTF8') LIKE ?
                            GROUP BY aggregate_identifier, payload_type, payload HAVING count(*) > 1) twice
                        """, "%\"tenant_id\":\"" + RESUMED_TENANT + "\"%"))
                .as("no event stored twice for one aggregate (same type and payload)")
                .isZero();
    }

    private record Result(int exit, String out, String err) {
        String all() {
            return out + "\n" + err;
        }
    }

    private static Result tessera(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = TesseraCli.execute(
                args,
                Map.of("TESSERA_COMMAND_URL", run.commandSideUrl(), "TESSERA_QUERY_URL", run.querySideUrl()),
                home,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        Result result = new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        System.out.println(String.join(" ", args) + " -> exit " + exit + "\n" + result.out());
        return result;
    }

    private static String token() {
        return tokens.issue("it-viewer", TENANT, Set.of(Role.VIEWER), Set.of(), false, Duration.ofMinutes(10));
    }

    private static String importedId(String resource, String legacyId) {
        return UUID.nameUUIDFromBytes(("tessera-import\n" + TENANT + "\n" + resource + "\n" + legacyId)
                        .getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static Connection tesseraDatabase() throws SQLException {
        return DriverManager.getConnection(
                infrastructure.jdbcUrl(), infrastructure.dbUser(), infrastructure.dbPassword());
    }

    private static long count(String sql, Object... parameters) throws SQLException {
        try (Connection connection = tesseraDatabase();
                var statement = connection.prepareStatement(sql)) {
            List<Object> values = new ArrayList<>(List.of(parameters));
            for (int i = 0; i < values.size(); i++) {
                statement.setObject(i + 1, values.get(i));
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
