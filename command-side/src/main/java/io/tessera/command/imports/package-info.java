/**
 * The import mode of {@code ./tessera import}: rows of an older single-tenant database, sent in batches by a
 * caller whose token carries the {@code importer} claim, become the ordinary commands (a creation, then the
 * status changes that lead to the row's status), run one by one by the {@code CommandExecutor} through the
 * real aggregates. Ids follow from tenant and legacy id and every step has an idempotency key of its own,
 * so a second run changes nothing and an interrupted run resumes where it stopped. The commands carry the
 * metadata {@code import=true}: the tenant neither checks nor counts their creation quota, and every event
 * keeps the flag (and the actor {@code import:<subject>}) for the audit.
 */
package io.tessera.command.imports;
