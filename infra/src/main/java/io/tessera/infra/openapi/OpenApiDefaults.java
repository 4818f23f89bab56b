package io.tessera.infra.openapi;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * springdoc's settings for both sides, below every configuration file so an operator can still change them:
 * the document on (the contract promises it; said explicitly, springdoc does not warn at every start that it is
 * on by default), OpenAPI 3.1, only the {@code /api} routes, keys in a stable order (the copies under {@code docs/api/} are
 * compared as they are served), one locale (springdoc keeps a document per Accept-Language it is asked for: a
 * client could fill the heap with made-up languages) and Swagger UI off: it is a page of scripts that production
 * does not need.
 */
public final class OpenApiDefaults implements EnvironmentPostProcessor {

    static final Map<String, Object> DEFAULTS = Map.of(
            "springdoc.api-docs.enabled", "true",
            "springdoc.api-docs.version", "openapi_3_1",
            "springdoc.paths-to-match", "/api/**",
            "springdoc.default-produces-media-type", "application/json",
            "springdoc.writer-with-order-by-keys", "true",
            "springdoc.allowed-locales", "en",
            "springdoc.swagger-ui.enabled", "false");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("tesseraOpenApiDefaults", DEFAULTS));
    }
}
