package io.tessera.local;

import io.tessera.events.user.Role;
import io.tessera.infra.tenancy.TenantResolver;
import io.tessera.local.LegacyDatabase.Row;
import io.tessera.local.LegacyDatabase.Table;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code import}: an older single-tenant database into one tenant of a running Tessera, through the
 * command side's import endpoints (so every row becomes events through the real aggregates), then a
 * reconciliation of every table against the query API. Idempotent and resumable: ids and idempotency keys
 * follow from tenant and legacy id, so a row done before is answered "unchanged" and stores nothing.
 */
final class ImportCommand {

    static final String USAGE = """
            ./tessera import --from JDBC_URL --default-tenant ID [--user U] [--password P] [--schema S]
                             [--tenant-name NAME] [--command-url URL] [--query-url URL] [--limit N]
                Imports an older single-tenant database (tables users, deployments, workflows; see
                infra/sample-legacy/schema.sql) into tenant ID of the running Tessera (default
                http://localhost:8081 and :8082, or TESSERA_COMMAND_URL / TESSERA_QUERY_URL), creating the
                tenant if needed, then reconciles every table (counts and content) against the query API;
                exit 1 on any mismatch. Signs an importer token with the JWT secret, as ./tessera token does.
                Safe to run again: rows imported before are skipped. --limit stops after N rows (resume by
                running again). The password may also come from TESSERA_IMPORT_PASSWORD.""";

    static final String SUBJECT = "tessera-import";
    private static final int BATCH = 50;
    private static final int SHOWN_PROBLEMS = 10;
    private static final Duration READ_MODEL_WAIT = Duration.ofMinutes(2);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, String> env;
    private final Path home;
    private final PrintStream out;
    private final PrintStream err;

    ImportCommand(Map<String, String> env, Path home, PrintStream out, PrintStream err) {
        this.env = env;
        this.home = home;
        this.out = out;
        this.err = err;
    }

    /** What one table's import did, by legacy id: the Tessera id and the outcome of every row sent. */
    private static final class Tally {
        final Map<String, String> ids = new HashMap<>();
        long imported;
        long unchanged;
        long refused;
        long skipped;
    }

    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    int execute(List<String> args) throws InterruptedException {
        Arguments arguments = Arguments.parse(
                "import",
                args,
                Set.of(
                        "from",
                        "default-tenant",
                        "user",
                        "password",
                        "schema",
                        "tenant-name",
                        "command-url",
                        "query-url",
                        "limit"),
                Set.of());
        String from = arguments.required("from");
        if (!from.startsWith("jdbc:")) {
            throw new UsageException("--from takes a JDBC URL, e.g. jdbc:postgresql://host:5432/legacy");
        }
        String tenant = arguments.required("default-tenant");
        if (!TenantResolver.isValidTenantId(tenant)) {
            throw new UsageException("'" + tenant + "' is not a tenant id (lower-case letters, digits, '-' and '_')");
        }
        long limit = arguments.value("limit").map(ImportCommand::positive).orElse(Long.MAX_VALUE);
        String password = arguments.value("password").orElse(env.get("TESSERA_IMPORT_PASSWORD"));
        ApiClient commands = new ApiClient(arguments
                .value("command-url")
                .orElse(env.getOrDefault("TESSERA_COMMAND_URL", "http://localhost:8081")));
        ApiClient queries = new ApiClient(
                arguments.value("query-url").orElse(env.getOrDefault("TESSERA_QUERY_URL", "http://localhost:8082")));
        JwtSecret secret = JwtSecret.find(env, home)
                .orElseThrow(() -> new IllegalStateException("No JWT secret: set " + JwtSecret.VARIABLE
                        + " to the running Tessera's secret (./tessera run keeps one in "
                        + home.resolve(JwtSecret.FILE_NAME) + ")"));
        String token = secret.tokenIssuer(env)
                .issue(SUBJECT, tenant, Set.of(Role.EDITOR, Role.ADMIN), Set.of(), true, true, Duration.ofHours(12));

        try (LegacyDatabase legacy = new LegacyDatabase(
                from,
                arguments.value("user").orElse(null),
                password,
                arguments.value("schema").orElse(null))) {
            createTenant(commands, token, tenant, arguments.value("tenant-name").orElse(tenant));
            Map<Table, Tally> tallies = new EnumMap<>(Table.class);
            boolean complete = importAll(legacy, commands, token, limit, tallies);
            if (!complete) {
                long done = tallies.values().stream()
                        .mapToLong(t -> t.imported + t.unchanged + t.refused + t.skipped)
                        .sum();
                out.println("Stopped after " + done + " rows; run the same command again to resume"
                        + " (rows imported before are skipped).");
                return Thread.currentThread().isInterrupted() ? 1 : 0;
            }
            awaitReadModel(queries, token, maxPosition);
            return reconcile(legacy, queries, token, tenant, tallies) ? 0 : 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the legacy database failed: " + e.getMessage(), e);
        }
    }

