package io.tessera.query.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ErrorCode;
import io.tessera.query.paging.CursorCodec;
import io.tessera.query.paging.Keyset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditRequestTest {

    private final CursorCodec cursors =
            new CursorCodec("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));

    @Test
    void defaultsToEverythingFiftyAtATime() {
        AuditRequest request = parse(null, null, null, null, null, null);

        assertThat(request.filter()).isEqualTo(new AuditRequest.Filter(null, null, null, null));
        assertThat(request.after()).isNull();
        assertThat(request.limit()).isEqualTo(50);
    }

    @Test
    void readsEveryFilter() {
        AuditRequest request = parse(" alice ", "dep-1", "2024-01-01", "2024-02-01T01:00:00+01:00", null, "500");

        assertThat(request.filter())
                .isEqualTo(new AuditRequest.Filter(
                        "alice",
                        "dep-1",
                        Instant.parse("2024-01-01T00:00:00Z"),
                        Instant.parse("2024-02-01T00:00:00Z")));
        assertThat(request.limit()).isEqualTo(100);
    }

    @Test
    void continuesAfterThePositionOfItsCursor() {
        AuditRequest.Filter filter = new AuditRequest.Filter("alice", null, null, null);
        String cursor = cursors.encode(
                "audit", "acme", filter.cursorBinding(), new Keyset(Instant.parse("2024-01-01T00:00:00Z"), "41"));

        AuditRequest request = parse("alice", null, null, null, cursor, null);

        assertThat(request.afterPosition()).isEqualTo(41);
    }

    @Test
    void refusesACursorOfAnotherTenantOrFilterOrListing() {
        AuditRequest.Filter filter = new AuditRequest.Filter("alice", null, null, null);
        Keyset position = new Keyset(Instant.parse("2024-01-01T00:00:00Z"), "41");
        String cursor = cursors.encode("audit", "acme", filter.cursorBinding(), position);

        assertInvalid(() -> AuditRequest.parse("alice", null, null, null, cursor, null, "globex", cursors), "cursor");
        assertInvalid(() -> parse("bob", null, null, null, cursor, null), "cursor");
        assertInvalid(() -> parse(null, null, null, null, cursor, null), "cursor");
        String deploymentsCursor = cursors.encode("deployments", "acme", filter.cursorBinding(), position);
        assertInvalid(() -> parse("alice", null, null, null, deploymentsCursor, null), "cursor");
        assertInvalid(() -> parse("alice", null, null, null, "x" + cursor, null), "cursor");
    }

    @Test
    void rejectsBadTimesAndAnInvertedRange() {
        assertInvalid(() -> parse(null, null, "yesterday", null, null, null), "from");
        assertInvalid(() -> parse(null, null, null, "2024-13-01", null, null), "to");
        assertInvalid(() -> parse(null, null, "2024-02-01", "2024-01-01", null, null), "from");
    }

    @Test
    void rejectsOverlongTextFiltersAndBadLimits() {
        assertInvalid(() -> parse("a".repeat(201), null, null, null, null, null), "actor");
        assertInvalid(() -> parse(null, "r".repeat(201), null, null, null, null), "resource_id");
        assertInvalid(() -> parse(null, null, null, null, null, "0"), "limit");
    }

    private AuditRequest parse(String actor, String resourceId, String from, String to, String cursor, String limit) {
        return AuditRequest.parse(actor, resourceId, from, to, cursor, limit, "acme", cursors);
    }

    private static void assertInvalid(Runnable parse, String detailPrefix) {
        assertThatThrownBy(parse::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
            assertThat(e.details()).anySatisfy(detail -> assertThat(detail).startsWith(detailPrefix));
        });
    }
}
