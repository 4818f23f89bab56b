/**
 * Observability shared by both sides: the bounded {@code tenant} tag of every metric ({@link TenantTagCap}),
 * latency histograms, timing of every JDBC statement with slow ones logged and counted
 * ({@link TimedDataSource}), W3C trace context carried from HTTP and Kafka headers into the MDC
 * ({@link TraceContext}), the spans of each hop, exported when a tracer is configured ({@link TraceSpans}), and
 * the masked JSON log format ({@link JsonLogFormat}).
 */
package io.tessera.infra.observability;
