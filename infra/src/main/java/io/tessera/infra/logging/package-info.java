/**
 * Log hygiene: personal data and credentials are masked in every log line, whatever code wrote it,
 * by a Logback converter that both sides' logging configuration uses for the message and the stack trace.
 */
package io.tessera.infra.logging;
