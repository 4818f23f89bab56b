package io.tessera.infra.health;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The overall health ranks OUT_OF_SERVICE (Kafka away, a lag past its limit: {@link KafkaHealth}) below UP, for
 * every application with infra, below every configuration file: an instance without Kafka still serves its API.
 * Readiness, which ranks it above UP, is each side's own group.
 */
public final class HealthDefaults implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment
                .getPropertySources()
                .addLast(new MapPropertySource(
                        "tesseraHealthDefaults",
                        Map.of("management.endpoint.health.status.order", "down, up, out-of-service, unknown")));
    }
}
