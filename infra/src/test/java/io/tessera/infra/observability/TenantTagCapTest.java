package io.tessera.infra.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class TenantTagCapTest {

    @Test
    void tenantsBeyondTheCapShareOther() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        meters.config().meterFilter(new TenantTagCap(2));

        for (String tenant : new String[] {"a", "b", "c", "d", "a", "none"}) {
            meters.counter("requests", "tenant", tenant, "uri", "/api/x").increment();
        }

        assertThat(meters.find("requests").tag("tenant", "a").counter().count()).isEqualTo(2);
        assertThat(meters.find("requests").tag("tenant", "b").counter().count()).isEqualTo(1);
        assertThat(meters.find("requests").tag("tenant", "other").counter().count())
                .isEqualTo(2);
        assertThat(meters.find("requests").tag("tenant", "none").counter().count())
                .isEqualTo(1);
        assertThat(meters.find("requests").tag("tenant", "c").counter()).isNull();
    }
}