    private long maxPosition;
    private final List<String> problems = new ArrayList<>();

    private void createTenant(ApiClient commands, String token, String tenant, String name)
            throws InterruptedException {
        ApiClient.Response created = send(
                commands,
                "/api/tenants",
                token,
                Map.of("id", tenant, "name", name, "slug", tenant),
                "Idempotency-Key",
                "import:tenant:" + tenant);
        if (!created.successful() && !"CONFLICT".equals(created.errorCode())) {
            throw new IllegalStateException("Creating tenant " + tenant + " failed: " + created.describe());
        }
    }

    private boolean importAll(
            LegacyDatabase legacy, ApiClient commands, String token, long limit, Map<Table, Tally> tallies)
            throws SQLException, InterruptedException {
        long total = 0;
        for (Table table : Table.values()) {
            total += legacy.count(table);
        }
        ImportProgress progress = new ImportProgress(err, Math.min(total, limit));
        long[] seen = {0};
        for (Table table : Table.values()) {
            Tally tally = new Tally();
            tallies.put(table, tally);
            List<Row> batch = new ArrayList<>();
            try {
                legacy.read(table, row -> {
                    if (seen[0] >= limit || Thread.currentThread().isInterrupted()) {
                        throw new Stop();
                    }
                    seen[0]++;
                    batch.add(row);
                    if (batch.size() == BATCH) {
                        flush(commands, token, table, batch, tally, progress);
                    }
                });
                flush(commands, token, table, batch, tally, progress);
            } catch (Stop stop) {
                if (!Thread.currentThread().isInterrupted()) {
                    flush(commands, token, table, batch, tally, progress);
                }
                progress.finish(table.name);
                return false;
            }
        }
        progress.finish("done");
        return true;
    }

