package io.tessera.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.events.user.Role;
import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.infra.security.TokenIssuer;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The command side's integration-test fixture: one secret, the shared infrastructure, tokens, a producer. */
public final class CommandSideTests {

    private static final ObjectMapper ENVELOPES = new ObjectMapper();

    public static final String SECRET = "command-side-integration-test-secret-0123456789";
    public static final TokenIssuer TOKENS = new TokenIssuer(SECRET, null);

    private CommandSideTests() {}

    /** For a test's {@code @DynamicPropertySource}: the shared PostgreSQL, Kafka, master key and the secret. */
    public static void infrastructure(DynamicPropertyRegistry registry) {
        LocalInfrastructure.shared().springProperties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("tessera.jwt.secret", () -> SECRET);
    }

    /**
     * The superuser of the shared PostgreSQL, who sees every row: for looking at what a test left, never for
     * what it proves (the application logs in as tessera_command, held to one tenant by row-level security).
     */
    public static JdbcTemplate admin() {
        LocalInfrastructure infrastructure = LocalInfrastructure.shared();
        String url = infrastructure.jdbcUrl();
        return new JdbcTemplate(new DriverManagerDataSource(
                url + (url.contains("?") ? "&" : "?") + "currentSchema=command_side",
                infrastructure.dbUser(),
                infrastructure.dbPassword()));
    }

    public static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                LocalInfrastructure.shared().kafkaBootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class));
    }

    /** A probe of {@code topic} on the shared broker. */
    public static TopicProbe probe(String topic) {
        return new TopicProbe(LocalInfrastructure.shared().kafkaBootstrap(), topic);
    }

    public static String newTenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** A record value for {@code tessera.commands}: the envelope with an editor's token of the tenant. */
    public static String envelope(String commandId, String tenant, String type, Map<String, ?> payload) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("command_id", commandId);
        envelope.put("type", type);
        envelope.put("tenant_id", tenant);
        envelope.put("token", editor(tenant));
        envelope.put("payload", payload);
        try {
            return ENVELOPES.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String editor(String tenant) {
        return TOKENS.issue("alice", tenant, List.of(Role.EDITOR), List.of(), false, Duration.ofHours(1));
    }

    public static String platformAdmin() {
        return TOKENS.issue("root", "platform", List.of(Role.ADMIN), List.of(), true, Duration.ofHours(1));
    }
}
