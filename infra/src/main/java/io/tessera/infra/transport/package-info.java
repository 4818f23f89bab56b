/**
 * Transport security from the environment: HTTPS through the Spring SSL bundle {@code tessera}
 * ({@code TESSERA_TLS_*}) and Kafka TLS/SASL for every producer, consumer and admin client
 * ({@code TESSERA_KAFKA_*}). Nothing is registered for a variable that is not set, so an unconfigured side
 * starts on plain HTTP and PLAINTEXT Kafka as before.
 */
package io.tessera.infra.transport;