    private void flush(
            ApiClient commands, String token, Table table, List<Row> batch, Tally tally, ImportProgress progress) {
        if (batch.isEmpty()) {
            return;
        }
        List<Map<String, Object>> bodies = new ArrayList<>();
        long skipped = 0;
        long refused = 0;
        for (Row row : batch) {
            if (row.body() != null) {
                bodies.add(row.body());
            } else if (row.duplicate()) {
                skipped++;
            } else {
                refused++;
                problem(table, row.legacyId(), row.problem());
            }
        }
        long imported = 0;
        long unchanged = 0;
        if (!bodies.isEmpty()) {
            ApiClient.Response answer;
            try {
                answer = send(commands, "/api/imports/" + table.name, token, Map.of("rows", bodies));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Stop();
            } catch (IllegalStateException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new Stop();
                }
                throw e;
            }
            if (!answer.successful()) {
                throw new IllegalStateException("Importing " + table.name + " failed: " + answer.describe());
            }
            for (JsonNode outcome : answer.data()) {
                String legacyId = outcome.path("legacy_id").asString();
                if (outcome.hasNonNull("id")) {
                    tally.ids.put(legacyId, outcome.path("id").asString());
                }
                if (outcome.hasNonNull("position")) {
                    maxPosition = Math.max(maxPosition, outcome.path("position").asLong());
                }
                switch (outcome.path("outcome").asString()) {
                    case "imported" -> imported++;
                    case "unchanged" -> unchanged++;
                    default -> {
                        refused++;
                        problem(
                                table,
                                legacyId,
                                outcome.path("error").path("code").asString() + ": "
                                        + outcome.path("error").path("message").asString());
                    }
                }
            }
        }
        tally.imported += imported;
        tally.unchanged += unchanged;
        tally.refused += refused;
        tally.skipped += skipped;
        progress.advance(table.name, imported, unchanged + skipped, refused);
        batch.clear();
    }

    /** A POST that waits out rate limits and retries a few times over an outage or a 503. */
    private static ApiClient.Response send(ApiClient client, String path, String token, Object body, String... headers)
            throws InterruptedException {
        int failures = 0;
        while (true) {
            ApiClient.Response response;
            try {
                response = client.send("POST", path, token, body, headers);
            } catch (UncheckedIOException e) {
                if (++failures > 5) {
                    throw e;
                }
                Thread.sleep(2000L * failures);
                continue;
            }
            if (response.status() == 429 && "RATE_LIMITED".equals(response.errorCode())) {
                Thread.sleep(1000L
                        * response.headers().firstValueAsLong("Retry-After").orElse(1));
                continue;
            }
            if (response.status() == 503 && ++failures <= 5) {
                Thread.sleep(2000L * failures);
                continue;
            }
            return response;
        }
    }

    private void awaitReadModel(ApiClient queries, String token, long position) throws InterruptedException {
        if (position <= 0) {
            return;
        }
        Instant deadline = Instant.now().plus(READ_MODEL_WAIT);
        while (true) {
            ApiClient.Response answer =
                    queries.get("/api/users?limit=1", token, "X-Min-Position", Long.toString(position));
            if (answer.successful()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(
                        "The query side did not reach position " + position + ": " + answer.describe());
            }
            Thread.sleep(500);
        }
    }

    private boolean reconcile(
            LegacyDatabase legacy, ApiClient queries, String token, String tenant, Map<Table, Tally> tallies)
            throws SQLException, InterruptedException {
        out.println("Reconciliation of the legacy database with tenant " + tenant + " (query API):");
        out.printf(
                "%-12s %7s %8s %9s %11s %9s %8s %10s %6s%n",
                "table", "legacy", "skipped", "expected", "in tessera", "matching", "missing", "differing", "extra");
        boolean allMatch = true;
        for (Table table : Table.values()) {
            Tally tally = tallies.get(table);
            Map<String, JsonNode> read = readAll(queries, token, table);
            long[] counts = new long[6]; // legacy, skipped, expected, matching, missing, differing
            List<String> matched = new ArrayList<>();
            legacy.read(table, row -> {
                counts[0]++;
                if (row.duplicate()) {
                    counts[1]++;
                    return;
                }
                counts[2]++;
                String id = tally.ids.get(row.legacyId());
                JsonNode actual = id == null ? null : read.get(id);
                if (row.body() == null || actual == null) {
                    counts[4]++;
                    if (row.body() != null) {
                        problem(table, row.legacyId(), "missing from the read model");
                    }
                    return;
                }
                matched.add(id);
                String difference = difference(table, row.body(), actual);
                if (difference == null) {
                    counts[3]++;
                } else {
                    counts[5]++;
                    problem(table, row.legacyId(), difference);
                }
            });
            long extra = read.size() - matched.size();
            out.printf(
                    "%-12s %7d %8d %9d %11d %9d %8d %10d %6d%n",
                    table.name, counts[0], counts[1], counts[2], read.size(), counts[3], counts[4], counts[5], extra);
            allMatch &= counts[4] == 0 && counts[5] == 0 && counts[3] == counts[2];
        }
        if (!problems.isEmpty()) {
            out.println(
                    "Problems (" + problems.size() + ", the first " + Math.min(SHOWN_PROBLEMS, problems.size()) + "):");
            problems.stream().limit(SHOWN_PROBLEMS).forEach(p -> out.println("  " + p));
        }
        out.println(
                allMatch
                        ? "Every legacy row is in Tessera with the same content."
                        : "MISMATCH: see above; run again after fixing the rows (imported rows are skipped).");
        return allMatch;
    }

    /** The first field that differs, or null; e-mail values are not printed. */
    private static String difference(Table table, Map<String, Object> expected, JsonNode actual) {
        List<String> fields = switch (table) {
            case USERS -> List.of("email", "role");
            case DEPLOYMENTS -> List.of("project_name", "url", "status");
            case WORKFLOWS -> List.of("name", "status");
        };
        for (String field : fields) {
            Object want = expected.get(field);
            JsonNode got = actual.path(field);
            String gotText = got.isNull() || got.isMissingNode() ? null : got.asString();
            if (!Objects.equals(want, gotText)) {
                return field.equals("email")
                        ? "email differs"
                        : field + ": legacy '" + want + "', tessera '" + gotText + "'";
            }
        }
        if (table == Table.WORKFLOWS
                && !JSON.valueToTree(expected.get("config")).equals(actual.path("config"))) {
            return "config differs";
        }
        Instant wantCreated = Instant.parse((String) expected.get("created_at"));
        String gotCreated = actual.path("created_at").asString("");
        if (gotCreated.isEmpty() || !wantCreated.equals(Instant.parse(gotCreated))) {
            return "created_at: legacy " + wantCreated + ", tessera " + gotCreated;
        }
        return null;
    }

    private static Map<String, JsonNode> readAll(ApiClient queries, String token, Table table)
            throws InterruptedException {
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        String cursor = null;
        do {
            String path = "/api/" + table.name + "?limit=100"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            ApiClient.Response page = queries.get(path, token);
            if (page.status() == 429) {
                Thread.sleep(
                        1000L * page.headers().firstValueAsLong("Retry-After").orElse(1));
                continue;
            }
            if (!page.successful()) {
                throw new IllegalStateException("Reading " + table.name + " failed: " + page.describe());
            }
            for (JsonNode row : page.data()) {
                rows.put(row.path("id").asString(), row);
            }
            JsonNode next = page.body().path("pagination").path("cursor");
            cursor = next.isString() ? next.asString() : null;
        } while (cursor != null);
        return rows;
    }

    private void problem(Table table, String legacyId, String what) {
        problems.add(table.name + " legacy id " + legacyId + ": " + what);
    }

    private static long positive(String value) {
        try {
            long parsed = Long.parseLong(value);
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the usage message
        }
        throw new UsageException("--limit takes a whole number above 0");
    }
}
