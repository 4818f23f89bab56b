package io.tessera.command.axon;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.command.Json;
import io.tessera.events.EventCatalog;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.AggregateFactory;
import org.axonframework.eventsourcing.AggregateSnapshotter;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;

/** Axon's configuration as Spring beans: JDBC event store and token store, Spring transactions, Jackson. */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
class AxonConfiguration {

    static final String IN_TRANSACTION = "in-transaction";

    static final EventSchema EVENT_SCHEMA = EventSchema.builder()
            .eventTable("domain_event_entry")
            .snapshotTable("snapshot_event_entry")
            .globalIndexColumn("global_index")
            .timestampColumn("time_stamp")
            .eventIdentifierColumn("event_identifier")
            .aggregateIdentifierColumn("aggregate_identifier")
            .sequenceNumberColumn("sequence_number")
            .typeColumn("type")
            .payloadTypeColumn("payload_type")
            .payloadRevisionColumn("payload_revision")
            .payloadColumn("payload")
            .metaDataColumn("meta_data")
            .build();

    static final TokenSchema TOKEN_SCHEMA = TokenSchema.builder()
            .setTokenTable("token_entry")
            .setProcessorNameColumn("processor_name")
            .setSegmentColumn("segment")
            .setTokenColumn("token")
            .setTokenTypeColumn("token_type")
            .setTimestampColumn("timestamp")
            .setOwnerColumn("owner")
            .build();

