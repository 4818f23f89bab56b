package io.tessera.query.openapi;

import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.tessera.infra.openapi.ApiDescription;
import io.tessera.infra.openapi.ApiDescription.RouteExample;
import io.tessera.query.freshness.MinPosition;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class QueryApiDocumentation {

    static {
        // Resolved from the X-Min-Position header, which minPositionHeader() documents.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(MinPosition.class);
    }

    private static final String DEPLOYMENT = """
            {"id": "d-7f3a", "tenant_id": "acme", "project_name": "storefront", "status": "active",\
             "url": "https://storefront.acme.example", "created_at": "2026-12-07T18:00:00Z",\
             "updated_at": "2026-12-07T18:04:12Z", "version": 3}""";
    private static final String WORKFLOW = """
            {"id": "w-19c2", "tenant_id": "acme", "name": "nightly-build", "status": "active",\
             "config": {"schedule": "0 2 * * *"}, "created_at": "2026-12-07T18:00:00Z",\
             "updated_at": "2026-12-07T18:01:00Z", "version": 2}""";
    private static final String PAGE = """
            "pagination": {"page": 1, "per_page": 50, "total": 1, "total_pages": 1, "has_next": false,\
             "has_prev": false, "cursor": null}""";

    @Bean
    ApiDescription queryApiDescription() {
        return new ApiDescription(
                "Tessera query side",
                "Read models, the audit log and the event log of a tenant, fed from the tessera.events topic."
                        + " Lists page with page/per_page or with an opaque cursor/limit.",
                List.of(
                        new RouteExample(
                                "GET",
                                "/api/deployments",
                                0,
                                null,
                                "{\"success\": true, \"data\": [" + DEPLOYMENT + "], " + PAGE
                                        + ", \"tenant_id\": \"acme\"}"),
                        new RouteExample(
                                "GET",
                                "/api/deployments/{id}",
                                0,
                                null,
                                "{\"success\": true, \"data\": " + DEPLOYMENT + ", \"tenant_id\": \"acme\"}"),
                        new RouteExample(
                                "GET",
                                "/api/workflows",
                                0,
                                null,
                                "{\"success\": true, \"data\": [" + WORKFLOW + "], " + PAGE
                                        + ", \"tenant_id\": \"acme\"}"),
                        new RouteExample(
                                "GET",
                                "/api/workflows/{id}",
                                0,
                                null,
                                "{\"success\": true, \"data\": " + WORKFLOW + ", \"tenant_id\": \"acme\"}")));
    }

    /** Every {@code /api} request may wait for its own write: the interceptor covers them all. */
    @Bean
    OpenApiCustomizer minPositionHeader() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            PathItem stream = openApi.getPaths().get("/api/stream");
            if (stream != null && stream.getGet() != null) {
                // An SseEmitter to springdoc; to a client, a stream of server-sent events.
                stream.getGet()
                        .getResponses()
                        .get("200")
                        .content(new Content()
                                .addMediaType(
                                        "text/event-stream",
                                        new MediaType()
                                                .schema(new StringSchema()
                                                        .description("Notices of changed read models"))));
            }
            openApi.getPaths()
                    .values()
                    .forEach(path -> path.readOperations()
                            .forEach(operation -> operation.addParametersItem(new Parameter()
                                    .in("header")
                                    .name("X-Min-Position")
                                    .required(false)
                                    .description("Answer only once the read model has applied this global position"
                                            + " (a command's position); after 5 s, 503 UNAVAILABLE with Retry-After."
                                            + " Needs a read role (viewer, editor, admin or auditor; else 403 at"
                                            + " once); when 8 requests of the tenant already wait, 503 at once")
                                    .schema(new IntegerSchema().format("int64").minimum(java.math.BigDecimal.ZERO)))));
        };
    }
}
