package io.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LegacyMappingTest {

    @Test
    void mapsLegacyStatusesCaseAndSpaceInsensitivelyWithTheirSynonyms() {
        assertThat(LegacyMapping.deploymentStatus(" Active ")).contains("active");
        assertThat(LegacyMapping.deploymentStatus("success")).contains("active");
        assertThat(LegacyMapping.deploymentStatus("ERROR")).contains("failed");
        assertThat(LegacyMapping.deploymentStatus("canceled")).contains("cancelled");
        assertThat(LegacyMapping.workflowStatus("disabled")).contains("paused");
        assertThat(LegacyMapping.role("Owner")).contains("admin");
    }

    @Test
    void leavesAnUnknownValueUnguessed() {
        assertThat(LegacyMapping.deploymentStatus("exploded")).isEmpty();
        assertThat(LegacyMapping.deploymentStatus(null)).isEmpty();
        assertThat(LegacyMapping.role("superuser")).isEqualTo(Optional.empty());
    }

    @Test
    void readsEmptyAndPlaceholderUrlsAsNoneAndGivesABareHostHttps() {
        assertThat(LegacyMapping.url(null)).isNull();
        assertThat(LegacyMapping.url(" ")).isNull();
        assertThat(LegacyMapping.url("n/a")).isNull();
        assertThat(LegacyMapping.url("-")).isNull();
        assertThat(LegacyMapping.url("shop.example.com")).isEqualTo("https://shop.example.com");
        assertThat(LegacyMapping.url("http://shop.example.com/x")).isEqualTo("http://shop.example.com/x");
    }

    @Test
    void keepsAConfigObjectAndWrapsAnythingElse() {
        assertThat(LegacyMapping.config(null)).isEmpty();
        assertThat(LegacyMapping.config("")).isEmpty();
        assertThat(LegacyMapping.config("{\"retries\": 3, \"steps\": [1.5]}"))
                .isEqualTo(Map.of("retries", 3, "steps", List.of(1.5)));
        assertThat(LegacyMapping.config("[1, 2]")).isEqualTo(Map.of("legacy_config", List.of(1, 2)));
        assertThat(LegacyMapping.config("not json {")).isEqualTo(Map.of("legacy_config_text", "not json {"));
    }

    @Test
    void readsTimesWithoutZoneAsUtcAndIntegersAsEpochSeconds() {
        Instant expected = Instant.parse("2021-03-04T05:06:07Z");
        assertThat(LegacyMapping.instant(LocalDateTime.parse("2021-03-04T05:06:07")))
                .isEqualTo(expected);
        assertThat(LegacyMapping.instant(OffsetDateTime.parse("2021-03-04T07:06:07+02:00")))
                .isEqualTo(expected);
        assertThat(LegacyMapping.instant(expected.getEpochSecond())).isEqualTo(expected);
        assertThat(LegacyMapping.email("  Ada.Lovelace@Example.COM ")).isEqualTo("ada.lovelace@example.com");
    }
}
