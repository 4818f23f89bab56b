package io.tessera.local.faults;

import io.tessera.events.user.Role;
import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.infra.security.TokenIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The system under fault: the command side and the query side as child JVMs ({@link ChildJvm}) on the test
 * JVM's shared embedded PostgreSQL and Kafka (or, for the database faults, on a database URL of the test's
 * choosing: a proxy in front of a PostgreSQL of its own). Loopback only.
 */
final class FaultSystem implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration START = Duration.ofMinutes(3);

    final String jwtSecret;
    final TokenIssuer tokens;
    final String appDbUrl;
    final String checkDbUrl;
    final String dbUser;
    final String dbPassword;
    final String kafkaBootstrap;
    final ChildJvm commandSide;
    final ChildJvm querySide;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .build();

    private FaultSystem(String appDbUrl, String checkDbUrl, Path logs, String name) {
        LocalInfrastructure infrastructure = LocalInfrastructure.shared();
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.jwtSecret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        this.tokens = new TokenIssuer(jwtSecret, null);
        this.appDbUrl = appDbUrl;
        this.checkDbUrl = checkDbUrl;
        this.dbUser = infrastructure.dbUser();
        this.dbPassword = infrastructure.dbPassword();
        this.kafkaBootstrap = infrastructure.kafkaBootstrap();
        List<String> common = List.of(
                "--spring.datasource.url=" + appDbUrl,
                "--spring.datasource.username=" + dbUser,
                "--spring.datasource.password=" + dbPassword,
                "--spring.kafka.bootstrap-servers=" + kafkaBootstrap,
                "--tessera.jwt.secret=" + jwtSecret,
                "--tessera.pii.master-key=" + infrastructure.masterKey(),
                // The fault clients are few and fast; the rate limit is not under test here.
                "--tessera.rate-limit.requests-per-minute=1000000",
                "--tessera.rate-limit.per-address-per-minute=1000000",
                "--spring.main.banner-mode=off");
        this.commandSide = new ChildJvm(
                name + "-command-side", "io.tessera.command.CommandSideApplication", freePort(), common, logs);
        List<String> query = new ArrayList<>(common);
        this.querySide =
                new ChildJvm(name + "-query-side", "io.tessera.query.QuerySideApplication", freePort(), query, logs);
    }

    /** Both sides on the shared embedded infrastructure. */
    static FaultSystem onSharedInfrastructure(String name) {
        String url = LocalInfrastructure.shared().jdbcUrl();
        return new FaultSystem(url, url, logs(), name);
    }

    /** Both sides on {@code appDbUrl} (e.g. a proxy); the checker reads {@code checkDbUrl} directly. */
    static FaultSystem onDatabase(String appDbUrl, String checkDbUrl, String name) {
        return new FaultSystem(appDbUrl, checkDbUrl, logs(), name);
    }

    private static Path logs() {
        return Path.of("target", "fault-logs").toAbsolutePath();
    }

    FaultSystem start() {
        commandSide.start(START);
        querySide.start(START);
        return this;
    }

    @Override
    public void close() {
        commandSide.kill();
        querySide.kill();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String editor(String tenant) {
        return tokens.issue(
                "fault-client", tenant, List.of(Role.EDITOR, Role.ADMIN), Set.of(), false, Duration.ofHours(3));
    }

    String platformAdmin() {
        return tokens.issue("fault-operator", "platform", List.of(Role.ADMIN), Set.of(), true, Duration.ofHours(3));
    }

    /** One answer; {@code status} -1 when the request failed without one (connection refused, reset, timeout). */
    record Answer(int status, String body, String retryAfter, String failure) {

        JsonNode json() {
            try {
                return body == null || body.isBlank() ? JSON.missingNode() : JSON.readTree(body);
            } catch (RuntimeException notJson) {
                return JSON.missingNode();
            }
        }

        String errorCode() {
            return json().path("error").path("code").asString("");
        }

        String id() {
            return json().path("data").path("id").asString(null);
        }

        long position() {
            return json().path("data").path("position").asLong(-1);
        }

        boolean ambiguous() {
            return status < 0 || status >= 500;
        }

        String describe() {
            return status < 0 ? failure : "HTTP " + status + " " + body;
        }
    }

    Answer call(String base, String method, String path, String token, Object body, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(45))
                .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    response.statusCode(),
                    response.body(),
                    response.headers().firstValue("Retry-After").orElse(null),
                    null);
        } catch (IOException e) {
            return new Answer(-1, null, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, null, null, "interrupted");
        }
    }

    Connection database() throws SQLException {
        return DriverManager.getConnection(checkDbUrl, dbUser, dbPassword);
    }

    KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafkaBootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class));
    }

    /** Reads a whole topic from its start, without a consumer group. */
    KafkaConsumer<String, String> consumerFromStart(String topic) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafkaBootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                2000));
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
