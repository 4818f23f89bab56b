package io.tessera.infra.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.http.server.PathContainer;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Matches an {@code /api} path that some controller of this side maps, whatever the method. Only those need a
 * token: any other path answers 404 with or without one (the contract), so a scanner learns nothing from a 401.
 * The patterns are read from the handler mappings on first use, once every controller is registered.
 */
final class ExistingApiRoutes implements RequestMatcher {

    private final SingletonSupplier<List<PathPattern>> patterns;

    ExistingApiRoutes(ListableBeanFactory beans) {
        this.patterns =
                SingletonSupplier.of(() -> beans.getBeansOfType(RequestMappingHandlerMapping.class).values().stream()
                        .flatMap(mapping -> mapping.getHandlerMethods().keySet().stream())
                        .flatMap(info -> info.getPatternValues().stream())
                        .filter(pattern -> pattern.startsWith("/api/"))
                        .distinct()
                        .map(PathPatternParser.defaultInstance::parse)
                        .toList());
    }

    @Override
    public boolean matches(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!path.startsWith("/api/")) {
            return false;
        }
        PathContainer container = PathContainer.parsePath(path);
        return patterns.obtain().stream().anyMatch(pattern -> pattern.matches(container));
    }
}
