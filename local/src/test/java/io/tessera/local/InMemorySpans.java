package io.tessera.local;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Tests only: with {@code tessera.test.in-memory-spans=true}, every side started in this JVM exports its spans
 * into one in-memory exporter as well, which outlives the sides (their shutdown does not stop it).
 */
@AutoConfiguration
@ConditionalOnProperty("tessera.test.in-memory-spans")
public class InMemorySpans {

    private static final InMemorySpanExporter EXPORTED = InMemorySpanExporter.create();

    static List<SpanData> exported() {
        return EXPORTED.getFinishedSpanItems();
    }

    @Bean
    SpanExporter inMemorySpanExporter() {
        return new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                return EXPORTED.export(spans);
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
    }
}
