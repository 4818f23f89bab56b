package io.tessera.query.live;

import io.tessera.infra.security.Permission;
import io.tessera.infra.security.PresentedToken;
import io.tessera.infra.tenancy.OffboardedTenants;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.EnvelopeWriter;
import io.tessera.infra.web.ErrorCode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/stream}: server-sent events of the request tenant, authenticated like every {@code /api}
 * request (bearer header, {@code X-Tenant-ID}), so the dashboard reads it with fetch, not EventSource, and no
 * token ever travels in a URL. One {@code ready} event first, then an {@code event} per stored event, until the
 * token expires or the tenant is offboarded.
 */
@RestController
class LiveController {

    private static final Duration RETRY_WHEN_FULL = Duration.ofSeconds(30);

    private final LiveStreams streams;
    private final EnvelopeWriter envelope;
    private final OffboardedTenants offboarded;

    LiveController(LiveStreams streams, EnvelopeWriter envelope, OffboardedTenants offboarded) {
        this.offboarded = offboarded;
        this.streams = streams;
        this.envelope = envelope;
    }

    /**
     * Refusals are written here as the envelope: through the exception handler, content negotiation against the
     * browser's {@code Accept: text/event-stream} would find no JSON converter and answer without one.
     */
    @GetMapping("/api/stream")
    SseEmitter stream(RequestTenant tenant, HttpServletResponse response) throws IOException {
        try {
            tenant.require(Permission.READ);
        } catch (ApiException refused) {
            envelope.writeFailure(response, refused.code(), refused.getMessage(), tenant.tenantId());
            return null;
        }
        LiveStreams.Opening opening = PresentedToken.current()
                .<LiveStreams.Opening>map(
                        token -> streams.open(tenant.tenantId(), tenant.caller().homeTenant(), token))
                .orElseGet(() -> new LiveStreams.Refused(ErrorCode.UNAUTHENTICATED, LiveStreams.TOKEN_REQUIRED));
        if (opening instanceof LiveStreams.Refused refused) {
            if (refused.code() != ErrorCode.UNAUTHENTICATED) {
                response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_WHEN_FULL.toSeconds()));
            }
            envelope.writeFailure(response, refused.code(), refused.reason(), tenant.tenantId());
            return null;
        }
        SseEmitter emitter = ((LiveStreams.Opened) opening).emitter();
        if (offboarded.isOffboarded(tenant.tenantId())
                || offboarded.isOffboarded(tenant.caller().homeTenant())) {
            // Offboarded between the token's check and the stream's opening: the feed's closeAll came too early.
            emitter.complete();
            envelope.writeFailure(response, ErrorCode.UNAUTHENTICATED, LiveStreams.TOKEN_REQUIRED, tenant.tenantId());
            return null;
        }
        // Proxies that buffer would hold the events back.
        response.setHeader("X-Accel-Buffering", "no");
        return emitter;
    }

    /**
     * What a GET would start with, and no stream: a HEAD has no body, so a stream held open for it would only keep
     * the connection busy, and a client that sends its next request on that connection would wait for it.
     */
    @RequestMapping(path = "/api/stream", method = RequestMethod.HEAD)
    ResponseEntity<Void> head(RequestTenant tenant) {
        tenant.require(Permission.READ);
        return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM).build();
    }
}
