package io.tessera.command.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tessera.command.Json;
import io.tessera.command.deployment.DeploymentKafkaCommands;
import io.tessera.command.workflow.WorkflowKafkaCommands;
import io.tessera.events.Topics;
import io.tessera.infra.observability.TraceSpans;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Fuzzes {@link KafkaCommandIntake#onRecord}: every record value gets exactly one answer, a result on
 * {@code tessera.command-results} or a dead letter, and the consumer never throws (it would stall on the
 * record). An accepted command is of the record's tenant, which the token may act for.
 */
class CommandEnvelopeFuzzTest {

    static final String EDITOR_TOKEN = "editor-of-acme";
    private static final List<String> sentTo = new ArrayList<>();
    private static final List<CommandRequest> executed = new ArrayList<>();
    private static final KafkaCommandIntake INTAKE = intake();

    @FuzzTest(maxDuration = "60s")
    void everyRecordGetsExactlyOneAnswer(FuzzedDataProvider data) throws Exception {
        sentTo.clear();
        executed.clear();
        String value = data.consumeRemainingAsString();

        INTAKE.onRecord(new ConsumerRecord<>(Topics.COMMANDS, 0, 0L, "acme", value));

        assertThat(sentTo).hasSize(1);
        assertThat(sentTo.get(0)).isIn(Topics.COMMAND_RESULTS, Topics.COMMANDS_DLQ);
        assertThat(executed).hasSizeLessThanOrEqualTo(1);
        for (CommandRequest request : executed) {
            assertThat(request.tenantId()).isEqualTo("acme");
            assertThat(request.command().getClass().getMethod("tenantId").invoke(request.command()))
                    .isEqualTo("acme");
        }
    }

    @SuppressWarnings("unchecked")
    private static KafkaCommandIntake intake() {
        JwtDecoder decoder = token -> {
            if (!EDITOR_TOKEN.equals(token)) {
                throw new BadJwtException("not a token");
            }
            return Jwt.withTokenValue(token)
                    .header("alg", "HS256")
                    .subject("fuzzer")
                    .claim("tenant_id", "acme")
                    .claim("roles", List.of("editor"))
                    .issuedAt(Instant.now())
                    .expiresAt(Instant.now().plusSeconds(3600))
                    .build();
        };
        CommandExecutor executor = mock(CommandExecutor.class);
        when(executor.execute(any(), anyString())).thenAnswer(invocation -> {
            CommandRequest request = invocation.getArgument(0);
            executed.add(request);
            return CommandOutcome.accepted(request, 1L);
        });
        KafkaTemplate<String, String> kafka = mock(KafkaTemplate.class);
        when(kafka.send(anyString(), any(), any())).thenAnswer(invocation -> {
            sentTo.add(invocation.getArgument(0));
            return CompletableFuture.completedFuture(null);
        });
        when(kafka.send(any(ProducerRecord.class))).thenAnswer(invocation -> {
            sentTo.add(((ProducerRecord<String, String>) invocation.getArgument(0)).topic());
            return CompletableFuture.completedFuture(null);
        });
        assertThat(Json.mapper()).isNotNull();
        return new KafkaCommandIntake(
                List.of(new DeploymentKafkaCommands(), new WorkflowKafkaCommands()),
                executor,
                decoder,
                kafka,
                new CommandMetrics(new SimpleMeterRegistry()),
                tenantId -> false,
                TraceSpans.unexported());
    }
}
