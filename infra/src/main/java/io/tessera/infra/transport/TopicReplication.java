package io.tessera.infra.transport;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.TopicBuilder;

/**
 * How the topics a side creates are replicated: {@code tessera.kafka.replication-factor} and
 * {@code tessera.kafka.min-insync-replicas} ({@code TESSERA_KAFKA_REPLICATION_FACTOR},
 * {@code TESSERA_KAFKA_MIN_INSYNC_REPLICAS}). Unset (0), the broker's defaults apply, which is what one local
 * broker needs; a three-broker cluster wants 3 and 2, so that a record acknowledged with {@code acks=all} is on
 * two brokers at least. Unclean leader election is off on every topic: an out-of-sync replica never becomes
 * leader and drops acknowledged records. Only a topic's creation uses these; an existing topic keeps its own.
 */
public record TopicReplication(int replicationFactor, int minInsyncReplicas) {

    public static final String REPLICATION_FACTOR = "tessera.kafka.replication-factor";
    public static final String MIN_INSYNC_REPLICAS = "tessera.kafka.min-insync-replicas";

    public TopicReplication {
        if (replicationFactor < 0 || minInsyncReplicas < 0) {
            throw new IllegalArgumentException(REPLICATION_FACTOR + " and " + MIN_INSYNC_REPLICAS + " must be >= 0");
        }
        if (replicationFactor > 0 && minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException(MIN_INSYNC_REPLICAS + " (" + minInsyncReplicas + ") exceeds "
                    + REPLICATION_FACTOR + " (" + replicationFactor + "): no write could succeed");
        }
    }

    public static TopicReplication from(Environment environment) {
        return new TopicReplication(
                environment.getProperty(REPLICATION_FACTOR, Integer.class, 0),
                environment.getProperty(MIN_INSYNC_REPLICAS, Integer.class, 0));
    }

    public NewTopic topic(String name, int partitions) {
        TopicBuilder topic =
                TopicBuilder.name(name).partitions(partitions).config("unclean.leader.election.enable", "false");
        if (replicationFactor > 0) {
            topic.replicas(replicationFactor);
        }
        if (minInsyncReplicas > 0) {
            topic.config("min.insync.replicas", String.valueOf(minInsyncReplicas));
        }
        return topic.build();
    }
}
