/**
 * Consume and apply: reads {@code tessera.events}, checks each CloudEvent's signature, envelope and tenant, and
 * hands the event to the one projection of each read model inside a single transaction with the tenant's applied
 * position, under the tenant's projection lock; the Kafka offset is committed only after that transaction. What
 * cannot be applied goes to the {@code DeadLetterQueue}, and the aggregate's later events wait behind it.
 */
package io.tessera.query.projection;
