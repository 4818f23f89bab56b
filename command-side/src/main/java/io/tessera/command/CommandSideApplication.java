package io.tessera.command;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The command side. Its packaged configuration is {@code command-side.yml}, not {@code application.yml}, so that
 * the command side and the query side can share one classpath (the local runtime starts both in one JVM). An
 * operator's {@code application.yml} (in {@code ./}, {@code ./config/} or a directory named by {@code
 * SPRING_CONFIG_ADDITIONAL_LOCATION}) is read too, and a {@code command-side.yml} beside it wins over it.
 */
@SpringBootApplication
public class CommandSideApplication {

    public static final String CONFIG_NAME = "command-side";

    /** Later names win: the side's own file over the operator's shared {@code application.yml}. */
    public static final String CONFIG_NAMES = "application," + CONFIG_NAME;

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(CommandSideApplication.class);
        application.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAMES));
        application.run(args);
    }
}
