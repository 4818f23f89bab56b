package io.tessera.local.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.local.faults.Ledger.StoredEvent;
import io.tessera.local.faults.Ledger.Token;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * One command's transaction stays open for seconds after its event took its global index, while other
 * tenants' events with higher indexes commit, are published and projected. The way it is held is a real one:
 * the command's idempotency record waits for a row lock (an uncommitted row with the same key, held by this
 * test), after Axon inserted the event. Once it commits, the late event still reaches {@code tessera.events}
 * with its own position and the read model: the publisher's gap-aware token kept the hole open, nothing
 * downstream skips it. Hold: 5 s in CI, 20 s with {@code -Dtessera.faults.full=true}.
 */
class GlobalIndexGapFaultIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final Duration HOLD = Duration.ofSeconds(FaultScale.count("tessera.faults.gap-hold-seconds", 5, 20));
    private static final int LATER_COMMANDS_PER_TENANT = 20;
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    private static FaultSystem system;
    private static ConfigurableApplicationContext commandSide;

    @BeforeAll
    static void start() {
        system = FaultSystem.named("gap")
                // The hold is a lock wait on purpose: the command's lock bound must outlast it.
                .commandSide(
                        "tessera.command.lock-timeout", HOLD.plusSeconds(60).toSeconds() + "s")
                .commandSide(
                        "tessera.command.statement-timeout",
                        HOLD.plusSeconds(60).toSeconds() + "s")
                .build();
        commandSide = system.commandSideInJvm();
        system.querySideInJvm();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void anEventCommittedAfterLaterPositionsIsPublishedAndProjectedWithItsOwnPosition() throws Exception {
        CommandTraffic traffic = new CommandTraffic(FaultSystem.url(commandSide), system.tokens, "gap-" + RUN, 4, 2);
        traffic.setUp(4);
        String late = traffic.tenants().get(0);
        List<String> others = traffic.tenants().subList(1, traffic.tenants().size());
        String deployment = traffic.deployments().get(late).get(0);
        String lateUrl = "https://example.test/late/" + RUN;
        String key = "late-" + RUN;

        try (EventsProbe probe = new EventsProbe(
                        LocalInfrastructure.shared().kafkaBootstrap(), new HashSet<>(traffic.tenants()));
                Connection blocker = system.database()) {
            blocker.setAutoCommit(false);
            try (PreparedStatement hold = blocker.prepareStatement(
                    "INSERT INTO command_side.command_log (tenant_id, caller, key, command_id, accepted)"
                            + " VALUES (?, 'fault-client', ?, 'blocker', false)")) {
                hold.setString(1, late);
                hold.setString(2, key);
                hold.executeUpdate();
            }
            CompletableFuture<JsonNode> lateAnswer = CompletableFuture.supplyAsync(
                    () -> traffic.send(late, "PATCH", "/api/deployments/" + deployment, Map.of("url", lateUrl), key));
            // The command has stored its event (uncommitted) and now waits for the row lock on its key.
            await().atMost(PATIENCE).until(GlobalIndexGapFaultIT::commandWaitsOnItsIdempotencyRecord);
            long reserved = lastReservedIndex();

            long laterPosition = -1;
            Map<String, Long> lastOfTenant = new HashMap<>();
            for (int i = 0; i < LATER_COMMANDS_PER_TENANT; i++) {
                for (String tenant : others) {
                    String id = traffic.deployments().get(tenant).get(i % 2);
                    JsonNode answer = traffic.send(
                            tenant,
                            "PATCH",
                            "/api/deployments/" + id,
                            Map.of("url", "https://example.test/" + i),
                            null);
                    assertThat(answer).as("later command accepted").isNotNull();
                    long position = answer.at("/data/position").asLong();
                    lastOfTenant.put(tenant, position);
                    laterPosition = Math.max(laterPosition, position);
                }
            }
            long highest = laterPosition;
            // Later events pass the hole: published (the token moves beyond it, keeping it as a gap) and projected.
            await().atMost(PATIENCE).until(() -> Ledger.publisherToken(system).index() >= highest);
            for (Map.Entry<String, Long> tenant : lastOfTenant.entrySet()) {
                await().atMost(PATIENCE).until(() -> system.appliedPosition(tenant.getKey()) >= tenant.getValue());
            }
            Token whileHeld = Ledger.publisherToken(system);
            System.out.printf(
                    "[gap] late event's transaction open (index reserved up to %d); later events up to %d published"
                            + " and projected; publisher token index %d, gaps %s%n",
                    reserved, highest, whileHeld.index(), whileHeld.gaps());
            assertThat(lateAnswer).isNotDone();
            Pause.lasting(HOLD);
            blocker.rollback();

            JsonNode answer = lateAnswer.get(2, TimeUnit.MINUTES);
            assertThat(answer)
                    .as("the late command is accepted: %s", traffic.refused())
                    .isNotNull();
            long latePosition = answer.at("/data/position").asLong();
            System.out.printf(
                    "[gap] late event at position %d committed after %d later events (up to %d), held %s%n",
                    latePosition, LATER_COMMANDS_PER_TENANT * others.size(), highest, HOLD);
            assertThat(latePosition)
                    .as("the late event's index is below the later ones")
                    .isLessThan(highest);
            assertThat(whileHeld.gaps()).as("the publisher kept the hole open").contains(latePosition);

            await().atMost(PATIENCE).until(() -> system.projectedPositions(late).contains(latePosition));
            assertThat(system.deploymentUrl(late, deployment)).isEqualTo(lateUrl);

            Map<String, List<StoredEvent>> stored = Ledger.stored(system, traffic.tenants());
            int expected = Ledger.total(stored);
            await().atMost(PATIENCE).until(() -> probe.distinctIds() >= expected);
            Ledger.Publication counts = Ledger.published(stored, probe.copies());
            System.out.printf("[gap] %s%n", counts);
            assertThat(counts.problems()).isEmpty();
            assertThat(counts.lost()).isZero();
            for (Map.Entry<String, List<StoredEvent>> tenant : stored.entrySet()) {
                List<Long> positions = new ArrayList<>();
                tenant.getValue().forEach(e -> positions.add(e.position()));
                await().atMost(PATIENCE)
                        .untilAsserted(() -> assertThat(system.projectedPositions(tenant.getKey()))
                                .as("event log of %s: each stored event once, at its own position", tenant.getKey())
                                .containsExactlyElementsOf(positions));
            }
        }
    }

    private static boolean commandWaitsOnItsIdempotencyRecord() throws SQLException {
        try (Connection db = system.database();
                PreparedStatement query = db.prepareStatement("""
                        SELECT count(*) FROM pg_stat_activity
                        WHERE wait_event_type = 'Lock' AND query LIKE '%command_log%' AND query LIKE 'INSERT%'
                        """);
                ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1) > 0;
        }
    }

    private static long lastReservedIndex() throws SQLException {
        try (Connection db = system.database();
                PreparedStatement query =
                        db.prepareStatement("SELECT last_value FROM command_side.domain_event_entry_global_index_seq");
                ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }
}
