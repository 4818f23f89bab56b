package io.tessera.query;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A query-side integration test on the shared infrastructure, with a {@link TestEvents} of its own per test. */
public abstract class QuerySideTestBase {

    @LocalServerPort
    protected int port;

    protected TestEvents kafka;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestEvents.infrastructure(registry);
    }

    @BeforeEach
    void openTestEvents() {
        kafka = new TestEvents(port);
    }

    @AfterEach
    void closeTestEvents() {
        kafka.close();
    }
}
