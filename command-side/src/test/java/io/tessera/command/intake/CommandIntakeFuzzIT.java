package io.tessera.command.intake;

import static org.assertj.core.api.Assertions.assertThatCode;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tessera.command.CommandSideTests;
import io.tessera.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Fuzzes the Kafka intake end to end on the real PostgreSQL and broker: each input is a record value, with
 * {@code $TOKEN} standing for a valid editor token of tenant {@value #TENANT} (so that saved inputs reach the
 * command log and the event store, where lengths and encodings fail). Invariant: every record is answered or moved
 * to the dead-letter topic, and the listener never throws, since a throw would be retried before it is moved aside.
 *
 * <p>A normal build runs the saved inputs under {@code CommandIntakeFuzzITInputs/} (regression mode), each a
 * finding of an earlier run or a shape worth keeping; {@code JAZZER_FUZZ=1} fuzzes (DEVELOPERS.md).
 */
class CommandIntakeFuzzIT extends IntakeContext {

    static final String TENANT = "fuzz-intake";

    @FuzzTest(maxDuration = "60s")
    void everyRecordIsAnsweredOrMovedAside(FuzzedDataProvider data) {
        String value = data.consumeRemainingAsString().replace("$TOKEN", CommandSideTests.editor(TENANT));

        assertThatCode(() -> intake.onRecord(new ConsumerRecord<>(Topics.COMMANDS, 0, 0L, TENANT, value)))
                .doesNotThrowAnyException();
    }
}
