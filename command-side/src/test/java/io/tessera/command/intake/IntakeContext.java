package io.tessera.command.intake;

import io.tessera.command.CommandSideApplication;
import io.tessera.command.CommandSideTests;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** One command side on the shared PostgreSQL and Kafka for the intake's integration tests, started once for all. */
@SpringBootTest(
        classes = CommandSideApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=" + CommandSideApplication.CONFIG_NAME)
abstract class IntakeContext {

    @LocalServerPort
    int port;

    @Autowired
    KafkaCommandIntake intake;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        CommandSideTests.infrastructure(registry);
    }
}
