package io.tessera.infra.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * Tomcat refuses some requests before any servlet runs (an encoded NUL in the path, say); its own error
 * page would be HTML with the server's name. This valve answers those in the envelope instead.
 */
public class EnvelopeErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int statusCode = response.getStatus();
        if (statusCode < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus status = HttpStatus.resolve(statusCode);
        ErrorCode code = EnvelopeErrorController.codeFor(status == null ? HttpStatus.BAD_REQUEST : status);
        String message = code == ErrorCode.INTERNAL ? "Internal error" : "The request could not be served";
        String body = "{\"success\":false,\"error\":{\"code\":\"" + code.name() + "\",\"message\":\"" + message
                + "\",\"details\":[]},\"tenant_id\":null}";
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
            response.finishResponse();
        } catch (IOException | IllegalStateException ignored) {
            // The client is gone or the response is committed; nothing more can be said.
        }
    }
}
