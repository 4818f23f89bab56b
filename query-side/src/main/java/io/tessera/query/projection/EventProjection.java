package io.tessera.query.projection;

/**
 * A projection of one read model. It ignores events it does not know and must be idempotent: applying
 * an event a second time changes nothing.
 */
public interface EventProjection {

    void apply(ProjectedEvent event);
}
