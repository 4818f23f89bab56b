package io.tessera.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Argument parsing only: no benchmark runs in the build. */
class OptionsTest {

    @Test
    void defaultsAreTheSpecSizes() {
        Options options = Options.parse(List.of());
        assertThat(options.tenants()).isEqualTo(100);
        assertThat(options.deployments()).isEqualTo(1000);
        assertThat(options.workflows()).isEqualTo(500);
        assertThat(options.loadBudget()).isEqualTo(Duration.ofMinutes(30));
        assertThat(options.quick()).isFalse();
        assertThat(options.jfr()).isFalse();
    }

    @Test
    void quickShrinksTheDataAndEveryPhaseButKeepsTheTenants() {
        Options quick = Options.parse(List.of("--quick"));
        Options full = Options.parse(List.of());
        assertThat(quick.tenants()).isEqualTo(100);
        assertThat(quick.deployments()).isLessThan(full.deployments());
        assertThat(quick.step()).isLessThan(full.step());
        assertThat(quick.soakPhase()).isLessThan(full.soakPhase());
        assertThat(quick.commandStep()).isLessThan(full.commandStep());
    }

    @Test
    void explicitValuesWinOverQuick() {
        Options options = Options.parse(List.of(
                "--quick",
                "--tenants",
                "7",
                "--deployments",
                "300",
                "--step-seconds",
                "3",
                "--start-rate",
                "12.5",
                "--zipf",
                "0.9",
                "--jfr",
                "--out",
                "x"));
        assertThat(options.tenants()).isEqualTo(7);
        assertThat(options.deployments()).isEqualTo(300);
        assertThat(options.step()).isEqualTo(Duration.ofSeconds(3));
        assertThat(options.startRate()).isEqualTo(12.5);
        assertThat(options.zipfExponent()).isEqualTo(0.9);
        assertThat(options.jfr()).isTrue();
        assertThat(options.out()).isEqualTo(Path.of("x"));
    }

    @Test
    void refusesUnknownMissingOrInvalidValues() {
        assertThatThrownBy(() -> Options.parse(List.of("--bogus", "1"))).hasMessageContaining("Unknown option");
        assertThatThrownBy(() -> Options.parse(List.of("--tenants"))).hasMessageContaining("incomplete");
        assertThatThrownBy(() -> Options.parse(List.of("--tenants", "0"))).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> Options.parse(List.of("--tenants", "x"))).hasMessageContaining("whole number");
        assertThatThrownBy(() -> Options.parse(List.of("--zipf", "-1"))).hasMessageContaining("--zipf");
        assertThatThrownBy(() -> Options.parse(List.of("--start-rate", "0"))).hasMessageContaining("--start-rate");
        assertThatThrownBy(() -> Options.parse(List.of("--help"))).hasMessageContaining("Usage");
    }

    @Test
    void theSoakTakesHalfTheMachineByBothCapacities() {
        // 80 reads at the uncached knee of 200/s take 0.4 of it, 20 creations at 100 commands/s 0.2: 100/s is 0.6.
        assertThat(Benchmarks.soakRate(200, 100)).isCloseTo(83.3, org.assertj.core.data.Offset.offset(0.1));
        assertThat(Benchmarks.soakRate(200, 0)).isEqualTo(125);
        assertThat(Benchmarks.soakRate(4, 2)).isEqualTo(10);
    }
}
