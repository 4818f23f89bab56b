package io.tessera.infra.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

@JsonInclude(JsonInclude.Include.ALWAYS)
public record Pagination(
        @JsonProperty("page") Integer page,
        @JsonProperty("per_page") int perPage,
        @JsonProperty("total") long total,
        @JsonProperty("total_pages") long totalPages,
        @JsonProperty("has_next") boolean hasNext,
        @JsonProperty("has_prev") boolean hasPrev,
        @JsonProperty("cursor") String cursor) {}
