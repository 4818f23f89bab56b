/**
 * The two ways in: HTTP controllers (in each feature) and the {@code tessera.commands} Kafka consumer
 * both end in {@link io.tessera.command.intake.CommandExecutor}, which runs a command in one transaction
 * under the tenant's advisory lock, keeps the first answer per idempotency key, and maps the outcome.
 */
package io.tessera.command.intake;
