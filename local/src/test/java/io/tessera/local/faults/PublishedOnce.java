package io.tessera.local.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.local.faults.EventsProbe.Copy;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.axonframework.eventhandling.Segment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * This half's small checks of the promise "stored once, published at least once": reads the event store and
 * the publisher's token, compares with what {@link EventsProbe} saw, per tenant, and prints the counts.
 */
final class PublishedOnce {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One row of {@code domain_event_entry}. */
    record Stored(String id, long position, String aggregate, long sequence) {}

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

    private PublishedOnce() {}

    /** The tenants' stored events in global order. */
    static Map<String, List<Stored>> stored(Collection<String> tenants) throws SQLException {
        Map<String, List<Stored>> byTenant = new LinkedHashMap<>();
        tenants.forEach(t -> byTenant.put(t, new ArrayList<>()));
        try (Connection db = FaultSides.database();
                PreparedStatement query = db.prepareStatement("""
                        SELECT convert_from(meta_data, 'UTF8')::jsonb ->> 'tenant_id' AS tenant,
                               event_identifier, global_index, aggregate_identifier, sequence_number
                        FROM command_side.domain_event_entry
                        WHERE convert_from(meta_data, 'UTF8')::jsonb ->> 'tenant_id' = ANY (?)
                        ORDER BY global_index
                        """)) {
            Array names = db.createArrayOf("varchar", tenants.toArray());
            query.setArray(1, names);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    byTenant.get(rows.getString("tenant"))
                            .add(new Stored(
                                    rows.getString("event_identifier"),
                                    rows.getLong("global_index"),
                                    rows.getString("aggregate_identifier"),
                                    rows.getLong("sequence_number")));
                }
            }
        }
        return byTenant;
    }

    static Tokens publisherTokens() throws SQLException {
        Map<Integer, Token> byId = new TreeMap<>();
        try (Connection db = FaultSides.database();
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
    static Token publisherToken() throws SQLException {
        try (Connection db = FaultSides.database();
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
        JsonNode token = JSON.readTree(serialized);
        Set<Long> gaps = new TreeSet<>();
        token.path("gaps").forEach(gap -> gaps.add(gap.asLong()));
        return new Token(token.path("index").asLong(-1), gaps);
    }

    /** Totals of one comparison, printed by the tests. */
    record Counts(long stored, long records, long distinctPublished, long duplicates, long lost, long unknown) {

        @Override
        public String toString() {
            return "stored=" + stored + " kafka-records=" + records + " published(distinct)=" + distinctPublished
                    + " duplicates=" + duplicates + " lost=" + lost + " published-but-not-stored=" + unknown;
        }
    }

    /**
     * Every stored event is on the topic at least once with its stored position, nothing is there that was not
     * stored, each tenant's events are on one partition and their first copies follow the global order; an
     * event is stored once (one row per id and per aggregate sequence).
     */
    static Counts check(Map<String, List<Stored>> stored, Map<String, List<Copy>> copies) {
        long storedCount = 0;
        long records = 0;
        long distinct = 0;
        long lost = 0;
        long unknown = 0;
        for (Map.Entry<String, List<Stored>> tenant : stored.entrySet()) {
            List<Stored> events = tenant.getValue();
            List<Copy> published = copies.getOrDefault(tenant.getKey(), List.of());
            Map<String, Long> positions = new HashMap<>();
            Set<String> places = new HashSet<>();
            for (Stored event : events) {
                assertThat(positions.put(event.id(), event.position()))
                        .as("event %s stored once", event.id())
                        .isNull();
                assertThat(places.add(event.aggregate() + "#" + event.sequence()))
                        .as("one event per aggregate sequence")
                        .isTrue();
            }
            Set<String> seen = new HashSet<>();
            List<Long> firstCopies = new ArrayList<>();
            for (Copy copy : published) {
                Long position = positions.get(copy.id());
                if (position == null) {
                    unknown++;
                    continue;
                }
                assertThat(copy.position())
                        .as("published position of %s", copy.id())
                        .isEqualTo(position);
                if (seen.add(copy.id())) {
                    firstCopies.add(copy.position());
                }
            }
            assertThat(published.stream().map(Copy::partition).distinct().count())
                    .as("tenant %s on one partition", tenant.getKey())
                    .isLessThanOrEqualTo(1);
            assertThat(firstCopies)
                    .as("first copies of tenant %s in stored order", tenant.getKey())
                    .isSorted();
            storedCount += events.size();
            records += published.size();
            distinct += seen.size();
            lost += events.size() - seen.size();
        }
        return new Counts(storedCount, records, distinct, records - distinct - unknown, lost, unknown);
    }

    static int total(Map<String, List<Stored>> stored) {
        return stored.values().stream().mapToInt(List::size).sum();
    }

    static Set<String> ids(Map<String, List<Stored>> stored) {
        Set<String> ids = new HashSet<>();
        stored.values().forEach(events -> events.forEach(e -> ids.add(e.id())));
        return ids;
    }
}
