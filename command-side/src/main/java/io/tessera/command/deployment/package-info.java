/**
 * Deployments: the {@link io.tessera.command.deployment.Deployment} aggregate with its status machine
 * (pending → building/cancelled/failed, building → active/failed/cancelled, active → building,
 * failed → building), the HTTP endpoints and the translation of request bodies into commands, which the
 * Kafka intake shares.
 */
package io.tessera.command.deployment;
