package io.tessera.infra.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus alert rules in {@code infra/monitoring} and their unit tests, through {@code promtool} (Debian's
 * {@code prometheus} package; {@code .ci/run} installs it). Without promtool the test is skipped with a notice,
 * except under CI ({@code CI} set), where that is a failure.
 */
class AlertRulesTest {

    private static final Path MONITORING = Path.of("monitoring");

    @Test
    void alertRulesAreValidAndTheirUnitTestsPass() throws Exception {
        String promtool = promtool();
        boolean ci = System.getenv("CI") != null && !System.getenv("CI").isBlank();
        if (promtool == null) {
            assertThat(ci)
                    .as("promtool is required under CI (apt-get install prometheus)")
                    .isFalse();
            System.out.println("AlertRulesTest skipped: promtool not found (apt-get install prometheus)");
            assumeTrue(false, "promtool not found on PATH (apt-get install prometheus); alert rule tests skipped");
        }
        assertThat(run(promtool, "check", "rules", "alerts.yml")).contains("SUCCESS");
        assertThat(run(promtool, "test", "rules", "alerts-test.yml")).contains("SUCCESS");
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command)
                .directory(MONITORING.toFile())
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("promtool finished").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static String promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
