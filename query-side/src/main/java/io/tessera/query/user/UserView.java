package io.tessera.query.user;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

@JsonInclude(JsonInclude.Include.ALWAYS)
record UserView(
        @JsonProperty("id") String id,
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("email") String email,
        @JsonProperty("role") String role,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("version") long version) {

    UserView withEmail(String plain) {
        return new UserView(id, tenantId, plain, role, createdAt, version);
    }
}
