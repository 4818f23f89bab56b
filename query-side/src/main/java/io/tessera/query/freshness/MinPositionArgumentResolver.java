package io.tessera.query.freshness;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Hands a handler the {@link MinPosition} of its request's header, already validated and awaited. */
class MinPositionArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType().equals(MinPosition.class);
    }

    @Override
    public MinPosition resolveArgument(
            MethodParameter parameter,
            ModelAndViewContainer container,
            NativeWebRequest request,
            WebDataBinderFactory binders) {
        String header = request.getHeader(MinPositionInterceptor.HEADER);
        if (header == null || header.isBlank()) {
            return MinPosition.NONE;
        }
        try {
            return new MinPosition(Long.parseLong(header.trim()));
        } catch (NumberFormatException notANumber) {
            return new MinPosition(Long.MAX_VALUE);
        }
    }
}
