package io.tessera.local.faults;

import static org.awaitility.Awaitility.await;

import io.tessera.events.Topics;
import io.tessera.local.faults.EventsProbe.Copy;
import io.tessera.local.faults.FaultSystem.Answer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.core.ConditionTimeoutException;
import org.axonframework.eventhandling.Segment;
import tools.jackson.databind.JsonNode;

/**
 * The one checker of the fault suite. What the clients saw, per tenant, and the check of the promise against it:
 * every accepted command's events are in the event store once (unique aggregate and sequence, no holes), on
 * {@code tessera.events} at least once (deduplicated by event id) with their stored position, each tenant on one
 * partition in stored order, nothing published that was not stored ({@link #published}), in {@code event_log}
 * once, and the read table {@code deployments} equals a fresh fold of the event store and the state the clients
 * were told. Counts are printed per tenant. Tests that drive their own traffic use the parts: {@link #stored},
 * {@link #published} against {@link EventsProbe}'s copies, {@link #publisherTokens}.
 */
final class Ledger {

    private final String label;
    private final Map<String, Book> books = new ConcurrentHashMap<>();

    Ledger(String label) {
        this.label = label;
    }

    /** The deployments a client created, with the state it expects from the answers it got. */
    static final class Expected {
        final String id;
        final String name;
        volatile String status = "pending";
        final AtomicInteger changes = new AtomicInteger();
        volatile boolean uncertain;

