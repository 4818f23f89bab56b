package io.tessera.command.imports;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The request bodies of the import endpoints: up to {@link #MAX_ROWS} rows, each named by its legacy id. */
final class LegacyRows {

    static final int MAX_ROWS = 100;
    static final int MAX_LEGACY_ID = 100;

    record Batch<T>(@JsonProperty("rows") List<T> rows) {}

    record Deployment(
            @JsonProperty("legacy_id") String legacyId,
            @JsonProperty("project_name") String projectName,
            @JsonProperty("url") String url,
            @JsonProperty("status") String status,
            @JsonProperty("created_at") String createdAt) {}

    record Workflow(
            @JsonProperty("legacy_id") String legacyId,
            @JsonProperty("name") String name,
            @JsonProperty("status") String status,
            @JsonProperty("config") Object config,
            @JsonProperty("created_at") String createdAt) {}

    record User(
            @JsonProperty("legacy_id") String legacyId,
            @JsonProperty("email") String email,
            @JsonProperty("role") String role,
            @JsonProperty("created_at") String createdAt) {}

    /** One row's answer: {@code imported} (something was stored), {@code unchanged} (all done before) or {@code rejected}. */
    record Outcome(
            @JsonProperty("legacy_id") String legacyId,
            @JsonProperty("id") String id,
            @JsonProperty("outcome") String outcome,
            @JsonProperty("position") Long position,
            @JsonProperty("error") Error error) {}

    record Error(
            @JsonProperty("code") String code,
            @JsonProperty("message") String message) {}

    private LegacyRows() {}
}
