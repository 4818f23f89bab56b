package io.tessera.infra.observability;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.Optional;

/**
 * The spans of Tessera's hops (a command taken from Kafka, an event published, an event projected), exported
 * through Micrometer Tracing when a tracer is configured (the OpenTelemetry bridge; OTLP where an endpoint is
 * set). Each hop's {@link TraceContext} is its span's own ids, so the {@code traceparent} carried on (stored event
 * metadata, Kafka headers) names a span that exists, and the hops of one command form one trace. Without a
 * tracer the hops still get their ids, for the logs, and nothing is exported.
 */
public final class TraceSpans {

    private final Tracer tracer;

    public TraceSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Ids for the logs, nothing exported. */
    public static TraceSpans unexported() {
        return new TraceSpans(null);
    }

    /**
     * Starts a span of this name under the given {@code traceparent} header (or as the first of a new trace when
     * it is missing or invalid); not current anywhere until {@link Hop#open()}, ended by {@link Hop#close()}.
     */
    public Hop begin(String name, Span.Kind kind, String traceparent) {
        Optional<TraceContext> parent = TraceContext.parse(traceparent);
        if (tracer == null) {
            return new Hop(parent.map(TraceContext::child).orElseGet(TraceContext::begin), null);
        }
        Span.Builder builder = tracer.spanBuilder().name(name).kind(kind);
        parent.ifPresentOrElse(
                context -> builder.setParent(tracer.traceContextBuilder()
                        .traceId(context.traceId())
                        .spanId(context.spanId())
                        .sampled(context.sampled())
                        .build()),
                builder::setNoParent);
        Span span = builder.start();
        TraceContext own = of(span.context())
                .orElseGet(() -> parent.map(TraceContext::child).orElseGet(TraceContext::begin));
        return new Hop(own, span);
    }

    /** The tracer's current span (an HTTP request's server span, say), as a trace context. */
    public Optional<TraceContext> current() {
        Span current = tracer == null ? null : tracer.currentSpan();
        return current == null ? Optional.empty() : of(current.context());
    }

    /** A tracer that records nothing (tracing disabled) gives no valid ids: then the hop makes its own. */
    private static Optional<TraceContext> of(io.micrometer.tracing.TraceContext context) {
        String flags = Boolean.TRUE.equals(context.sampled()) ? "01" : "00";
        return TraceContext.parse("00-" + context.traceId() + "-" + context.spanId() + "-" + flags);
    }

    /** A hop's span and its context; closing ends the span. */
    public record Hop(TraceContext context, Span span) implements AutoCloseable {

        /** Puts the hop's context into the MDC until closed. */
        public TraceContext.Scope open() {
            return context.open();
        }

        public String traceparent() {
            return context.traceparent();
        }

        @Override
        public void close() {
            if (span != null) {
                span.end();
            }
        }
    }
}
