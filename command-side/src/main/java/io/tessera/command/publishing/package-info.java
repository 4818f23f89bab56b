/**
 * The event store is the outbox: a tracking processor (one segment, batches of 100, errors propagated so a
 * failed batch is retried with back-off) turns every stored event into a CloudEvent on
 * {@code tessera.events}, keyed by tenant, and moves its token only after Kafka acknowledged the batch.
 */
package io.tessera.command.publishing;
