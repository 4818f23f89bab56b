package io.tessera.infra.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;

class TraceSpansTest {

    private static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void withoutATracerAHopIsAChildOfItsParentWithIdsOfItsOwn() {
        try (TraceSpans.Hop hop = TraceSpans.unexported().begin("hop", Span.Kind.CONSUMER, PARENT)) {
            assertThat(hop.context().traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(hop.context().spanId()).isNotEqualTo("00f067aa0ba902b7");
            assertThat(hop.traceparent()).endsWith("-01");
        }
    }

    @Test
    void aTracerThatRecordsNothingStillGivesValidIds() {
        TraceSpans spans = new TraceSpans(Tracer.NOOP);
        try (TraceSpans.Hop hop = spans.begin("hop", Span.Kind.PRODUCER, PARENT)) {
            assertThat(TraceContext.parse(hop.traceparent())).isPresent();
            assertThat(hop.context().traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        }
        try (TraceSpans.Hop hop = spans.begin("hop", Span.Kind.PRODUCER, "not a traceparent")) {
            assertThat(TraceContext.parse(hop.traceparent())).isPresent();
        }
        assertThat(spans.current()).isEmpty();
    }
}
