/**
 * The tamper-evident audit log: {@code AuditChain} links each {@code event_log} row of a tenant to the one before
 * by hash, {@code GET /api/audit} reads the {@code audit_entries} view (events and administrative acts) newest
 * first, and {@code GET /api/audit/verify} walks the chain. For auditors only, always within the request's tenant.
 */
package io.tessera.query.audit;
