package io.tessera.infra.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/** Refuses a body larger than the limit before anything reads it. */
public class RequestSizeLimitFilter extends OncePerRequestFilter {

    public static final long DEFAULT_LIMIT = 256 * 1024;

    private final EnvelopeWriter envelopeWriter;
    private final long limitBytes;

    public RequestSizeLimitFilter(EnvelopeWriter envelopeWriter, long limitBytes) {
        this.envelopeWriter = envelopeWriter;
        this.limitBytes = limitBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > limitBytes
                || (request.getContentLengthLong() < 0
                        && "chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding")))) {
            envelopeWriter.writeFailure(
                    response,
                    ErrorCode.PAYLOAD_TOO_LARGE,
                    "The body must be at most " + limitBytes + " bytes with a Content-Length",
                    null);
            return;
        }
        chain.doFilter(request, response);
    }
}
