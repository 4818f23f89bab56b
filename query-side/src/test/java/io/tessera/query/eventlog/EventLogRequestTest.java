package io.tessera.query.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ErrorCode;
import org.junit.jupiter.api.Test;

class EventLogRequestTest {

    @Test
    void defaultsToTheStartOfTheLogAndOneHundredEvents() {
        assertThat(EventLogRequest.parse(null, null, null)).isEqualTo(new EventLogRequest(0, 100));
        assertThat(EventLogRequest.parse(" ", "", " ")).isEqualTo(new EventLogRequest(0, 100));
    }

    @Test
    void readsAfterPositionAndLimit() {
        assertThat(EventLogRequest.parse("42", null, "7")).isEqualTo(new EventLogRequest(42, 7));
        assertThat(EventLogRequest.parse(" 9223372036854775807 ", null, null))
                .isEqualTo(new EventLogRequest(Long.MAX_VALUE, 100));
    }

    @Test
    void capsLimitAtOneThousand() {
        assertThat(EventLogRequest.parse(null, null, "5000").limit()).isEqualTo(1000);
    }

    @Test
    void takesTheCursorAsTheAfterPosition() {
        assertThat(EventLogRequest.parse(null, "17", null)).isEqualTo(new EventLogRequest(17, 100));
        assertThat(EventLogRequest.parse("17", "17", null)).isEqualTo(new EventLogRequest(17, 100));
    }

    @Test
    void rejectsACursorThatContradictsAfterPosition() {
        assertInvalid("17", "18", null, "cursor");
    }

    @Test
    void rejectsPositionsThatAreNotNonNegativeWholeNumbers() {
        assertInvalid("-1", null, null, "after_position");
        assertInvalid("1.5", null, null, "after_position");
        assertInvalid("soon", null, null, "after_position");
        assertInvalid("9223372036854775808", null, null, "after_position");
        assertInvalid(null, "abc", null, "cursor");
    }

    @Test
    void rejectsLimitsBelowOne() {
        assertInvalid(null, null, "0", "limit");
        assertInvalid(null, null, "-5", "limit");
        assertInvalid(null, null, "many", "limit");
    }

    private static void assertInvalid(String afterPosition, String cursor, String limit, String detailPrefix) {
        assertThatThrownBy(() -> EventLogRequest.parse(afterPosition, cursor, limit))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
                    assertThat(e.details())
                            .anySatisfy(detail -> assertThat(detail).startsWith(detailPrefix));
                });
    }
}
