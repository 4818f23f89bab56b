/**
 * The audit trail's own events: commands that were refused, with their reason. They are stored and
 * published like every event, so the audit log learns of a rejection from the same stream as of a change.
 */
package io.tessera.events.audit;
