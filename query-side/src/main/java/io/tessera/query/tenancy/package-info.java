/**
 * Row-level security in use: every statement of the query side runs in a transaction opened by
 * {@code TenantTransactions}, which first switches to a database role with {@code SET LOCAL ROLE} —
 * {@code tessera_query_api} for the API's reads, {@code tessera_query_projector} for the projections —
 * and, for reads, sets the tenant with {@code set_config('tessera.tenant_id', ?, true)}. Both end with
 * the transaction, committed or rolled back, so nothing carries over on a pooled connection; the
 * policies of migration V3 then show the API one tenant's rows whatever its SQL says.
 */
package io.tessera.query.tenancy;
