package io.tessera.infra.observability;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * A W3C trace context ({@code traceparent: 00-<trace id>-<span id>-<flags>}): taken from an incoming HTTP or
 * Kafka header, or begun here, and carried on through command metadata, the stored events and the Kafka
 * headers of {@code tessera.events}, so one trace id follows a command from its request to its projection.
 * Each hop is a new span of the same trace. While work of a trace runs, the MDC holds {@code trace_id} and
 * {@code span_id}, which every log line prints.
 */
public record TraceContext(String traceId, String spanId, String flags) {

    public static final String HEADER = "traceparent";
    public static final String MDC_TRACE_ID = "trace_id";
    public static final String MDC_SPAN_ID = "span_id";

    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
    private static final String INVALID_TRACE = "0".repeat(32);
    private static final String INVALID_SPAN = "0".repeat(16);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    /** The context of a valid {@code traceparent} header; anything else is no context at all. */
    public static Optional<TraceContext> parse(String header) {
        if (header == null || header.length() > 512) {
            return Optional.empty();
        }
        var matcher = TRACEPARENT.matcher(header.trim());
        if (!matcher.matches() || INVALID_TRACE.equals(matcher.group(1)) || INVALID_SPAN.equals(matcher.group(2))) {
            return Optional.empty();
        }
        return Optional.of(new TraceContext(matcher.group(1), matcher.group(2), matcher.group(3)));
    }

    /** A span under the given header's trace, or the first span of a new trace. */
    public static TraceContext continueOrBegin(String header) {
        return parse(header).map(TraceContext::child).orElseGet(TraceContext::begin);
    }

    public static TraceContext begin() {
        return new TraceContext(random(16), random(8), "01");
    }

    /** The trace the current thread works in, from the MDC. */
    public static Optional<TraceContext> current() {
        String traceId = MDC.get(MDC_TRACE_ID);
        String spanId = MDC.get(MDC_SPAN_ID);
        if (traceId == null || spanId == null) {
            return Optional.empty();
        }
        return Optional.of(new TraceContext(traceId, spanId, "01"));
    }

    /** Whether the trace is recorded (the W3C {@code sampled} flag). */
    public boolean sampled() {
        return (HexFormat.fromHexDigits(flags) & 1) == 1;
    }

    public TraceContext child() {
        return new TraceContext(traceId, random(8), flags);
    }

    public String traceparent() {
        return "00-" + traceId + "-" + spanId + "-" + flags;
    }

    /** Puts this context into the MDC until closed; then the previous one is back. */
    public Scope open() {
        String previousTrace = MDC.get(MDC_TRACE_ID);
        String previousSpan = MDC.get(MDC_SPAN_ID);
        MDC.put(MDC_TRACE_ID, traceId);
        MDC.put(MDC_SPAN_ID, spanId);
        return () -> {
            restore(MDC_TRACE_ID, previousTrace);
            restore(MDC_SPAN_ID, previousSpan);
        };
    }

    /** An MDC scope; closing it cannot fail. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        do {
            RANDOM.nextBytes(value);
        } while (isZero(value));
        return HEX.formatHex(value);
    }

    private static boolean isZero(byte[] value) {
        for (byte b : value) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
