package io.tessera.infra.observability;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code TESSERA_LOG_FORMAT}: {@code text} (the default, one masked line per event) or {@code json} (one masked
 * JSON object per event, {@link JsonLogFormat}). Chooses the console appender of the shared Logback
 * configuration through {@code tessera.log.appender}, before logging starts; any other value stops the start
 * rather than log nothing. Also tags every metric with {@code application} (the side's name).
 */
public final class LogFormatEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    public static final String VARIABLE = "TESSERA_LOG_FORMAT";
    public static final String APPENDER_PROPERTY = "tessera.log.appender";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String format = environment.getProperty(VARIABLE, "text").trim().toLowerCase(Locale.ROOT);
        String appender = switch (format) {
            case "", "text" -> "CONSOLE";
            case "json" -> "JSON";
            default -> throw new IllegalStateException(VARIABLE + " must be text or json, not '" + format + "'");
        };
        Map<String, Object> values = new HashMap<>();
        values.put(APPENDER_PROPERTY, appender);
        values.put("management.metrics.tags.application", "${spring.application.name:tessera}");
        environment.getPropertySources().addLast(new MapPropertySource("tesseraObservability", values));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
