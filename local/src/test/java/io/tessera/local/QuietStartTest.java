package io.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;

/**
 * A fresh JVM with the local runtime's classpath initialises logging as {@code ./tessera run} does (plain Logback
 * reading logback.xml before Spring, then Spring reading it again) and creates the quota processor's in-memory
 * token store: none of it may print a line. A warning logged on purpose still shows.
 */
class QuietStartTest {

    @Test
    void loggingStartsWithoutStatusReportOrIntendedWarnings() throws IOException, InterruptedException {
        Process child = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Probe.class.getName()))
                .redirectErrorStream(true)
                .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output.lines().toList())
                .as(output)
                .singleElement()
                .asString()
                .contains("a warning that counts");
    }

    static final class Probe {
        public static void main(String[] args) {
            new InMemoryTokenStore();
            // Spring configures Logback again from the same file and prints what Logback warns of.
            SpringApplication spring = new SpringApplication(Probe.class);
            spring.setWebApplicationType(WebApplicationType.NONE);
            spring.setBannerMode(Banner.Mode.OFF);
            spring.setLogStartupInfo(false);
            spring.run().close();
            LoggerFactory.getLogger(QuietStartTest.class).warn("a warning that counts");
        }
    }
}
