package io.tessera.infra.observability;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every {@code /api} request works in a trace: the caller's {@code traceparent} if it sent a valid one, else
 * a new one. With a tracer, the request's span is the HTTP server span Boot's observation began (which continued
 * the caller's header), so the command's events carry a span that is exported. The answer carries the request's
 * own {@code traceparent}, so a caller can find its request in the logs and in the traces.
 */
final class TraceContextFilter extends OncePerRequestFilter {

    private final TraceSpans spans;

    TraceContextFilter(TraceSpans spans) {
        this.spans = spans;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        TraceContext trace =
                spans.current().orElseGet(() -> TraceContext.continueOrBegin(request.getHeader(TraceContext.HEADER)));
        response.setHeader(TraceContext.HEADER, trace.traceparent());
        try (TraceContext.Scope scope = trace.open()) {
            chain.doFilter(request, response);
        }
    }
}
