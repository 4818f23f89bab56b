package io.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.command.CommandSideApplication;
import io.tessera.query.QuerySideApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * An operator's {@code application.yml} in a directory named by {@code SPRING_CONFIG_ADDITIONAL_LOCATION} is read
 * by both sides with the config names they start with, over the packaged side file, and a side's own file in
 * that directory wins over the shared one.
 */
class OperatorConfigurationTest {

    @TempDir
    Path operatorConfig;

    @Test
    void operatorsApplicationYmlOverridesThePackagedDefaults() throws IOException {
        Files.writeString(operatorConfig.resolve("application.yml"), """
                tessera:
                  rate-limit:
                    requests-per-minute: 4321
                  operator-note: shared
                """);
        Files.writeString(operatorConfig.resolve("query-side.yml"), "tessera:\n  operator-note: query side's own\n");

        Environment command = environment(CommandSideApplication.CONFIG_NAMES);
        Environment query = environment(QuerySideApplication.CONFIG_NAMES);

        assertThat(command.getProperty("tessera.rate-limit.requests-per-minute"))
                .isEqualTo("4321");
        assertThat(query.getProperty("tessera.rate-limit.requests-per-minute")).isEqualTo("4321");
        assertThat(command.getProperty("tessera.operator-note")).isEqualTo("shared");
        assertThat(query.getProperty("tessera.operator-note")).isEqualTo("query side's own");
        assertThat(command.getProperty("spring.application.name")).isEqualTo("tessera-command-side");
    }

    private Environment environment(String configNames) {
        SpringApplication application = new SpringApplication(Empty.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext context = application.run(
                "--spring.config.name=" + configNames,
                "--spring.config.additional-location=optional:file:" + operatorConfig + "/",
                "--spring.main.banner-mode=off",
                "--spring.main.log-startup-info=false")) {
            return context.getEnvironment();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Empty {}
}
