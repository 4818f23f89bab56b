package io.tessera.local.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tessera.events.Topics;
import io.tessera.local.faults.EventsProbe.Copy;
import io.tessera.local.faults.Ledger.StoredEvent;
import io.tessera.local.faults.Ledger.Tokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The publisher through broker failures, on three Kafka broker processes: while a multi-tenant command stream
 * runs, the leader of the busiest {@code tessera.events} partition is SIGKILLed three times (restarted each
 * time; once in CI, three times in the full run), then two of the three brokers are taken away for a while. Commands go on being accepted throughout
 * (the event store is the outbox); the publisher's token does not move while nothing can be acknowledged;
 * afterwards every stored event is on the topic at least once, in order per tenant, and no committed token was
 * ever ahead of what Kafka had acknowledged. CI sends at least 1500 commands; {@code -Dtessera.faults.full=true} at least 10000.
 */
@Timeout(value = 40, unit = TimeUnit.MINUTES)
class PublisherFailoverFaultIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final int COMMANDS = FaultScale.count("tessera.faults.publishes", 1500, 10_000);
    private static final int TENANTS = FaultScale.count("tessera.faults.tenants", 6, 20);
    private static final int DEPLOYMENTS_PER_TENANT = 4;
    private static final int LEADER_KILLS = FaultScale.count("tessera.faults.leader-kills", 1, 3);
    private static final Duration PATIENCE = Duration.ofMinutes(10);

    private static KafkaBrokerProcesses cluster;
    private static FaultSystem system;
    private static ConfigurableApplicationContext commandSide;

    @BeforeAll
    static void start() throws Exception {
        cluster = KafkaBrokerProcesses.start(3);
        system = FaultSystem.named("publisher-failover")
                .kafka(cluster.bootstrap(), cluster.bootstrap(), cluster.bootstrap())
                .commandSide("tessera.kafka.replication-factor", "3")
                .commandSide("tessera.kafka.min-insync-replicas", "2")
                .build();
        commandSide = system.commandSideInJvm();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theRunningPublisherHasAcksAllAndIdempotenceAndTheTopicsAreReplicatedThreeTimes() throws Exception {
        // What the publisher's producers are built from, parsed by Kafka as KafkaProducer parses it.
        KafkaTemplate<?, ?> template = commandSide.getBean(KafkaTemplate.class);
        Map<String, Object> configuration =
                new java.util.HashMap<>(template.getProducerFactory().getConfigurationProperties());
        configuration.putIfAbsent(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        configuration.putIfAbsent(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        ProducerConfig effective = new ProducerConfig(configuration);
        System.out.printf(
                "[publisher-failover] effective producer: acks=%s enable.idempotence=%s max.in.flight=%s retries=%s%n",
                effective.getString(ProducerConfig.ACKS_CONFIG),
                effective.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG),
                effective.getInt(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION),
                effective.getInt(ProducerConfig.RETRIES_CONFIG));
        assertThat(effective.getString(ProducerConfig.ACKS_CONFIG)).isIn("all", "-1");
        assertThat(effective.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG))
                .isTrue();
        assertThat(effective.getInt(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION))
                .isLessThanOrEqualTo(5);
        assertThat(effective.getInt(ProducerConfig.RETRIES_CONFIG)).isPositive();

        // The topics as the command side created them on the three brokers.
        try (Admin admin = cluster.admin()) {
            for (String topic : List.of(Topics.EVENTS, Topics.COMMANDS, Topics.COMMAND_RESULTS, Topics.COMMANDS_DLQ)) {
                await().atMost(PATIENCE)
                        .until(() -> admin.listTopics().names().get().contains(topic));
                assertThat(cluster.partitions(topic).values())
                        .as(topic)
                        .allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                Config config =
                        admin.describeConfigs(List.of(resource)).all().get().get(resource);
                assertThat(config.get("min.insync.replicas").value()).as(topic).isEqualTo("2");
                assertThat(config.get("unclean.leader.election.enable").value())
                        .as(topic)
                        .isEqualTo("false");
            }
        }
    }

    @Test
    void leaderKillsAndAMajorityAwayLoseNothingAndTheTokenNeverRunsAheadOfTheAcks() throws Exception {
        CommandTraffic traffic =
                new CommandTraffic(FaultSystem.url(commandSide), system.tokens, RUN, TENANTS, DEPLOYMENTS_PER_TENANT);
        try (EventsProbe probe = new EventsProbe(cluster.bootstrap(), new HashSet<>(traffic.tenants()))) {
            traffic.setUp(8);
            int partition = partitionOf(traffic.tenants().get(0));
            List<TokenSample> samples = new ArrayList<>();
            TokenSampler sampler = new TokenSampler(samples);
            sampler.start();

            AtomicBoolean faultsDone = new AtomicBoolean();
            int base = traffic.accepted();
            int step = COMMANDS / (LEADER_KILLS + 3);
            CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> {
                try {
                    traffic.runUntil(() -> faultsDone.get() && traffic.accepted() - base >= COMMANDS, 8);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            for (int kill = 1; kill <= LEADER_KILLS; kill++) {
                awaitProgress(traffic, traffic.accepted() + step, stream);
                int leader = cluster.leaderOf(Topics.EVENTS, partition);
                cluster.kill(leader);
                await().atMost(PATIENCE).until(() -> {
                    int now = cluster.leaderOf(Topics.EVENTS, partition);
                    return now != -1 && now != leader;
                });
                System.out.printf(
                        "[publisher-failover] kill %d: leader %d of %s-%d SIGKILLed at %d accepted commands; new"
                                + " leader %d%n",
                        kill,
                        leader,
                        Topics.EVENTS,
                        partition,
                        traffic.accepted(),
                        cluster.leaderOf(Topics.EVENTS, partition));
                cluster.restart(leader);
                cluster.awaitBrokers(3);
                await().atMost(PATIENCE).until(() -> cluster.fullyReplicated(Topics.EVENTS));
            }

            awaitProgress(traffic, traffic.accepted() + step, stream);
            int leader = cluster.leaderOf(Topics.EVENTS, partition);
            int other = leader % 3 + 1;
            cluster.kill(leader);
            cluster.kill(other);
            int acceptedAtOutage = traffic.accepted();
            long storedAtOutage = Ledger.total(Ledger.stored(system, traffic.tenants()));
            // Once a batch failed for want of acknowledgements, the token must stand still until the brokers are back.
            await().atMost(PATIENCE).until(() -> publisherStatus().isErrorState());
            Tokens frozen = Ledger.publisherTokens(system);
            awaitProgress(traffic, acceptedAtOutage + step, stream);
            long failedAgain = publisherRetries();
            await().atMost(PATIENCE).until(() -> publisherRetries() > failedAgain);
            Tokens still = Ledger.publisherTokens(system);
            long storedDuringOutage = Ledger.total(Ledger.stored(system, traffic.tenants())) - storedAtOutage;
            System.out.printf(
                    "[publisher-failover] nodes %d and %d away: %d commands accepted meanwhile (%d events stored);"
                            + " publisher token %d then %d%n",
                    leader,
                    other,
                    traffic.accepted() - acceptedAtOutage,
                    storedDuringOutage,
                    frozen.index(),
                    still.index());
            assertThat(storedDuringOutage)
                    .as("commands succeed with two brokers away")
                    .isPositive();
            assertThat(still)
                    .as("the token does not move while nothing can be acknowledged")
                    .isEqualTo(frozen);
            cluster.restart(leader);
            cluster.restart(other);
            cluster.awaitBrokers(3);

            faultsDone.set(true);
            stream.get(30, TimeUnit.MINUTES);
            assertThat(traffic.refused()).as("refused commands").isEmpty();
            Map<String, List<StoredEvent>> stored = Ledger.stored(system, traffic.tenants());
            int expected = Ledger.total(stored);
            await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(2)).until(() -> probe.distinctIds() >= expected);
            sampler.stop();

            Map<String, List<Copy>> copies = probe.copies();
            Ledger.Publication counts = Ledger.published(stored, copies);
            System.out.printf(
                    "[publisher-failover] commands sent=%d accepted=%d refused=%d; %s; %d token samples%n",
                    traffic.sent(), traffic.accepted(), traffic.refused().size(), counts, samples.size());
            assertThat(counts.problems()).isEmpty();
            assertThat(counts.lost()).isZero();
            assertThat(counts.unknown()).isZero();
            // Each creation stores the quota bookkeeping beside the deployment; each tenant's first one provisions it.
            assertThat(counts.stored()).isEqualTo(traffic.accepted() + TENANTS * (DEPLOYMENTS_PER_TENANT + 1L));

            tokenNeverAheadOfTheAcks(samples, stored, copies);
            Tokens last = Ledger.publisherTokens(system);
            assertThat(stored.entrySet().stream()
                            .allMatch(tenant -> tenant.getValue().stream()
                                    .allMatch(e -> last.covers(tenant.getKey(), e.position()))))
                    .as("the token caught up with every stored event")
                    .isTrue();
        }
    }

    /**
     * For every committed token seen at time t: each event it covers had a copy on Kafka created before t (the
     * producer stamps a record when it is sent; a copy read back was acknowledged by the in-sync replicas).
     */
    private static void tokenNeverAheadOfTheAcks(
            List<TokenSample> samples, Map<String, List<StoredEvent>> stored, Map<String, List<Copy>> copies) {
        Map<String, Long> firstSent = new java.util.HashMap<>();
        copies.values().forEach(list -> list.forEach(c -> firstSent.merge(c.id(), c.timestamp(), Math::min)));
        long checked = 0;
        for (TokenSample sample : samples) {
            for (Map.Entry<String, List<StoredEvent>> tenant : stored.entrySet()) {
                for (StoredEvent event : tenant.getValue()) {
                    if (sample.tokens().covers(tenant.getKey(), event.position())) {
                        Long sent = firstSent.get(event.eventId());
                        assertThat(sent)
                                .as(
                                        "event %s at %d covered by token %d read at %d",
                                        event.eventId(),
                                        event.position(),
                                        sample.tokens().index(),
                                        sample.readAt())
                                .isNotNull()
                                .isLessThanOrEqualTo(sample.readAt());
                        checked++;
                    }
                }
            }
        }
        System.out.printf(
                "[publisher-failover] %d (token sample, covered event) pairs checked against Kafka%n", checked);
    }

    private static EventTrackerStatus publisherStatus() {
        TrackingEventProcessor processor = commandSide
                .getBean(org.axonframework.config.Configuration.class)
                .eventProcessingConfiguration()
                .eventProcessor("tessera-publisher", TrackingEventProcessor.class)
                .orElseThrow();
        return processor.processingStatus().get(0);
    }

    /** How often the publisher's batch failed so far (each failure is one retry with back-off). */
    private static long publisherRetries() {
        return (long)
                commandSide
                        .getBean(MeterRegistry.class)
                        .find("tessera.kafka.publish")
                        .tag("outcome", "failed")
                        .timers()
                        .stream()
                        .mapToLong(Timer::count)
                        .sum();
    }

    private static void awaitProgress(CommandTraffic traffic, int accepted, CompletableFuture<Void> stream) {
        await().atMost(PATIENCE).until(() -> traffic.accepted() >= accepted || stream.isDone());
    }

    /** The partition a tenant's events go to: the producer's default partitioner of the key. */
    private static int partitionOf(String tenant) {
        return Utils.toPositive(Utils.murmur2(tenant.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % 12;
    }

    record TokenSample(long readAt, Tokens tokens) {}

    /** Reads the publisher's committed token once a second. */
    private static final class TokenSampler {

        private final List<TokenSample> samples;
        private final ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor(sampling -> {
            Thread thread = new Thread(sampling, "fault-token-sampler");
            thread.setDaemon(true); // a failed test that never stops the sampler does not keep the JVM alive
            return thread;
        });

        TokenSampler(List<TokenSample> samples) {
            this.samples = samples;
        }

        void start() {
            pace.scheduleWithFixedDelay(this::sample, 0, 1, TimeUnit.SECONDS);
        }

        void stop() throws InterruptedException {
            pace.shutdown();
            pace.awaitTermination(10, TimeUnit.SECONDS);
        }

        private void sample() {
            try {
                Tokens tokens = Ledger.publisherTokens(system);
                long readAt = System.currentTimeMillis();
                synchronized (samples) {
                    samples.add(new TokenSample(readAt, tokens));
                }
            } catch (Exception e) {
                System.out.println("[publisher-failover] token sample failed: " + e);
            }
        }
    }
}
