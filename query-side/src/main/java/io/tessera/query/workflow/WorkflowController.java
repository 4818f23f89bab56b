package io.tessera.query.workflow;

import io.tessera.events.workflow.WorkflowStatus;
import io.tessera.infra.security.Permission;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ApiResponse;
import io.tessera.query.freshness.MinPosition;
import io.tessera.query.paging.CursorCodec;
import io.tessera.query.paging.ListPage;
import io.tessera.query.paging.ListParameters;
import io.tessera.query.paging.ListRequest;
import io.tessera.query.paging.ListRequestParser;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/workflows")
class WorkflowController {

    static final Set<String> STATUSES =
            Arrays.stream(WorkflowStatus.values()).map(WorkflowStatus::jsonName).collect(Collectors.toSet());

    private final WorkflowQueries queries;
    private final CursorCodec cursors;

    WorkflowController(WorkflowQueries queries, CursorCodec cursors) {
        this.queries = queries;
        this.cursors = cursors;
    }

    @GetMapping
    ApiResponse<List<WorkflowView>> list(
            RequestTenant tenant,
            MinPosition atLeast,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String q,
            @RequestParam(name = "created_after", required = false) String createdAfter,
            @RequestParam(name = "created_before", required = false) String createdBefore,
            @RequestParam(required = false) String sort,
            @RequestParam(required = false) String page,
            @RequestParam(name = "per_page", required = false) String perPage,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) String limit) {
        tenant.require(Permission.READ);
        ListRequest request = ListRequestParser.parse(
                new ListParameters(status, q, createdAfter, createdBefore, sort, page, perPage, cursor, limit),
                STATUSES,
                WorkflowQueries.LISTING.resource(),
                tenant.tenantId(),
                cursors);
        ListPage<WorkflowView> result = queries.list(tenant.tenantId(), request, atLeast);
        return ApiResponse.page(result.items(), result.pagination(), tenant.tenantId());
    }

    @GetMapping("/{id}")
    ApiResponse<WorkflowView> get(RequestTenant tenant, MinPosition atLeast, @PathVariable String id) {
        tenant.require(Permission.READ);
        return queries.find(tenant.tenantId(), id, atLeast)
                .map(workflow -> ApiResponse.ok(workflow, tenant.tenantId()))
                .orElseThrow(() -> ApiException.notFound("Workflow"));
    }
}
