package io.tessera.query.eventlog;

import io.tessera.infra.security.Permission;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.web.ApiResponse;
import io.tessera.query.projection.LoggedEvent;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The auditor's view of the tenant's event log: {@code GET /api/events} for replay, in position order
 * (the audit, newest first, is {@code AuditController}'s). For replay, {@code pagination.cursor} is the last position
 * of the page as text (null on the last page) and the {@code X-Next-After-Position} header always says
 * where to continue, also on the last page, so a client can keep following the log.
 */
@RestController
class EventLogController {

    static final String NEXT_AFTER_POSITION = "X-Next-After-Position";

    private final EventLogQueries queries;

    EventLogController(EventLogQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/api/events")
    ResponseEntity<ApiResponse<List<LoggedEvent>>> events(
            RequestTenant tenant,
            @RequestParam(name = "after_position", required = false) String afterPosition,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) String limit) {
        tenant.require(Permission.AUDIT);
        EventLogRequest request = EventLogRequest.parse(afterPosition, cursor, limit);
        EventLogQueries.EventPage result = queries.events(tenant.tenantId(), request);
        return ResponseEntity.ok()
                .header(NEXT_AFTER_POSITION, Long.toString(result.nextAfterPosition()))
                .body(ApiResponse.page(result.page().items(), result.page().pagination(), tenant.tenantId()));
    }
}
