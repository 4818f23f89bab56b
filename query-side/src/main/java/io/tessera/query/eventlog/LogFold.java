package io.tessera.query.eventlog;

import io.tessera.events.EventCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Folds an exported event log offline, with the same folds as the history endpoints: each line is one event
 * as {@code GET /api/events} gives it (what {@code ./tessera replay} writes), in any order; the result is
 * every deployment's and workflow's state after its last event, older event versions upcast first. An
 * auditor can check the read model against it without trusting the query side.
 */
public final class LogFold {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private LogFold() {}

    /** The states by id; an aggregate whose creation is not in the lines folds to nothing and is left out. */
    public record Folded(Map<String, DeploymentState> deployments, Map<String, WorkflowState> workflows) {}

    public static Folded fold(List<String> jsonLines) {
        Map<String, List<TypedEvent>> deployments = new TreeMap<>();
        Map<String, List<TypedEvent>> workflows = new TreeMap<>();
        for (String line : jsonLines) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode event = JSON.readTree(line);
            String type = event.path("type").asString();
            Map<String, List<TypedEvent>> streams = type.startsWith("tessera.deployment.")
                    ? deployments
                    : type.startsWith("tessera.workflow.") ? workflows : null;
            if (streams == null) {
                continue;
            }
            Object payload = EventCatalog.classOf(type)
                    .map(eventClass -> EventCatalog.upcast(JSON.treeToValue(event.get("data"), eventClass)))
                    .orElse(null);
            streams.computeIfAbsent(event.path("subject").asString(), id -> new ArrayList<>())
                    .add(new TypedEvent(
                            event.path("sequence").asLong(),
                            Instant.parse(event.path("time").asString()),
                            payload));
        }
        return new Folded(folded(deployments, DeploymentState::asOf), folded(workflows, WorkflowState::asOf));
    }

    private static <S> Map<String, S> folded(
            Map<String, List<TypedEvent>> streams, java.util.function.BiFunction<List<TypedEvent>, Instant, S> fold) {
        Map<String, S> states = new LinkedHashMap<>();
        streams.forEach((id, events) -> {
            events.sort(Comparator.comparingLong(TypedEvent::sequence));
            S state = fold.apply(events, Instant.MAX);
            if (state != null) {
                states.put(id, state);
            }
        });
        return states;
    }
}
