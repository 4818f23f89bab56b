/**
 * The event store is the outbox: a tracking processor (segments by tenant, batches of 100, errors propagated so
 * a failed batch is retried with back-off) turns every stored event into a CloudEvent on {@code tessera.events},
 * signed with the command side's Ed25519 key ({@code tessera.events.signing.*}) once its position is known,
 * keyed by tenant, and moves its token only after Kafka acknowledged the batch. {@code SegmentBalancer} spreads
 * the segments over the running instances and splits a smaller existing set up to {@code tessera.publisher.segments}.
 */
package io.tessera.command.publishing;
