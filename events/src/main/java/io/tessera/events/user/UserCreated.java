package io.tessera.events.user;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A user of the tenant. {@code email} is personal data: stored and published as the envelope
 * {@code pii:v1:<key version>:<base64url>}, AES-GCM under the tenant's data key with tenant and field name
 * bound to it; the query side opens it for answers, and once the tenant's keys are shredded nobody can.
 * Events stored before encryption existed carry the plain address.
 */
public record UserCreated(
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("user_id") String userId,
        @JsonProperty("email") String email,
        @JsonProperty("role") Role role) {}
