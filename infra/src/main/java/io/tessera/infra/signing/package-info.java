/**
 * Signed events: the command side signs every CloudEvent it publishes with an Ed25519 key (RFC 8032: keys read by
 * the JDK, the arithmetic Bouncy Castle's, eight times faster), over the RFC 8785 canonical JSON of the event without
 * its signature extensions; readers (the query side, the offline verifier) hold the public keys by id and apply only
 * what verifies, so a record written to {@code tessera.events} by anyone else changes nothing.
 */
package io.tessera.infra.signing;
