package io.tessera.local;

import io.tessera.events.user.Role;
import io.tessera.infra.tenancy.TenantResolver;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code replay}: exports a tenant's event log as JSON lines, one event per line exactly as
 * {@code GET /api/events} gives it, in position order: with its signed CloudEvent and its links in the tenant's
 * audit chain, so that {@code ./tessera verify} checks the export offline with the public keys alone. It reads through the query side's API with an
 * auditor token it signs itself (like {@code token}), so row-level security, the tenant check and the role
 * apply as to any auditor; it pages by {@code after_position} until the log's end as of the last page.
 */
final class ReplayCommand {

    static final String USAGE = """
            ./tessera replay --tenant ID [--from POS] [--to-file F] [--url URL]
                Exports the tenant's event log after position POS (default 0: all of it) as JSON lines, to F
                or to stdout, through the query side's GET /api/events with an auditor token signed as by
                ./tessera token. --url: the query side, default http://localhost:$TESSERA_QUERY_PORT (8082).""";

    static final int PAGE = 1000;
    /** Numbers as the log printed them (plain decimals, trailing zeros kept): the audit chain hashes that text. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private final Map<String, String> env;
    private final Path home;
    private final PrintStream out;
    private final PrintStream err;

    ReplayCommand(Map<String, String> env, Path home, PrintStream out, PrintStream err) {
        this.env = env;
        this.home = home;
        this.out = out;
        this.err = err;
    }

    int execute(List<String> args) {
        Arguments arguments = Arguments.parse("replay", args, Set.of("tenant", "from", "to-file", "url"), Set.of());
        String tenant = arguments.required("tenant");
        if (!TenantResolver.isValidTenantId(tenant)) {
            throw new UsageException("'" + tenant + "' is not a tenant id (lower-case letters, digits, '-' and '_')");
        }
        long from = arguments.value("from").map(ReplayCommand::position).orElse(0L);
        String url = arguments
                .value("url")
                .orElseGet(() -> "http://localhost:" + env.getOrDefault("TESSERA_QUERY_PORT", "8082"));
        JwtSecret secret = JwtSecret.find(env, home)
                .orElseThrow(() -> new IllegalStateException("No JWT secret yet: set " + JwtSecret.VARIABLE
                        + ", or run ./tessera run once (it keeps one in " + home.resolve(JwtSecret.FILE_NAME) + ")"));
        String token = secret.tokenIssuer(env)
                .issue("tessera-replay", tenant, Set.of(Role.AUDITOR), Set.of(), false, Duration.ofHours(1));
        ApiClient api = ApiClient.keepingDecimals(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        Path file = arguments.value("to-file").map(Path::of).orElse(null);
        Exported exported;
        try {
            if (file == null) {
                // stdout stays open for the caller: flushed, never closed.
                Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                exported = export(api, token, tenant, from, writer);
                writer.flush();
            } else {
                try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    exported = export(api, token, tenant, from, writer);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + (file == null ? "stdout" : file), e);
        }
        err.println("Exported " + exported.events() + " events of tenant " + tenant
                + (exported.events() == 0 ? "" : ", positions " + exported.first() + " to " + exported.last())
                + (file == null ? "" : ", to " + file));
        return 0;
    }

    record Exported(long events, Long first, Long last) {}

    static Exported export(ApiClient api, String token, String tenant, long from, Writer writer) throws IOException {
        long after = from;
        long count = 0;
        Long first = null;
        while (true) {
            ApiClient.Response page = api.get("/api/events?after_position=" + after + "&limit=" + PAGE, token);
            if (!page.successful()) {
                throw new IllegalStateException("The query side answered " + page.describe());
            }
            for (JsonNode event : page.data()) {
                writer.write(JSON.writeValueAsString(event));
                writer.write('\n');
                long position = event.get("position").asLong();
                first = first == null ? position : first;
                after = position;
                count++;
            }
            if (!page.body().path("pagination").path("has_next").asBoolean(false)) {
                return new Exported(count, first, count == 0 ? null : after);
            }
        }
    }

    private static long position(String text) {
        try {
            long position = Long.parseLong(text);
            if (position < 0) {
                throw new NumberFormatException();
            }
            return position;
        } catch (NumberFormatException e) {
            throw new UsageException("--from takes a position, a whole number from 0 on");
        }
    }
}
