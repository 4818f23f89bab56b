package io.tessera.infra.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose cluster carries the Kafka security that {@link KafkaAclIT} proves on a real broker (no Docker here to
 * start it): every listener authenticates, the standard authorizer with no one but the brokers' admin above it,
 * exactly the ACLs of {@link KafkaAcls} for the principals the sides log in as, and each side's SASL settings
 * naming the principal and password that the access service creates.
 */
class ComposeKafkaSecurityTest {

    private static final Path COMPOSE = Path.of("..", "docker-compose.yml");
    private static final Path KAFKA = Path.of("kafka");
    private static final Pattern JAAS =
            Pattern.compile("org\\.apache\\.kafka\\.common\\.security\\.scram\\.ScramLoginModule required"
                    + " username=\"([^\"]+)\" password=\"([^\"]+)\";");
    private static final Map<String, String> PASSWORD_OF_USER = Map.of(
            "tessera-command", "TESSERA_KAFKA_COMMAND_PASSWORD",
            "tessera-query", "TESSERA_KAFKA_QUERY_PASSWORD",
            "upstream", "TESSERA_KAFKA_UPSTREAM_PASSWORD");

    private final Map<String, Map<String, Object>> services = services();

    @Test
    void theAccessServiceGrantsExactlyTheAclsKafkaAclItProves() throws IOException {
        Set<AclBinding> expected = new HashSet<>();
        expected.addAll(KafkaAcls.upstream("User:upstream"));
        expected.addAll(KafkaAcls.commandSide("User:tessera-command"));
        expected.addAll(KafkaAcls.querySide("User:tessera-query"));

        assertThat(aclsOfTheAccessService()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void everyBrokerAuthenticatesEveryListenerAndAuthorizesByAcl() {
        List<String> brokers = services.keySet().stream()
                .filter(name -> environment(name).containsKey("KAFKA_PROCESS_ROLES"))
                .toList();
        assertThat(brokers).containsExactlyInAnyOrder("kafka-1", "kafka-2", "kafka-3");
        for (String broker : brokers) {
            Map<String, String> env = environment(broker);
            assertThat(env)
                    .containsEntry(
                            "KAFKA_AUTHORIZER_CLASS_NAME", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                    .containsEntry("KAFKA_SUPER_USERS", "User:admin")
                    .containsEntry("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND", "false");
            Map<String, String> protocols = new LinkedHashMap<>();
            for (String listener :
                    env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").split(",")) {
                protocols.put(listener.split(":")[0], listener.split(":")[1]);
            }
            assertThat(protocols.values()).as(broker).allMatch(protocol -> protocol.startsWith("SASL_"));
            for (String listener : protocols.keySet()) {
                String mechanisms = env.get("KAFKA_LISTENER_NAME_" + listener + "_SASL_ENABLED_MECHANISMS");
                assertThat(mechanisms).as(broker + " " + listener).isNotBlank();
                for (String mechanism : mechanisms.split(",")) {
                    assertThat(env.get("KAFKA_LISTENER_NAME_" + listener + "_" + mechanism.replace("-", "___")
                                    + "_SASL_JAAS_CONFIG"))
                            .as(broker + " " + listener + " " + mechanism + " JAAS")
                            .isNotBlank();
                }
            }
            assertThat(env.get("KAFKA_LISTENER_NAME_EXTERNAL_SASL_ENABLED_MECHANISMS"))
                    .isEqualTo("SCRAM-SHA-512");
            assertThat(env.get("KAFKA_LISTENER_NAME_INTERNAL_SASL_ENABLED_MECHANISMS"))
                    .contains("SCRAM-SHA-512");
        }
    }

    @Test
    void eachSideLogsInAsItsOwnPrincipalWithThePasswordTheAccessServiceSets() throws IOException {
        Map<String, String> access = environment("kafka-access");
        Set<String> created = scramUsersOfTheAccessService();
        assertThat(created).containsExactlyInAnyOrderElementsOf(PASSWORD_OF_USER.keySet());
        Map<String, String> principalOfDatabaseUser =
                Map.of("tessera_command", "tessera-command", "tessera_query", "tessera-query");
        List<String> sides = services.keySet().stream()
                .filter(name -> environment(name).containsKey("TESSERA_DB_USER"))
                .toList();
        assertThat(sides).hasSizeGreaterThanOrEqualTo(2);
        for (String side : sides) {
            Map<String, String> env = environment(side);
            assertThat(env)
                    .as(side)
                    .containsEntry("TESSERA_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
                    .containsEntry("TESSERA_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
            Matcher jaas = JAAS.matcher(env.get("TESSERA_KAFKA_SASL_JAAS_CONFIG"));
            assertThat(jaas.matches()).as(side + " JAAS").isTrue();
            String user = jaas.group(1);
            assertThat(user).as(side).isEqualTo(principalOfDatabaseUser.get(env.get("TESSERA_DB_USER")));
            assertThat(jaas.group(2)).as(side + " password").isEqualTo(access.get(PASSWORD_OF_USER.get(user)));
            @SuppressWarnings("unchecked")
            Map<String, Map<String, String>> dependencies =
                    (Map<String, Map<String, String>>) services.get(side).get("depends_on");
            assertThat(dependencies.get("kafka-access"))
                    .as(side + " waits for the credentials and ACLs")
                    .containsEntry("condition", "service_completed_successfully");
        }
    }

    private Set<AclBinding> aclsOfTheAccessService() throws IOException {
        Set<AclBinding> acls = new HashSet<>();
        for (String line : Files.readAllLines(KAFKA.resolve("acls.txt"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] field = line.trim().split("\\s+");
            assertThat(field).as(line).hasSize(5);
            acls.add(new AclBinding(
                    new ResourcePattern(ResourceType.valueOf(field[2]), field[4], PatternType.valueOf(field[3])),
                    new AccessControlEntry(field[0], "*", AclOperation.valueOf(field[1]), AclPermissionType.ALLOW)));
        }
        return acls;
    }

    private Set<String> scramUsersOfTheAccessService() throws IOException {
        Set<String> users = new HashSet<>();
        Matcher scram = Pattern.compile("(?m)^scram (\\S+) \"\\$(\\w+)\"$")
                .matcher(Files.readString(KAFKA.resolve("setup-access.sh")));
        while (scram.find()) {
            assertThat(scram.group(2)).isEqualTo(PASSWORD_OF_USER.get(scram.group(1)));
            users.add(scram.group(1));
        }
        return users;
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> environment(String service) {
        Object environment = services.get(service).get("environment");
        Map<String, String> values = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> map) {
            map.forEach((name, value) -> values.put((String) name, String.valueOf(value)));
        }
        return values;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() {
        try (Reader reader = Files.newBufferedReader(COMPOSE)) {
            Map<String, Object> compose = new Yaml().load(reader);
            return (Map<String, Map<String, Object>>) compose.get("services");
        } catch (IOException e) {
            throw new IllegalStateException("Could not read " + COMPOSE.toAbsolutePath(), e);
        }
    }
}
