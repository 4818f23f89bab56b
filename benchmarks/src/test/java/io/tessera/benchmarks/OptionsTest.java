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
    void defaultsMatchTheSpecTargets() {
        Options options = Options.parse(List.of());
        assertThat(options.tenants()).isEqualTo(100);
        assertThat(options.deployments()).isEqualTo(1000);
        assertThat(options.commands()).isEqualTo(2000);
        assertThat(options.commandConcurrency()).isEqualTo(8);
        assertThat(options.quick()).isFalse();
    }

    @Test
    void quickShortensEveryLoopButKeepsTheDataSize() {
        Options options = Options.parse(List.of("--quick"));
        assertThat(options.quick()).isTrue();
        assertThat(options.tenants()).isEqualTo(100);
        assertThat(options.deployments()).isEqualTo(1000);
        assertThat(options.requests()).isLessThan(Options.parse(List.of()).requests());
        assertThat(options.limit()).isLessThan(Options.parse(List.of()).limit());
    }

    @Test
    void explicitValuesWin() {
        Options options = Options.parse(List.of(
                "--quick",
                "--tenants",
                "7",
                "--deployments",
                "300",
                "--seconds",
                "3",
                "--zipf",
                "0.9",
                "--out",
                "x.txt"));
        assertThat(options.tenants()).isEqualTo(7);
        assertThat(options.deployments()).isEqualTo(300);
        assertThat(options.limit()).isEqualTo(Duration.ofSeconds(3));
        assertThat(options.zipfExponent()).isEqualTo(0.9);
        assertThat(options.out()).isEqualTo(Path.of("x.txt"));
    }

    @Test
    void refusesUnknownMissingOrInvalidValues() {
        assertThatThrownBy(() -> Options.parse(List.of("--bogus", "1"))).hasMessageContaining("Unknown option");
        assertThatThrownBy(() -> Options.parse(List.of("--tenants"))).hasMessageContaining("incomplete");
        assertThatThrownBy(() -> Options.parse(List.of("--tenants", "0"))).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> Options.parse(List.of("--tenants", "x"))).hasMessageContaining("whole number");
        assertThatThrownBy(() -> Options.parse(List.of("--zipf", "-1"))).hasMessageContaining("--zipf");
    }
}
