package io.tessera.infra.observability;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code tessera.observability.*}: how many distinct tenants get a {@code tenant} tag of their own (the rest
 * share {@code other}), and from how long a JDBC statement on it is logged and counted as slow.
 */
@ConfigurationProperties("tessera.observability")
public record ObservabilitySettings(Integer maxTenantTags, Duration slowStatementThreshold) {

    public static final int DEFAULT_MAX_TENANT_TAGS = 500;
    public static final Duration DEFAULT_SLOW_STATEMENT_THRESHOLD = Duration.ofMillis(500);

    public ObservabilitySettings {
        if (maxTenantTags == null) {
            maxTenantTags = DEFAULT_MAX_TENANT_TAGS;
        }
        if (slowStatementThreshold == null) {
            slowStatementThreshold = DEFAULT_SLOW_STATEMENT_THRESHOLD;
        }
        if (maxTenantTags < 1) {
            throw new IllegalArgumentException("tessera.observability.max-tenant-tags must be at least 1");
        }
        if (slowStatementThreshold.isNegative() || slowStatementThreshold.isZero()) {
            throw new IllegalArgumentException("tessera.observability.slow-statement-threshold must be positive");
        }
    }
}
