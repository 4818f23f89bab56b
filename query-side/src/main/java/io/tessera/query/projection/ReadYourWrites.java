package io.tessera.query.projection;

import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Puts {@link MinPositionInterceptor} in front of every {@code /api} handler. */
@Configuration(proxyBeanMethods = false)
class ReadYourWrites implements WebMvcConfigurer {

    private final AppliedPositions positions;
    private final Duration timeout;

    ReadYourWrites(AppliedPositions positions, @Value("${tessera.query.min-position-timeout:5s}") Duration timeout) {
        this.positions = positions;
        this.timeout = timeout;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new MinPositionInterceptor(positions, timeout)).addPathPatterns("/api/**");
    }
}
