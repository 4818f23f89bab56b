package io.tessera.query.paging;

/** The raw list query parameters of the contract, exactly as the client sent them. */
public record ListParameters(
        String status,
        String q,
        String createdAfter,
        String createdBefore,
        String sort,
        String page,
        String perPage,
        String cursor,
        String limit) {

    public static ListParameters pageOnly(String page, String perPage) {
        return new ListParameters(null, null, null, null, null, page, perPage, null, null);
    }

    boolean cursorMode() {
        return present(cursor) || present(limit);
    }

    static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
