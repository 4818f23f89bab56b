package io.tessera.query.projection;

import io.tessera.events.Topics;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where the broker put a record: its topic, partition and offset. Unlike anything in the record's value, its writer
 * cannot choose these, which is why the grace for unsigned events ({@link UnsignedGrace}) goes by them.
 */
public record RecordPlace(String topic, int partition, long offset) {

    private static final Pattern ORIGIN = Pattern.compile("(.+)-(\\d{1,9})@(\\d{1,19})");

    public static RecordPlace of(ConsumerRecord<?, ?> record) {
        return new RecordPlace(record.topic(), record.partition(), record.offset());
    }

    /** The place an {@link #origin()} names, as the dead-letter store keeps it; empty for any other text. */
    public static Optional<RecordPlace> parse(String origin) {
        Matcher matcher = origin == null ? null : ORIGIN.matcher(origin);
        if (matcher == null || !matcher.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RecordPlace(
                    matcher.group(1), Integer.parseInt(matcher.group(2)), Long.parseLong(matcher.group(3))));
        } catch (NumberFormatException beyondRange) {
            return Optional.empty();
        }
    }

    boolean onEventsTopic() {
        return Topics.EVENTS.equals(topic);
    }

    /** {@code topic-partition@offset}, as logs and dead letters name a record. */
    String origin() {
        return topic + "-" + partition + "@" + offset;
    }
}
