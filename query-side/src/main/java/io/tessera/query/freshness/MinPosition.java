package io.tessera.query.freshness;

/**
 * The position a request asked its tenant's read model to have applied ({@code X-Min-Position}), awaited by
 * {@link MinPositionInterceptor} before the handler runs; a cached answer loaded before it is not served.
 */
public record MinPosition(long position) {

    /** No position asked for: any fresh answer will do. */
    public static final MinPosition NONE = new MinPosition(-1);
}
