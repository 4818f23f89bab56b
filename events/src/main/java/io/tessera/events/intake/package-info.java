/**
 * The Kafka intake: the record upstream systems put on {@code tessera.commands} and the one result
 * Tessera answers with on {@code tessera.command-results}.
 */
package io.tessera.events.intake;
