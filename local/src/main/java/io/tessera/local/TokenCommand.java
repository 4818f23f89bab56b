package io.tessera.local;

import io.tessera.events.user.Role;
import io.tessera.infra.tenancy.TenantResolver;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code token}: prints one signed JWT, alone on stdout so that {@code TOKEN=$(./tessera token ...)} works. */
final class TokenCommand {

    static final String USAGE = """
            ./tessera token --tenant ID --roles viewer,editor [--tenants a,b] [--platform-admin] [--ttl 1h] [--subject NAME]
                Prints a signed HS256 JWT for TESSERA_JWT_SECRET, else for the secret the local run keeps
                in .tessera/jwt-secret. Roles: viewer, editor, admin, auditor. --tenants: further tenants
                the token may act for. --ttl: 90s, 30m, 1h (default), 24h, 7d. --subject: default your user name.""";

    private static final Duration DEFAULT_TTL = Duration.ofHours(1);

    private final Map<String, String> env;
    private final Path home;
    private final PrintStream out;

    TokenCommand(Map<String, String> env, Path home, PrintStream out) {
        this.env = env;
        this.home = home;
        this.out = out;
    }

    int execute(List<String> args) {
        Arguments arguments = Arguments.parse(
                "token", args, Set.of("tenant", "roles", "tenants", "ttl", "subject"), Set.of("platform-admin"));
        String tenant = tenantId(arguments.required("tenant"));
        boolean platformAdmin = arguments.flag("platform-admin");
        Set<Role> roles =
                platformAdmin ? roles(arguments.value("roles").orElse("")) : roles(arguments.required("roles"));
        Set<String> tenants = splitList(arguments.value("tenants").orElse("")).stream()
                .map(TokenCommand::tenantId)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        Duration ttl = arguments.value("ttl").map(Ttl::parse).orElse(DEFAULT_TTL);
        String subject = arguments.value("subject").orElseGet(() -> System.getProperty("user.name", "operator"));
        JwtSecret secret = JwtSecret.find(env, home)
                .orElseThrow(() -> new IllegalStateException("No JWT secret yet: set " + JwtSecret.VARIABLE
                        + ", or run ./tessera run once (it keeps one in " + home.resolve(JwtSecret.FILE_NAME) + ")"));
        out.println(secret.tokenIssuer(env).issue(subject, tenant, roles, tenants, platformAdmin, ttl));
        return 0;
    }

    static Set<Role> roles(String list) {
        Set<Role> roles = new LinkedHashSet<>();
        for (String name : splitList(list)) {
            roles.add(Role.fromJsonName(name)
                    .orElseThrow(() -> new UsageException("Unknown role '" + name + "'; roles are "
                            + Arrays.stream(Role.values()).map(Role::jsonName).collect(Collectors.joining(", ")))));
        }
        return roles;
    }

    private static String tenantId(String candidate) {
        if (!TenantResolver.isValidTenantId(candidate)) {
            throw new UsageException(
                    "'" + candidate + "' is not a tenant id (lower-case letters, digits, '-' and '_')");
        }
        return candidate;
    }

    private static List<String> splitList(String list) {
        return Arrays.stream(list.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
