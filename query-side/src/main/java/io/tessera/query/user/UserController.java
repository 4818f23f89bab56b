package io.tessera.query.user;

import io.tessera.infra.security.Permission;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.web.ApiResponse;
import io.tessera.query.freshness.MinPosition;
import io.tessera.query.paging.CursorCodec;
import io.tessera.query.paging.ListPage;
import io.tessera.query.paging.ListParameters;
import io.tessera.query.paging.ListRequest;
import io.tessera.query.paging.ListRequestParser;
import java.util.List;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The tenant's users, paginated like the other lists; {@code q} searches the user id (e-mails are stored encrypted), there is no status. */
@RestController
@RequestMapping("/api/users")
class UserController {

    private final UserQueries queries;
    private final CursorCodec cursors;

    UserController(UserQueries queries, CursorCodec cursors) {
        this.queries = queries;
        this.cursors = cursors;
    }

    @GetMapping
    ApiResponse<List<UserView>> list(
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
                Set.of(),
                UserQueries.LISTING.resource(),
                tenant.tenantId(),
                cursors);
        ListPage<UserView> result = queries.list(tenant.tenantId(), request, atLeast);
        return ApiResponse.page(result.items(), result.pagination(), tenant.tenantId());
    }
}
