package io.tessera.command.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tessera.events.intake.CommandEnvelope;
import io.tessera.infra.web.ErrorCode;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * {@code tessera.commands{tenant,type,outcome,reason,channel}}: every answered command, accepted or rejected
 * and why (the error code); {@code tessera.quota.exceeded{tenant,resource}}: creations refused over quota;
 * {@code tessera.commands.dead.lettered}: Kafka records sent to the dead-letter topic. A tenant is tagged only
 * once the caller may act for it; before that ({@code UNAUTHENTICATED}, {@code TENANT_FORBIDDEN} on Kafka) the
 * tag is {@code none}, so strangers cannot fill the tenant places.
 */
@Component
public class CommandMetrics {

    public static final String COMMANDS = "tessera.commands";
    public static final String QUOTA_EXCEEDED = "tessera.quota.exceeded";
    public static final String DEAD_LETTERED = "tessera.commands.dead.lettered";
    static final Set<String> KAFKA_TYPES = CommandEnvelope.TYPES;

    private final MeterRegistry meters;
    private final Counter deadLettered;
    /**
     * Registered counters by their tags: building a counter on every command looked it up under the registry's
     * lock whenever its id missed the registry's own cache, which held command threads up under load.
     */
    private final Map<Answer, Counter> answers = new ConcurrentHashMap<>();

    private record Answer(String tenant, String type, ErrorCode rejection, String channel) {}

    CommandMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.deadLettered = Counter.builder(DEAD_LETTERED)
                .description("Records of tessera.commands sent to tessera.commands.dlq")
                .register(meters);
    }

    void answered(CommandRequest request, CommandOutcome outcome, String channel) {
        String type = request.command().getClass().getSimpleName();
        count(request.tenantId(), type, outcome.accepted() ? null : outcome.code(), channel);
        if (outcome.code() == ErrorCode.QUOTA_EXCEEDED) {
            String resource =
                    request.resource() == null ? "other" : request.resource().toLowerCase(Locale.ROOT);
            Counter.builder(QUOTA_EXCEEDED)
                    .description("Creations refused because the tenant's rolling-hour quota was used up")
                    .tag("tenant", request.tenantId())
                    .tag("resource", resource)
                    .register(meters)
                    .increment();
        }
    }

    /** A Kafka command refused before it became a request: unknown type, bad token, foreign tenant, bad body. */
    void refusedOnKafka(String tenantIfAuthorized, String type, ErrorCode code) {
        count(
                tenantIfAuthorized == null ? "none" : tenantIfAuthorized,
                type != null && KAFKA_TYPES.contains(type) ? type : "unknown",
                code,
                "kafka");
    }

    void deadLettered() {
        deadLettered.increment();
    }

    private void count(String tenant, String type, ErrorCode rejection, String channel) {
        answers.computeIfAbsent(new Answer(tenant, type, rejection, channel), this::register)
                .increment();
    }

    private Counter register(Answer answer) {
        return Counter.builder(COMMANDS)
                .description("Commands answered, by tenant, type, outcome and rejection reason")
                .tag("tenant", answer.tenant())
                .tag("type", answer.type())
                .tag("outcome", answer.rejection() == null ? "accepted" : "rejected")
                .tag(
                        "reason",
                        answer.rejection() == null ? "none" : answer.rejection().name())
                .tag("channel", answer.channel())
                .register(meters);
    }
}
