package io.tessera.query;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The query side as it runs, on the shared PostgreSQL and Kafka, with the test secret. The feature ITs that need
 * nothing else share it, so their classes start one context between them (with {@link QuerySideTestBase}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + QuerySideApplication.CONFIG_NAME,
            "tessera.jwt.secret=" + TestEvents.SECRET,
            "tessera.jwt.issuer=",
            "tessera.query.min-position-timeout=2s"
        })
public @interface QuerySideIntegrationTest {}
