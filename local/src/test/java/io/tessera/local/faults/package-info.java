/**
 * The fault suite: the sides of Tessera started by {@link io.tessera.local.faults.FaultSystem} (child
 * JVMs that the tests SIGKILL, SIGTERM and freeze, or a side in the test JVM), Kafka brokers as processes
 * ({@link io.tessera.local.faults.KafkaBrokerProcesses}), links cut with NetCrusher, a steady multi-tenant command
 * stream with retrying clients, and {@link io.tessera.local.faults.Ledger}, which checks every accepted command
 * against the event store, {@code tessera.events} and the read tables and prints the counts per tenant. How to run
 * it: DEVELOPERS.md; why it is built so: docs/adr/0043-fault-suite-child-jvms-and-a-ledger.md.
 */
package io.tessera.local.faults;
