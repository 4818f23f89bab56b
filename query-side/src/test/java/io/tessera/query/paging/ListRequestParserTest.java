package io.tessera.query.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ListRequestParserTest {

    private static final Set<String> STATUSES = Set.of("pending", "active", "failed");
    private final CursorCodec cursors =
            new CursorCodec("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));

    @Test
    void defaultsToFirstPageOfFiftyNewestFirst() {
        ListRequest request = parse(params(null, null, null, null, null, null, null, null, null));

        assertThat(request.filter()).isEqualTo(ListFilter.none());
        assertThat(request.page()).isEqualTo(new PageSpec.Numbered(1, 50));
    }

    @Test
    void readsEveryFilter() {
        ListRequest request = parse(params(
                "active",
                " Shop ",
                "2024-01-01T00:00:00Z",
                "2024-02-01T01:00:00+01:00",
                "created_at",
                "3",
                "20",
                null,
                null));

        assertThat(request.filter())
                .isEqualTo(new ListFilter(
                        "active",
                        "Shop",
                        Instant.parse("2024-01-01T00:00:00Z"),
                        Instant.parse("2024-02-01T00:00:00Z"),
                        SortOrder.OLDEST_FIRST));
        assertThat(request.page()).isEqualTo(new PageSpec.Numbered(3, 20));
    }

    @Test
    void acceptsPlainDatesAsMidnightUtc() {
        ListRequest request = parse(params(null, null, "2024-03-05", null, null, null, null, null, null));

        assertThat(request.filter().createdAfter()).isEqualTo(Instant.parse("2024-03-05T00:00:00Z"));
    }

    @Test
    void capsPageSizeAtOneHundred() {
        assertThat(parse(params(null, null, null, null, null, null, "500", null, null))
                        .page()
                        .size())
                .isEqualTo(100);
        assertThat(parse(params(null, null, null, null, null, null, null, null, "1000"))
                        .page()
                        .size())
                .isEqualTo(100);
    }

    @Test
    void rejectsTimesPostgresCannotStore() {
        assertInvalid(
                params(null, null, "+300000-01-01T00:00:00Z", null, null, null, null, null, null), "created_after");
    }

    @Test
    void rejectsUnknownStatus() {
        assertInvalid(params("deleted", null, null, null, null, null, null, null, null), "status");
    }

    @Test
    void rejectsStatusWhereTheResourceHasNone() {
        assertThatThrownBy(() -> ListRequestParser.parse(
                        params("active", null, null, null, null, null, null, null, null),
                        Set.of(),
                        "users",
                        "acme",
                        cursors))
                .isInstanceOf(ApiException.class);
    }

    @Test
    void rejectsBadDates() {
        assertInvalid(params(null, null, "yesterday", null, null, null, null, null, null), "created_after");
        assertInvalid(params(null, null, null, "2024-13-01T00:00:00Z", null, null, null, null, null), "created_before");
    }

    @Test
    void rejectsUnknownSort() {
        assertInvalid(params(null, null, null, null, "name", null, null, null, null), "sort");
    }

    @Test
    void rejectsBadPageNumbers() {
        assertInvalid(params(null, null, null, null, null, "0", null, null, null), "page");
        assertInvalid(params(null, null, null, null, null, "-1", null, null, null), "page");
        assertInvalid(params(null, null, null, null, null, "two", null, null, null), "page");
        assertInvalid(params(null, null, null, null, null, null, "0", null, null), "per_page");
        assertInvalid(params(null, null, null, null, null, null, null, null, "0"), "limit");
    }

    @Test
    void limitAloneStartsACursorWalk() {
        ListRequest request = parse(params(null, null, null, null, null, null, null, null, "10"));

        assertThat(request.page()).isEqualTo(new PageSpec.Continued(null, 10));
    }

    @Test
    void cursorContinuesAfterItsPosition() {
        Keyset position = new Keyset(Instant.parse("2024-01-01T00:00:00Z"), "d1");
        String cursor = cursors.encode("deployments", "acme", ListFilter.none(), position);

        ListRequest request = parse(params(null, null, null, null, null, null, null, cursor, null));

        assertThat(request.page()).isEqualTo(new PageSpec.Continued(position, 50));
    }

    @Test
    void cursorIssuedUnderAnotherFilterIsRefused() {
        String cursor = cursors.encode(
                "deployments", "acme", ListFilter.none(), new Keyset(Instant.parse("2024-01-01T00:00:00Z"), "d1"));

        assertInvalid(params("active", null, null, null, null, null, null, cursor, null), "cursor");
    }

    @Test
    void pageAndCursorDoNotMix() {
        assertInvalid(params(null, null, null, null, null, "2", null, null, "10"), "page");
    }

    private ListRequest parse(ListParameters parameters) {
        return ListRequestParser.parse(parameters, STATUSES, "deployments", "acme", cursors);
    }

    private void assertInvalid(ListParameters parameters, String detailPrefix) {
        assertThatThrownBy(() -> parse(parameters)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
            assertThat(e.details()).anySatisfy(detail -> assertThat(detail).startsWith(detailPrefix));
        });
    }

    private static ListParameters params(
            String status,
            String q,
            String after,
            String before,
            String sort,
            String page,
            String perPage,
            String cursor,
            String limit) {
        return new ListParameters(status, q, after, before, sort, page, perPage, cursor, limit);
    }
}
