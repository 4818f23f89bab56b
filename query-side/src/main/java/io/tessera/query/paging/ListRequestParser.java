package io.tessera.query.paging;

import io.tessera.infra.web.ApiException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Validates the contract's list parameters. Every problem is reported at once as 400
 * VALIDATION_FAILED. {@code per_page} and {@code limit} above 100 are capped at 100, not refused.
 */
public final class ListRequestParser {

    static final int MAX_Q_LENGTH = 200;

    private ListRequestParser() {}

    /**
     * @param statuses the statuses the resource knows; empty when it has no status filter
     */
    public static ListRequest parse(
            ListParameters raw, Set<String> statuses, String resource, String tenantId, CursorCodec cursors) {
        List<String> problems = new ArrayList<>();
        String status = null;
        if (ListParameters.present(raw.status())) {
            status = raw.status().trim();
            if (!statuses.contains(status)) {
                problems.add(
                        statuses.isEmpty()
                                ? "status: not a filter of " + resource
                                : "status: must be one of "
                                        + String.join(
                                                ", ", statuses.stream().sorted().toList()));
                status = null;
            }
        }
        String q = null;
        if (ListParameters.present(raw.q())) {
            q = raw.q().trim();
            if (q.length() > MAX_Q_LENGTH) {
                problems.add("q: at most " + MAX_Q_LENGTH + " characters");
            }
        }
        Instant after = instant("created_after", raw.createdAfter(), problems);
        Instant before = instant("created_before", raw.createdBefore(), problems);
        SortOrder sort = SortOrder.NEWEST_FIRST;
        if (ListParameters.present(raw.sort())) {
            sort = SortOrder.fromParameter(raw.sort().trim()).orElse(null);
            if (sort == null) {
                problems.add("sort: must be created_at or -created_at");
                sort = SortOrder.NEWEST_FIRST;
            }
        }
        ListFilter filter = new ListFilter(status, q, after, before, sort);

        PageSpec page;
        if (raw.cursorMode()) {
            if (ListParameters.present(raw.page()) || ListParameters.present(raw.perPage())) {
                problems.add("page, per_page: not allowed with cursor or limit");
            }
            int limit = size("limit", raw.limit(), problems);
            page = new PageSpec.Continued(null, limit);
            if (problems.isEmpty() && ListParameters.present(raw.cursor())) {
                page = new PageSpec.Continued(cursors.decode(raw.cursor(), resource, tenantId, filter), limit);
            }
        } else {
            int number = 1;
            if (ListParameters.present(raw.page())) {
                number = wholeNumber(raw.page());
                if (number < 1) {
                    problems.add("page: must be a whole number of at least 1");
                }
            }
            page = new PageSpec.Numbered(number, size("per_page", raw.perPage(), problems));
        }
        if (!problems.isEmpty()) {
            throw ApiException.validation("The request is not valid", problems);
        }
        return new ListRequest(filter, page);
    }

    private static int size(String name, String value, List<String> problems) {
        return size(name, value, PageSpec.DEFAULT_SIZE, PageSpec.MAX_SIZE, problems);
    }

    /** A page size: {@code defaultSize} if absent, capped at {@code maxSize}; below 1 or not a number is a problem. */
    public static int size(String name, String value, int defaultSize, int maxSize, List<String> problems) {
        if (!ListParameters.present(value)) {
            return defaultSize;
        }
        int size = wholeNumber(value);
        if (size < 1) {
            problems.add(name + ": must be a whole number of at least 1");
            return defaultSize;
        }
        return Math.min(size, maxSize);
    }

    /**
     * The number, or -1 if it is not a non-negative whole number; one too large for an int is
     * {@link Integer#MAX_VALUE} (a size is then capped like any other above the maximum, not refused).
     */
    private static int wholeNumber(String value) {
        String trimmed = value.trim();
        if (!trimmed.matches("[0-9]{1,1000}")) {
            return -1;
        }
        String digits = trimmed.replaceFirst("^0+(?=.)", "");
        return digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }

    /** An ISO-8601 time, or a date meaning its midnight UTC; null if absent, a problem if unreadable. */
    public static Instant instant(String name, String value, List<String> problems) {
        if (!ListParameters.present(value)) {
            return null;
        }
        Instant parsed = parseInstant(value.trim());
        if (parsed == null || parsed.isBefore(EARLIEST) || parsed.isAfter(LATEST)) {
            problems.add(name + ": must be an ISO-8601 time between years 1 and 9999, such as 2024-01-31T12:00:00Z");
            return null;
        }
        return parsed;
    }

    /** What PostgreSQL's timestamptz holds without complaint; beyond it a filter is a client error, not a 500. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private static Instant parseInstant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notADateTime) {
            try {
                return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
