package io.tessera.local;

import io.tessera.events.user.Role;
import io.tessera.infra.security.TokenIssuer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What a person needs once the local run is up: where everything is, the secret, tokens, two commands to try. */
final class ReadinessBanner {

    private static final Duration TOKEN_TTL = Duration.ofHours(24);

    private final LocalRun run;
    private final LocalRunSettings settings;
    private final TokenIssuer tokens;

    ReadinessBanner(LocalRun run, LocalRunSettings settings, TokenIssuer tokens) {
        this.run = run;
        this.settings = settings;
        this.tokens = tokens;
    }

    void print(PrintStream out, Duration startup, boolean demo, List<String> demoOutcome) {
        out.println();
        out.printf("Tessera is ready (started in %.1f s).%n%n", startup.toMillis() / 1000.0);
        out.printf("  Command side  %s   REST commands; Kafka intake on tessera.commands%n", run.commandSideUrl());
        out.printf("  Query side    %s   query API%n", run.querySideUrl());
        out.printf("  Dashboard     %s/%n", run.querySideUrl());
        out.printf("  PostgreSQL    %s%s%n", run.database().url(), origin(run.embeddedPostgres(), "postgres"));
        out.printf("  Kafka         %s%s%n", run.kafkaBootstrap(), origin(run.embeddedKafka(), "kafka"));
        out.printf(
                "  JWT secret    %s   (HS256, from %s)%n",
                settings.jwtSecret().value(), settings.jwtSecret().origin());
        out.printf(
                "  Master key    from %s   (wraps the tenants' data keys; keep it with the data)%n",
                settings.masterKey().origin());
        out.printf(
                "  Event key     %s from %s   (signs every event; the query side applies only what it signed)%n",
                settings.signingKey().keyId(), settings.signingKey().origin());
        if (!demoOutcome.isEmpty()) {
            out.println();
            demoOutcome.forEach(line -> out.println("  Demo tenant " + line));
        }
        out.printf("%nTokens, valid for 24 h (more: ./tessera token --tenant acme --roles viewer,editor):%n");
        if (demo) {
            for (String tenant : DemoData.TENANTS) {
                String token = tokens.issue("demo-user", tenant, EnumSet.allOf(Role.class), Set.of(), false, TOKEN_TTL);
                out.printf("  export %s_TOKEN=%s%n", tenant.toUpperCase(Locale.ROOT), token);
            }
        }
        String platformAdmin =
                tokens.issue("platform-admin", DemoData.PLATFORM_TENANT, Set.of(), Set.of(), true, TOKEN_TTL);
        out.printf("  export PLATFORM_ADMIN_TOKEN=%s%n", platformAdmin);
        out.printf("%nTry:%n");
        if (demo) {
            out.printf(
                    "  curl -s -X POST %s/api/deployments -H \"Authorization: Bearer $ACME_TOKEN\" "
                            + "-H 'Content-Type: application/json' -d '{\"project_name\":\"hello-world\"}'%n",
                    run.commandSideUrl());
            out.printf(
                    "  curl -s '%s/api/deployments?per_page=5' -H \"Authorization: Bearer $ACME_TOKEN\"%n",
                    run.querySideUrl());
        } else {
            out.printf(
                    "  curl -s -X POST %s/api/tenants -H \"Authorization: Bearer $PLATFORM_ADMIN_TOKEN\" "
                            + "-H 'Content-Type: application/json' -d '{\"id\":\"acme\",\"name\":\"Acme\",\"slug\":\"acme\"}'%n",
                    run.commandSideUrl());
            out.printf(
                    "  curl -s %s/api/tenants -H \"Authorization: Bearer $(./tessera token --tenant acme --roles viewer)\"%n",
                    run.querySideUrl());
        }
        out.printf("%nCtrl-C stops everything.%n");
    }

    private String origin(boolean embedded, String directory) {
        return embedded ? "   (embedded, data in " + settings.home().resolve(directory) + ")" : "   (external)";
    }
}
