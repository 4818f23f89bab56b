package io.tessera.events.tenant;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Every data key of the tenant was destroyed: the personal data in its events so far (fields holding a
 * {@code pii:v1:} envelope) is unreadable for good, wherever the events are kept. Everything else of the
 * tenant goes on; personal data stored later is sealed with a new key. Consumers that remember keys
 * forget them; offboarding destroys the keys too, without this event.
 */
public record TenantDataKeysShredded(
        @JsonProperty("tenant_id") String tenantId) {}
