package io.tessera.infra.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/** A real single-node Kafka broker in KRaft mode (broker and controller in one), running in this JVM. */
public final class LocalKafka implements AutoCloseable {

    private static final String SCRAM = "SCRAM-SHA-512";

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private LocalKafka(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts on {@code port} (0: any free one), keeping its log in {@code logDirectory} (null: a throwaway one). */
    public static LocalKafka start(Path logDirectory, int port) throws IOException {
        Path logDir = logDirectory != null ? logDirectory : Files.createTempDirectory("tessera-kafka");
        Files.createDirectories(logDir);
        int brokerPort = port > 0 ? port : freePort();
        int controllerPort = freePort();
        Properties props = new Properties();
        props.setProperty(
                "listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.setProperty("inter.broker.listener.name", "PLAINTEXT");
        props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        singleNode(props, logDir, controllerPort);
        props.setProperty("auto.create.topics.enable", "true");
        format(logDir, props, List.of());
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        server.startup();
        return new LocalKafka(server, "127.0.0.1:" + brokerPort);
    }

    /**
     * A broker as production runs one: every client authenticates with SASL/SCRAM-SHA-512 ({@code users}: name and
     * password, written into the cluster metadata when the log is formatted) and is authorized by Kafka's standard
     * authorizer, which denies what no ACL allows. {@code admin} (one of the users) is the super user that the
     * broker itself and an operator's ACL changes use. The controller listener stays PLAINTEXT on the loopback,
     * as the broker's own link to its controller in this one process.
     */
    public static LocalKafka startSecured(Path logDirectory, Map<String, String> users, String admin)
            throws IOException {
        if (!users.containsKey(admin)) {
            throw new IllegalArgumentException("The admin must be one of the users");
        }
        Path logDir = logDirectory != null ? logDirectory : Files.createTempDirectory("tessera-kafka-secured");
        Files.createDirectories(logDir);
        int brokerPort = freePort();
        int controllerPort = freePort();
        Properties props = new Properties();
        props.setProperty(
                "listeners", "SASL_PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.setProperty("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + brokerPort);
        props.setProperty("inter.broker.listener.name", "SASL_PLAINTEXT");
        props.setProperty("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.setProperty("sasl.enabled.mechanisms", SCRAM);
        props.setProperty("sasl.mechanism.inter.broker.protocol", SCRAM);
        props.setProperty("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config", jaas(admin, users.get(admin)));
        props.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // ANONYMOUS is the broker on its own controller link (PLAINTEXT, loopback); clients come in over SASL.
        props.setProperty("super.users", "User:" + admin + ";User:ANONYMOUS");
        singleNode(props, logDir, controllerPort);
        props.setProperty("auto.create.topics.enable", "false");
        List<String> credentials = new ArrayList<>();
        users.forEach((name, password) -> {
            credentials.add("--add-scram");
            credentials.add(SCRAM + "=[name=" + name + ",password=" + password + "]");
        });
        format(logDir, props, credentials);
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        server.startup();
        return new LocalKafka(server, "127.0.0.1:" + brokerPort);
    }

    /** The client settings of {@code user} for a broker of {@link #startSecured}. */
    public static Map<String, Object> clientSettings(String bootstrapServers, String user, String password) {
        return Map.of(
                "bootstrap.servers",
                bootstrapServers,
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                SCRAM,
                "sasl.jaas.config",
                jaas(user, password));
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    /** One node that is the whole cluster: broker and its own controller, internal topics of one replica. */
    private static void singleNode(Properties props, Path logDir, int controllerPort) {
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", "1");
        props.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.setProperty("controller.listener.names", "CONTROLLER");
        props.setProperty("log.dirs", logDir.toAbsolutePath().toString());
        props.setProperty("offsets.topic.replication.factor", "1");
        props.setProperty("offsets.topic.num.partitions", "6");
        props.setProperty("transaction.state.log.replication.factor", "1");
        props.setProperty("transaction.state.log.min.isr", "1");
        props.setProperty("share.coordinator.state.topic.replication.factor", "1");
        props.setProperty("share.coordinator.state.topic.min.isr", "1");
        props.setProperty("group.initial.rebalance.delay.ms", "0");
        props.setProperty("num.partitions", "6");
    }

    /** Writes the KRaft metadata once; a directory formatted before keeps its data and cluster id. */
    private static void format(Path logDir, Properties props, List<String> extraArguments) throws IOException {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        Path config = Files.createTempFile("tessera-kafka", ".properties");
        try (Writer writer = Files.newBufferedWriter(config)) {
            props.store(writer, "Tessera local Kafka");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            List<String> arguments = new ArrayList<>(List.of(
                    "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--ignore-formatted"));
            arguments.addAll(extraArguments);
            int exit = StorageTool.execute(arguments.toArray(String[]::new), out);
            if (exit != 0) {
                throw new IOException("Kafka storage format failed: " + output.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Kafka storage format failed: " + output.toString(StandardCharsets.UTF_8), e);
        } finally {
            Files.deleteIfExists(config);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
