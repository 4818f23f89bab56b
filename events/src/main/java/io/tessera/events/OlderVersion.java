package io.tessera.events;

/**
 * An event shape that a newer version replaced. Events stored or published in it stay readable: a reader
 * deserializes the old shape by its CloudEvents type and asks for the next version until it has the current
 * one ({@link EventCatalog#upcast(Object)}). The command side's Axon upcasters do the same on stored JSON.
 */
public interface OlderVersion {

    /** This event in the next version's shape. */
    Object nextVersion();
}
