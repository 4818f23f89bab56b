/**
 * The event log and what is read from it: {@code EventLogProjection} keeps every published event of a
 * tenant once, in position order (chained by {@code audit.AuditChain}); {@code GET /api/events} replays it
 * for auditors, and {@code GET /api/deployments/{id}/history} and {@code GET /api/workflows/{id}/history}
 * give one aggregate's events with its state folded from them as of a time. Always within the request's
 * tenant.
 */
package io.tessera.query.eventlog;
