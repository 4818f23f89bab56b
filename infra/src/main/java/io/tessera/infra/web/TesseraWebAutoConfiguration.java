package io.tessera.infra.web;

import io.micrometer.common.KeyValues;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.tenancy.RequestTenantArgumentResolver;
import java.util.List;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

@AutoConfiguration(beforeName = "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration")
@Import({ApiExceptionHandler.class, EnvelopeErrorController.class})
public class TesseraWebAutoConfiguration implements WebMvcConfigurer {

    @Bean
    EnvelopeWriter envelopeWriter(JsonMapper jsonMapper) {
        return new EnvelopeWriter(jsonMapper);
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(EnvelopeWriter envelopeWriter) {
        FilterRegistrationBean<RequestSizeLimitFilter> registration = new FilterRegistrationBean<>(
                new RequestSizeLimitFilter(envelopeWriter, RequestSizeLimitFilter.DEFAULT_LIMIT));
        // Right after the rate limit's first filter (HIGHEST_PRECEDENCE), which counts its 413s.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        registration.addUrlPatterns("/api/*");
        return registration;
    }

    /** Tags every HTTP server metric with the effective tenant: requests, latency and errors per tenant. */
    @Bean
    ServerRequestObservationConvention tenantTaggedServerRequests() {
        return new DefaultServerRequestObservationConvention() {
            @Override
            public KeyValues getLowCardinalityKeyValues(ServerRequestObservationContext context) {
                String tenant = RequestTenant.current(context.getCarrier())
                        .map(RequestTenant::tenantId)
                        .orElse("none");
                return super.getLowCardinalityKeyValues(context).and("tenant", tenant);
            }
        };
    }

    /** Errors Tomcat raises before any servlet runs answer in the envelope as well. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> envelopeErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(EnvelopeErrorReportValve.class.getName());
            }
        });
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new RequestTenantArgumentResolver());
    }
}
