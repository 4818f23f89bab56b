package io.tessera.infra.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/** {@code TESSERA_LOG_FORMAT} through the real start-up: the shared Logback configuration picks the appender. */
class JsonLoggingStartupTest {

    @Configuration(proxyBeanMethods = false)
    static class Nothing {}

    @Test
    void jsonPicksTheStructuredAppenderWithOurFormat() {
        try (ConfigurableApplicationContext context = start("json")) {
            OutputStreamAppender<ILoggingEvent> appender = rootAppender("JSON");
            assertThat(appender.getEncoder()).isInstanceOf(StructuredLogEncoder.class);
            assertThat(rootAppender("CONSOLE")).isNull();
            ch.qos.logback.classic.LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
            ch.qos.logback.classic.spi.LoggingEvent event = new ch.qos.logback.classic.spi.LoggingEvent(
                    "x", logback.getLogger("test"), ch.qos.logback.classic.Level.INFO, "mail a@b.example", null, null);
            MDC.put("tenant_id", "acme");
            try {
                event.prepareForDeferredProcessing();
            } finally {
                MDC.remove("tenant_id");
            }
            String line = new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);
            System.out.print("JSON log line: " + line);
            assertThat(line)
                    .startsWith("{\"@timestamp\":")
                    .contains("\"service.name\":\"json-test\"", "\"tenant_id\":\"acme\"", "\"trace_id\":\"none\"")
                    .doesNotContain("a@b.example");
        }
    }

    @Test
    void textIsTheDefaultAndAnythingElseStopsTheStart() {
        try (ConfigurableApplicationContext context = start("text")) {
            assertThat(rootAppender("CONSOLE")).isNotNull();
            assertThat(rootAppender("JSON")).isNull();
        }
        assertThatThrownBy(() -> start("xml")).hasMessageContaining("TESSERA_LOG_FORMAT must be text or json");
    }

    private static ConfigurableApplicationContext start(String format) {
        return new SpringApplicationBuilder(Nothing.class)
                .web(WebApplicationType.NONE)
                .properties(
                        // The services' configuration, not this module's logback-test.xml.
                        "logging.config=classpath:logback-spring.xml",
                        "TESSERA_LOG_FORMAT=" + format,
                        "spring.application.name=json-test",
                        "spring.main.banner-mode=off")
                .run();
    }

    @SuppressWarnings("unchecked")
    private static OutputStreamAppender<ILoggingEvent> rootAppender(String name) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        return (OutputStreamAppender<ILoggingEvent>)
                context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(name);
    }
}
