package io.tessera.command.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.command.deployment.CreateDeployment;
import io.tessera.command.deployment.Deployment;
import io.tessera.command.tenant.Tenant;
import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentStatus;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.monitoring.NoOpMessageMonitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fail-closed guards, wired as in {@link AxonConfiguration}, on an in-memory event store. */
class TenantGuardsTest {

    private Configuration axon;
    private EventStore eventStore;

    @BeforeEach
    void start() {
        eventStore = AxonConfiguration.tenantGuardedEventStore(
                new InMemoryEventStorageEngine(), NoOpMessageMonitor.INSTANCE);
        axon = DefaultConfigurer.defaultConfiguration(false)
                .configureCorrelationDataProviders(c -> List.of(new SimpleCorrelationDataProvider(
                        CommandMetadata.TENANT_ID, CommandMetadata.ACTOR, CommandMetadata.COMMAND_ID)))
                .configureEventStore(c -> eventStore)
                .configureCommandBus(c -> AxonConfiguration.tenantGuardedCommandBus(c, NoTransactionManager.INSTANCE))
                .configureAggregate(Tenant.class)
                .configureAggregate(Deployment.class)
                .buildConfiguration();
        axon.start();
    }

    @AfterEach
    void stop() {
        axon.shutdown();
    }

    @Test
    void eventsInheritTenantActorAndCommandIdFromTheCommand() {
        dispatch(new CreateDeployment("acme", "d-1", "shop", null), CommandMetadata.of("acme", "alice", "c-1"));

        List<? extends DomainEventMessage<?>> stored =
                eventStore.readEvents("d-1").asStream().toList();
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).getMetaData())
                .containsEntry(CommandMetadata.TENANT_ID, "acme")
                .containsEntry(CommandMetadata.ACTOR, "alice")
                .containsEntry(CommandMetadata.COMMAND_ID, "c-1");
    }

    @Test
    void refusesACommandWithoutTenantMetadata() {
        assertThatThrownBy(() -> dispatch(new CreateDeployment("acme", "d-1", "shop", null), MetaData.emptyInstance()))
                .isInstanceOf(UntaggedMessageException.class);
        assertThat(eventStore.readEvents("acme").asStream()).isEmpty();
    }

    @Test
    void refusesACommandWhoseMetadataNamesAnotherTenant() {
        assertThatThrownBy(() -> dispatch(
                        new CreateDeployment("acme", "d-1", "shop", null), CommandMetadata.of("other", "eve", "c-1")))
                .isInstanceOf(UntaggedMessageException.class);
        assertThat(eventStore.readEvents("d-1").asStream()).isEmpty();
    }

    @Test
    void refusesACommandWithoutTenantInItsPayload() {
        assertThatThrownBy(() -> dispatch("not a tenant-scoped command", CommandMetadata.of("acme", "alice", "c-1")))
                .isInstanceOf(UntaggedMessageException.class);
    }

    @Test
    void refusesToStoreAnEventWithoutTenantMetadata() {
        DeploymentCreated created = new DeploymentCreated("acme", "d-9", "shop", null, DeploymentStatus.PENDING);

        assertThatThrownBy(() -> eventStore.publish(
                        new GenericDomainEventMessage<>("Deployment", "d-9", 0, created, MetaData.emptyInstance())))
                .isInstanceOf(UntaggedMessageException.class);
        assertThat(eventStore.readEvents("d-9").asStream()).isEmpty();
    }

    @Test
    void refusesToStoreAnEventTaggedWithAnotherTenant() {
        DeploymentCreated created = new DeploymentCreated("acme", "d-9", "shop", null, DeploymentStatus.PENDING);

        assertThatThrownBy(() -> eventStore.publish(new GenericDomainEventMessage<>(
                        "Deployment", "d-9", 0, created, MetaData.with(CommandMetadata.TENANT_ID, "other"))))
                .isInstanceOf(UntaggedMessageException.class);
        assertThat(eventStore.readEvents("d-9").asStream()).isEmpty();
    }

    @Test
    void refusesToStoreAnEventWhosePayloadHasNoTenant() {
        assertThatThrownBy(() -> eventStore.publish(GenericEventMessage.asEventMessage(Map.of("x", 1))
                        .andMetaData(Map.of(CommandMetadata.TENANT_ID, "acme"))))
                .isInstanceOf(UntaggedMessageException.class);
    }

    @Test
    void storesAnEventTaggedWithItsOwnTenant() {
        DeploymentCreated created = new DeploymentCreated("acme", "d-9", "shop", null, DeploymentStatus.PENDING);

        eventStore.publish(new GenericDomainEventMessage<>(
                "Deployment", "d-9", 0, created, MetaData.with(CommandMetadata.TENANT_ID, "acme")));

        assertThat(eventStore.readEvents("d-9").asStream()).hasSize(1);
    }

    private void dispatch(Object command, MetaData metaData) {
        axon.commandGateway()
                .sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(metaData));
    }
}
