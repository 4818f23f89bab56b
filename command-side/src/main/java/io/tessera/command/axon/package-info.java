/**
 * Axon Framework without its Spring Boot starter: the {@code Configuration} is built here with
 * {@code DefaultConfigurer} on the JDBC event store in schema {@code command_side}, joined to Spring's
 * transactions, started and stopped with the Spring context. It also holds the two fail-closed guards:
 * no command without a tenant, no event stored without a {@code tenant_id} equal to its payload's.
 */
package io.tessera.command.axon;
