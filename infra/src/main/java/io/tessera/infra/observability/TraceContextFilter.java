package io.tessera.infra.observability;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every {@code /api} request works in a trace: the caller's {@code traceparent} if it sent a valid one, else
 * a new one. The answer carries the request's own {@code traceparent}, so a caller can find its request in
 * the logs.
 */
final class TraceContextFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        TraceContext trace = TraceContext.continueOrBegin(request.getHeader(TraceContext.HEADER));
        response.setHeader(TraceContext.HEADER, trace.traceparent());
        try (TraceContext.Scope scope = trace.open()) {
            chain.doFilter(request, response);
        }
    }
}
