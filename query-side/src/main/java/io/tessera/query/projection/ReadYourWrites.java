package io.tessera.query.projection;

import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Puts {@link MinPositionInterceptor} in front of every {@code /api} handler. */
@Configuration(proxyBeanMethods = false)
class ReadYourWrites implements WebMvcConfigurer {

    private final MinPositionInterceptor interceptor;

    ReadYourWrites(
            AppliedPositions positions,
            @Value("${tessera.query.min-position-timeout:5s}") Duration timeout,
            @Value("${tessera.query.min-position-max-waiting:8}") int maxWaitingPerTenant) {
        this.interceptor = new MinPositionInterceptor(positions, timeout, maxWaitingPerTenant);
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(interceptor).addPathPatterns("/api/**");
    }

    /** How many requests of the tenant wait for a position now. */
    int waiting(String tenantId) {
        return interceptor.waiting(tenantId);
    }
}
