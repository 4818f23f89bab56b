package io.tessera.query.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class CloudEventReaderTest {

    private static final Instant RECORD_TIME = Instant.parse("2030-01-01T00:00:00Z");
    private final CloudEventReader reader =
            new CloudEventReader(JsonMapper.builder().build());

    @Test
    void readsAStructuredCloudEvent() {
        CloudEventReader.Outcome outcome =
                reader.read(event("acme", "acme", "tessera.deployment.created.v1"), RECORD_TIME);

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
                                + "\"url\":\"https://shop\",\"status\":\"pending\",\"added_later\":true}")));
    }

    @Test
    void readsBothVersionsOfDeploymentCreatedAsTheCurrentRecord() {
        String v2 = event("acme", "acme", "tessera.deployment.created.v2").replace("\"project_name\"", "\"name\"");

        ProjectedEvent v1Event = ((CloudEventReader.Readable)
                        reader.read(event("acme", "acme", "tessera.deployment.created.v1"), RECORD_TIME))
                .event();
        ProjectedEvent v2Event = ((CloudEventReader.Readable) reader.read(v2, RECORD_TIME)).event();

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

        ProjectedEvent event = ((CloudEventReader.Readable) reader.read(json, RECORD_TIME)).event();

        assertThat(event.actor()).isNull();
        assertThat(event.commandId()).isNull();
    }

    @Test
    void needsAnId() {
        String json = event("acme", "acme", "tessera.deployment.created.v1").replace("\"id\":\"e-1\",", "");

        assertThat(reader.read(json, RECORD_TIME)).isEqualTo(new CloudEventReader.Unreadable("no id"));
    }

    @Test
    void refusesAnEventWhoseTenantExtensionDiffersFromItsData() {
        assertThat(reader.read(event("acme", "globex", "tessera.deployment.created.v1"), RECORD_TIME))
                .isInstanceOf(CloudEventReader.Unreadable.class);
    }

    @Test
    void refusesAnEventWithoutTenantExtension() {
        String json = event("acme", "acme", "tessera.deployment.created.v1").replace("\"tenantid\"", "\"tenant\"");

        assertThat(reader.read(json, RECORD_TIME)).isInstanceOf(CloudEventReader.Unreadable.class);
    }

    @Test
    void skipsUnknownTypes() {
        assertThat(reader.read(event("acme", "acme", "tessera.deployment.exploded.v1"), RECORD_TIME))
                .isEqualTo(new CloudEventReader.Unreadable("unknown type tessera.deployment.exploded.v1"));
    }

    @Test
    void skipsRecordsThatAreNotJson() {
        assertThat(reader.read("{not json", RECORD_TIME)).isInstanceOf(CloudEventReader.Unreadable.class);
        assertThat(reader.read("", RECORD_TIME)).isInstanceOf(CloudEventReader.Unreadable.class);
        assertThat(reader.read("[1,2]", RECORD_TIME)).isInstanceOf(CloudEventReader.Unreadable.class);
    }

    @Test
    void skipsDataThatDoesNotFitTheType() {
        String json = event("acme", "acme", "tessera.deployment.created.v1").replace("\"pending\"", "\"exploded\"");

        assertThat(reader.read(json, RECORD_TIME)).isInstanceOf(CloudEventReader.Unreadable.class);
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
            ProjectedEvent event = ((CloudEventReader.Readable) reader.read(json, RECORD_TIME)).event();
            assertThat(event.position()).isEqualTo(4_294_967_301L);
            assertThat(event.sequence()).isEqualTo(12);
        }
    }

    @Test
    void refusesCountersThatAreNotPlainDigits() {
        for (String position : new String[] {"\"-17\"", "\"1e3\"", "\"17.0\"", "-17", "17.5", "\"\"", "null"}) {
            String json = event("acme", "acme", "tessera.deployment.created.v1")
                    .replace("\"position\":\"17\"", "\"position\":" + position);
            assertThat(reader.read(json, RECORD_TIME))
                    .as(position)
                    .isEqualTo(new CloudEventReader.Unreadable("no sequence or position"));
        }
    }

    @Test
    void needsSequenceAndPosition() {
        String json = event("acme", "acme", "tessera.deployment.created.v1").replace("\"sequence\"", "\"seq\"");

        assertThat(reader.read(json, RECORD_TIME)).isInstanceOf(CloudEventReader.Unreadable.class);
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
