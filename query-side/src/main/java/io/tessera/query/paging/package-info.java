/**
 * Listing read models within one tenant: the query parameters of the contract (status, q, created
 * range, sort) validated into a filter, page mode with totals, and cursor mode as keyset pagination on
 * (created_at, id). Cursors are signed and bound to the tenant and the filter they were issued for.
 */
package io.tessera.query.paging;
