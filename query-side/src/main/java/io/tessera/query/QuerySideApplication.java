package io.tessera.query;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The query side. Its packaged configuration is {@code query-side.yml}, not {@code application.yml}, so that
 * the command side and the query side can share one classpath (the local runtime starts both in one JVM). An
 * operator's {@code application.yml} (in {@code ./}, {@code ./config/} or a directory named by {@code
 * SPRING_CONFIG_ADDITIONAL_LOCATION}) is read too, and a {@code query-side.yml} beside it wins over it.
 */
@SpringBootApplication
public class QuerySideApplication {

    public static final String CONFIG_NAME = "query-side";

    /** Later names win: the side's own file over the operator's shared {@code application.yml}. */
    public static final String CONFIG_NAMES = "application," + CONFIG_NAME;

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(QuerySideApplication.class);
        application.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAMES));
        application.run(args);
    }
}
