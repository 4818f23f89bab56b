package io.tessera.query.eventlog;

import io.tessera.infra.web.ApiException;
import io.tessera.query.paging.ListRequestParser;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated {@code GET /api/events}: the events after {@code afterPosition} (0, the default, is the
 * start of the log), at most {@code limit} of them. {@code cursor} is accepted as another name for
 * {@code after_position}, since the page's {@code pagination.cursor} is the position to continue after.
 */
record EventLogRequest(long afterPosition, int limit) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    static EventLogRequest parse(String afterPosition, String cursor, String limit) {
        List<String> problems = new ArrayList<>();
        Long after = position("after_position", afterPosition, problems);
        Long continued = position("cursor", cursor, problems);
        if (after != null && continued != null && !after.equals(continued)) {
            problems.add("cursor: differs from after_position; send one of them");
        }
        int size = ListRequestParser.size("limit", limit, DEFAULT_LIMIT, MAX_LIMIT, problems);
        if (!problems.isEmpty()) {
            throw ApiException.validation("The request is not valid", problems);
        }
        return new EventLogRequest(after != null ? after : continued != null ? continued : 0, size);
    }

    private static Long position(String name, String value, List<String> problems) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        if (text.matches("[0-9]{1,19}")) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException beyondLong) {
                // reported below
            }
        }
        problems.add(name + ": must be a non-negative whole number");
        return null;
    }
}
