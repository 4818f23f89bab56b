package io.tessera.events.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The payload of a {@code CreateWorkflow} record on {@code tessera.commands}, and the body of
 * {@code POST /api/workflows}. {@code config} must be a JSON object; it is typed loosely so that anything
 * else is answered as a validation error rather than refused by the parser.
 */
public record CreateWorkflowPayload(
        @JsonProperty("name") String name,
        @JsonProperty("config") Object config) {}
