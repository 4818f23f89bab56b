package io.tessera.command.axon;

/**
 * A Spring bean with {@code @EventHandler}s that must run inside the transaction of the command whose
 * events they handle: a subscribing processor calls them before the commit, and a failure in one of them
 * rolls the command back. For state that must never disagree with the event store (tenant status,
 * revoked credentials); keep them to a few cheap statements.
 */
public interface InTransactionEventHandler {}
