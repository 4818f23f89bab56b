package io.tessera.infra.observability;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.tessera.infra.logging.PiiMasker;
import java.time.Instant;
import java.util.Map;
import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.logging.structured.StructuredLogFormatter;
import org.springframework.core.env.Environment;

/**
 * The JSON log line ({@code TESSERA_LOG_FORMAT=json}), one object per line, Elastic Common Schema names where ECS
 * has one: {@code @timestamp}, {@code log.level}, {@code log.logger}, {@code process.thread.name},
 * {@code service.name}, {@code message}, {@code error.*}; and on every line {@code tenant_id},
 * {@code command_id}, {@code trace_id}, {@code span_id} ({@code "none"} outside such work). Message and stack
 * trace are masked exactly as the text format's {@code %maskedMsg} / {@code %maskedEx}; other MDC entries are
 * not written (they could carry anything).
 */
public final class JsonLogFormat implements StructuredLogFormatter<ILoggingEvent> {

    static final String[] CONTEXT = {"tenant_id", "command_id", TraceContext.MDC_TRACE_ID, TraceContext.MDC_SPAN_ID};

    private final JsonWriter<ILoggingEvent> writer;

    public JsonLogFormat(Environment environment, ThrowableProxyConverter throwableConverter) {
        String service = environment.getProperty("spring.application.name", "tessera");
        this.writer = JsonWriter.<ILoggingEvent>of(members -> {
                    members.add(
                            "@timestamp",
                            event -> Instant.ofEpochMilli(event.getTimeStamp()).toString());
                    members.add("log.level", event -> event.getLevel().toString());
                    members.add("log.logger", ILoggingEvent::getLoggerName);
                    members.add("process.thread.name", ILoggingEvent::getThreadName);
                    members.add("service.name", event -> service);
                    for (String key : CONTEXT) {
                        members.add(key, event -> valueOf(event.getMDCPropertyMap(), key));
                    }
                    members.add("message", event -> PiiMasker.mask(event.getFormattedMessage()));
                    members.add(
                                    "error.type",
                                    event -> event.getThrowableProxy() == null
                                            ? null
                                            : event.getThrowableProxy().getClassName())
                            .whenNotNull();
                    members.add(
                                    "error.message",
                                    event -> event.getThrowableProxy() == null
                                            ? null
                                            : PiiMasker.mask(
                                                    event.getThrowableProxy().getMessage()))
                            .whenNotNull();
                    members.add(
                                    "error.stack_trace",
                                    event -> event.getThrowableProxy() == null
                                            ? null
                                            : PiiMasker.mask(throwableConverter.convert(event)))
                            .whenNotNull();
                })
                .withNewLineAtEnd();
    }

    private static String valueOf(Map<String, String> mdc, String key) {
        String value = mdc == null ? null : mdc.get(key);
        return value == null ? TenantTagCap.NONE : value;
    }

    @Override
    public String format(ILoggingEvent event) {
        return writer.writeToString(event);
    }
}
