/**
 * The per-tenant cache of query answers (lists, single resources, stats), evicted by the event stream
 * on every instance: {@link io.tessera.query.cache.CacheInvalidation} follows {@code tessera.events} in a
 * consumer group of its own, so each instance sees every event, and drops all entries of the event's
 * tenant. An answer is cached only when the read model had already applied every event this instance
 * has seen for the tenant, so an eviction that arrives before another instance's projection commits
 * cannot leave the old state cached. Shared by the features like {@code paging}.
 */
package io.tessera.query.cache;
