/**
 * Personal data in events, encrypted per tenant so that it can be shredded. A field such as a user's
 * e-mail is sealed on the command side before its event is stored ({@link io.tessera.infra.pii.PiiVault#seal}),
 * with AES-256-GCM under the tenant's data key and the tenant and field name as associated data; the event
 * store, Kafka and the read tables carry only the envelope {@code pii:v1:<key version>:<base64url>}. The
 * query side opens it when it answers. Data keys live wrapped by the master key ({@code TESSERA_MASTER_KEY})
 * in schema {@code tessera_keys} ({@link io.tessera.infra.pii.DataKeys}); destroying a tenant's keys leaves
 * every envelope of that tenant unreadable everywhere, and nothing else of its history changes.
 */
package io.tessera.infra.pii;
