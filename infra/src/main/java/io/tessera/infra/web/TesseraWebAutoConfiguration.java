package io.tessera.infra.web;

import io.tessera.infra.tenancy.RequestTenantArgumentResolver;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

@AutoConfiguration
@Import(ApiExceptionHandler.class)
public class TesseraWebAutoConfiguration implements WebMvcConfigurer {

    @Bean
    EnvelopeWriter envelopeWriter(JsonMapper jsonMapper) {
        return new EnvelopeWriter(jsonMapper);
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(EnvelopeWriter envelopeWriter) {
        FilterRegistrationBean<RequestSizeLimitFilter> registration = new FilterRegistrationBean<>(
                new RequestSizeLimitFilter(envelopeWriter, RequestSizeLimitFilter.DEFAULT_LIMIT));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.addUrlPatterns("/api/*");
        return registration;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new RequestTenantArgumentResolver());
    }
}
