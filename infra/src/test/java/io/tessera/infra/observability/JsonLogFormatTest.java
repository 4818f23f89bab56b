package io.tessera.infra.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class JsonLogFormatTest {

    private final LoggerContext context = new LoggerContext();

    @Test
    void everyLineCarriesTenantCommandAndTraceAndIsMasked() {
        LoggingEvent event = new LoggingEvent(
                "x",
                context.getLogger("io.tessera.Test"),
                Level.WARN,
                "Refused {} with Bearer abc.def.ghi",
                new IllegalStateException("user jane.doe@example.com"),
                new Object[] {"jane.doe@example.com"});
        event.setMDCPropertyMap(Map.of(
                "tenant_id", "acme", "command_id", "c-1", "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "x", "y"));

        String line = format(event);

        assertThat(line)
                .endsWith("\n")
                .contains("\"service.name\":\"tessera-test\"")
                .contains("\"log.level\":\"WARN\"")
                .contains("\"tenant_id\":\"acme\"")
                .contains("\"command_id\":\"c-1\"")
                .contains("\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"")
                .contains("\"span_id\":\"none\"")
                .contains("\"error.type\":\"java.lang.IllegalStateException\"")
                .contains("\"error.stack_trace\":")
                .doesNotContain("jane.doe")
                .doesNotContain("example.com")
                .doesNotContain("abc.def.ghi")
                .doesNotContain("\"x\"");
    }

    @Test
    void linesOutsideAnyWorkSayNone() {
        LoggingEvent event =
                new LoggingEvent("x", context.getLogger("io.tessera.Test"), Level.INFO, "Started", null, null);
        event.setMDCPropertyMap(Map.of());

        assertThat(format(event))
                .contains("\"tenant_id\":\"none\"")
                .contains("\"command_id\":\"none\"")
                .contains("\"trace_id\":\"none\"")
                .doesNotContain("error.");
    }

    private String format(LoggingEvent event) {
        ThrowableProxyConverter converter = new ThrowableProxyConverter();
        converter.setContext(context);
        converter.start();
        return new JsonLogFormat(
                        new MockEnvironment().withProperty("spring.application.name", "tessera-test"), converter)
                .format(event);
    }
}
