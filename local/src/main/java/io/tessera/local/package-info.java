/**
 * The operator CLI behind {@code ./tessera}: {@code run} starts the whole system in one JVM (embedded
 * PostgreSQL and Kafka unless external ones are configured, then the command side and the query side as
 * two Spring contexts), seeds the demo tenants and prints what a person needs to try it; {@code token}
 * signs a JWT with the secret in use. Everything stops in reverse order on Ctrl-C.
 */
package io.tessera.local;
