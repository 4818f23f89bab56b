package io.tessera.query.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.events.EventEnvelope;
import io.tessera.events.Topics;
import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.infra.signing.Ed25519Keys;
import io.tessera.infra.signing.EventKeys;
import io.tessera.infra.signing.EventSignatures;
import io.tessera.infra.signing.EventSigner;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class CloudEventReaderTest {

    private static final Instant RECORD_TIME = Instant.parse("2030-01-01T00:00:00Z");
    private static final KeyPair KEY = Ed25519Keys.generate();
    private static final EventSigner SIGNER = new EventSigner("k1", KEY.getPrivate());
    private static final long LAST_UNSIGNED = 10;
    /** The topic's partition 0 ended at offset 100 when the grace was recorded; no other partition held anything. */
    private static final UnsignedGrace GRACE = new UnsignedGrace(Map.of(0, 100L), LAST_UNSIGNED);

    private final CloudEventReader reader =
            new CloudEventReader(JsonMapper.builder().build(), EventKeys.of(Map.of("k1", KEY.getPublic())), GRACE);

    @Test
    void readsAStructuredCloudEvent() {
        String record = signed(event("acme", "acme", "tessera.deployment.created.v1"));
        CloudEventReader.Outcome outcome = reader.read(record, RECORD_TIME);

        assertThat(outcome)
                .isEqualTo(new CloudEventReader.Readable(new ProjectedEvent(
                        "acme",
                        "dep-1",
                        0,
                        17,
                        Instant.parse("2024-05-01T10:00:00.123Z"),
                        new DeploymentCreated("acme", "dep-1", "shop", "https://shop", DeploymentStatus.PENDING),
                        "e-1",
                        "tessera.deployment.created.v1",
                        "alice",
                        "c-1",
                        "{\"tenant_id\":\"acme\",\"deployment_id\":\"dep-1\",\"project_name\":\"shop\","
                                + "\"url\":\"https://shop\",\"status\":\"pending\",\"added_later\":true}",
                        null,
                        record)));
    }

    @Test
    void readsBothVersionsOfDeploymentCreatedAsTheCurrentRecord() {
        String v2 = event("acme", "acme", "tessera.deployment.created.v2").replace("\"project_name\"", "\"name\"");

        ProjectedEvent v1Event =
                ((CloudEventReader.Readable) read(event("acme", "acme", "tessera.deployment.created.v1"))).event();
        ProjectedEvent v2Event = ((CloudEventReader.Readable) read(v2)).event();

        assertThat(v2Event.data()).isEqualTo(v1Event.data());
        assertThat(v2Event.data())
                .isEqualTo(new DeploymentCreated("acme", "dep-1", "shop", "https://shop", DeploymentStatus.PENDING));
        assertThat(v2Event.dataJson()).contains("\"name\":\"shop\"");
    }

    @Test
    void keepsAbsentActorAndCommandAsNull() {
        String json = event("acme", "acme", "tessera.deployment.created.v1")
                .replace("\"actor\":\"alice\",", "")
                .replace("\"commandid\":\"c-1\"", "\"commandid\":null");

        ProjectedEvent event = ((CloudEventReader.Readable) read(json)).event();

        assertThat(event.actor()).isNull();
        assertThat(event.commandId()).isNull();
    }

    @Test
    void needsAnId() {
        String json = event("acme", "acme", "tessera.deployment.created.v1").replace("\"id\":\"e-1\",", "");

        assertThat(read(json)).isEqualTo(new CloudEventReader.Unreadable("no id"));
    }

    @Test
    void refusesAnEventWhoseTenantExtensionDiffersFromItsData() {
        assertThat(read(event("acme", "globex", "tessera.deployment.created.v1")))
                .isInstanceOf(CloudEventReader.Unreadable.class);
    }

    @Test
    void refusesAnEventWithoutTenantExtension() {
        String json = event("acme", "acme", "tessera.deployment.created.v1").replace("\"tenantid\"", "\"tenant\"");

        assertThat(read(json)).isInstanceOf(CloudEventReader.Unreadable.class);
    }

    @Test
    void skipsUnknownTypes() {
        assertThat(read(event("acme", "acme", "tessera.deployment.exploded.v1")))
                .isEqualTo(new CloudEventReader.Unreadable("unknown type tessera.deployment.exploded.v1"));
    }

    @Test
    void skipsRecordsThatAreNotJson() {
        assertThat(read("{not json")).isInstanceOf(CloudEventReader.Unreadable.class);
        assertThat(read("")).isInstanceOf(CloudEventReader.Unreadable.class);
        assertThat(read("[1,2]")).isInstanceOf(CloudEventReader.Unreadable.class);
    }

    @Test
    void skipsDataThatDoesNotFitTheType() {
        String json = event("acme", "acme", "tessera.deployment.created.v1").replace("\"pending\"", "\"exploded\"");

        assertThat(read(json)).isInstanceOf(CloudEventReader.Unreadable.class);
    }

    @Test
    void readsPositionsBeyondAnIntegerAndTheNumbersOfRecordsPublishedBefore() {
        String beyond = event("acme", "acme", "tessera.deployment.created.v1")
                .replace("\"position\":\"17\"", "\"position\":\"4294967301\"")
                .replace("\"sequence\":\"0000000000000000000\"", "\"sequence\":\"0000000000000000012\"");
        String before = event("acme", "acme", "tessera.deployment.created.v1")
                .replace("\"position\":\"17\"", "\"position\":4294967301")
                .replace("\"sequence\":\"0000000000000000000\"", "\"sequence\":12");

        for (String json : new String[] {beyond, before}) {
            ProjectedEvent event = ((CloudEventReader.Readable) read(json)).event();
            assertThat(event.position()).isEqualTo(4_294_967_301L);
            assertThat(event.sequence()).isEqualTo(12);
        }
    }

    @Test
    void refusesCountersThatAreNotPlainDigits() {
        for (String position : new String[] {"\"-17\"", "\"1e3\"", "\"17.0\"", "-17", "17.5", "\"\"", "null"}) {
            String json = event("acme", "acme", "tessera.deployment.created.v1")
                    .replace("\"position\":\"17\"", "\"position\":" + position);
            assertThat(read(json)).as(position).isEqualTo(new CloudEventReader.Unreadable("no sequence or position"));
        }
    }

    @Test
    void needsSequenceAndPosition() {
        String json = event("acme", "acme", "tessera.deployment.created.v1").replace("\"sequence\"", "\"seq\"");

        assertThat(read(json)).isInstanceOf(CloudEventReader.Unreadable.class);
    }

    /** Reads the record as the command side would have signed it. */
    private CloudEventReader.Outcome read(String json) {
        return reader.read(signed(json), RECORD_TIME);
    }

    private static String signed(String json) {
        ObjectNode node;
        try {
            node = EventSignatures.parse(json);
        } catch (IllegalArgumentException notAnObject) {
            return json;
        }
        node.put(EventEnvelope.KEYID, SIGNER.keyId());
        node.put(EventEnvelope.SIGNATURE, SIGNER.sign(json));
        return node.toString();
    }

    @Test
    void refusesWhatTheCommandSideDidNotSign() {
        String genuine = event("acme", "acme", "tessera.deployment.created.v1");
        ObjectNode tampered = EventSignatures.parse(signed(genuine));
        tampered.put(EventEnvelope.TENANTID, "globex");
        ((ObjectNode) tampered.get(EventEnvelope.DATA)).put("tenant_id", "globex");
        ObjectNode otherKey = EventSignatures.parse(signed(genuine));
        otherKey.put(EventEnvelope.KEYID, "k2");

        assertThat(reader.read(genuine, RECORD_TIME))
                .isEqualTo(new CloudEventReader.Unverified("unsigned, after position 10 (signing began there)"));
        assertThat(reader.read(tampered.toString(), RECORD_TIME))
                .isEqualTo(new CloudEventReader.Unverified("signature does not verify with key k1"));
        assertThat(reader.read(otherKey.toString(), RECORD_TIME))
                .isEqualTo(new CloudEventReader.Unverified("unknown signing key k2"));
    }

    @Test
    void acceptsUnsignedEventsOnlyWhereTheBrokerPutThemBeforeSigningBeganAndUpToThePositionRecorded() {
        String before = event("acme", "acme", "tessera.deployment.created.v1")
                .replace("\"position\":\"17\"", "\"position\":\"10\"");
        String after = event("acme", "acme", "tessera.deployment.created.v1")
                .replace("\"position\":\"17\"", "\"position\":\"11\"");
        RecordPlace old = new RecordPlace(Topics.EVENTS, 0, 99);

        assertThat(reader.read(before, RECORD_TIME, old)).isInstanceOf(CloudEventReader.Readable.class);
        assertThat(reader.read(after, RECORD_TIME, old))
                .isEqualTo(new CloudEventReader.Unverified("unsigned, after position 10 (signing began there)"));
        assertThat(reader.read(before, RECORD_TIME, new RecordPlace(Topics.EVENTS, 0, 100)))
                .isEqualTo(new CloudEventReader.Unverified("unsigned, written after signing began"
                        + " (offset 100 of partition 0; unsigned records end at offset 100)"));
        assertThat(reader.read(before, RECORD_TIME, new RecordPlace(Topics.EVENTS, 1, 0)))
                .isEqualTo(new CloudEventReader.Unverified("unsigned, written after signing began"
                        + " (offset 0 of partition 1; unsigned records end at offset 0)"));
        assertThat(reader.read(before, RECORD_TIME, new RecordPlace("elsewhere", 0, 0)))
                .isEqualTo(new CloudEventReader.Unverified("unsigned, not read from tessera.events"));
        assertThat(reader.read(before, RECORD_TIME))
                .isEqualTo(new CloudEventReader.Unverified("unsigned, not read from tessera.events"));
        assertThat(new CloudEventReader(JsonMapper.builder().build(), EventKeys.of(Map.of()), UnsignedGrace.none())
                        .read(before, RECORD_TIME, old))
                .isEqualTo(new CloudEventReader.Unverified("unsigned"));
    }

    @Test
    void anUnsignedRecordWithoutAPositionIsRefusedWhereverItIs() {
        ObjectNode noPosition = EventSignatures.parse(event("acme", "acme", "tessera.deployment.created.v1"));
        noPosition.remove(EventEnvelope.POSITION);

        assertThat(reader.read(noPosition.toString(), RECORD_TIME, new RecordPlace(Topics.EVENTS, 0, 0)))
                .isInstanceOf(CloudEventReader.Unverified.class);
    }

    @Test
    void aDeadLetterNamesTheRecordsPlaceAsTheConsumerSawIt() {
        RecordPlace place = new RecordPlace(Topics.EVENTS, 11, 4_000_000_000L);

        assertThat(RecordPlace.parse(place.origin())).contains(place);
        assertThat(RecordPlace.parse("tessera.events-0@99999999999999999999")).isEmpty();
        assertThat(RecordPlace.parse("batch@3")).isEmpty();
        assertThat(RecordPlace.parse(null)).isEmpty();
    }

    private static String event(String extensionTenant, String dataTenant, String type) {
        return """
                {"specversion":"1.0","id":"e-1","source":"/tessera/command-side","type":"%s",
                 "time":"2024-05-01T10:00:00.123Z","subject":"dep-1","datacontenttype":"application/json",
                 "tenantid":"%s","sequence":"0000000000000000000","position":"17","actor":"alice","commandid":"c-1",
                 "data":{"tenant_id":"%s","deployment_id":"dep-1","project_name":"shop","url":"https://shop",
                         "status":"pending","added_later":true}}
                """.formatted(type, extensionTenant, dataTenant);
    }
}
