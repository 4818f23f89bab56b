package io.tessera.query.eventlog;

import io.tessera.events.EventCatalog;
import io.tessera.infra.security.Permission;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ApiResponse;
import io.tessera.query.paging.ListRequestParser;
import io.tessera.query.projection.LoggedEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The history of one deployment or workflow, from the event log. An id of another tenant is not found,
 * exactly like an id that does not exist; a deleted one still has its history.
 */
@RestController
@RequestMapping("/api")
class HistoryController {

    private final EventLogQueries queries;
    private final JsonMapper jsonMapper;

    HistoryController(EventLogQueries queries, JsonMapper jsonMapper) {
        this.queries = queries;
        this.jsonMapper = jsonMapper
                .rebuild()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    @GetMapping("/deployments/{id}/history")
    ApiResponse<History<DeploymentState>> deployment(
            RequestTenant tenant,
            @PathVariable String id,
            @RequestParam(name = "as_of", required = false) String asOf) {
        return history(tenant, "deployment", "Deployment", id, asOf, DeploymentState::asOf);
    }

    @GetMapping("/workflows/{id}/history")
    ApiResponse<History<WorkflowState>> workflow(
            RequestTenant tenant,
            @PathVariable String id,
            @RequestParam(name = "as_of", required = false) String asOf) {
        return history(tenant, "workflow", "Workflow", id, asOf, WorkflowState::asOf);
    }

    private <S> ApiResponse<History<S>> history(
            RequestTenant tenant,
            String kind,
            String name,
            String id,
            String asOf,
            BiFunction<List<TypedEvent>, Instant, S> fold) {
        tenant.require(Permission.READ);
        Instant at = asOf(asOf, Clock.systemUTC());
        List<LoggedEvent> events = queries.stream(tenant.tenantId(), kind, id);
        if (events.isEmpty()) {
            throw ApiException.notFound(name);
        }
        List<TypedEvent> past = events.stream().map(this::typed).toList();
        return ApiResponse.ok(new History<>(id, at, fold.apply(past, at), events), tenant.tenantId());
    }

    /** {@code as_of}: an ISO-8601 time, or a date meaning its midnight UTC; now if absent. */
    static Instant asOf(String value, Clock clock) {
        List<String> problems = new ArrayList<>();
        Instant at = ListRequestParser.instant("as_of", value, problems);
        if (!problems.isEmpty()) {
            throw ApiException.validation("The request is not valid", problems);
        }
        return at != null ? at : clock.instant();
    }

    private TypedEvent typed(LoggedEvent event) {
        Object payload = EventCatalog.classOf(event.type())
                .map(type -> {
                    try {
                        return EventCatalog.upcast(jsonMapper.readValue(event.data(), type));
                    } catch (JacksonException | IllegalArgumentException e) {
                        return null;
                    }
                })
                .orElse(null);
        return new TypedEvent(event.sequence(), event.time(), payload);
    }
}
