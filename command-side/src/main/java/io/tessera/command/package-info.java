/**
 * The command side: it accepts commands over HTTP and Kafka, decides them in Axon aggregates stored in
 * the JDBC event store (schema {@code command_side}) and publishes every stored event as a CloudEvent on
 * {@code tessera.events}. This package holds what every feature shares: the business rejection and the
 * input rules that both the intake and the aggregates apply.
 */
package io.tessera.command;
