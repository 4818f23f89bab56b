package io.tessera.local;

import io.tessera.infra.tenancy.TenantResolver;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * {@code projections}: rebuilds a read table of the query side from its event log, and shows rebuilds'
 * progress, through the query side's admin API with a short-lived platform-admin token signed here.
 */
final class ProjectionsCommand {

    static final String USAGE = """
            ./tessera projections rebuild NAME [--tenant ID] [--url URL] [--no-wait]
            ./tessera projections status [NAME] [--url URL]
                Rebuilds a read table (deployments, workflows, users; their counters with them) from the query
                side's event log while the old one keeps serving, then switches atomically; --tenant: only that
                tenant's rows. Waits and prints the progress unless --no-wait. status: every table's latest
                rebuild, or NAME's. --url: the query side, default http://localhost:$TESSERA_QUERY_PORT (8082).
                Signs a platform-admin token like ./tessera token.""";

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration TOKEN_TTL = Duration.ofMinutes(15);

    private final Map<String, String> env;
    private final Path home;
    private final PrintStream out;

    ProjectionsCommand(Map<String, String> env, Path home, PrintStream out) {
        this.env = env;
        this.home = home;
        this.out = out;
    }

    int execute(List<String> args) throws InterruptedException {
        if (args.isEmpty()) {
            throw new UsageException("projections needs 'rebuild NAME' or 'status [NAME]'");
        }
        String action = args.get(0);
        List<String> rest = args.subList(1, args.size());
        String name = !rest.isEmpty() && !rest.get(0).startsWith("--") ? rest.get(0) : null;
        List<String> options = name == null ? rest : rest.subList(1, rest.size());
        if (name != null && !name.matches("[a-z_]{1,63}")) {
            throw new UsageException("'" + name + "' is not a projection name");
        }
        return switch (action) {
            case "rebuild" ->
                rebuild(
                        name,
                        Arguments.parse("projections rebuild", options, Set.of("tenant", "url"), Set.of("no-wait")));
            case "status" -> status(name, Arguments.parse("projections status", options, Set.of("url"), Set.of()));
            default -> throw new UsageException("Unknown projections action '" + action + "'");
        };
    }

    private int rebuild(String name, Arguments arguments) throws InterruptedException {
        if (name == null) {
            throw new UsageException("projections rebuild needs the NAME of a read table");
        }
        String tenant = arguments.value("tenant").orElse(null);
        if (tenant != null && !TenantResolver.isValidTenantId(tenant)) {
            throw new UsageException("'" + tenant + "' is not a tenant id");
        }
        ApiClient api = new ApiClient(url(arguments));
        String token = token();
        ApiClient.Response started = api.send(
                "POST",
                "/api/admin/projections/" + name + "/rebuild" + (tenant == null ? "" : "?tenant=" + tenant),
                token,
                null);
        if (!started.successful()) {
            throw new IllegalStateException("Rebuild of " + name + " refused: " + started.describe());
        }
        out.println("Rebuilding " + name + (tenant == null ? "" : " for tenant " + tenant));
        if (arguments.flag("no-wait")) {
            return 0;
        }
        String last = "";
        while (true) {
            ApiClient.Response status = api.get("/api/admin/projections/" + name, token);
            if (!status.successful()) {
                throw new IllegalStateException("Status of " + name + ": " + status.describe());
            }
            JsonNode data = status.data();
            String line = describe(data);
            if (!line.equals(last)) {
                out.println(line);
                last = line;
            }
            String state = data.path("state").asString("");
            if (state.equals("done")) {
                return 0;
            }
            if (state.equals("failed")) {
                return 1;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private int status(String name, Arguments arguments) {
        ApiClient api = new ApiClient(url(arguments));
        ApiClient.Response status = api.get("/api/admin/projections" + (name == null ? "" : "/" + name), token());
        if (!status.successful()) {
            throw new IllegalStateException("Status: " + status.describe());
        }
        if (name == null) {
            status.data().forEach(projection -> out.println(describe(projection)));
        } else {
            out.println(describe(status.data()));
        }
        return 0;
    }

    private static String describe(JsonNode status) {
        StringBuilder line = new StringBuilder()
                .append(status.path("name").asString(""))
                .append(": ")
                .append(status.path("state").asString(""));
        if (!status.path("tenant_id").isNull() && status.has("tenant_id")) {
            line.append(" (tenant ")
                    .append(status.path("tenant_id").asString(""))
                    .append(')');
        }
        if (!status.path("state").asString("").equals("idle")) {
            line.append(", ")
                    .append(status.path("events_replayed").asLong())
                    .append('/')
                    .append(status.path("events_total").asLong())
                    .append(" events");
            if (status.path("events_per_second").isNumber()) {
                line.append(String.format(
                        ", %.0f events/s", status.path("events_per_second").asDouble()));
            }
        }
        if (status.path("error").isString()) {
            line.append(": ").append(status.path("error").asString());
        }
        return line.toString();
    }

    private String url(Arguments arguments) {
        return arguments
                .value("url")
                .map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url)
                .orElseGet(() -> "http://localhost:" + env.getOrDefault("TESSERA_QUERY_PORT", "8082"));
    }

    private String token() {
        JwtSecret secret = JwtSecret.find(env, home)
                .orElseThrow(() -> new IllegalStateException("No JWT secret yet: set " + JwtSecret.VARIABLE
                        + ", or run ./tessera run once (it keeps one in " + home.resolve(JwtSecret.FILE_NAME) + ")"));
        return secret.tokenIssuer(env).issue("tessera-cli", "platform", Set.of(), Set.of(), true, TOKEN_TTL);
    }
}
