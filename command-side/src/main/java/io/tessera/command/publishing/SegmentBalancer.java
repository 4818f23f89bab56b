package io.tessera.command.publishing;

import io.tessera.command.axon.AxonNode;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Spreads the publisher's segments over the running instances. Axon 4 without Axon Server does not balance:
 * the first instance with enough threads claims every segment and keeps it. So every instance announces
 * itself in {@code processor_nodes} each balance interval and gives up the segments beyond its fair share
 * (segments / live instances, rounded up) for two intervals; an instance with a free thread claims them
 * within its token claim interval. It also splits segments, one per interval, until the configured count
 * exists: a deployment that ran with one segment is split online (Axon's split copies the token, so
 * nothing is published twice or skipped). Only the owner of the widest segment splits, so two instances
 * never split at once.
 */
final class SegmentBalancer implements SmartLifecycle {

    /** After Axon started ({@code AxonLifecycle} is {@code Integer.MIN_VALUE + 1000}), stopped before it. */
    static final int PHASE = Integer.MIN_VALUE + 1001;

    private static final Logger log = LoggerFactory.getLogger(SegmentBalancer.class);
    private static final String PROCESSOR = CloudEventPublisher.PROCESSOR;

    private final Configuration axon;
    private final String node;
    private final JdbcTemplate jdbc;
    private final PublisherSettings settings;
    private volatile ScheduledExecutorService timer;

    SegmentBalancer(Configuration axon, AxonNode node, JdbcTemplate jdbc, PublisherSettings settings) {
        this.axon = axon;
        this.node = node.id();
        this.jdbc = jdbc;
        this.settings = settings;
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "tessera-segment-balancer");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(
                this::balanceQuietly, 0, settings.balanceInterval().toMillis(), TimeUnit.MILLISECONDS);
        timer = executor;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = timer;
        timer = null;
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Gone at once rather than after the node timeout: the others stop leaving room for this instance.
        jdbc.update(
                "DELETE FROM command_side.processor_nodes WHERE processor_name = ? AND node_id = ?", PROCESSOR, node);
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void balanceQuietly() {
        try {
            balance();
        } catch (RuntimeException e) {
            // The next interval tries again; publishing goes on meanwhile, only the spread waits.
            log.warn("Balancing the publisher's segments failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void balance() throws InterruptedException {
        int liveNodes = heartbeat();
        TrackingEventProcessor processor = axon.eventProcessingConfiguration()
                .eventProcessor(PROCESSOR, TrackingEventProcessor.class)
                .orElseThrow();
        if (!processor.isRunning()) {
            return;
        }
        List<Integer> stored = jdbc.queryForList(
                "SELECT segment FROM command_side.token_entry WHERE processor_name = ? ORDER BY segment",
                Integer.class,
                PROCESSOR);
        if (stored.isEmpty()) {
            return; // not initialised yet: Axon creates the configured count itself
        }
        Map<Integer, EventTrackerStatus> owned = processor.processingStatus();
        if (stored.size() < settings.segments()) {
            splitWidestIfOwned(processor, stored, owned);
            return;
        }
        int nodes = Math.max(1, liveNodes);
        int fairShare = (stored.size() + nodes - 1) / nodes;
        int surplus = owned.size() - fairShare;
        if (surplus <= 0) {
            return;
        }
        List<Integer> released = owned.keySet().stream()
                .sorted(Comparator.reverseOrder())
                .limit(surplus)
                .toList();
        log.info(
                "Publisher owns {} of {} segments with {} instances running; releasing segments {}",
                owned.size(),
                stored.size(),
                liveNodes,
                released);
        long releaseFor = settings.balanceInterval().toMillis() * 2;
        released.forEach(segment -> processor.releaseSegment(segment, releaseFor, TimeUnit.MILLISECONDS));
    }

    /** Refreshes this instance's row, forgets instances gone silent, and counts the live ones. */
    private int heartbeat() {
        jdbc.update("""
                INSERT INTO command_side.processor_nodes (processor_name, node_id, seen_at) VALUES (?, ?, now())
                ON CONFLICT (processor_name, node_id) DO UPDATE SET seen_at = now()
                """, PROCESSOR, node);
        jdbc.update(
                "DELETE FROM command_side.processor_nodes WHERE processor_name = ? AND seen_at < now() - ?::interval",
                PROCESSOR,
                settings.nodeTimeout().toMillis() + " milliseconds");
        Integer live = jdbc.queryForObject(
                "SELECT count(*) FROM command_side.processor_nodes WHERE processor_name = ?", Integer.class, PROCESSOR);
        return live == null ? 1 : live;
    }

    private void splitWidestIfOwned(
            TrackingEventProcessor processor, List<Integer> stored, Map<Integer, EventTrackerStatus> owned)
            throws InterruptedException {
        Segment widest = Arrays.stream(Segment.computeSegments(
                        stored.stream().mapToInt(Integer::intValue).toArray()))
                .min(Comparator.comparingInt(Segment::getMask).thenComparingInt(Segment::getSegmentId))
                .orElseThrow();
        if (!owned.containsKey(widest.getSegmentId())) {
            return;
        }
        log.info(
                "Publisher has {} segments of the configured {}; splitting segment {}",
                stored.size(),
                settings.segments(),
                widest.getSegmentId());
        try {
            boolean split = processor.splitSegment(widest.getSegmentId()).get(30, TimeUnit.SECONDS);
            if (!split) {
                log.warn("Axon did not split segment {}; trying again next interval", widest.getSegmentId());
            }
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Splitting segment {} failed: {}", widest.getSegmentId(), e.toString());
        }
    }
}