        Expected(String id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    static final class Book {
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger rejected = new AtomicInteger();
        final AtomicInteger unresolved = new AtomicInteger();
        final AtomicInteger retries = new AtomicInteger();
        final AtomicInteger serverErrors = new AtomicInteger();
        final Map<String, Expected> deployments = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> rejections = new ConcurrentHashMap<>();
        final List<String> uncleanServerErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile boolean statesUncertain;
    }

    Book book(String tenant) {
        return books.computeIfAbsent(tenant, t -> new Book());
    }

    void sent(String tenant) {
        book(tenant).sent.incrementAndGet();
    }

    void accepted(String tenant) {
        book(tenant).accepted.incrementAndGet();
    }

    void rejected(String tenant, Answer answer) {
        Book book = book(tenant);
        book.rejected.incrementAndGet();
        book.rejections
                .computeIfAbsent(answer.status() + " " + answer.errorCode(), k -> new AtomicInteger())
                .incrementAndGet();
    }

    void unresolved(String tenant) {
        book(tenant).unresolved.incrementAndGet();
    }

    void retried(String tenant) {
        book(tenant).retries.incrementAndGet();
    }

    /** Every 5xx a client sees must be the contract's 503 UNAVAILABLE, without SQL or driver text. */
    void serverError(String tenant, Answer answer) {
        Book book = book(tenant);
        book.serverErrors.incrementAndGet();
        String body = answer.body() == null ? "" : answer.body().toLowerCase(Locale.ROOT);
        boolean clean = answer.status() == 503
                && answer.errorCode().equals("UNAVAILABLE")
                && answer.retryAfter() != null
                && List.of("sql", "postgres", "jdbc", "hikari", "exception", "select ", "insert ").stream()
                        .noneMatch(body::contains);
        if (!clean) {
            book.uncleanServerErrors.add(answer.describe());
        }
    }

    void created(String tenant, String id, String name) {
        book(tenant).deployments.putIfAbsent(id, new Expected(id, name));
    }

    /** An accepted status change the client made, in its own order (one client per deployment). */
    void changed(String tenant, String id, String status) {
        Expected expected = book(tenant).deployments.get(id);
        if (expected != null) {
            if (!status.equals(expected.status)) {
                expected.changes.incrementAndGet();
            }
            expected.status = status;
        }
    }

    void uncertain(String tenant, String id) {
        Expected expected = book(tenant).deployments.get(id);
        if (expected != null) {
            expected.uncertain = true;
        }
    }

    /** Several clients change the tenant's deployments concurrently: only store = read model = fold is checked. */
    void statesUncertain(String tenant) {
        book(tenant).statesUncertain = true;
    }

    Collection<String> tenants() {
        return books.keySet();
    }

    record StoredEvent(String aggregate, long sequence, String eventId, String type, JsonNode payload, long position) {}

    record Row(String name, String status, long version, boolean deleted) {}

    /** The counts of one tenant; the promise holds when duplicates, lost, holes and mismatches are all 0. */
    record Counts(
            String tenant,
            int sent,
            int accepted,
            int rejected,
            int unresolved,
            int retries,
            int serverErrors,
            int stored,
            int published,
            int redelivered,
            int projected,
            int duplicates,
            int lost,
            int holes,
            int readMismatches,
            List<String> problems) {

        String line() {
            return String.format(
                    Locale.ROOT,
                    "tenant=%s sent=%d accepted=%d rejected=%d unresolved=%d retries=%d 5xx=%d | stored=%d"
                            + " published=%d (redelivered records %d) projected=%d | duplicates=%d lost=%d holes=%d"
                            + " read-mismatches=%d",
                    tenant,
                    sent,
                    accepted,
                    rejected,
                    unresolved,
                    retries,
                    serverErrors,
                    stored,
                    published,
                    redelivered,
                    projected,
                    duplicates,
                    lost,
                    holes,
                    readMismatches);
        }

        boolean holds() {
            return duplicates == 0 && lost == 0 && holes == 0 && readMismatches == 0 && problems.isEmpty();
        }
    }

    record Report(String label, List<Counts> tenants, Counts total) {

        boolean holds() {
            return tenants.stream().allMatch(Counts::holds);
        }

        List<String> problems() {
            List<String> all = new ArrayList<>();
            tenants.forEach(c -> c.problems().forEach(p -> all.add(c.tenant() + ": " + p)));
            return all;
        }
    }

    /**
     * Waits (at most {@code atMost}) until publishing and projection have caught up with the event store, then
     * compares and prints. Nothing is asserted here; the caller asserts {@link Report#holds()}.
     */
    Report check(FaultSystem system, Duration atMost) throws Exception {
        Set<String> tenants = new HashSet<>(books.keySet());
        Map<String, List<StoredEvent>> stored = stored(system, tenants);
        Set<String> storedIds = ids(stored);
        long deadline = System.nanoTime() + atMost.toNanos();

        Map<String, List<Copy>> copies = readPublished(system, tenants, storedIds, deadline);

        Map<String, Map<String, Row>> rows = new HashMap<>();
        Map<String, Set<String>> logged = new HashMap<>();
        Duration left = Duration.ofNanos(
                Math.max(deadline - System.nanoTime(), Duration.ofSeconds(1).toNanos()));
        try {
            await().atMost(left)
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        rows.clear();
                        logged.clear();
                        readQuerySide(system, tenants, rows, logged);
                        return caughtUp(stored, rows, logged);
                    });
        } catch (ConditionTimeoutException notCaughtUp) {
            // The counts below name what the query side is missing.
        }

        List<Counts> all = new ArrayList<>();
        for (String tenant : new TreeMap<>(books).keySet()) {
            all.add(count(
                    tenant,
                    stored.getOrDefault(tenant, List.of()),
                    copies.getOrDefault(tenant, List.of()),
                    rows.getOrDefault(tenant, Map.of()),
                    logged.getOrDefault(tenant, Set.of())));
        }
        Counts total = total(all);
        Report report = new Report(label, all, total);
        if (all.size() <= 20) {
            all.forEach(c -> System.out.println("[ledger] " + label + " " + c.line()));
        } else {
            all.stream().filter(c -> !c.holds()).forEach(c -> System.out.println("[ledger] " + label + " " + c.line()));
        }
        System.out.println("[ledger] " + label + " TOTAL (" + all.size() + " tenants) " + total.line());
        report.problems().stream().limit(20).forEach(p -> System.out.println("[ledger] " + label + " problem: " + p));
        return report;
    }

