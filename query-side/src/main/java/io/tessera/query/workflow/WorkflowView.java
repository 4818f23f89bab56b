package io.tessera.query.workflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;

/** {@code config} is the stored JSON object, passed through as it is. */
@JsonInclude(JsonInclude.Include.ALWAYS)
record WorkflowView(
        @JsonProperty("id") String id,
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("name") String name,
        @JsonProperty("status") String status,
        @JsonProperty("config") @JsonRawValue String config,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt,
        @JsonProperty("version") long version) {}
