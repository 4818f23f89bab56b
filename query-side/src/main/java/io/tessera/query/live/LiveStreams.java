package io.tessera.query.live;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The open streams of this instance, by tenant. A notice is queued per stream and written by a small pool,
 * never by the Kafka consumer, so a slow reader delays nobody; a reader that lets its queue fill up is
 * disconnected (its browser reconnects and re-reads). An idle stream gets a heartbeat comment, which also
 * finds streams whose reader has gone. Streams are closed before the web server shuts down, else a graceful
 * shutdown would wait for every open dashboard.
 */
@Component
class LiveStreams implements SmartLifecycle {

    private final LiveSettings settings;
    private final Map<String, Set<Stream>> byTenant = new ConcurrentHashMap<>();
    private final ExecutorService writers = Executors.newFixedThreadPool(2, daemon("tessera-live-writer-"));
    private final ScheduledExecutorService heartbeats =
            Executors.newSingleThreadScheduledExecutor(daemon("tessera-live-heartbeat-"));
    private volatile boolean running;

    LiveStreams(LiveSettings settings) {
        this.settings = settings;
    }

    /** A new stream for the tenant, announced by a {@code ready} event; empty when the tenant has too many. */
    Optional<SseEmitter> open(String tenantId) {
        if (!running) {
            return Optional.empty();
        }
        Stream stream =
                new Stream(tenantId, new SseEmitter(settings.streamTimeout().toMillis()));
        AtomicBoolean added = new AtomicBoolean();
        byTenant.compute(tenantId, (tenant, streams) -> {
            Set<Stream> next = streams == null ? new HashSet<>() : new HashSet<>(streams);
            if (next.size() < settings.maxStreamsPerTenant()) {
                added.set(next.add(stream));
            }
            return Set.copyOf(next);
        });
        if (!added.get()) {
            return Optional.empty();
        }
        stream.emitter.onCompletion(() -> remove(stream));
        stream.emitter.onTimeout(stream::close);
        stream.emitter.onError(failure -> stream.abandon());
        stream.offer(SseEmitter.event().name("ready").data(Map.of("tenant_id", tenantId), MediaType.APPLICATION_JSON));
        return Optional.of(stream.emitter);
    }

    void publish(String tenantId, LiveEvent event) {
        for (Stream stream : byTenant.getOrDefault(tenantId, Set.of())) {
            stream.offer(SseEmitter.event()
                    .id(Long.toString(event.position()))
                    .name("event")
                    .data(event, MediaType.APPLICATION_JSON));
        }
    }

    int openStreams(String tenantId) {
        return byTenant.getOrDefault(tenantId, Set.of()).size();
    }

    private void remove(Stream stream) {
        byTenant.computeIfPresent(stream.tenantId, (tenant, streams) -> {
            Set<Stream> next = new HashSet<>(streams);
            next.remove(stream);
            return next.isEmpty() ? null : Set.copyOf(next);
        });
    }

    private void heartbeat() {
        byTenant.values()
                .forEach(streams ->
                        streams.forEach(s -> s.offer(SseEmitter.event().comment("heartbeat"))));
    }

    @Override
    public void start() {
        long every = settings.heartbeat().toMillis();
        heartbeats.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        byTenant.values().stream().flatMap(Set::stream).toList().forEach(Stream::close);
        heartbeats.shutdownNow();
        writers.shutdown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private final class Stream {

        final String tenantId;
        final SseEmitter emitter;
        final BlockingQueue<SseEmitter.SseEventBuilder> queue = new ArrayBlockingQueue<>(settings.queueSize());
        final AtomicBoolean writing = new AtomicBoolean();
        volatile boolean closed;

        Stream(String tenantId, SseEmitter emitter) {
            this.tenantId = tenantId;
            this.emitter = emitter;
        }

        void offer(SseEmitter.SseEventBuilder event) {
            if (closed) {
                return;
            }
            if (!queue.offer(event)) {
                close();
                return;
            }
            schedule();
        }

        private void schedule() {
            if (writing.compareAndSet(false, true)) {
                try {
                    writers.execute(this::write);
                } catch (RuntimeException shutDown) {
                    writing.set(false);
                    close();
                }
            }
        }

        private void write() {
            try {
                SseEmitter.SseEventBuilder next;
                while (!closed && (next = queue.poll()) != null) {
                    emitter.send(next);
                }
            } catch (IOException | IllegalStateException gone) {
                // The container reports the broken response itself; completing it now would only fail again.
                abandon();
            } finally {
                writing.set(false);
            }
            if (!closed && !queue.isEmpty()) {
                schedule();
            }
        }

        void close() {
            abandon();
            try {
                emitter.complete();
            } catch (RuntimeException alreadyDone) {
                // completed or broken already: nothing left to end
            }
        }

        void abandon() {
            closed = true;
            queue.clear();
            remove(this);
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger serial = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + serial.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
