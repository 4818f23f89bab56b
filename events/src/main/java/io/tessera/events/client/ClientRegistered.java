package io.tessera.events.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tessera.events.user.Role;
import java.util.List;

/**
 * An upstream system got credentials for the tenant: its client id and the roles its tokens carry. The secret,
 * or anything derived from it, is never part of an event. Who registered it travels as the event's actor.
 */
public record ClientRegistered(
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("client_id") String clientId,
        @JsonProperty("roles") List<Role> roles) {

    public ClientRegistered {
        roles = List.copyOf(roles);
    }
}
