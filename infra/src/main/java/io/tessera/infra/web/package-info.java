/**
 * The HTTP envelope of the contract: every answer, success or failure, is one JSON shape with the
 * effective tenant; failures carry a stable code and a generic message, never a stack trace.
 */
package io.tessera.infra.web;
