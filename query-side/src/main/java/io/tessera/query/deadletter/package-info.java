/**
 * The dead-letter store, {@code dead_letters}: what the projections could not apply, kept in each aggregate's
 * order with the aggregate's later events waiting behind it; the dispatcher reaches it through
 * {@code projection.DeadLetterQueue}. Operators list letters and retry them ({@code DeadLetterRetries}), which
 * applies them again through the dispatcher under the tenant's projection lock.
 */
package io.tessera.query.deadletter;
