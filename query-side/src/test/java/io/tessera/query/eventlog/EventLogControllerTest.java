package io.tessera.query.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.tessera.events.user.Role;
import io.tessera.infra.security.Caller;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ErrorCode;
import io.tessera.infra.web.Pagination;
import io.tessera.query.paging.ListPage;
import io.tessera.query.projection.LoggedEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class EventLogControllerTest {

    private final EventLogQueries queries = mock(EventLogQueries.class);
    private final EventLogController eventLog = new EventLogController(queries);
    private final HistoryController history =
            new HistoryController(queries, JsonMapper.builder().build());

    @Test
    void onlyAuditorsReadTheEventLog() {
        for (Role role : List.of(Role.VIEWER, Role.EDITOR, Role.ADMIN)) {
            assertForbidden(() -> eventLog.events(tenant(role), null, null, null));
        }
        verifyNoInteractions(queries);
    }

    @Test
    void readsTheLogOfTheRequestTenantOnlyAndSaysWhereToContinue() {
        when(queries.events(eq("acme"), any()))
                .thenReturn(new EventLogQueries.EventPage(
                        new ListPage<>(List.of(), new Pagination(null, 100, 0, 0, false, true, null)), 42));

        var answer = eventLog.events(tenant(Role.AUDITOR), "42", null, null);

        assertThat(answer.getBody().tenantId()).isEqualTo("acme");
        assertThat(answer.getHeaders().getFirst(EventLogController.NEXT_AFTER_POSITION))
                .isEqualTo("42");
        verify(queries).events("acme", new EventLogRequest(42, 100));
    }

    @Test
    void historyNeedsTheReadPermission() {
        assertForbidden(() -> history.deployment(tenant(Role.AUDITOR), "dep-1", null));
        verifyNoInteractions(queries);
    }

    @Test
    void historyOfAnIdWithoutEventsInTheTenantIsNotFound() {
        when(queries.stream("acme", "deployment", "dep-of-globex")).thenReturn(List.of());

        assertThatThrownBy(() -> history.deployment(tenant(Role.VIEWER), "dep-of-globex", null))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        verify(queries).stream("acme", "deployment", "dep-of-globex");
    }

    @Test
    void historyFoldsTheStoredEventsAsOfTheGivenTime() {
        String created = """
                {"tenant_id":"acme","deployment_id":"dep-1","project_name":"shop","url":null,"status":"pending"}""";
        String building = """
                {"tenant_id":"acme","deployment_id":"dep-1","from":"pending","to":"building","added_later":1}""";
        Instant t0 = Instant.parse("2024-05-01T10:00:00Z");
        when(queries.stream("acme", "deployment", "dep-1"))
                .thenReturn(List.of(
                        logged(1, 0, t0, "tessera.deployment.created.v1", created),
                        logged(2, 1, t0.plusSeconds(60), "tessera.deployment.status-changed.v1", building)));

        History<DeploymentState> before = history.deployment(tenant(Role.VIEWER), "dep-1", "2024-05-01T10:00:30Z")
                .data();
        History<DeploymentState> now =
                history.deployment(tenant(Role.VIEWER), "dep-1", null).data();

        assertThat(before.asOf()).isEqualTo(Instant.parse("2024-05-01T10:00:30Z"));
        assertThat(before.state().status()).isEqualTo("pending");
        assertThat(before.events()).hasSize(2);
        assertThat(now.state().status()).isEqualTo("building");
        assertThat(now.state().version()).isEqualTo(1);
    }

    @Test
    void asOfIsAnIsoTimeOrADateOrNow() {
        Clock clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

        assertThat(HistoryController.asOf(null, clock)).isEqualTo(clock.instant());
        assertThat(HistoryController.asOf("2024-05-01T12:00:00+02:00", clock))
                .isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(HistoryController.asOf("2024-05-01", clock)).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
        assertThatThrownBy(() -> HistoryController.asOf("yesterday", clock))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
                    assertThat(e.details()).singleElement().asString().startsWith("as_of");
                });
    }

    private static LoggedEvent logged(long position, long sequence, Instant time, String type, String data) {
        return new LoggedEvent(
                "acme",
                position,
                "e-" + position,
                type,
                "dep-1",
                sequence,
                time,
                "alice",
                "c-1",
                data,
                null,
                null,
                null,
                null);
    }

    private static RequestTenant tenant(Role role) {
        return new RequestTenant("acme", new Caller("someone", "acme", Set.of(role), Set.of(), false));
    }

    private static void assertForbidden(Runnable call) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
    }
}
