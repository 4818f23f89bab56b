package io.tessera.infra.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TraceContextTest {

    @Test
    void continuesAValidTraceparentWithANewSpan() {
        TraceContext next = TraceContext.continueOrBegin("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        assertThat(next.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(next.spanId()).hasSize(16).isNotEqualTo("00f067aa0ba902b7");
        assertThat(next.traceparent()).matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01");
    }

    @Test
    void beginsANewTraceForAnythingElse() {
        for (String header : new String[] {
            null,
            "",
            "garbage",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"
        }) {
            assertThat(TraceContext.parse(header)).as(header).isEmpty();
            assertThat(TraceContext.continueOrBegin(header).traceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        }
    }

    @Test
    void theMdcHoldsTheTraceWhileItsScopeIsOpen() {
        TraceContext trace = TraceContext.begin();
        try (TraceContext.Scope scope = trace.open()) {
            assertThat(MDC.get("trace_id")).isEqualTo(trace.traceId());
            assertThat(TraceContext.current()).contains(trace);
        }
        assertThat(MDC.get("trace_id")).isNull();
    }
}
