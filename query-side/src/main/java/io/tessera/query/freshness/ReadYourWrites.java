package io.tessera.query.freshness;

import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Puts {@link MinPositionInterceptor} in front of every {@code /api} handler and hands handlers the {@link MinPosition}. */
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

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new MinPositionArgumentResolver());
    }

    /** How many requests of the tenant wait for a position now. */
    int waiting(String tenantId) {
        return interceptor.waiting(tenantId);
    }
}
