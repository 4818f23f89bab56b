/**
 * Reads {@code tessera.events}, checks each CloudEvent's envelope and tenant, and hands the event to
 * the one projection of each read model inside a single transaction with the tenant's applied
 * position; the Kafka offset is committed only after that transaction. A record that cannot be read
 * is logged and skipped, so the consumer never stalls on it.
 */
package io.tessera.query.projection;
