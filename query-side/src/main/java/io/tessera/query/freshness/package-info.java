/**
 * How far each tenant's read model has got ({@code projection_positions}) and read-your-writes: a request with
 * {@code X-Min-Position} waits until its tenant's read model applied that position, and the position it asked for
 * is handed to the handler as a {@code MinPosition} value, which the cache compares with what an entry was
 * loaded at.
 */
package io.tessera.query.freshness;
