package io.tessera.local.faults;

import io.tessera.command.CommandSideApplication;
import io.tessera.events.user.Role;
import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.infra.security.TokenIssuer;
import io.tessera.query.QuerySideApplication;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
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
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The system under fault, the one starter of the fault suite: the command side and the query side as child JVMs
 * ({@link ChildJvm}: SIGKILL, SIGTERM, {@code kill -STOP}), more of either, or a side in this JVM where a test reads
 * its beans; all on the test JVM's shared embedded PostgreSQL and Kafka unless {@link Setup} says otherwise (a
 * PostgreSQL or a broker of the test's own, links in front of them). Every side gets the system's JWT secret and
 * the master key. Loopback only.
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

    private final List<String> common;
    private final Path logs;
    private final String name;
    private final Map<ChildJvm, String> kafkaBySide = new LinkedHashMap<>();
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private final Setup setup;

    private FaultSystem(Setup setup) {
        LocalInfrastructure infrastructure = LocalInfrastructure.shared();
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.jwtSecret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        this.tokens = new TokenIssuer(jwtSecret, null);
        this.appDbUrl = setup.appDbUrl;
        this.checkDbUrl = setup.checkDbUrl;
        this.dbUser = infrastructure.dbUser();
        this.dbPassword = infrastructure.dbPassword();
        this.kafkaBootstrap = setup.checkKafka;
        this.logs = Path.of("target", "fault-logs").toAbsolutePath();
        this.name = setup.name;
        this.setup = setup;
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.datasource.url=" + appDbUrl,
                "--tessera.jwt.secret=" + jwtSecret,
                "--tessera.pii.master-key=" + infrastructure.masterKey(),
                // The fault clients are few and fast; the rate limit is not under test here.
                "--tessera.rate-limit.requests-per-minute=1000000",
                "--tessera.rate-limit.per-address-per-minute=1000000",
                "--spring.main.banner-mode=off"));
        infrastructure.eventSigningProperties().forEach((key, value) -> arguments.add("--" + key + "=" + value));
        // Each side logs in as its own role, as in production; the checker reads as the superuser.
        infrastructure.springProperties().forEach((key, value) -> {
            if (key.startsWith("tessera.db.")) {
                arguments.add("--" + key + "=" + value);
            }
        });
        this.common = List.copyOf(arguments);
        this.commandSide = child(name + "-command-side", COMMAND_SIDE, setup.commandSideKafka, setup.commandSide);
        this.querySide = child(name + "-query-side", QUERY_SIDE, setup.querySideKafka, setup.querySide);
    }

    private static final String COMMAND_SIDE = "io.tessera.command.CommandSideApplication";
    private static final String QUERY_SIDE = "io.tessera.query.QuerySideApplication";

    /**
     * Where the sides and the checker find PostgreSQL and Kafka (each side may reach Kafka through a link of its
     * own), and extra properties per side.
     */
    static final class Setup {
        private final String name;
        private String appDbUrl = LocalInfrastructure.shared().jdbcUrl();
        private String checkDbUrl = appDbUrl;
        private String commandSideKafka = LocalInfrastructure.shared().kafkaBootstrap();
        private String querySideKafka = commandSideKafka;
        private String checkKafka = commandSideKafka;
        private final Map<String, String> commandSide = new LinkedHashMap<>();
        private final Map<String, String> querySide = new LinkedHashMap<>();

        private Setup(String name) {
            this.name = name;
        }

        /** The sides use {@code appDbUrl} (e.g. a proxy); the checker reads {@code checkDbUrl} directly. */
        Setup database(String appDbUrl, String checkDbUrl) {
            this.appDbUrl = appDbUrl;
            this.checkDbUrl = checkDbUrl;
            return this;
        }

        /** Each side's bootstrap servers (e.g. a link of its own) and the checker's (direct). */
        Setup kafka(String commandSide, String querySide, String check) {
            this.commandSideKafka = commandSide;
            this.querySideKafka = querySide;
            this.checkKafka = check;
            return this;
        }

        Setup commandSide(String property, String value) {
            commandSide.put(property, value);
            return this;
        }

        Setup querySide(String property, String value) {
            querySide.put(property, value);
            return this;
        }

        FaultSystem build() {
            return new FaultSystem(this);
        }
    }

    static Setup named(String name) {
        return new Setup(name);
    }

    /** Both sides on the shared embedded infrastructure. */
    static FaultSystem onSharedInfrastructure(String name) {
        return named(name).build();
    }

    /** Both sides on {@code appDbUrl} (e.g. a proxy); the checker reads {@code checkDbUrl} directly. */
    static FaultSystem onDatabase(String appDbUrl, String checkDbUrl, String name) {
        return named(name).database(appDbUrl, checkDbUrl).build();
    }

    /** One more command side on the same database and Kafka (not started yet), e.g. to freeze one of two. */
    ChildJvm anotherCommandSide(String suffix, Map<String, String> extra) {
        return child(name + "-command-side-" + suffix, COMMAND_SIDE, kafkaBySide.get(commandSide), extra);
    }

    private ChildJvm child(String childName, String mainClass, String kafka, Map<String, String> extra) {
        List<String> arguments = new ArrayList<>(common);
        arguments.add("--spring.kafka.bootstrap-servers=" + kafka);
        extra.forEach((key, value) -> arguments.add("--" + key + "=" + value));
        ChildJvm child = new ChildJvm(childName, mainClass, freePort(), arguments, logs);
        kafkaBySide.put(child, kafka);
        return child;
    }

    /** One more query side as a child JVM on the same database and Kafka (not started yet). */
    ChildJvm anotherQuerySide(String suffix, Map<String, String> extra) {
        Map<String, String> all = new LinkedHashMap<>(setup.querySide);
        all.putAll(extra);
        return child(name + "-query-side-" + suffix, QUERY_SIDE, setup.querySideKafka, all);
    }

    /** Starts the command side and the query side as child JVMs, one after the other. */
    FaultSystem start() {
        commandSide.start(START);
        querySide.start(START);
        return this;
    }

    /**
     * The command side in this JVM, for a test that reads its beans (the producer's configuration, the publisher's
     * state, its meters); closed with the system.
     */
    ConfigurableApplicationContext commandSideInJvm() {
        return inJvm(CommandSideApplication.class, "command-side", setup.commandSideKafka, setup.commandSide);
    }

    /** The query side in this JVM; closed with the system. */
    ConfigurableApplicationContext querySideInJvm() {
        return inJvm(QuerySideApplication.class, "query-side", setup.querySideKafka, setup.querySide);
    }

    private ConfigurableApplicationContext inJvm(
            Class<?> application, String configName, String kafka, Map<String, String> extra) {
        List<String> arguments = new ArrayList<>(common);
        arguments.addAll(List.of(
                "--spring.config.name=" + configName,
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--spring.main.log-startup-info=false",
                "--logging.register-shutdown-hook=false"));
        extra.forEach((key, value) -> arguments.add("--" + key + "=" + value));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
                .registerShutdownHook(false)
                .run(arguments.toArray(String[]::new));
        contexts.add(context);
        return context;
    }

    static String url(ConfigurableApplicationContext side) {
        return "http://127.0.0.1:" + side.getEnvironment().getProperty("local.server.port");
    }

    /** SIGKILLs every child JVM and closes every side in this JVM, the last started first. */
    @Override
    public void close() {
        kafkaBySide.keySet().forEach(ChildJvm::kill);
        for (int i = contexts.size() - 1; i >= 0; i--) {
            contexts.get(i).close();
        }
    }

    /** The positions in the tenant's event log (what the query side projected), in order. */
    List<Long> projectedPositions(String tenant) throws SQLException {
        try (Connection db = database();
                PreparedStatement query = db.prepareStatement(
                        "SELECT position FROM query_side.event_log WHERE tenant_id = ? ORDER BY position")) {
            query.setString(1, tenant);
            List<Long> positions = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    positions.add(rows.getLong(1));
                }
            }
            return positions;
        }
    }

    /** The read model's URL of a deployment, null if it has none (or no row). */
    String deploymentUrl(String tenant, String id) throws SQLException {
        try (Connection db = database();
                PreparedStatement query =
                        db.prepareStatement("SELECT url FROM query_side.deployments WHERE tenant_id = ? AND id = ?")) {
            query.setString(1, tenant);
            query.setString(2, id);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    /** The query side's applied position for the tenant, -1 before its first event. */
    long appliedPosition(String tenant) throws SQLException {
        try (Connection db = database();
                PreparedStatement query = db.prepareStatement(
                        "SELECT position FROM query_side.projection_positions WHERE tenant_id = ?")) {
            query.setString(1, tenant);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getLong(1) : -1;
            }
        }
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