    @Bean(destroyMethod = "shutdown")
    ExecutorService axonSnapshotExecutor() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "axon-snapshotter");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    AxonNode axonNode() {
        return AxonNode.unique();
    }

    /**
     * The features' aggregates ({@link EventSourcedAggregate}). A snapshotted one (the {@code Tenant}, which every
     * creation loads) comes from memory while the store agrees ({@link StoreCheckedCache}, at most
     * {@code tessera.command.tenant-cache-size} of them), else from the latest snapshot and the events after it;
     * snapshotted every {@code tessera.command.tenant-snapshot-every} events, it replays at most that many.
     * Snapshots are written after the command's commit, on their own thread.
     */
    @Bean
    Configuration axon(
            @Value("${tessera.command.tenant-snapshot-every:10}") int tenantSnapshotEvery,
            @Value("${tessera.command.tenant-cache-size:10000}") int tenantCacheSize,
            DataSource dataSource,
            AxonNode node,
            PlatformTransactionManager platformTransactionManager,
            ExecutorService axonSnapshotExecutor,
            List<EventSourcedAggregate> aggregates,
            ObjectProvider<ConfigurerCustomizer> customizers,
            ObjectProvider<InTransactionEventHandler> inTransactionHandlers) {
        TransactionManager transactions = new SpringTransactionManager(platformTransactionManager);
        ConnectionProvider connections = new SpringDataSourceConnectionProvider(dataSource);
        Serializer serializer = eventSerializer();
        Serializer snapshotSerializer =
                JacksonSerializer.builder().objectMapper(snapshotMapper()).build();
        EventStorageEngine storageEngine = JdbcEventStorageEngine.builder()
                .connectionProvider(connections)
                .transactionManager(transactions)
                .eventSerializer(serializer)
                .snapshotSerializer(snapshotSerializer)
                .snapshotFilter(currentSnapshotsOnly(aggregates))
                .persistenceExceptionResolver(new DuplicateKeyResolver())
                .upcasterChain(upcasters())
                .appendEvents(AppendedPositions.statementBuilder())
                .schema(EVENT_SCHEMA)
                .dataType(byte[].class)
                .build();

        Configurer configurer = DefaultConfigurer.defaultConfiguration(false)
                .registerComponent(TransactionManager.class, c -> transactions)
                .configureSerializer(c -> serializer)
                .configureMessageSerializer(c -> serializer)
                .configureEventSerializer(c -> serializer)
                .configureCorrelationDataProviders(c -> List.of(new SimpleCorrelationDataProvider(
                        CommandMetadata.TENANT_ID,
                        CommandMetadata.ACTOR,
                        CommandMetadata.COMMAND_ID,
                        CommandMetadata.IMPORT,
                        CommandMetadata.LEGACY_CREATED_AT,
                        CommandMetadata.TRACEPARENT)))
                .registerComponent(EventStorageEngine.class, c -> storageEngine)
                .configureEventStore(
                        c -> tenantGuardedEventStore(storageEngine, c.messageMonitor(EventStore.class, "eventStore")))
                .configureCommandBus(c -> tenantGuardedCommandBus(c, transactions))
                .registerComponent(
                        TokenStore.class,
                        c -> JdbcTokenStore.builder()
                                .connectionProvider(connections)
                                .serializer(serializer)
                                .schema(TOKEN_SCHEMA)
                                .nodeId(node.id())
                                .contentType(byte[].class)
                                .build())
                .configureSnapshotter(c -> AggregateSnapshotter.builder()
                        .eventStore(c.eventStore())
                        .aggregateFactories(aggregates.stream()
                                .filter(EventSourcedAggregate::isSnapshotted)
                                .<AggregateFactory<?>>map(aggregate -> new GenericAggregateFactory<>(aggregate.type()))
                                .toList())
                        .executor(axonSnapshotExecutor)
                        .transactionManager(transactions)
                        .build());
        for (EventSourcedAggregate aggregate : aggregates) {
            configurer.configureAggregate(
                    configuration(aggregate.type(), aggregate, dataSource, tenantCacheSize, tenantSnapshotEvery));
        }
        configurer.eventProcessing(processing -> {
            processing
                    .registerSubscribingEventProcessor(IN_TRANSACTION)
                    .assignHandlerInstancesMatching(
                            IN_TRANSACTION, handler -> handler instanceof InTransactionEventHandler)
                    .registerListenerInvocationErrorHandler(IN_TRANSACTION, c -> PropagatingErrorHandler.instance());
            inTransactionHandlers.orderedStream().forEach(handler -> processing.registerEventHandler(c -> handler));
        });
        customizers.orderedStream().forEach(customizer -> customizer.customize(configurer));
        return configurer.buildConfiguration();
    }

    private static <A> AggregateConfigurer<A> configuration(
            Class<A> type, EventSourcedAggregate aggregate, DataSource dataSource, int cacheSize, int snapshotEvery) {
        AggregateConfigurer<A> configuration = AggregateConfigurer.defaultConfiguration(type);
        return aggregate.isSnapshotted()
                ? configuration
                        .configureCache(c -> new StoreCheckedCache<>(type, dataSource, cacheSize))
                        .configureSnapshotTrigger(
                                c -> new EventCountSnapshotTriggerDefinition(c.snapshotter(), snapshotEvery))
                : configuration;
    }

    static EventStore tenantGuardedEventStore(
            EventStorageEngine storageEngine, MessageMonitor<? super EventMessage<?>> monitor) {
        // Axon polls an idle store once a second by default: that second showed as the p95 of
        // command-to-read-model latency. A tenth of a second costs ten cheap index lookups a second; a commit
        // wakes the processors at once (CommitWakingEventStore), so the poll only bounds other instances' events.
        EmbeddedEventStore store = new CommitWakingEventStore(EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(monitor)
                .fetchDelay(100));
        store.registerDispatchInterceptor(new TenantTaggedEvents());
        return store;
    }

    static CommandBus tenantGuardedCommandBus(Configuration c, TransactionManager transactions) {
        SimpleCommandBus bus = SimpleCommandBus.builder()
                .transactionManager(transactions)
                .messageMonitor(c.messageMonitor(CommandBus.class, "commandBus"))
                .build();
        bus.registerHandlerInterceptor(new CorrelationDataInterceptor<>(c.correlationDataProviders()));
        bus.registerDispatchInterceptor(new TenantScopedCommands());
        return bus;
    }

    /**
     * A snapshot of an older revision (another state shape) is skipped, so the aggregate is rebuilt from its events
     * and snapshotted anew, instead of read into fields that do not fit it (the mapper ignores unknown properties: a
     * renamed field of the {@code Tenant} would silently read as an empty quota window).
     */
    static SnapshotFilter currentSnapshotsOnly(List<EventSourcedAggregate> aggregates) {
        Map<String, String> revisions = aggregates.stream()
                .filter(EventSourcedAggregate::isSnapshotted)
                .collect(Collectors.toMap(
                        aggregate -> aggregate.type().getName(), EventSourcedAggregate::snapshotRevision));
        return snapshot -> {
            SerializedType type = snapshot.getPayload().getType();
            String current = revisions.get(type.getName());
            return current == null || current.equals(type.getRevision());
        };
    }

    /** Events carry the revision of their catalog version ("2" for a v2), none for a first version. */
    static Serializer eventSerializer() {
        return JacksonSerializer.builder()
                .objectMapper(Json.newMapper())
                .revisionResolver(EventCatalog::revisionOf)
                .build();
    }

    /** Every stored shape that a newer version replaced, upcast on every read. */
    static EventUpcasterChain upcasters() {
        return new EventUpcasterChain(new DeploymentCreatedUpcaster());
    }

    /** Snapshots hold aggregate state as it is, read from fields, not from accessors. */
    static ObjectMapper snapshotMapper() {
        ObjectMapper mapper = Json.newMapper();
        mapper.setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE);
        mapper.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
        mapper.setVisibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY);
        return mapper;
    }

    @Bean
    CommandGateway commandGateway(Configuration axon) {
        return axon.commandGateway();
    }

    /** For events that belong to no aggregate (rejected commands), stored outside any command's unit of work. */
    @Bean
    EventStore eventStore(Configuration axon) {
        return axon.eventStore();
    }

    @Bean
    SmartLifecycle axonLifecycle(Configuration axon) {
        return new AxonLifecycle(axon);
    }
}
