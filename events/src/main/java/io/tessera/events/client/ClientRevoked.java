package io.tessera.events.client;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The client's credentials and refresh tokens stopped working; who revoked them travels as the event's actor. */
public record ClientRevoked(
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("client_id") String clientId) {}
