package io.tessera.infra.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.tessera.infra.tenancy.RequestTenant;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/** The skeleton of the document, and the customizer that adds the contract's envelope to every operation. */
@AutoConfiguration
@ConditionalOnClass(OpenApiCustomizer.class)
public class OpenApiAutoConfiguration {

    static {
        // Resolved from the token and the tenant selectors, never a parameter of its own.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(RequestTenant.class);
    }

    @Bean
    OpenAPI tesseraOpenApi(ObjectProvider<ApiDescription> description) {
        ApiDescription side = description.getIfAvailable(() -> new ApiDescription("Tessera", "", List.of()));
        return new OpenAPI()
                .info(new Info()
                        .title(side.title())
                        .version(ContractDocumentation.API_VERSION)
                        .description(side.description() + "\n\n" + ContractDocumentation.ENVELOPE))
                // Relative: the document names no host, so one copy fits every deployment.
                .servers(List.of(new Server().url("/")))
                .components(new Components()
                        .addSecuritySchemes(ContractDocumentation.BEARER, bearerJwt())
                        .headers(ContractDocumentation.headers()));
    }

    @Bean
    OpenApiCustomizer tesseraEnvelope(ObjectProvider<ApiDescription> description) {
        return openApi -> new ContractDocumentation(
                        description.getIfAvailable(() -> new ApiDescription("Tessera", "", List.of())))
                .applyTo(openApi);
    }

    private static SecurityScheme bearerJwt() {
        return new SecurityScheme()
                .type(SecurityScheme.Type.HTTP)
                .scheme("bearer")
                .bearerFormat("JWT")
                .description("HS256 with the shared TESSERA_JWT_SECRET, or RS256 from the identity provider"
                        + " (TESSERA_JWT_ISSUER / TESSERA_JWT_JWKS_URI). Claims: sub, tenant_id, roles (viewer,"
                        + " editor, admin, auditor), optionally tenants (further tenant ids) and platform_admin."
                        + " Checked on every request: signature, exp, and iss/aud where configured.");
    }
}
