package io.tessera.query.workflow;

import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.web.ApiResponse;
import io.tessera.query.freshness.MinPosition;
import io.tessera.query.paging.CursorCodec;
import io.tessera.query.paging.ListParameters;
import io.tessera.query.readtable.ReadTableEndpoint;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/workflows")
class WorkflowController {

    private final ReadTableEndpoint<WorkflowView> endpoint;

    WorkflowController(WorkflowQueries queries, CursorCodec cursors) {
        this.endpoint = new ReadTableEndpoint<>(WorkflowQueries.TABLE, queries, cursors);
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
        return endpoint.list(
                tenant,
                atLeast,
                new ListParameters(status, q, createdAfter, createdBefore, sort, page, perPage, cursor, limit));
    }

    @GetMapping("/{id}")
    ApiResponse<WorkflowView> get(RequestTenant tenant, MinPosition atLeast, @PathVariable String id) {
        return endpoint.get(tenant, atLeast, id);
    }
}
