package io.tessera.query.audit;

import io.tessera.infra.web.ApiException;
import io.tessera.query.paging.CursorCodec;
import io.tessera.query.paging.Keyset;
import io.tessera.query.paging.ListRequestParser;
import io.tessera.query.paging.PageSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A validated {@code GET /api/audit}: the filters, where the previous page ended (null on the first
 * page) and the page size (50 by default, at most 100, as every list). Entries come newest first by
 * position; the cursor is the codec's, bound to the tenant and to these filters.
 */
record AuditRequest(Filter filter, Keyset after, int limit) {

    static final String RESOURCE = "audit";
    static final int MAX_TEXT_LENGTH = 200;

    /** {@code from} is inclusive, {@code to} exclusive; null means "no such filter". */
    record Filter(String actor, String resourceId, Instant from, Instant to) {

        List<String> cursorBinding() {
            return Arrays.asList(actor, resourceId, String.valueOf(from), String.valueOf(to), "-position");
        }
    }

    /** The position the page continues after, for keyset pagination. */
    long afterPosition() {
        return Long.parseLong(after.id().split("\\.")[0]);
    }

    /** Within that position, the entry order the page continues after (0: the event; an act's id). */
    long afterOrder() {
        String[] parts = after.id().split("\\.");
        return parts.length == 2 ? Long.parseLong(parts[1]) : 0;
    }

    static Keyset keysetOf(AuditEntry entry) {
        return new Keyset(
                entry.time(),
                entry.entryOrder() == 0
                        ? Long.toString(entry.position())
                        : entry.position() + "." + entry.entryOrder());
    }

    static AuditRequest parse(
            String actor,
            String resourceId,
            String from,
            String to,
            String cursor,
            String limit,
            String tenantId,
            CursorCodec cursors) {
        List<String> problems = new ArrayList<>();
        Filter filter = new Filter(
                text("actor", actor, problems),
                text("resource_id", resourceId, problems),
                ListRequestParser.instant("from", from, problems),
                ListRequestParser.instant("to", to, problems));
        if (filter.from() != null && filter.to() != null && filter.from().isAfter(filter.to())) {
            problems.add("from: must not be after to");
        }
        int size = ListRequestParser.size("limit", limit, PageSpec.DEFAULT_SIZE, PageSpec.MAX_SIZE, problems);
        if (!problems.isEmpty()) {
            throw ApiException.validation("The request is not valid", problems);
        }
        Keyset after = null;
        if (cursor != null && !cursor.isBlank()) {
            after = cursors.decode(cursor, RESOURCE, tenantId, filter.cursorBinding());
            if (!after.id().matches("[0-9]{1,18}(\\.[0-9]{1,18})?")) {
                throw ApiException.validation(CursorCodec.INVALID);
            }
        }
        return new AuditRequest(filter, after, size);
    }

    private static String text(String name, String value, List<String> problems) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        if (text.length() > MAX_TEXT_LENGTH) {
            problems.add(name + ": at most " + MAX_TEXT_LENGTH + " characters");
        }
        return text;
    }
}
