package io.tessera.local.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.Topics;
import io.tessera.local.faults.FaultSystem.Answer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Faults of the application processes: the command side SIGKILLed and SIGTERMed in the middle of a steady
 * multi-tenant command stream, conflicting commands on one aggregate, seeded random concurrent commands against
 * the quota and idempotency rules, and poison records on every topic the system reads. After each the {@link
 * Ledger} checks the event store, {@code tessera.events} and the read tables against what the clients saw.
 */
class CommandSideFaultIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final Duration CATCH_UP = Duration.ofMinutes(3);
    private static FaultSystem system;
    private static final int MAX_QUOTA = io.tessera.command.Validation.MAX_QUOTA;

    @BeforeAll
    static void start() {
        system = FaultSystem.onSharedInfrastructure("app-faults").start();
        System.out.println("[faults] scale: " + (FaultScale.LONG ? "long" : "short (CI)"));
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    private static List<String> tenants(String prefix, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> prefix + "-" + RUN + "-" + i)
                .toList();
    }

    @Test
    void aSigkilledCommandSideLosesNoAcceptedCommandAndRetriesHaveOneEffect() throws Exception {
        Ledger ledger = new Ledger("sigkill");
        RetryingClient client = new RetryingClient(system, ledger, Duration.ofMinutes(5));
        int workers = 6;
        int perWorker = FaultScale.pick(40, 400);
        try (CommandStream stream = new CommandStream(
                        system,
                        client,
                        tenants("kill", FaultScale.pick(8, 100)),
                        workers,
                        perWorker,
                        3,
                        FaultScale.seed())
                .start()) {
            stream.awaitAnswered(workers * perWorker / 3);
            system.commandSide.kill();
            int answeredAtKill = stream.answered();
            system.commandSide.start(FaultSystem.START);
            stream.finish();
            System.out.println("[faults] sigkill after " + answeredAtKill + " answered commands");
        }
        Ledger.Report report = ledger.check(system, CATCH_UP);
        assertThat(report.problems()).isEmpty();
        assertThat(report.total().unresolved()).isZero();
        assertThat(report.total().retries())
                .as("the kill left requests to retry")
                .isPositive();
    }

    @Test
    void conflictingCommandsOnOneAggregateGetConflictsAndLeaveNoHoles() throws Exception {
        Ledger ledger = new Ledger("conflicts");
        RetryingClient client = new RetryingClient(system, ledger, Duration.ofMinutes(2));
        String tenant = "conflict-" + RUN;
        String token = system.editor(tenant);
        Answer created = client.createDeployment(tenant, token);
        assertThat(created.status()).as(created.describe()).isEqualTo(202);
        String id = created.id();
        ledger.statesUncertain(tenant);
        int threads = 8;
        int perThread = FaultScale.pick(25, 200);
        List<String> targets = List.of("building", "active", "failed");
        Map<String, AtomicInteger> outcomes = new TreeMap<>();
        Set<Long> answeredPositions = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            long seed = FaultScale.seed();
            System.out.println("[faults] conflicts seed " + seed);
            for (int t = 0; t < threads; t++) {
                Random random = new Random(seed + t);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String target = targets.get(random.nextInt(targets.size()));
                        Answer answer = system.call(
                                system.commandSide.url(),
                                "PATCH",
                                "/api/deployments/" + id,
                                token,
                                Map.of("status", target),
                                UUID.randomUUID().toString());
                        synchronized (outcomes) {
                            outcomes.computeIfAbsent(
                                            answer.status() + " " + answer.errorCode(), k -> new AtomicInteger())
                                    .incrementAndGet();
                        }
                        if (answer.status() == 202) {
                            answeredPositions.add(answer.position());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<Long> stored = positionsOf(id);
        System.out.println("[faults] conflicts: " + threads + " x " + perThread + " PATCHes on one deployment: "
                + outcomes + "; events stored on it: " + stored.size());
        assertThat(outcomes.keySet()).as("only 202 and 409 CONFLICT").isSubsetOf("202 ", "409 CONFLICT");
        assertThat(outcomes).containsKey("409 CONFLICT");
        // Every stored change was answered by a 202 naming its position, and every 202 names a stored event.
        assertThat(stored).containsAll(answeredPositions);
        assertThat(answeredPositions).containsAll(stored.subList(1, stored.size()));
        Ledger.Report report = ledger.check(system, CATCH_UP);
        assertThat(report.problems()).isEmpty();
    }

    private static List<Long> positionsOf(String aggregate) throws Exception {
        List<Long> positions = new ArrayList<>();
        try (Connection db = system.database();
                PreparedStatement select =
                        db.prepareStatement("SELECT global_index, sequence_number FROM command_side.domain_event_entry"
                                + " WHERE aggregate_identifier = ? ORDER BY sequence_number")) {
            select.setString(1, aggregate);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    assertThat(rs.getLong(2)).as("sequence without holes").isEqualTo(positions.size());
                    positions.add(rs.getLong(1));
                }
            }
        }
        return positions;
    }

    /**
     * Two command sides on one database; one is frozen ({@code kill -STOP}) inside a command transaction, holding
     * its tenant's lock. The other's commands for that tenant wait for the lock at most {@code
     * tessera.command.lock-timeout} (a clean 503 UNAVAILABLE) and are accepted once PostgreSQL has ended the
     * frozen session for idling in its transaction ({@code tessera.command.idle-in-transaction-timeout}); after
     * {@code kill -CONT} the frozen side's late work is refused: every 2xx it gives is stored, nothing it refused
     * is. The shipped bounds (15 s, 10 s) are the ones under test.
     */
    @Test
    void aCommandSideFrozenInsideACommandBlocksItsTenantOnlyUntilTheIdleBound() throws Exception {
        String tenant = "frozen-" + RUN;
        String token = system.editor(tenant);
        String applicationName = "fault-frozen-" + RUN;
        Ledger ledger = new Ledger("frozen-command-side");
        // The clients create until the lock is caught; the hourly quota is not under test here.
        createTenant(tenant, MAX_QUOTA);

        record Sent(String name, Answer answer) {}
        ChildJvm frozen = system.anotherCommandSide(
                "frozen", Map.of("spring.datasource.hikari.data-source-properties.ApplicationName", applicationName));
        List<Sent> onFrozen = new CopyOnWriteArrayList<>();
        List<Answer> onOther = new CopyOnWriteArrayList<>();
        AtomicBoolean stopFrozenClients = new AtomicBoolean();
        AtomicBoolean stopOtherClient = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            frozen.start(FaultSystem.START);
            List<Future<?>> frozenClients = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                frozenClients.add(clients.submit(() -> {
                    while (!stopFrozenClients.get()) {
                        String name = "fault-frozen-" + UUID.randomUUID();
                        onFrozen.add(new Sent(
                                name,
                                system.call(
                                        frozen.url(),
                                        "POST",
                                        "/api/deployments",
                                        token,
                                        Map.of("project_name", name),
                                        UUID.randomUUID().toString())));
                    }
                    return null;
                }));
            }
            long holder = -1;
            for (int attempt = 0; attempt < 50 && holder < 0; attempt++) {
                await().atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofMillis(5))
                        .until(() -> tenantLockHolder(applicationName, false) > 0);
                frozen.freeze();
                holder = idleLockHolder(applicationName);
                if (holder < 0) {
                    frozen.thaw();
                }
            }
            assertThat(holder)
                    .as("the frozen side holds its tenant's lock, idle in its transaction")
                    .isPositive();
            int answeredBeforeFreeze = onFrozen.size();
            System.out.println("[faults] frozen command side holds the lock of " + tenant + " in backend " + holder
                    + " after " + answeredBeforeFreeze + " of its commands");

            long frozenAt = System.nanoTime();
            Future<?> otherClient = clients.submit(() -> {
                while (!stopOtherClient.get()) {
                    String name = "fault-other-" + UUID.randomUUID();
                    Answer answer = system.call(
                            system.commandSide.url(),
                            "POST",
                            "/api/deployments",
                            token,
                            Map.of("project_name", name),
                            UUID.randomUUID().toString());
                    onOther.add(answer);
                    if (answer.status() == 202) {
                        ledger.sent(tenant);
                        ledger.accepted(tenant);
                        ledger.created(tenant, answer.id(), name);
                    }
                    Pause.lasting(Duration.ofMillis(300)); // a steady trickle, not a flood against the lock
                }
                return null;
            });
            await().atMost(Duration.ofMinutes(2)).until(() -> onOther.stream().anyMatch(a -> a.status() == 202));
            long acceptedAfter = Duration.ofNanos(System.nanoTime() - frozenAt).toSeconds();
            stopOtherClient.set(true);
            otherClient.get(2, TimeUnit.MINUTES);
            long holderAlive = backendAlive(holder);
            assertThat(frozen.alive()).isTrue();

            stopFrozenClients.set(true);
            frozen.thaw();
            for (Future<?> client : frozenClients) {
                client.get(3, TimeUnit.MINUTES);
            }

            Map<String, Integer> otherSeen = new TreeMap<>();
            onOther.forEach(a -> otherSeen.merge(a.status() + " " + a.errorCode(), 1, Integer::sum));
            List<Sent> late = onFrozen.subList(answeredBeforeFreeze, onFrozen.size());
            Map<String, Integer> lateSeen = new TreeMap<>();
            late.forEach(
                    s -> lateSeen.merge(s.answer().status() + " " + s.answer().errorCode(), 1, Integer::sum));
            System.out.println("[faults] frozen command side: the other side's commands for " + tenant
                    + " answered " + otherSeen + ", the first 202 ~" + acceptedAfter + " s after the freeze;"
                    + " the frozen side's in-flight commands answered after kill -CONT " + lateSeen);
            assertThat(holderAlive).as("PostgreSQL ended the frozen session").isZero();
            assertThat(otherSeen.keySet())
                    .as("the other side answers 202 or, waiting for the lock, 503 UNAVAILABLE")
                    .isSubsetOf("202 ", "503 UNAVAILABLE");
            for (Answer answer : onOther) {
                if (answer.status() == 503) {
                    assertThat(answer.retryAfter()).isNotNull();
                }
            }
            assertThat(late).as("commands in flight on the frozen side").isNotEmpty();
            assertThat(lateSeen.keySet())
                    .as("the frozen side's late commands: accepted or a clean 503, never a 500")
                    .isSubsetOf("202 ", "503 UNAVAILABLE");
            assertThat(lateSeen)
                    .as("the late commit of the frozen transaction is refused")
                    .containsKey("503 UNAVAILABLE");
            for (Sent sent : onFrozen) {
                int stored = storedCreations(tenant, sent.name());
                if (sent.answer().status() == 202) {
                    assertThat(stored)
                            .as("accepted and stored once: %s", sent.name())
                            .isEqualTo(1);
                    ledger.sent(tenant);
                    ledger.accepted(tenant);
                    ledger.created(tenant, sent.answer().id(), sent.name());
                } else {
                    assertThat(stored)
                            .as("refused (%s), not stored: %s", sent.answer().describe(), sent.name())
                            .isZero();
                }
            }
        } finally {
            stopFrozenClients.set(true);
            stopOtherClient.set(true);
            frozen.kill();
            clients.shutdownNow();
        }
        Ledger.Report report = ledger.check(system, CATCH_UP);
        assertThat(report.problems()).isEmpty();
    }

    /** The backend of the side that holds an advisory (tenant) lock; idle in its transaction, if asked; else -1. */
    private static long tenantLockHolder(String applicationName, boolean idleInTransaction) throws Exception {
        try (Connection db = system.database();
                PreparedStatement query = db.prepareStatement("""
                        SELECT a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                        WHERE a.application_name = ? AND l.locktype = 'advisory' AND l.granted
                          AND (NOT ? OR a.state = 'idle in transaction')
                        """)) {
            query.setString(1, applicationName);
            query.setBoolean(2, idleInTransaction);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getLong(1) : -1;
            }
        }
    }

    /** The backend that holds the frozen side's tenant lock idle in its transaction, or -1: frozen outside one. */
    private static long idleLockHolder(String applicationName) {
        try {
            return await().atMost(Duration.ofMillis(500))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> tenantLockHolder(applicationName, true), holder -> holder > 0);
        } catch (ConditionTimeoutException outsideATransaction) {
            return -1;
        }
    }

    private static long backendAlive(long pid) throws Exception {
        try (Connection db = system.database();
                PreparedStatement query = db.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ?")) {
            query.setInt(1, (int) pid);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static int storedCreations(String tenant, String name) throws Exception {
        try (Connection db = system.database();
                PreparedStatement query = db.prepareStatement("""
                        SELECT count(*) FROM command_side.domain_event_entry
                        WHERE convert_from(meta_data, 'UTF8')::jsonb ->> 'tenant_id' = ?
                          AND payload_type LIKE '%DeploymentCreated' AND convert_from(payload, 'UTF8')::jsonb ->> 'name' = ?
                        """)) {
            query.setString(1, tenant);
            query.setString(2, name);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    @Test
    void aSigtermedCommandSideDrainsInFlightCommandsAndCommitsItsOffsets() throws Exception {
        Ledger ledger = new Ledger("sigterm");
        RetryingClient client = new RetryingClient(system, ledger, Duration.ofMinutes(5));
        String kafkaTenant = "term-kafka-" + RUN;
        int kafkaCommands = FaultScale.pick(40, 90);
        Map<String, String> names = new LinkedHashMap<>();
        int workers = 6;
        int perWorker = FaultScale.pick(30, 300);
        try (CommandStream stream = new CommandStream(
                                system,
                                client,
                                tenants("term", FaultScale.pick(6, 50)),
                                workers,
                                perWorker,
                                3,
                                FaultScale.seed())
                        .start();
                KafkaProducer<String, String> producer = system.producer()) {
            stream.awaitAnswered(workers * perWorker / 3);
            String token = system.editor(kafkaTenant);
            for (int i = 0; i < kafkaCommands; i++) {
                String commandId = UUID.randomUUID().toString();
                String name = "fault-kafka-" + commandId;
                names.put(commandId, name);
                Map<String, Object> command = new LinkedHashMap<>();
                command.put("command_id", commandId);
                command.put("type", "CreateDeployment");
                command.put("tenant_id", kafkaTenant);
                command.put("token", token);
                command.put("payload", Map.of("project_name", name));
                producer.send(new ProducerRecord<>(
                        Topics.COMMANDS, kafkaTenant, FaultSystem.JSON.writeValueAsString(command)));
                ledger.sent(kafkaTenant);
                if (i == kafkaCommands / 2) {
                    producer.flush();
                    // The first half reaches the command side while the rest is still being produced.
                    Pause.lasting(Duration.ofMillis(300));
                }
            }
            producer.flush();
            int exit = system.commandSide.terminate(Duration.ofMinutes(2));
            System.out.println("[faults] SIGTERM with " + stream.answered() + " HTTP commands answered; exit " + exit);
            system.commandSide.start(FaultSystem.START);
            stream.finish();
        }
        Map<String, List<JsonNode>> results = results(names.keySet(), Duration.ofMinutes(3));
        int redelivered = 0;
        for (Map.Entry<String, List<JsonNode>> result : results.entrySet()) {
            JsonNode first = result.getValue().get(0);
            redelivered += result.getValue().size() - 1;
            if ("accepted".equals(first.path("status").asString())) {
                ledger.accepted(kafkaTenant);
                ledger.created(kafkaTenant, first.path("id").asString(), names.get(result.getKey()));
            }
        }
        System.out.println("[faults] sigterm: Kafka commands " + names.size() + ", with a result " + results.size()
                + ", extra results (redelivered records) " + redelivered);
        assertThat(results.keySet()).as("every Kafka command has a result").containsAll(names.keySet());
        assertThat(redelivered)
                .as("offsets were committed on SIGTERM: no record ran twice")
                .isZero();
        Ledger.Report report = ledger.check(system, CATCH_UP);
        assertThat(report.problems()).isEmpty();
        assertThat(report.total().unresolved()).isZero();
    }

    private static Map<String, List<JsonNode>> results(Set<String> commandIds, Duration atMost) {
        Map<String, List<JsonNode>> results = new HashMap<>();
        long deadline = System.nanoTime() + atMost.toNanos();
        try (KafkaConsumer<String, String> consumer = system.consumerFromStart(Topics.COMMAND_RESULTS)) {
            int quiet = 0;
            while (System.nanoTime() < deadline && (results.size() < commandIds.size() || quiet < 3)) {
                int polled = 0;
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(1000))) {
                    polled++;
                    if (commandIds.contains(record.key())) {
                        results.computeIfAbsent(record.key(), k -> new ArrayList<>())
                                .add(FaultSystem.JSON.readTree(record.value()));
                    }
                }
                quiet = polled == 0 ? quiet + 1 : 0;
            }
        }
        return results;
    }

    /**
     * Seeded random concurrent creations, status changes and replays of earlier requests on three tenants with a
     * small hourly quota: a replayed key always gets its first answer, never more creations than the quota, each
     * accepted creation stored once, no 5xx.
     */
    @Test
    void quotaAndIdempotencyHoldUnderRandomConcurrentCommands() throws Exception {
        long seed = FaultScale.seed();
        System.out.println("[faults] random commands seed " + seed + " (replay: -Dtessera.faults.seed=" + seed + ")");
        Ledger ledger = new Ledger("random");
        RetryingClient client = new RetryingClient(system, ledger, Duration.ofMinutes(2));
        int quota = FaultScale.pick(12, 40);
        List<String> tenants = tenants("random", 3);
        for (String tenant : tenants) {
            createTenant(tenant, quota);
            ledger.statesUncertain(tenant);
        }
        record Sent(String tenant, String method, String path, Map<String, Object> body, String key) {}
        List<Sent> sent = new CopyOnWriteArrayList<>();
        Map<String, Answer> firstAnswers = new ConcurrentHashMap<>();
        List<String> differing = new CopyOnWriteArrayList<>();
        Map<String, List<String>> deployments = new ConcurrentHashMap<>();
        Map<String, Set<String>> createKeysTried = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        List<String> statuses = List.of("pending", "building", "active", "failed", "cancelled");
        int threads = 6;
        int perThread = FaultScale.pick(40, 300);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Random random = new Random(seed * 31 + t);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String tenant = tenants.get(random.nextInt(tenants.size()));
                        List<String> known = deployments.computeIfAbsent(tenant, k -> new CopyOnWriteArrayList<>());
                        int dice = random.nextInt(100);
                        Sent request;
                        if (dice >= 80 && !sent.isEmpty()) {
                            request = sent.get(random.nextInt(sent.size()));
                        } else if (dice < 45 || known.isEmpty()) {
                            String key = tenant + "-create-" + random.nextInt(2 * quota);
                            createKeysTried
                                    .computeIfAbsent(tenant, k -> ConcurrentHashMap.newKeySet())
                                    .add(key);
                            request = new Sent(
                                    tenant, "POST", "/api/deployments", Map.of("project_name", "fault-" + key), key);
                        } else {
                            String id = known.get(random.nextInt(known.size()));
                            request = new Sent(
                                    tenant,
                                    "PATCH",
                                    "/api/deployments/" + id,
                                    Map.of("status", statuses.get(random.nextInt(statuses.size()))),
                                    UUID.randomUUID().toString());
                        }
                        sent.add(request);
                        Answer answer = client.send(
                                request.tenant(),
                                system.editor(request.tenant()),
                                request.method(),
                                request.path(),
                                request.body(),
                                request.key());
                        outcomes.computeIfAbsent(
                                        request.method() + " " + answer.status() + " " + answer.errorCode(),
                                        k -> new AtomicInteger())
                                .incrementAndGet();
                        Answer first = firstAnswers.putIfAbsent(request.key(), answer);
                        if (first != null
                                && (first.status() != answer.status()
                                        || !String.valueOf(first.id()).equals(String.valueOf(answer.id()))
                                        || first.position() != answer.position()
                                        || !first.errorCode().equals(answer.errorCode()))) {
                            differing.add(request.key() + ": " + first.describe() + " then " + answer.describe());
                        }
                        if (answer.status() == 202 && request.method().equals("POST") && first == null) {
                            ledger.created(
                                    request.tenant(),
                                    answer.id(),
                                    String.valueOf(request.body().get("project_name")));
                            // The request's own tenant: a replayed request may be another tenant's.
                            deployments
                                    .computeIfAbsent(request.tenant(), k -> new CopyOnWriteArrayList<>())
                                    .add(answer.id());
                        }
                        if (answer.status() == 429) {
                            assertThat(answer.retryAfter())
                                    .as("Retry-After on " + answer.describe())
                                    .isNotNull();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("[faults] random: " + sent.size() + " requests, outcomes " + new TreeMap<>(outcomes));
        assertThat(differing).as("a replayed key gets its first answer").isEmpty();
        assertThat(outcomes.keySet())
                .allSatisfy(outcome -> assertThat(outcome).matches("(POST|PATCH) (202|409|429) .*"));
        for (String tenant : tenants) {
            int acceptedCreations = ledger.book(tenant).deployments.size();
            int keys = createKeysTried.getOrDefault(tenant, Set.of()).size();
            System.out.println("[faults] random: " + tenant + " creation keys tried " + keys + ", accepted "
                    + acceptedCreations + ", quota " + quota);
            assertThat(acceptedCreations).isEqualTo(Math.min(keys, quota));
        }
        Ledger.Report report = ledger.check(system, CATCH_UP);
        assertThat(report.problems()).isEmpty();
        assertThat(report.total().serverErrors()).isZero();
    }

    /**
     * Unreadable records on {@code tessera.commands} end in {@code tessera.commands.dlq}, unreadable ones on
     * {@code tessera.events} in the query side's dead-letter store, exactly those, while valid commands sent after
     * them flow on.
     */
    @Test
    void poisonRecordsEndInTheDeadLetterPlacesAndOthersFlowOn() throws Exception {
        String marker = "poison-" + UUID.randomUUID();
        List<String> poisonCommands = List.of(
                "not json at all " + marker,
                "{\"command_id\": \"" + marker + "\", \"type\": \"CreateDeployment\", ",
                "[\"" + marker + "\"]");
        List<String> poisonEvents =
                List.of("not a cloud event " + marker, "{\"specversion\": \"1.0\", \"id\": \"" + marker + "-2\", ");
        Ledger ledger = new Ledger("poison");
        RetryingClient client = new RetryingClient(system, ledger, Duration.ofMinutes(2));
        String tenant = "poison-" + RUN;
        try (KafkaProducer<String, String> producer = system.producer()) {
            for (String poison : poisonCommands) {
                producer.send(new ProducerRecord<>(Topics.COMMANDS, tenant, poison));
            }
            for (String poison : poisonEvents) {
                producer.send(new ProducerRecord<>(Topics.EVENTS, tenant, poison));
            }
            producer.flush();
        }
        String token = system.editor(tenant);
        for (int i = 0; i < 5; i++) {
            Answer answer = client.createDeployment(tenant, token);
            assertThat(answer.status()).as(answer.describe()).isEqualTo(202);
            Answer changed = client.changeStatus(tenant, token, answer.id(), "building");
            assertThat(changed.status()).as(changed.describe()).isEqualTo(202);
        }
        // A valid Kafka command behind the poison records still gets its result.
        String commandId = UUID.randomUUID().toString();
        try (KafkaProducer<String, String> producer = system.producer()) {
            Map<String, Object> command = new LinkedHashMap<>();
            command.put("command_id", commandId);
            command.put("type", "CreateDeployment");
            command.put("tenant_id", tenant);
            command.put("token", token);
            command.put("payload", Map.of("project_name", "fault-kafka-" + commandId));
            producer.send(new ProducerRecord<>(Topics.COMMANDS, tenant, FaultSystem.JSON.writeValueAsString(command)));
        }
        ledger.sent(tenant);
        Map<String, List<JsonNode>> results = results(Set.of(commandId), Duration.ofMinutes(2));
        assertThat(results).containsKey(commandId);
        JsonNode result = results.get(commandId).get(0);
        assertThat(result.path("status").asString()).isEqualTo("accepted");
        ledger.accepted(tenant);
        ledger.created(tenant, result.path("id").asString(), "fault-kafka-" + commandId);

        Ledger.Report report = ledger.check(system, CATCH_UP);
        assertThat(report.problems()).isEmpty();

        List<String> dlq = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = system.consumerFromStart(Topics.COMMANDS_DLQ)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (dlq.size() < poisonCommands.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(1000))) {
                    if (record.value() != null && record.value().contains(marker)) {
                        dlq.add(record.value());
                    }
                }
            }
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(2000))) {
                if (record.value() != null && record.value().contains(marker)) {
                    dlq.add(record.value());
                }
            }
        }
        List<String> deadLetters = new ArrayList<>();
        try (Connection db = system.database();
                PreparedStatement select =
                        db.prepareStatement("SELECT record FROM query_side.dead_letters WHERE record LIKE ?")) {
            select.setString(1, "%" + marker + "%");
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    deadLetters.add(rs.getString(1));
                }
            }
        }
        System.out.println("[faults] poison: commands DLQ holds " + dlq.size() + " of " + poisonCommands.size()
                + ", dead-letter store holds " + deadLetters.size() + " of " + poisonEvents.size());
        assertThat(new HashSet<>(dlq)).isEqualTo(new HashSet<>(poisonCommands));
        assertThat(dlq).hasSize(poisonCommands.size());
        assertThat(deadLetters).hasSize(poisonEvents.size());
    }

    /** A tenant created by a platform admin, with this creation quota an hour for deployments and workflows. */
    private void createTenant(String tenant, int quotaPerHour) {
        String admin = system.platformAdmin();
        Answer created = system.call(
                system.commandSide.url(),
                "POST",
                "/api/tenants",
                admin,
                Map.of("id", tenant, "name", tenant, "slug", tenant),
                null);
        assertThat(created.status()).as(created.describe()).isEqualTo(202);
        Answer quotas = system.call(
                system.commandSide.url(),
                "PUT",
                "/api/tenants/" + tenant + "/quotas",
                admin,
                Map.of("deployments_per_hour", quotaPerHour, "workflows_per_hour", quotaPerHour),
                null);
        assertThat(quotas.status()).as(quotas.describe()).isEqualTo(202);
    }
}