    private static Counts total(List<Counts> all) {
        int[] sums = new int[14];
        for (Counts c : all) {
            int[] values = {
                c.sent(), c.accepted(), c.rejected(), c.unresolved(), c.retries(), c.serverErrors(), c.stored(),
                c.published(), c.redelivered(), c.projected(), c.duplicates(), c.lost(), c.holes(), c.readMismatches()
            };
            for (int i = 0; i < values.length; i++) {
                sums[i] += values[i];
            }
        }
        return new Counts(
                "*", sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], sums[6], sums[7], sums[8], sums[9], sums[10],
                sums[11], sums[12], sums[13], List.of());
    }

    private Counts count(
            String tenant, List<StoredEvent> events, List<Copy> copies, Map<String, Row> rows, Set<String> logged) {
        Book book = books.get(tenant);
        List<String> problems = new ArrayList<>();
        book.uncleanServerErrors.forEach(answer -> problems.add("not a clean 503 UNAVAILABLE: " + answer));
        int duplicates = 0;
        int lost = 0;
        int holes = 0;
        int mismatches = 0;

        Map<String, List<StoredEvent>> byAggregate = new LinkedHashMap<>();
        events.forEach(e -> byAggregate
                .computeIfAbsent(e.aggregate(), a -> new ArrayList<>())
                .add(e));
        for (Map.Entry<String, List<StoredEvent>> stream : byAggregate.entrySet()) {
            List<StoredEvent> list = stream.getValue();
            list.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).sequence() != i) {
                    holes++;
                    problems.add("aggregate " + stream.getKey() + " has sequence "
                            + list.get(i).sequence() + " at place " + i);
                    break;
                }
            }
        }

        Map<String, Fold> folds = new LinkedHashMap<>();
        Map<String, Integer> creationsByName = new HashMap<>();
        for (StoredEvent event : events) {
            String type = event.type();
            if (type.endsWith(".DeploymentCreated")) {
                Fold fold = new Fold(
                        event.payload().path("name").asString(),
                        lower(event.payload().path("status")));
                folds.put(event.aggregate(), fold);
                creationsByName.merge(fold.name, 1, Integer::sum);
            }
            Fold fold = folds.get(event.aggregate());
            if (fold == null) {
                continue;
            }
            fold.version = Math.max(fold.version, event.sequence());
            if (type.endsWith(".DeploymentStatusChanged")) {
                fold.status = lower(event.payload().path("to"));
                fold.changes++;
            } else if (type.endsWith(".DeploymentDeleted")) {
                fold.deleted = true;
            }
        }
        for (Map.Entry<String, Integer> name : creationsByName.entrySet()) {
            if (name.getValue() > 1 && name.getKey().startsWith("fault-")) {
                duplicates += name.getValue() - 1;
                problems.add("created " + name.getValue() + " times: " + name.getKey());
            }
        }

        for (Expected expected : book.deployments.values()) {
            Fold fold = folds.get(expected.id);
            if (fold == null) {
                lost++;
                problems.add("accepted creation not in the event store: " + expected.id);
                continue;
            }
            if (book.statesUncertain || expected.uncertain) {
                continue;
            }
            if (fold.changes > expected.changes.get()) {
                duplicates += fold.changes - expected.changes.get();
                problems.add(expected.id + ": " + fold.changes + " stored status changes for " + expected.changes.get()
                        + " accepted");
            } else if (fold.changes < expected.changes.get() || !fold.status.equals(expected.status)) {
                lost++;
                problems.add(expected.id + ": stored " + fold.changes + " changes ending " + fold.status
                        + ", clients were told " + expected.changes.get() + " ending " + expected.status);
            }
        }

        Publication publication = published(Map.of(tenant, events), Map.of(tenant, copies));
        publication.problems().forEach(problems::add);
        Map<String, Integer> records = new HashMap<>();
        copies.forEach(copy -> records.merge(copy.id(), 1, Integer::sum));
        int published = 0;
        int redelivered = 0;
        int projected = 0;
        for (StoredEvent event : events) {
            Integer copiesOfEvent = records.get(event.eventId());
            if (copiesOfEvent == null) {
                lost++;
                problems.add("stored, never published: " + event.eventId() + " " + event.type());
            } else {
                published++;
                redelivered += copiesOfEvent - 1;
            }
            if (logged.contains(event.eventId())) {
                projected++;
            } else {
                lost++;
                problems.add("stored, not in event_log: " + event.eventId() + " " + event.type());
            }
        }

        for (Map.Entry<String, Fold> entry : folds.entrySet()) {
            Fold fold = entry.getValue();
            Row row = rows.get(entry.getKey());
            if (row == null
                    || !row.status().equals(fold.status)
                    || row.version() != fold.version
                    || row.deleted() != fold.deleted
                    || !row.name().equals(fold.name)) {
                mismatches++;
                problems.add("read row " + row + " differs from the fold of the event store " + fold);
            }
        }
        for (String id : rows.keySet()) {
            if (!folds.containsKey(id)) {
                mismatches++;
                problems.add("read row without events: " + id);
            }
        }
        return new Counts(
                tenant,
                book.sent.get(),
                book.accepted.get(),
                book.rejected.get(),
                book.unresolved.get(),
                book.retries.get(),
                book.serverErrors.get(),
                events.size(),
                published,
                redelivered,
                projected,
                duplicates,
                lost,
                holes,
                mismatches,
                problems);
    }

    private static final class Fold {
        final String name;
        String status;
        long version;
        int changes;
        boolean deleted;

        Fold(String name, String status) {
            this.name = name;
            this.status = status;
        }

        @Override
        public String toString() {
            return "{name=" + name + ", status=" + status + ", version=" + version + ", deleted=" + deleted + "}";
        }
    }

    private static String lower(JsonNode node) {
        return node.asString("").toLowerCase(Locale.ROOT);
    }

    private static boolean caughtUp(
            Map<String, List<StoredEvent>> stored,
            Map<String, Map<String, Row>> rows,
            Map<String, Set<String>> logged) {
        for (Map.Entry<String, List<StoredEvent>> tenant : stored.entrySet()) {
            Set<String> log = logged.getOrDefault(tenant.getKey(), Set.of());
            Map<String, Row> read = rows.getOrDefault(tenant.getKey(), Map.of());
            Map<String, Long> lastSequence = new HashMap<>();
            for (StoredEvent event : tenant.getValue()) {
                if (!log.contains(event.eventId())) {
                    return false;
                }
                if (event.type().contains(".Deployment")) {
                    lastSequence.merge(event.aggregate(), event.sequence(), Math::max);
                }
            }
            for (Map.Entry<String, Long> last : lastSequence.entrySet()) {
                Row row = read.get(last.getKey());
                if (row == null || row.version() < last.getValue()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The tenants' stored events, each tenant's in global order (every tenant present, maybe without events). */
    static Map<String, List<StoredEvent>> stored(FaultSystem system, Collection<String> tenants) throws SQLException {
        Map<String, List<StoredEvent>> stored = new LinkedHashMap<>();
        tenants.forEach(tenant -> stored.put(tenant, new ArrayList<>()));
        try (Connection db = system.database();
                PreparedStatement select = db.prepareStatement("""
                        SELECT tenant, aggregate_identifier, sequence_number, event_identifier, payload_type,
                               convert_from(payload, 'UTF8') AS payload, global_index
                        FROM (SELECT *, convert_from(meta_data, 'UTF8')::jsonb ->> 'tenant_id' AS tenant
                              FROM command_side.domain_event_entry) e
                        WHERE tenant = ANY (?)
                        ORDER BY global_index
                        """)) {
            select.setArray(1, db.createArrayOf("text", tenants.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    stored.get(rs.getString(1))
                            .add(new StoredEvent(
                                    rs.getString(2),
                                    rs.getLong(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    FaultSystem.JSON.readTree(rs.getString(6)),
                                    rs.getLong(7)));
                }
            }
        }
        return stored;
    }

    static int total(Map<String, List<StoredEvent>> stored) {
        return stored.values().stream().mapToInt(List::size).sum();
    }

    static Set<String> ids(Map<String, List<StoredEvent>> stored) {
        Set<String> ids = new HashSet<>();
        stored.values().forEach(events -> events.forEach(e -> ids.add(e.eventId())));
        return ids;
    }

    /** What the event store and {@code tessera.events} hold of the same tenants, compared. */
    record Publication(
            long stored,
            long records,
            long distinctPublished,
            long duplicates,
            long lost,
            long unknown,
            List<String> problems) {

        @Override
        public String toString() {
            return "stored=" + stored + " kafka-records=" + records + " published(distinct)=" + distinctPublished
                    + " duplicates=" + duplicates + " lost=" + lost + " published-but-not-stored=" + unknown;
        }
    }

    /**
     * Every stored event is on the topic at least once with its stored position, nothing of ours is there that
     * was not stored, each tenant's events are on one partition and their first copies follow the global order;
     * an event is stored once (one row per id and per aggregate sequence). Returns the counts and the problems.
     */
    static Publication published(Map<String, List<StoredEvent>> stored, Map<String, List<Copy>> copies) {
        List<String> problems = new ArrayList<>();
        long storedCount = 0;
        long records = 0;
        long distinct = 0;
        long lost = 0;
        long unknown = 0;
        for (Map.Entry<String, List<StoredEvent>> tenant : stored.entrySet()) {
            List<StoredEvent> events = tenant.getValue();
            List<Copy> published = copies.getOrDefault(tenant.getKey(), List.of());
            Map<String, Long> positions = new HashMap<>();
            Set<String> places = new HashSet<>();
            for (StoredEvent event : events) {
                if (positions.put(event.eventId(), event.position()) != null) {
                    problems.add("event " + event.eventId() + " stored twice");
                }
                if (!places.add(event.aggregate() + "#" + event.sequence())) {
                    problems.add("two events at " + event.aggregate() + "#" + event.sequence());
                }
            }
            Set<String> seen = new HashSet<>();
            List<Long> firstCopies = new ArrayList<>();
            for (Copy copy : published) {
                Long position = positions.get(copy.id());
                if (position == null) {
                    unknown++;
                    problems.add("published, never stored: " + copy.id() + " at " + copy.position());
                    continue;
                }
                if (copy.position() != position) {
                    problems.add("published position of " + copy.id() + " is " + copy.position() + ", stored at "
                            + position);
                }
                if (seen.add(copy.id())) {
                    firstCopies.add(copy.position());
                }
            }
            if (published.stream().map(Copy::partition).distinct().count() > 1) {
                problems.add("tenant " + tenant.getKey() + " on more than one partition");
            }
            for (int i = 1; i < firstCopies.size(); i++) {
                if (firstCopies.get(i) < firstCopies.get(i - 1)) {
                    problems.add("first copies of tenant " + tenant.getKey() + " out of stored order at "
                            + firstCopies.get(i - 1) + ", " + firstCopies.get(i));
                    break;
                }
            }
            storedCount += events.size();
            records += published.size();
            distinct += seen.size();
            lost += events.size() - seen.size();
        }
        return new Publication(storedCount, records, distinct, records - distinct - unknown, lost, unknown, problems);
    }

    /** The publisher's committed token: everything up to {@code index} but the {@code gaps} is published. */
    record Token(long index, Set<Long> gaps) {

        boolean covers(long position) {
            return position <= index && !gaps.contains(position);
        }
    }

    /**
     * The publisher's committed tokens, one per segment. Every segment's token moves over the whole stream, but
     * it vouches only for the events of its own segment (the tenant's, by the publisher's sequencing policy):
     * an event is covered once the token of its tenant's segment covers it.
     */
    record Tokens(Map<Segment, Token> bySegment) {

        boolean covers(String tenant, long position) {
            return bySegment.entrySet().stream()
                    .filter(segment -> segment.getKey().matches(tenant))
                    .anyMatch(segment -> segment.getValue().covers(position));
        }

        long index() {
            return bySegment.values().stream().mapToLong(Token::index).max().orElse(-1);
        }
    }

    static Tokens publisherTokens(FaultSystem system) throws SQLException {
        Map<Integer, Token> byId = new TreeMap<>();
        try (Connection db = system.database();
                PreparedStatement query = db.prepareStatement(
                        "SELECT segment, token FROM command_side.token_entry WHERE processor_name = 'tessera-publisher'");
                ResultSet row = query.executeQuery()) {
            while (row.next()) {
                byId.put(row.getInt(1), token(row.getBytes(2)));
            }
        }
        Map<Segment, Token> bySegment = new LinkedHashMap<>();
        for (Segment segment : Segment.computeSegments(
                byId.keySet().stream().mapToInt(Integer::intValue).toArray())) {
            bySegment.put(segment, byId.get(segment.getSegmentId()));
        }
        return new Tokens(bySegment);
    }

    /** Segment 0's token: enough where only the stream's position and gaps matter, which every segment tracks. */
    static Token publisherToken(FaultSystem system) throws SQLException {
        try (Connection db = system.database();
                PreparedStatement query = db.prepareStatement(
                        "SELECT token FROM command_side.token_entry WHERE processor_name = 'tessera-publisher' AND segment = 0");
                ResultSet row = query.executeQuery()) {
            return row.next() ? token(row.getBytes(1)) : new Token(-1, Set.of());
        }
    }

    private static Token token(byte[] serialized) {
        if (serialized == null) {
            return new Token(-1, Set.of());
        }
        JsonNode token = FaultSystem.JSON.readTree(serialized);
        Set<Long> gaps = new TreeSet<>();
        token.path("gaps").forEach(gap -> gaps.add(gap.asLong()));
        return new Token(token.path("index").asLong(-1), gaps);
    }

    /**
     * Every record of the tenants on {@code tessera.events} from its start, until all {@code wanted} ids were seen
     * and two polls came back empty. Records that are no CloudEvent of the command side (the poison test's) are
     * left out.
     */
    private static Map<String, List<Copy>> readPublished(
            FaultSystem system, Set<String> tenants, Set<String> wanted, long deadline) {
        Map<String, List<Copy>> copies = new HashMap<>();
        Set<String> ids = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = system.consumerFromStart(Topics.EVENTS)) {
            boolean idle = false;
            while (System.nanoTime() < deadline) {
                int polled = 0;
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(1000))) {
                    polled++;
                    if (!tenants.contains(record.key())) {
                        continue;
                    }
                    Copy copy = Copy.of(record);
                    if (copy != null) {
                        copies.computeIfAbsent(record.key(), t -> new ArrayList<>())
                                .add(copy);
                        ids.add(copy.id());
                    }
                }
                boolean all = ids.containsAll(wanted);
                if (all && polled == 0 && idle) {
                    break;
                }
                idle = all && polled == 0;
            }
        }
        return copies;
    }

    private static void readQuerySide(
            FaultSystem system,
            Set<String> tenants,
            Map<String, Map<String, Row>> rows,
            Map<String, Set<String>> logged)
            throws Exception {
        try (Connection db = system.database()) {
            try (PreparedStatement select =
                    db.prepareStatement("SELECT tenant_id, id, project_name, status, version, deleted_at IS NOT NULL"
                            + " FROM query_side.deployments WHERE tenant_id = ANY (?)")) {
                select.setArray(1, db.createArrayOf("text", tenants.toArray()));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows.computeIfAbsent(rs.getString(1), t -> new HashMap<>())
                                .put(
                                        rs.getString(2),
                                        new Row(rs.getString(3), rs.getString(4), rs.getLong(5), rs.getBoolean(6)));
                    }
                }
            }
            try (PreparedStatement select = db.prepareStatement(
                    "SELECT tenant_id, event_id FROM query_side.event_log WHERE tenant_id = ANY (?)")) {
                select.setArray(1, db.createArrayOf("text", tenants.toArray()));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        logged.computeIfAbsent(rs.getString(1), t -> new HashSet<>())
                                .add(rs.getString(2));
                    }
                }
            }
        }
    }
}
