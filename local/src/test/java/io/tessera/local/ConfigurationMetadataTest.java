package io.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * Every {@code tessera.*} setting either side reads, from its packaged yml or from an {@code @Value} in the code,
 * has configuration metadata on the classpath (generated from the settings classes, or written beside them), so an
 * IDE completes and explains it in an operator's {@code application.yml}.
 */
class ConfigurationMetadataTest {

    private static final Pattern VALUE_PLACEHOLDER = Pattern.compile("\\$\\{(tessera\\.[a-z0-9.-]+)[:}]");

    @Test
    void everyTesseraSettingIsDescribed() throws IOException {
        Set<String> described = described();
        Set<String> read = new TreeSet<>();
        for (String config : new String[] {"command-side.yml", "query-side.yml"}) {
            try (InputStream yml = getClass().getClassLoader().getResourceAsStream(config)) {
                Map<String, Object> tree = new Yaml().load(yml);
                flatten("", tree, read);
            }
        }
        read.removeIf(key -> !key.startsWith("tessera."));
        for (String module : new String[] {"infra", "command-side", "query-side"}) {
            try (Stream<Path> sources = Files.walk(Path.of("..", module, "src", "main", "java"))) {
                for (Path source :
                        sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher placeholder = VALUE_PLACEHOLDER.matcher(Files.readString(source));
                    while (placeholder.find()) {
                        read.add(placeholder.group(1));
                    }
                }
            }
        }

        assertThat(read).hasSizeGreaterThan(30);
        assertThat(read).as("tessera.* settings without metadata").allMatch(described::contains);
    }

    private static Set<String> described() throws IOException {
        Set<String> names = new TreeSet<>();
        for (URL metadata : Collections.list(ConfigurationMetadataTest.class
                .getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            JsonNode properties;
            try (InputStream in = metadata.openStream()) {
                properties = SecurityFixture.JSON.readTree(in).path("properties");
            }
            properties.forEach(property -> names.add(property.get("name").asString()));
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> tree, Set<String> keys) {
        tree.forEach((key, value) -> {
            String name = prefix.isEmpty() ? key : prefix + "." + key;
            if (value instanceof Map<?, ?> child) {
                flatten(name, (Map<String, Object>) child, keys);
            } else {
                keys.add(name);
            }
        });
    }
}
