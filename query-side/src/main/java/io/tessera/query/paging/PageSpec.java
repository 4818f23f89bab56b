package io.tessera.query.paging;

/** Page mode (numbered pages with totals) or cursor mode (keyset continuation). */
public sealed interface PageSpec permits PageSpec.Numbered, PageSpec.Continued {

    int DEFAULT_SIZE = 50;
    int MAX_SIZE = 100;

    int size();

    record Numbered(int page, int size) implements PageSpec {
        long offset() {
            return (long) (page - 1) * size;
        }
    }

    /** {@code after} is null for the first page of a cursor walk. */
    record Continued(Keyset after, int size) implements PageSpec {}
}
