/**
 * The command side's part of its OpenAPI document: title, the {@code Idempotency-Key} header, the 202 of
 * accepted commands and an example per route. The envelope, errors and security come from infra.
 */
package io.tessera.command.openapi;
