package io.tessera.infra.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.tracing.Tracer;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/** Shared by both sides: bounded tenant tags, latency histograms, timed JDBC statements, trace context. */
@AutoConfiguration
@EnableConfigurationProperties(ObservabilitySettings.class)
public class ObservabilityAutoConfiguration {

    @Bean
    MeterFilter tenantTagCap(ObservabilitySettings settings) {
        return new TenantTagCap(settings.maxTenantTags());
    }

    @Bean
    MeterFilter latencyHistograms() {
        return new LatencyHistograms();
    }

    @Bean
    TraceSpans traceSpans(ObjectProvider<Tracer> tracer) {
        return new TraceSpans(tracer.getIfAvailable());
    }

    /** Inside Boot's HTTP observation filter (order + 1), whose server span it takes as the request's. */
    @Bean
    FilterRegistrationBean<TraceContextFilter> traceContextFilter(TraceSpans spans) {
        FilterRegistrationBean<TraceContextFilter> registration =
                new FilterRegistrationBean<>(new TraceContextFilter(spans));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        registration.addUrlPatterns("/api/*");
        return registration;
    }

    /** Wraps the side's pool; settings are bound here because a post-processor comes before properties beans. */
    @Bean
    static BeanPostProcessor timedDataSources(Environment environment, ObjectProvider<MeterRegistry> registry) {
        ObservabilitySettings settings = Binder.get(environment)
                .bind("tessera.observability", ObservabilitySettings.class)
                .orElseGet(() -> new ObservabilitySettings(null, null));
        StatementTiming timing = new StatementTiming(registry::getIfAvailable, settings.slowStatementThreshold());
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof DataSource dataSource && !(bean instanceof TimedDataSource)) {
                    return new TimedDataSource(dataSource, timing);
                }
                return bean;
            }
        };
    }
}
