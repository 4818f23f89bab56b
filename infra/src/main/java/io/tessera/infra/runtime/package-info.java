/**
 * Real servers from Maven artifacts for the local run and the integration tests: PostgreSQL (zonky's
 * embedded binaries, run as a child process) and a single-node Kafka KRaft broker in this JVM. External
 * ones are used instead wherever {@code TESSERA_DB_URL} / {@code TESSERA_KAFKA_BOOTSTRAP} are set.
 */
package io.tessera.infra.runtime;
