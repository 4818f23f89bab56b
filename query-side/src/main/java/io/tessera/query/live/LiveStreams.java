package io.tessera.query.live;

import io.tessera.infra.security.PresentedToken;
import io.tessera.infra.web.ErrorCode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The open streams of this instance, by tenant. A notice is queued per stream and written by a small pool,
 * never by the Kafka consumer, so a slow reader delays nobody; a reader that lets its queue fill up is
 * disconnected (its browser reconnects and re-reads). An idle stream gets a heartbeat comment, which also
 * finds streams whose reader has gone. A stream ends when its token expires and when its tenant is offboarded;
 * one token holds at most a few of its tenant's streams. Streams are closed before the web server shuts down,
 * else a graceful shutdown would wait for every open dashboard.
 */
@Component
class LiveStreams implements SmartLifecycle {

    private final LiveSettings settings;
    private final Map<String, Set<Stream>> byTenant = new ConcurrentHashMap<>();
    // Made at each start: a stopped context (a test context paused between uses) starts again.
    private volatile ExecutorService writers;
    private volatile ScheduledExecutorService heartbeats;
    private volatile boolean running;

    LiveStreams(LiveSettings settings) {
        this.settings = settings;
    }

    static final String TOKEN_REQUIRED = "A valid bearer token is required";

    /** Why a stream was not opened, or the stream. */
    sealed interface Opening {}

    record Opened(SseEmitter emitter) implements Opening {}

    record Refused(ErrorCode code, String reason) implements Opening {}

    /**
     * A new stream for the tenant, announced by a {@code ready} event and ended when the token expires; refused
     * when the tenant, or this token, holds as many as it may.
     */
    Opening open(String tenantId, String homeTenant, PresentedToken token) {
        if (!running) {
            return new Refused(ErrorCode.UNAVAILABLE, "The live feed is shutting down");
        }
        Duration left = Duration.between(Instant.now(), token.expiresAt());
        if (left.isNegative() || left.isZero()) {
            return new Refused(ErrorCode.UNAUTHENTICATED, TOKEN_REQUIRED);
        }
        Stream stream = new Stream(
                tenantId,
                homeTenant,
                token.digest(),
                new SseEmitter(Math.min(settings.streamTimeout().toMillis(), left.toMillis())));
        AtomicReference<String> refusal = new AtomicReference<>();
        byTenant.compute(tenantId, (tenant, streams) -> {
            Set<Stream> next = streams == null ? new HashSet<>() : new HashSet<>(streams);
            long ofToken = next.stream()
                    .filter(s -> s.tokenDigest.equals(stream.tokenDigest))
                    .count();
            if (next.size() >= settings.maxStreamsPerTenant()) {
                refusal.set("Too many live streams open for this tenant");
            } else if (ofToken >= settings.maxStreamsPerToken()) {
                refusal.set("Too many live streams open with this token");
            } else {
                next.add(stream);
            }
            return next.isEmpty() ? null : Set.copyOf(next);
        });
        if (refusal.get() != null) {
            return new Refused(ErrorCode.RATE_LIMITED, refusal.get());
        }
        stream.emitter.onCompletion(() -> remove(stream));
        stream.emitter.onTimeout(stream::close);
        stream.emitter.onError(failure -> stream.abandon());
        try {
            stream.expiry = heartbeats.schedule(stream::close, left.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            stream.abandon();
            return new Refused(ErrorCode.UNAVAILABLE, "The live feed is shutting down");
        }
        stream.offer(SseEmitter.event().name("ready").data(Map.of("tenant_id", tenantId), MediaType.APPLICATION_JSON));
        return new Opened(stream.emitter);
    }

    boolean hasStreams(String tenantId) {
        return tenantId != null && !byTenant.getOrDefault(tenantId, Set.of()).isEmpty();
    }

    /**
     * Ends every stream of the tenant and every stream opened with a token of it (a multi-tenant token streaming
     * another of its tenants): it was offboarded, and its tokens are refused from now on.
     */
    void closeAll(String tenantId) {
        byTenant.values().stream()
                .flatMap(Set::stream)
                .filter(stream -> stream.tenantId.equals(tenantId) || tenantId.equals(stream.homeTenant))
                .toList()
                .forEach(Stream::close);
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
        writers = Executors.newFixedThreadPool(2, daemon("tessera-live-writer-"));
        // A closed stream cancels its expiry: removed at once, not kept (with its stream) until the token's exp.
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemon("tessera-live-heartbeat-"));
        scheduler.setRemoveOnCancelPolicy(true);
        heartbeats = scheduler;
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
        final String homeTenant;
        final String tokenDigest;
        final SseEmitter emitter;
        final BlockingQueue<SseEmitter.SseEventBuilder> queue = new ArrayBlockingQueue<>(settings.queueSize());
        final AtomicBoolean writing = new AtomicBoolean();
        volatile boolean closed;
        volatile ScheduledFuture<?> expiry;

        Stream(String tenantId, String homeTenant, String tokenDigest, SseEmitter emitter) {
            this.tenantId = tenantId;
            this.homeTenant = homeTenant;
            this.tokenDigest = tokenDigest;
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
            ScheduledFuture<?> pending = expiry;
            if (pending != null) {
                pending.cancel(false);
            }
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
