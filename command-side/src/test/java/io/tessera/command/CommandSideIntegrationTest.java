package io.tessera.command;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The command side as it runs, on the shared PostgreSQL and Kafka. The feature ITs that need nothing else share
 * it, so their classes start one context between them (with {@link CommandSideTestBase}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        classes = CommandSideApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + CommandSideApplication.CONFIG_NAME,
            // One test holds a command on a row lock on purpose while others run.
            "tessera.command.statement-timeout=60s"
        })
public @interface CommandSideIntegrationTest {}
