/**
 * Workflows: the {@link io.tessera.command.workflow.Workflow} aggregate with its status machine
 * (draft → active/archived, active → paused/archived, paused → active/archived), renames and JSON
 * configuration, the HTTP endpoints and the request translation the Kafka intake shares.
 */
package io.tessera.command.workflow;
