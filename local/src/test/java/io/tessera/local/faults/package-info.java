/**
 * The fault suite of issue 9 (application half): the command and query sides as child JVMs that the tests
 * SIGKILL and SIGTERM, a steady multi-tenant command stream with retrying clients, and {@link
 * io.tessera.local.faults.Ledger}, which checks every accepted command against the event store, {@code
 * tessera.events} and the read tables and prints the counts per tenant. Run alone: see DEVELOPERS.md.
 */
package io.tessera.local.faults;
