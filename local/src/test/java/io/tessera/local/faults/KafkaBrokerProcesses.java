package io.tessera.local.faults;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka cluster of separate processes on loopback: each node is {@code java -cp <this classpath> kafka.Kafka
 * server.properties}, broker and KRaft controller in one, so that one can be SIGKILLed, frozen or restarted
 * alone (an in-JVM broker cannot). Three nodes are three controller voters: the cluster survives one node
 * away; with two away it has neither a controller quorum nor, at {@code min.insync.replicas=2}, writable
 * partitions. Replication factor 3, min ISR 2 and unclean leader election off are the brokers' defaults too.
 * {@link #close()} kills every node and deletes the logs; a JVM shutdown hook does the same.
 */
final class KafkaBrokerProcesses implements AutoCloseable {

    private static final Duration READY = Duration.ofMinutes(3);

    private final Path home;
    private final int[] brokerPorts;
    private final int[] controllerPorts;
    private final Process[] processes;
    private final Thread cleanup = new Thread(this::destroyAll, "kafka-broker-processes-cleanup");
    /** Extra listeners of a single node: name -> the port the node listens on and the port it advertises. */
    private final Map<String, int[]> linkedListeners = new TreeMap<>();

    private KafkaBrokerProcesses(Path home, int nodes) throws IOException {
        this.home = home;
        this.brokerPorts = new int[nodes];
        this.controllerPorts = new int[nodes];
        this.processes = new Process[nodes];
        for (int i = 0; i < nodes; i++) {
            brokerPorts[i] = freePort();
            controllerPorts[i] = freePort();
        }
    }

    /** Formats and starts {@code nodes} nodes (ids 1..n) and waits until every one is in the cluster. */
    static KafkaBrokerProcesses start(int nodes) throws IOException {
        return start(nodes, Map.of());
    }

    /**
     * One node that, beside its own listener ({@link #bootstrap()}), has a listener per entry of {@code
     * advertisedPorts} that advertises the given port instead of its own: a proxy there (a NetCrusher link to
     * {@link #listenerPort(String)}) carries every connection of a client that bootstraps through it, since Kafka
     * clients reconnect to the advertised address, not to the one they bootstrapped from.
     */
    static KafkaBrokerProcesses behindLinks(Map<String, Integer> advertisedPorts) throws IOException {
        return start(1, advertisedPorts);
    }

    private static KafkaBrokerProcesses start(int nodes, Map<String, Integer> advertisedPorts) throws IOException {
        KafkaBrokerProcesses cluster =
                new KafkaBrokerProcesses(Files.createTempDirectory("tessera-kafka-cluster"), nodes);
        for (Map.Entry<String, Integer> listener : advertisedPorts.entrySet()) {
            cluster.linkedListeners.put(listener.getKey(), new int[] {freePort(), listener.getValue()});
        }
        Runtime.getRuntime().addShutdownHook(cluster.cleanup);
        String clusterId = Uuid.randomUuid().toString();
        Files.writeString(cluster.home.resolve("logback.xml"), """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>${kafka.node.log}</file>
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="FILE"/></root>
                  <logger name="kafka.server.KafkaRaftServer" level="INFO"/>
                </configuration>
                """);
        for (int node = 1; node <= nodes; node++) {
            cluster.format(node, clusterId);
        }
        for (int node = 1; node <= nodes; node++) {
            cluster.launch(node);
        }
        cluster.awaitBrokers(nodes);
        System.out.printf(
                "[kafka-cluster] %d broker processes up: %s (logs in %s)%n", nodes, cluster.bootstrap(), cluster.home);
        return cluster;
    }

    String bootstrap() {
        List<String> servers = new ArrayList<>();
        for (int port : brokerPorts) {
            servers.add("127.0.0.1:" + port);
        }
        return String.join(",", servers);
    }

    /** The port the node itself listens on for {@code listener} (where its link forwards to). */
    int listenerPort(String listener) {
        return linkedListeners.get(listener)[0];
    }

    int size() {
        return processes.length;
    }

    long pid(int node) {
        return processes[node - 1].pid();
    }

    boolean running(int node) {
        Process process = processes[node - 1];
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown, no flush, no leadership handover. */
    void kill(int node) {
        Process process = processes[node - 1];
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Kafka node " + node + " (pid " + process.pid() + ") survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        processes[node - 1] = null;
        System.out.printf("[kafka-cluster] SIGKILLed node %d (pid %d)%n", node, process.pid());
    }

    /** Starts a killed node again on its ports and its log (same cluster, same data). */
    void restart(int node) {
        if (running(node)) {
            throw new IllegalStateException("Kafka node " + node + " is running");
        }
        launch(node);
        System.out.printf("[kafka-cluster] restarted node %d (pid %d)%n", node, pid(node));
    }

    Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
    }

    /** The partitions of {@code topic}, by number. */
    Map<Integer, TopicPartitionInfo> partitions(String topic) {
        try (Admin admin = admin()) {
            TopicDescription description =
                    admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            return description.partitions().stream()
                    .collect(Collectors.toMap(TopicPartitionInfo::partition, p -> p, (a, b) -> a, TreeMap::new));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot describe " + topic, e);
        }
    }

    /** The node that leads {@code partition} of {@code topic} now (-1: none). */
    int leaderOf(String topic, int partition) {
        TopicPartitionInfo info = partitions(topic).get(partition);
        return info.leader() == null ? -1 : info.leader().id();
    }

    /** Whether every partition of {@code topic} has a leader and all nodes in sync again. */
    boolean fullyReplicated(String topic) {
        try {
            return partitions(topic).values().stream()
                    .allMatch(p ->
                            p.leader() != null && p.isr().size() == p.replicas().size());
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    @Override
    public void close() {
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private synchronized void destroyAll() {
        for (int node = 1; node <= processes.length; node++) {
            Process process = processes[node - 1];
            if (process != null) {
                process.destroyForcibly();
                try {
                    process.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                processes[node - 1] = null;
            }
        }
        deleteTree(home);
    }

    private Path nodeDir(int node) {
        return home.resolve("node-" + node);
    }

    private Path propertiesFile(int node) {
        return nodeDir(node).resolve("server.properties");
    }

    private void format(int node, String clusterId) throws IOException {
        Path dir = Files.createDirectories(nodeDir(node));
        Properties props = properties(node);
        try (Writer writer = Files.newBufferedWriter(propertiesFile(node))) {
            props.store(writer, "Tessera fault test, node " + node);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            int exit = StorageTool.execute(
                    new String[] {
                        "format", "-t", clusterId, "-c", propertiesFile(node).toString()
                    },
                    out);
            if (exit != 0) {
                throw new IOException("Formatting " + dir + " failed: " + output.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Formatting " + dir + " failed: " + output.toString(StandardCharsets.UTF_8), e);
        }
    }

    private Properties properties(int node) {
        int nodes = processes.length;
        String voters = Stream.iterate(1, i -> i + 1)
                .limit(nodes)
                .map(i -> i + "@127.0.0.1:" + controllerPorts[i - 1])
                .collect(Collectors.joining(","));
        String replication = String.valueOf(Math.min(3, nodes));
        String minInsync = String.valueOf(Math.min(2, nodes));
        Properties props = new Properties();
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", String.valueOf(node));
        props.setProperty("controller.quorum.voters", voters);
        StringBuilder listeners = new StringBuilder("PLAINTEXT://127.0.0.1:" + brokerPorts[node - 1]
                + ",CONTROLLER://127.0.0.1:" + controllerPorts[node - 1]);
        StringBuilder advertised = new StringBuilder("PLAINTEXT://127.0.0.1:" + brokerPorts[node - 1]);
        StringBuilder protocols = new StringBuilder("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        linkedListeners.forEach((name, ports) -> {
            listeners.append(',').append(name).append("://127.0.0.1:").append(ports[0]);
            advertised.append(',').append(name).append("://127.0.0.1:").append(ports[1]);
            protocols.append(',').append(name).append(":PLAINTEXT");
        });
        props.setProperty("listeners", listeners.toString());
        props.setProperty("advertised.listeners", advertised.toString());
        props.setProperty("controller.listener.names", "CONTROLLER");
        props.setProperty("inter.broker.listener.name", "PLAINTEXT");
        props.setProperty("listener.security.protocol.map", protocols.toString());
        props.setProperty(
                "log.dirs", nodeDir(node).resolve("log").toAbsolutePath().toString());
        props.setProperty("default.replication.factor", replication);
        props.setProperty("min.insync.replicas", minInsync);
        props.setProperty("unclean.leader.election.enable", "false");
        props.setProperty("offsets.topic.replication.factor", replication);
        props.setProperty("offsets.topic.num.partitions", "6");
        props.setProperty("transaction.state.log.replication.factor", replication);
        props.setProperty("transaction.state.log.min.isr", minInsync);
        props.setProperty("share.coordinator.state.topic.replication.factor", replication);
        props.setProperty("share.coordinator.state.topic.min.isr", minInsync);
        props.setProperty("group.initial.rebalance.delay.ms", "0");
        // Topics come from the sides' NewTopic beans, replicated as configured; nothing is created by accident.
        props.setProperty("auto.create.topics.enable", "false");
        props.setProperty("num.partitions", "12");
        return props;
    }

    private void launch(int node) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(
                        java.toString(),
                        "-Xms64m",
                        "-Xmx384m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-Dlogback.configurationFile=" + home.resolve("logback.xml"),
                        "-Dkafka.node.log=" + nodeDir(node).resolve("server.log"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "kafka.Kafka",
                        propertiesFile(node).toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        nodeDir(node).resolve("stdout.log").toFile()));
        try {
            processes[node - 1] = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Kafka node " + node + " did not start", e);
        }
    }

    /** Waits until {@code count} brokers are registered and unfenced. */
    void awaitBrokers(int count) {
        await(count + " Kafka brokers up; logs in " + home)
                .atMost(READY)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> brokersUp(count));
    }

    private boolean brokersUp(int count) {
        for (int node = 1; node <= processes.length; node++) {
            Process process = processes[node - 1];
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException(
                        "Kafka node " + node + " exited with " + process.exitValue() + "; see " + nodeDir(node));
            }
        }
        try (Admin admin = admin()) {
            return admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() >= count;
        } catch (Exception notYet) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.out.println("[kafka-cluster] could not delete " + root + ": " + e);
        }
    }
}
