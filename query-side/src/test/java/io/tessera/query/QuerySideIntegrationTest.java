package io.tessera.query;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The query side on a random port, configured as it runs, with the tokens {@link TestEvents} signs; what one test
 * needs beyond that goes into a {@code @TestPropertySource} of its own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(
        classes = QuerySideApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + QuerySideApplication.CONFIG_NAME,
            "tessera.jwt.secret=" + TestEvents.SECRET,
            "tessera.jwt.issuer="
        })
public @interface QuerySideIntegrationTest {}
