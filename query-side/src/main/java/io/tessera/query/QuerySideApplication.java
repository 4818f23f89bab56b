package io.tessera.query;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The query side. Its configuration is {@code query-side.yml}, not {@code application.yml}, so that the
 * command side and the query side can share one classpath (the local runtime starts both in one JVM).
 */
@SpringBootApplication
public class QuerySideApplication {

    public static final String CONFIG_NAME = "query-side";

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(QuerySideApplication.class);
        application.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAME));
        application.run(args);
    }
}
