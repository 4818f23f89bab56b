package io.tessera.command.intake;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Group commit per tenant: the commands of one tenant that arrive while another of its batches runs wait in
 * the tenant's lane and run together, as the next batch, on the thread of the first of them (the leader); the
 * others wait for their answers. A tenant's commands are serialised by its lock anyway, so a batch costs the
 * lock, the transaction and the commit once instead of once per command, and the threads that wait hold no
 * database connection. Lanes of different tenants never wait for each other; an idle tenant has no lane.
 */
final class TenantBatches {

    /** One command of a batch, answered by the batch's runner: an outcome, or the exception its caller gets. */
    static final class Member {

        private final CommandRequest request;
        private final Map<String, String> callersContext = MDC.getCopyOfContextMap();
        private final CompletableFuture<CommandOutcome> answer = new CompletableFuture<>();
        private final CompletableFuture<Void> turn = new CompletableFuture<>();

        private Member(CommandRequest request) {
            this.request = request;
        }

        CommandRequest request() {
            return request;
        }

        /**
         * Runs work for this command on the leader's thread with its caller's MDC (command id, trace context: the
         * trace its events carry on), then puts the leader's back.
         */
        <T> T inCallersContext(Supplier<T> work) {
            Map<String, String> leaders = MDC.getCopyOfContextMap();
            setContext(callersContext);
            try {
                return work.get();
            } finally {
                setContext(leaders);
            }
        }

        private static void setContext(Map<String, String> context) {
            if (context == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(context);
            }
        }

        void answer(CommandOutcome outcome) {
            answer.complete(outcome);
        }

        void fail(RuntimeException failure) {
            answer.completeExceptionally(failure);
        }
    }

    private static final class Lane {
        private final ArrayDeque<Member> waiting = new ArrayDeque<>();
        private boolean running;
    }

    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
    private final int maxBatch;

    TenantBatches(int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("a batch holds at least one command");
        }
        this.maxBatch = maxBatch;
    }

    /**
     * Runs the request in the next batch of its tenant and returns its answer, or throws what the runner failed
     * it with. {@code runner} must answer or fail every member; one it leaves unanswered fails.
     */
    CommandOutcome submit(CommandRequest request, Consumer<List<Member>> runner) {
        Member member = new Member(request);
        boolean[] leads = {false};
        lanes.compute(request.tenantId(), (tenant, lane) -> {
            Lane joined = lane == null ? new Lane() : lane;
            joined.waiting.add(member);
            if (!joined.running) {
                joined.running = true;
                leads[0] = true;
            }
            return joined;
        });
        if (!leads[0]) {
            awaitTurnOrAnswer(member);
        }
        if (!member.answer.isDone()) {
            lead(request.tenantId(), runner);
        }
        try {
            return member.answer.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : e;
        }
    }

    /** How many of the tenant's commands wait for their batch to start. */
    int waiting(String tenantId) {
        int[] count = {0};
        lanes.computeIfPresent(tenantId, (tenant, lane) -> {
            count[0] = lane.waiting.size();
            return lane;
        });
        return count[0];
    }

    /** Until a leader answers this member, or hands it the lane (it is then the head of the queue). */
    private static void awaitTurnOrAnswer(Member member) {
        CompletableFuture.anyOf(member.answer, member.turn)
                .handle((done, failure) -> null)
                .join();
    }

    private void lead(String tenantId, Consumer<List<Member>> runner) {
        List<Member> batch = new ArrayList<>();
        lanes.computeIfPresent(tenantId, (tenant, lane) -> {
            while (batch.size() < maxBatch && !lane.waiting.isEmpty()) {
                batch.add(lane.waiting.poll());
            }
            return lane;
        });
        try {
            runner.accept(List.copyOf(batch));
        } catch (RuntimeException e) {
            batch.forEach(member -> member.fail(e));
        } finally {
            IllegalStateException unanswered = new IllegalStateException("the batch left a command unanswered");
            batch.forEach(member -> member.fail(unanswered));
            handOver(tenantId);
        }
    }

    /** The next waiting command leads the next batch; a lane with none waiting is dropped. */
    private void handOver(String tenantId) {
        Member[] next = {null};
        lanes.computeIfPresent(tenantId, (tenant, lane) -> {
            next[0] = lane.waiting.peek();
            return next[0] == null ? null : lane;
        });
        if (next[0] != null) {
            next[0].turn.complete(null);
        }
    }
}
