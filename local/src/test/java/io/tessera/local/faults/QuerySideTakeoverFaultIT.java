package io.tessera.local.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.infra.runtime.LocalKafka;
import io.tessera.local.faults.Ledger.StoredEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two query-side instances as child processes share {@code tessera.events} in one consumer group while
 * commands stream in. One is SIGKILLed in the middle of a projector transaction: the other takes its
 * partitions over, and every event ends up in the read model once in effect, none lost. Then one of two is
 * frozen with {@code kill -STOP} while it holds a tenant's projection lock in an open transaction, past its
 * session timeout: the other takes over and projects everything while the frozen one is still stopped (its
 * database session is ended by {@code idle_in_transaction_session_timeout}, which frees the lock); after
 * {@code kill -CONT} its late work is refused (dead session, stale group generation) or a no-op (rows guarded
 * by the aggregate version), so the read model is still exact. Runs on a Kafka broker of its own, so its
 * consumer group holds only these instances.
 */
class QuerySideTakeoverFaultIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final String GROUP = "tessera-query-side";
    private static final int COMMANDS = FaultScale.count("tessera.faults.takeover-commands", 400, 3000);
    private static final Duration PATIENCE = Duration.ofMinutes(4);
    private static final Map<String, String> CHILD = Map.of(
            // A frozen consumer is out of the group after 10 s instead of 45 s.
            "spring.kafka.consumer.properties.session.timeout.ms", "10000",
            "spring.kafka.consumer.heartbeat-interval", "2s");

    private static LocalKafka kafka;
    private static FaultSystem system;
    private static ConfigurableApplicationContext commandSide;

    @BeforeAll
    static void start() throws IOException {
        kafka = LocalKafka.start(null, 0);
        String bootstrap = kafka.bootstrapServers();
        FaultSystem.Setup setup = FaultSystem.named("takeover").kafka(bootstrap, bootstrap, bootstrap);
        CHILD.forEach(setup::querySide);
        system = setup.build();
        commandSide = system.commandSideInJvm();
    }

    @AfterAll
    static void stop() {
        // SIGKILL reaches a stopped process too; nothing is left frozen or running.
        if (system != null) {
            system.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** A query side as a child JVM, started without waiting: the consumer group says when it is in. */
    private static ChildJvm querySide(String name) {
        return system.anotherQuerySide(
                        name,
                        Map.of(
                                "spring.datasource.hikari.data-source-properties.ApplicationName",
                                applicationName(name)))
                .launch();
    }

    private static String applicationName(String name) {
        return "fault-" + RUN + "-" + name;
    }

    @Test
    void aKilledAndAFrozenInstanceLoseNothingAndProjectNothingTwice() throws Exception {
        ChildJvm q1 = querySide("q1");
        ChildJvm q2 = querySide("q2");
        awaitMembers(4);

        // 1. SIGKILL in the middle of a projector transaction.
        CommandTraffic first = new CommandTraffic(FaultSystem.url(commandSide), system.tokens, "k" + RUN, 6, 3);
        first.setUp(6);
        AtomicBoolean stopFirst = new AtomicBoolean();
        CompletableFuture<Void> stream = stream(first, stopFirst);
        boolean midTransaction = awaitOpenTransaction("q1", false, Duration.ofMinutes(1));
        q1.kill();
        System.out.printf(
                "[takeover] q1 SIGKILLed %s, at %d accepted commands%n",
                midTransaction ? "inside a projector transaction" : "(no open transaction seen)", first.accepted());
        awaitProgress(first, first.accepted() + COMMANDS / 2);
        stopFirst.set(true);
        stream.get(10, TimeUnit.MINUTES);
        awaitMembers(2);
        exactlyOnceInEffect("after SIGKILL", first);

        // 2. kill -STOP while holding a tenant's projection lock, past the session timeout.
        querySide("q3");
        awaitMembers(4);
        CommandTraffic second = new CommandTraffic(FaultSystem.url(commandSide), system.tokens, "s" + RUN, 6, 3);
        second.setUp(6);
        AtomicBoolean stopSecond = new AtomicBoolean();
        stream = stream(second, stopSecond);
        // A poll is one short projector transaction: catching q2 inside one may take a few tries. The tries are
        // bounded in time (each 10 s, all together 2 minutes, 5 in a long run): a q2 that projects none of the
        // traffic's tenants never holds their lock, and is then frozen without it (printed below).
        boolean holdsLock = false;
        long catchUntil =
                System.nanoTime() + Duration.ofMinutes(FaultScale.pick(2, 5)).toNanos();
        while (!holdsLock && System.nanoTime() < catchUntil) {
            awaitOpenTransaction("q2", true, Duration.ofSeconds(10));
            q2.freeze();
            holdsLock = holdsProjectionLock("q2");
            if (!holdsLock) {
                q2.thaw();
            }
        }
        System.out.printf(
                "[takeover] q2 frozen (kill -STOP) %s at %d accepted commands%n",
                holdsLock ? "holding a tenant's projection lock" : "(no lock caught)", second.accepted());
        awaitMembers(2);
        awaitProgress(second, second.accepted() + COMMANDS / 2);
        stopSecond.set(true);
        stream.get(10, TimeUnit.MINUTES);
        // Everything is projected by q3 alone while q2 is still frozen.
        exactlyOnceInEffect("while q2 is frozen", second);
        assertThat(q2.alive()).isTrue();

        q2.thaw();
        awaitMembers(4);
        exactlyOnceInEffect("after q2 thawed and rejoined", second);
        List<String> refused = Files.readAllLines(q2.log()).stream()
                .filter(line -> line.contains("idle-in-transaction")
                        || line.contains("CommitFailedException")
                        || line.contains("This connection has been closed")
                        || line.contains("An I/O error occurred"))
                .toList();
        System.out.printf(
                "[takeover] q2's late work refused after -CONT: %d log lines, e.g. %s%n",
                refused.size(), refused.stream().limit(2).toList());
        exactlyOnceInEffect("after SIGKILL (again, at the end)", first);
    }

    private static CompletableFuture<Void> stream(CommandTraffic traffic, AtomicBoolean stop) {
        return CompletableFuture.runAsync(() -> {
            try {
                traffic.runUntil(stop::get, 6);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void awaitProgress(CommandTraffic traffic, int accepted) {
        await().atMost(PATIENCE).until(() -> traffic.accepted() >= accepted);
    }

    /**
     * Every stored event of the traffic's tenants is in the event log once, at its position; every deployment
     * shows its last accepted URL; the stats count each deployment once; the applied position is the last one.
     */
    private static void exactlyOnceInEffect(String when, CommandTraffic traffic) throws Exception {
        assertThat(traffic.refused()).as("refused commands").isEmpty();
        Map<String, List<StoredEvent>> stored = Ledger.stored(system, traffic.tenants());
        for (Map.Entry<String, List<StoredEvent>> tenant : stored.entrySet()) {
            List<Long> positions =
                    tenant.getValue().stream().map(StoredEvent::position).toList();
            await().atMost(PATIENCE)
                    .untilAsserted(() -> assertThat(system.projectedPositions(tenant.getKey()))
                            .as("%s: event log of %s", when, tenant.getKey())
                            .containsExactlyElementsOf(positions));
            assertThat(system.appliedPosition(tenant.getKey())).isEqualTo(positions.get(positions.size() - 1));
            assertThat(deploymentCount(tenant.getKey()))
                    .as("%s: deployments counted once in the stats of %s", when, tenant.getKey())
                    .isEqualTo(traffic.deployments().get(tenant.getKey()).size());
            for (String id : traffic.deployments().get(tenant.getKey())) {
                String url = traffic.lastUrls().get(id);
                if (url != null) {
                    assertThat(system.deploymentUrl(tenant.getKey(), id)).isEqualTo(url);
                }
            }
        }
        System.out.printf(
                "[takeover] %s: commands sent=%d accepted=%d; stored=%d, projected once each, lost=0%n",
                when, traffic.sent(), traffic.accepted(), Ledger.total(stored));
    }

    private static void awaitMembers(int members) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            await().atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> {
                        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP))
                                .all()
                                .get()
                                .get(GROUP);
                        return group.groupState() == GroupState.STABLE
                                && group.members().size() == members
                                && group.members().stream()
                                                .mapToInt(m -> m.assignment()
                                                        .topicPartitions()
                                                        .size())
                                                .sum()
                                        == 12
                                && group.members().stream().allMatch(QuerySideTakeoverFaultIT::assigned);
                    });
        }
    }

    private static boolean assigned(MemberDescription member) {
        return !member.assignment().topicPartitions().isEmpty();
    }

    /** Waits until the instance has a transaction open (holding a projection lock, if asked); false on timeout. */
    private static boolean awaitOpenTransaction(String name, boolean withLock, Duration atMost) {
        try {
            await().atMost(atMost)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> withLock ? holdsProjectionLock(name) : inTransaction(name));
            return true;
        } catch (ConditionTimeoutException notSeen) {
            return false;
        }
    }

    private static boolean inTransaction(String name) throws SQLException {
        return count("""
                        SELECT count(*) FROM pg_stat_activity
                        WHERE application_name = ? AND xact_start IS NOT NULL AND state <> 'idle'
                        """, applicationName(name)) > 0;
    }

    private static boolean holdsProjectionLock(String name) throws SQLException {
        return count("""
                        SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                        WHERE a.application_name = ? AND l.locktype = 'advisory' AND l.granted
                        """, applicationName(name)) > 0;
    }

    private static long count(String sql, String parameter) throws SQLException {
        try (Connection db = system.database();
                PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, parameter);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static long deploymentCount(String tenant) throws SQLException {
        try (Connection db = system.database();
                PreparedStatement query = db.prepareStatement(
                        "SELECT coalesce(sum(count), 0) FROM query_side.tenant_stats WHERE tenant_id = ? AND kind = 'deployment'")) {
            query.setString(1, tenant);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
