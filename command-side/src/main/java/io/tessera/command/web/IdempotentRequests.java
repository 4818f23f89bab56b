package io.tessera.command.web;

import io.tessera.command.intake.IdempotencyKey;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.util.WebUtils;

/**
 * Gives a controller the {@link IdempotencyKey} of its request: the {@code Idempotency-Key} header, checked, and
 * bound to the caller, the method, the route and the body. The body is kept for that by a filter, only on
 * requests that carry the header (bodies are at most the size limit's 256 KiB by then).
 */
@Configuration(proxyBeanMethods = false)
class IdempotentRequests implements WebMvcConfigurer {

    @Bean
    FilterRegistrationBean<KeptBodies> keptBodies() {
        FilterRegistrationBean<KeptBodies> registration = new FilterRegistrationBean<>(new KeptBodies());
        // After the size limit and the security chain: only an authenticated request of bounded size is kept.
        registration.setOrder(0);
        registration.addUrlPatterns("/api/*");
        return registration;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new KeyResolver());
    }

    static final class KeptBodies extends OncePerRequestFilter {

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return request.getHeader(IdempotencyKey.HEADER) == null;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            chain.doFilter(new KeptBody(request, request.getInputStream().readAllBytes()), response);
        }
    }

    static final class KeyResolver implements HandlerMethodArgumentResolver {

        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType() == IdempotencyKey.class;
        }

        @Override
        public IdempotencyKey resolveArgument(
                MethodParameter parameter,
                ModelAndViewContainer container,
                NativeWebRequest webRequest,
                WebDataBinderFactory binders) {
            HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
            String value = request == null ? null : request.getHeader(IdempotencyKey.HEADER);
            if (value == null) {
                return null;
            }
            RequestTenant tenant = RequestTenant.current(request)
                    .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHENTICATED, "A valid bearer token is required"));
            KeptBody kept = WebUtils.getNativeRequest(request, KeptBody.class);
            return IdempotencyKey.ofHttp(
                    value,
                    tenant.caller().subject(),
                    tenant.caller().platformAdmin(),
                    request.getMethod(),
                    request.getRequestURI(),
                    kept == null ? new byte[0] : kept.body);
        }
    }

    /** A request whose body was read once and is served again from memory. */
    static final class KeptBody extends HttpServletRequestWrapper {

        private final byte[] body;

        KeptBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream bytes = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return bytes.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return bytes.read(buffer, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return bytes.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("The body is already in memory");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
