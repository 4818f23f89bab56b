package io.tessera.local.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.infra.runtime.ContainerImages;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads {@code docker-compose.yml} as compose does (anchors and merge keys resolved) and checks what an operator
 * would otherwise find out at {@code docker compose up}: each side gets every variable its configuration needs,
 * every long-running service says when it is healthy, a service starts only once what it depends on is healthy
 * (or, for a one-shot service such as an initialiser, has completed), and of each side only its API port is
 * published (the contract serves {@code /actuator/health} and {@code /actuator/prometheus} there and nothing
 * more of the actuator).
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    /** {@code ${NAME}} or {@code ${NAME:default}}, an environment variable in a side's configuration. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:([^}$]*))?}");

    /**
     * Variables with an empty default that a side starts without: the JWT issuer, JWKS and audience are the
     * alternative to the shared secret (one of the two is needed, the secret is checked), the cursor key falls
     * back to one derived from the JWT secret.
     */
    private static final Set<String> OPTIONAL =
            Set.of("TESSERA_JWT_ISSUER", "TESSERA_JWT_JWKS_URI", "TESSERA_JWT_AUDIENCE", "TESSERA_CURSOR_SECRET");

    /** Bound by settings records, not named in the yml, and refused when missing (SigningSettings, EventTrust). */
    private static final Map<String, Set<String>> REQUIRED_BY_SETTINGS = Map.of(
            "command-side",
            Set.of("TESSERA_EVENTS_SIGNING_KEY_ID", "TESSERA_EVENTS_SIGNING_PRIVATE_KEY"),
            "query-side",
            Set.of("TESSERA_EVENTS_PUBLIC_KEYS"));

    private static final Map<String, Integer> API_PORTS = Map.of("command-side", 8081, "query-side", 8082);

    private final Map<String, Map<String, Object>> services = services();

    @Test
    void everySideGetsEveryVariableItsConfigurationRequires() throws IOException {
        List<String> sides = new ArrayList<>();
        for (var service : services.entrySet()) {
            String side = sideOf(service.getValue());
            if (side == null) {
                continue;
            }
            sides.add(service.getKey());
            Map<String, String> environment = environment(service.getValue());
            assertThat(environment.keySet())
                    .as("%s (%s) sets every variable without a default", service.getKey(), side)
                    .containsAll(required(side));
            environment.forEach((name, value) -> assertThat(isSet(value))
                    .as(
                            "%s: %s is set, or has a default in the compose file (${%s:-...})",
                            service.getKey(), name, name)
                    .isTrue());
        }
        assertThat(sides).as("services built from a side's Dockerfile").hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void requiredVariablesAreDerivedFromTheSidesConfiguration() throws IOException {
        assertThat(required("command-side"))
                .contains(
                        "TESSERA_DB_URL",
                        "TESSERA_DB_PASSWORD",
                        "TESSERA_DB_OWNER_PASSWORD",
                        "TESSERA_JWT_SECRET",
                        "TESSERA_MASTER_KEY",
                        "TESSERA_EVENTS_SIGNING_PRIVATE_KEY")
                .doesNotContain("TESSERA_KAFKA_BOOTSTRAP", "TESSERA_JWT_ISSUER");
        assertThat(required("query-side")).contains("TESSERA_DB_URL", "TESSERA_EVENTS_PUBLIC_KEYS");
    }

    @Test
    void everyLongRunningServiceHasAHealthCheck() {
        Set<String> oneShot = oneShotServices();
        services.forEach((name, service) -> {
            if (!oneShot.contains(name)) {
                assertThat(service).as("%s has a healthcheck", name).containsKey("healthcheck");
                assertThat(asMap(service.get("healthcheck")))
                        .as("%s's healthcheck runs a test", name)
                        .containsKey("test")
                        .doesNotContainEntry("disable", true);
            }
        });
    }

    @Test
    void dependenciesAreAwaitedUntilHealthyOrCompleted() {
        Set<String> oneShot = oneShotServices();
        services.forEach((name, service) -> {
            Object dependsOn = service.get("depends_on");
            if (dependsOn == null) {
                return;
            }
            assertThat(dependsOn)
                    .as("%s: depends_on names a condition for each service (a plain list waits for nothing)", name)
                    .isInstanceOf(Map.class);
            asMap(dependsOn).forEach((dependency, condition) -> {
                assertThat(services)
                        .as("%s depends on a service of this file", name)
                        .containsKey(dependency);
                String expected = oneShot.contains(dependency) ? "service_completed_successfully" : "service_healthy";
                assertThat(asMap(condition).get("condition"))
                        .as("%s waits for %s", name, dependency)
                        .isEqualTo(expected);
            });
        });
    }

    @Test
    void ofEachSideOnlyTheApiPortIsPublished() {
        services.forEach((name, service) -> {
            String side = sideOf(service);
            if (side == null) {
                return;
            }
            Map<String, String> environment = environment(service);
            int apiPort = Integer.parseInt(environment.getOrDefault(
                    side.equals("command-side") ? "TESSERA_COMMAND_PORT" : "TESSERA_QUERY_PORT",
                    String.valueOf(API_PORTS.get(side))));
            List<Integer> published = new ArrayList<>();
            for (Object port : (List<?>) service.getOrDefault("ports", List.of())) {
                published.add(containerPort(port));
            }
            assertThat(published)
                    .as("%s publishes its API port and nothing else", name)
                    .containsOnly(apiPort);
            assertThat(environment)
                    .as("%s exposes no actuator endpoint beyond the contract's health and prometheus", name)
                    .doesNotContainKeys(
                            "MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE", "MANAGEMENT_ENDPOINTS_ACCESS_DEFAULT");
            String managementPort = environment.get("MANAGEMENT_SERVER_PORT");
            if (managementPort != null) {
                assertThat(published)
                        .as("%s: its management port stays inside", name)
                        .doesNotContain(Integer.parseInt(managementPort));
            }
        });
    }

    @Test
    void everySideExportsItsSpansToACollectorOfThisFile() {
        services.forEach((name, service) -> {
            if (sideOf(service) == null) {
                return;
            }
            String endpoint = environment(service).get("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT");
            assertThat(endpoint).as("%s exports its spans by OTLP", name).isNotNull();
            String collector = URI.create(endpoint).getHost();
            assertThat(services)
                    .as("%s's collector is a service of this file", name)
                    .containsKey(collector);
            assertThat(services.get(collector))
                    .as("the collector has a healthcheck")
                    .containsKey("healthcheck");
        });
    }

    @Test
    void testsUnderTestcontainersRunTheImagesOfThisFile() {
        assertThat(services.get("postgres")).containsEntry("image", ContainerImages.POSTGRES);
        services.forEach((name, service) -> {
            if (name.startsWith("kafka-")) {
                assertThat(service).as(name).containsEntry("image", ContainerImages.KAFKA);
            }
        });
    }

    @Test
    void theSidesExposeOnlyHealthAndPrometheus() throws IOException {
        for (String side : API_PORTS.keySet()) {
            Map<String, Object> configuration = yaml(ROOT.resolve(side + "/src/main/resources/" + side + ".yml"));
            Object include = asMap(asMap(asMap(configuration.get("management")).get("endpoints"))
                    .get("web"));
            assertThat(asMap(asMap(include).get("exposure")).get("include"))
                    .as(side)
                    .isEqualTo("health,prometheus");
        }
    }

    private Set<String> oneShotServices() {
        Set<String> oneShot = new TreeSet<>();
        services.forEach((name, service) -> {
            if (service.get("depends_on") instanceof Map<?, ?> dependencies) {
                dependencies.forEach((dependency, condition) -> {
                    if ("service_completed_successfully".equals(asMap(condition).get("condition"))) {
                        oneShot.add((String) dependency);
                    }
                });
            }
        });
        return oneShot;
    }

    static Set<String> required(String side) throws IOException {
        String configuration = Files.readString(ROOT.resolve(side + "/src/main/resources/" + side + ".yml"));
        Set<String> required = new TreeSet<>(REQUIRED_BY_SETTINGS.get(side));
        Matcher matcher = PLACEHOLDER.matcher(configuration);
        while (matcher.find()) {
            String name = matcher.group(1);
            String defaultValue = matcher.group(3);
            if ((defaultValue == null || defaultValue.isEmpty()) && !OPTIONAL.contains(name)) {
                required.add(name);
            }
        }
        return required;
    }

    /** Set to a value, or to a compose variable with a default or a refusal ({@code :?}) when missing. */
    private static boolean isSet(String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        Matcher variable =
                Pattern.compile("\\$\\{[A-Za-z0-9_]+(:?[-?])?([^}]*)}").matcher(value);
        while (variable.find()) {
            if (variable.group(1) == null
                    || (variable.group(1).endsWith("-") && variable.group(2).isEmpty())) {
                return false;
            }
        }
        return true;
    }

    private static String sideOf(Map<String, Object> service) {
        if (service.get("build") instanceof Map<?, ?> build && build.get("dockerfile") instanceof String dockerfile) {
            for (String side : API_PORTS.keySet()) {
                if (dockerfile.startsWith(side + "/")) {
                    return side;
                }
            }
        }
        return null;
    }

    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> environment = new LinkedHashMap<>();
        Object declared = service.get("environment");
        if (declared instanceof Map<?, ?> map) {
            map.forEach((key, value) -> environment.put(String.valueOf(key), value == null ? null : value.toString()));
        } else if (declared instanceof List<?> list) {
            for (Object entry : list) {
                String[] parts = entry.toString().split("=", 2);
                environment.put(parts[0], parts.length > 1 ? parts[1] : null);
            }
        }
        return environment;
    }

    /** The container's side of a published port: "8083:8081", "127.0.0.1:8083:8081", 8081 or the long form. */
    private static int containerPort(Object port) {
        if (port instanceof Map<?, ?> map) {
            return Integer.parseInt(String.valueOf(map.get("target")));
        }
        String text = String.valueOf(port);
        String container = text.substring(text.lastIndexOf(':') + 1);
        return Integer.parseInt(container.replaceAll("/.*", ""));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static Map<String, Map<String, Object>> services() {
        try {
            Map<String, Map<String, Object>> services = new LinkedHashMap<>();
            asMap(yaml(ROOT.resolve("docker-compose.yml")).get("services"))
                    .forEach((name, service) -> services.put(name, asMap(service)));
            return services;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml(new LoaderOptions()).load(reader);
        }
    }
}
