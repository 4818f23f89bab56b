package io.tessera.command.openapi;

import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.tessera.command.intake.IdempotencyKey;
import io.tessera.infra.openapi.ApiDescription;
import io.tessera.infra.openapi.ApiDescription.RouteExample;
import java.util.Arrays;
import java.util.List;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class CommandApiDocumentation {

    static {
        // Read from the Idempotency-Key header and the body, documented as that header below.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(IdempotencyKey.class);
    }

    private static final String ACCEPTED = """
            {"success": true, "data": {"id": "d-7f3a", "command_id": "5b0c8e1e-3f8a-4c41-9d4e-2f7c1a9b6d10",\
             "position": 4211}, "tenant_id": "acme"}""";

    @Bean
    ApiDescription commandApiDescription() {
        return new ApiDescription(
                "Tessera command side",
                "Commands over HTTP: each accepted command answers 202 with the id it concerns, its command id and"
                        + " the global position of its event (send it as X-Min-Position to the query side to read"
                        + " your own write). The same commands also arrive on the Kafka topic tessera.commands.",
                List.of(
                        new RouteExample("POST", "/api/tenants", 202, """
                                {"id": "acme", "name": "Acme Corp", "slug": "acme"}""", ACCEPTED),
                        new RouteExample("PUT", "/api/tenants/{id}/quotas", 202, """
                                {"deployments_per_hour": 200, "workflows_per_hour": 80}""", ACCEPTED),
                        new RouteExample("POST", "/api/tenants/{id}/suspend", 202, null, ACCEPTED),
                        new RouteExample("POST", "/api/tenants/{id}/reactivate", 202, null, ACCEPTED),
                        new RouteExample("DELETE", "/api/tenants/{id}", 202, null, ACCEPTED),
                        new RouteExample("DELETE", "/api/tenants/{id}/data-keys", 202, null, ACCEPTED),
                        new RouteExample("POST", "/api/deployments", 202, """
                                {"project_name": "storefront", "url": "https://storefront.acme.example"}""", ACCEPTED),
                        new RouteExample("PATCH", "/api/deployments/{id}", 202, """
                                {"status": "building"}""", ACCEPTED),
                        new RouteExample("DELETE", "/api/deployments/{id}", 202, null, ACCEPTED),
                        new RouteExample("POST", "/api/workflows", 202, """
                                {"name": "nightly-build", "config": {"schedule": "0 2 * * *", "steps": ["build", "test"]}}""", ACCEPTED),
                        new RouteExample("PATCH", "/api/workflows/{id}", 202, """
                                {"status": "active"}""", ACCEPTED),
                        new RouteExample("DELETE", "/api/workflows/{id}", 202, null, ACCEPTED),
                        new RouteExample("POST", "/api/users", 202, """
                                {"email": "dana@acme.example", "role": "editor"}""", ACCEPTED),
                        new RouteExample("DELETE", "/api/users/{id}", 202, null, ACCEPTED),
                        new RouteExample("POST", "/api/auth/clients", 201, """
                                {"client_id": "ci-pipeline", "roles": ["editor"]}""", """
                                {"success": true, "data": {"client_id": "acme.ci-pipeline", "client_secret": "s3cr3t-shown-once",\
                                 "tenant_id": "acme", "roles": ["editor"], "created_at": "2026-12-07T18:00:00Z"},\
                                 "tenant_id": "acme"}"""),
                        new RouteExample("POST", "/api/auth/token", 0, """
                                {"grant_type": "client_credentials", "client_id": "acme.ci-pipeline",\
                                 "client_secret": "s3cr3t-shown-once"}""", """
                                {"success": true, "data": {"access_token": "eyJhbGciOi...", "token_type": "Bearer",\
                                 "expires_in": 900, "refresh_token": "r-9c1f..."}, "tenant_id": "acme"}"""),
                        new RouteExample("POST", "/api/auth/refresh", 0, """
                                {"refresh_token": "r-9c1f..."}""", """
                                {"success": true, "data": {"access_token": "eyJhbGciOi...", "token_type": "Bearer",\
                                 "expires_in": 900, "refresh_token": "r-2d7e..."}, "tenant_id": "acme"}""")));
    }

    /** Every handler that takes an {@link IdempotencyKey} honours the header. */
    @Bean
    OperationCustomizer idempotencyKeyHeader() {
        return (operation, handler) -> {
            boolean idempotent = Arrays.stream(handler.getMethodParameters())
                    .anyMatch(parameter -> parameter.getParameterType() == IdempotencyKey.class);
            if (idempotent) {
                operation.addParametersItem(new Parameter()
                        .in("header")
                        .name("Idempotency-Key")
                        .required(false)
                        .description("At most 255 characters. A retry with the same key, by the same caller,"
                                + " answers the first answer and changes nothing; the same key with another"
                                + " method, route or body is 422 IDEMPOTENCY_KEY_REUSED.")
                        .schema(new StringSchema().maxLength(255)));
            }
            return operation;
        };
    }
}
