package io.tessera.query.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentDeleted;
import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.events.deployment.DeploymentStatusChanged;
import io.tessera.events.deployment.DeploymentUrlChanged;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeploymentStateTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final List<TypedEvent> HISTORY = List.of(
            new TypedEvent(
                    0, T0, new DeploymentCreated("acme", "dep-1", "shop", "https://old", DeploymentStatus.PENDING)),
            new TypedEvent(
                    1,
                    T0.plusSeconds(10),
                    new DeploymentStatusChanged("acme", "dep-1", DeploymentStatus.PENDING, DeploymentStatus.BUILDING)),
            new TypedEvent(2, T0.plusSeconds(20), new DeploymentUrlChanged("acme", "dep-1", "https://new")),
            new TypedEvent(
                    3,
                    T0.plusSeconds(30),
                    new DeploymentStatusChanged("acme", "dep-1", DeploymentStatus.BUILDING, DeploymentStatus.ACTIVE)),
            new TypedEvent(4, T0.plusSeconds(40), new DeploymentDeleted("acme", "dep-1", DeploymentStatus.ACTIVE)));

    @Test
    void creationGivesTheFirstState() {
        assertThat(DeploymentState.asOf(HISTORY, T0))
                .isEqualTo(new DeploymentState("dep-1", "shop", "pending", "https://old", T0, T0, false, 0));
    }

    @Test
    void foldsEveryChangeUpToTheTime() {
        assertThat(DeploymentState.asOf(HISTORY, T0.plusSeconds(25)))
                .isEqualTo(new DeploymentState(
                        "dep-1", "shop", "building", "https://new", T0, T0.plusSeconds(20), false, 2));
        assertThat(DeploymentState.asOf(HISTORY, T0.plusSeconds(39)).status()).isEqualTo("active");
    }

    @Test
    void deletionKeepsTheLastStateAndMarksIt() {
        assertThat(DeploymentState.asOf(HISTORY, Instant.MAX))
                .isEqualTo(
                        new DeploymentState("dep-1", "shop", "active", "https://new", T0, T0.plusSeconds(40), true, 4));
    }

    @Test
    void noStateBeforeTheCreation() {
        assertThat(DeploymentState.asOf(HISTORY, T0.minusMillis(1))).isNull();
        assertThat(DeploymentState.asOf(List.of(), T0)).isNull();
    }

    @Test
    void stopsAtTheFirstEventAfterTheTimeEvenIfALaterOneIsStampedEarlier() {
        List<TypedEvent> skewed = List.of(
                HISTORY.get(0),
                HISTORY.get(1),
                new TypedEvent(2, T0.plusSeconds(5), new DeploymentUrlChanged("acme", "dep-1", "https://skewed")));

        assertThat(DeploymentState.asOf(skewed, T0.plusSeconds(6)))
                .isEqualTo(new DeploymentState("dep-1", "shop", "pending", "https://old", T0, T0, false, 0));
    }

    @Test
    void ignoresChangesWithoutCreationAndEventsItDoesNotKnow() {
        assertThat(DeploymentState.asOf(HISTORY.subList(1, 3), Instant.MAX)).isNull();
        List<TypedEvent> withUnknown = List.of(HISTORY.get(0), new TypedEvent(1, T0.plusSeconds(1), null));

        assertThat(DeploymentState.asOf(withUnknown, Instant.MAX)).isEqualTo(DeploymentState.asOf(HISTORY, T0));
    }

    @Test
    void nothingChangesADeletedDeployment() {
        List<TypedEvent> afterDeletion = List.of(
                HISTORY.get(0),
                HISTORY.get(4),
                new TypedEvent(5, T0.plusSeconds(50), new DeploymentUrlChanged("acme", "dep-1", "https://ghost")));

        assertThat(DeploymentState.asOf(afterDeletion, Instant.MAX).url()).isEqualTo("https://old");
    }
}
