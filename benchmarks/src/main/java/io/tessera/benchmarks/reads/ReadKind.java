package io.tessera.benchmarks.reads;

import java.util.concurrent.ThreadLocalRandom;

/** The S1 mix: what a dashboard asks for, in these shares. */
enum ReadKind {
    /** {@code GET /api/deployments?limit=50}: the count and the newest 50. */
    FIRST_PAGE(40),
    /** The next page of a walk through one tenant's cursor pages, up to {@link #DEEPEST} pages deep. */
    DEEP_PAGE(20),
    /** {@code ?status=pending&q=1&per_page=50}: a status and a name filter, page mode. */
    FILTER(20),
    /** {@code GET /api/tenants/{id}/stats}: counts by status and this hour's creations. */
    STATS(20);

    static final int DEEPEST = 20;
    static final int PAGE_SIZE = 50;
    static final String FILTER_STATUS = "pending";
    static final String FILTER_TEXT = "1";

    private final int share;

    ReadKind(int share) {
        this.share = share;
    }

    static ReadKind next() {
        int point = ThreadLocalRandom.current().nextInt(100);
        for (ReadKind kind : values()) {
            point -= kind.share;
            if (point < 0) {
                return kind;
            }
        }
        return FIRST_PAGE;
    }
}
