/**
 * The credentials of a tenant's upstream systems, as the audit log learns of them: registered and revoked.
 * The subject of each event is the client id, so a client's history reads as one stream.
 */
package io.tessera.events.client;
