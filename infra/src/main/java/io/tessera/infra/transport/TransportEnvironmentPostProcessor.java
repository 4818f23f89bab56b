package io.tessera.infra.transport;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;

/**
 * Maps the {@code TESSERA_TLS_*} and {@code TESSERA_KAFKA_*} variables onto Spring's own properties, each only
 * when its variable is set (a PEM bundle with empty locations, or an empty trust-store location, would fail
 * the start):
 *
 * <ul>
 *   <li>{@code TESSERA_TLS_CERT} + {@code TESSERA_TLS_KEY} (+ {@code TESSERA_TLS_KEY_PASSWORD}): the PEM SSL
 *       bundle {@code tessera} and {@code server.ssl.bundle=tessera}: the side serves HTTPS on its usual port.
 *       {@code TESSERA_TLS_CLIENT_CA} adds the bundle's trust store and {@code server.ssl.client-auth=need}
 *       (mutual TLS). One without the other of cert and key is a start failure.
 *   <li>{@code TESSERA_KAFKA_SECURITY_PROTOCOL} ({@code PLAINTEXT}, {@code SSL}, {@code SASL_PLAINTEXT},
 *       {@code SASL_SSL}), {@code TESSERA_KAFKA_SASL_MECHANISM}, {@code TESSERA_KAFKA_SASL_JAAS_CONFIG},
 *       {@code TESSERA_KAFKA_TRUSTSTORE_LOCATION} / {@code _PASSWORD} / {@code _TYPE}: {@code spring.kafka.*},
 *       which every Boot-built producer, consumer and admin client of both sides reads.
 * </ul>
 *
 * The values go in below the configuration files, so a {@code spring.*} key set explicitly (file, command
 * line) still wins. A value that is neither PEM text nor a URL ({@code file:}, {@code classpath:}) is a
 * file path.
 */
public final class TransportEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    public static final String PROPERTY_SOURCE = "tesseraTransport";
    public static final String BUNDLE = "tessera";

    static final String TLS_CERT = "TESSERA_TLS_CERT";
    static final String TLS_KEY = "TESSERA_TLS_KEY";
    static final String TLS_KEY_PASSWORD = "TESSERA_TLS_KEY_PASSWORD";
    static final String TLS_CLIENT_CA = "TESSERA_TLS_CLIENT_CA";
    static final String KAFKA_SECURITY_PROTOCOL = "TESSERA_KAFKA_SECURITY_PROTOCOL";
    static final String KAFKA_SASL_MECHANISM = "TESSERA_KAFKA_SASL_MECHANISM";
    static final String KAFKA_SASL_JAAS_CONFIG = "TESSERA_KAFKA_SASL_JAAS_CONFIG";
    static final String KAFKA_TRUSTSTORE_LOCATION = "TESSERA_KAFKA_TRUSTSTORE_LOCATION";
    static final String KAFKA_TRUSTSTORE_PASSWORD = "TESSERA_KAFKA_TRUSTSTORE_PASSWORD";
    static final String KAFKA_TRUSTSTORE_TYPE = "TESSERA_KAFKA_TRUSTSTORE_TYPE";

    private static final Set<String> SECURITY_PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final Set<String> SASL_MECHANISMS =
            Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "GSSAPI", "OAUTHBEARER");
    /** A URL scheme of two or more letters, so that {@code C:\...} stays a path. */
    private static final Pattern URL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]+:.*", Pattern.DOTALL);

    private static final String PEM = "spring.ssl.bundle.pem." + BUNDLE + ".";

    @Override
    public int getOrder() {
        // After the configuration files are loaded, so the variables may also come from there.
        return ConfigDataEnvironmentPostProcessor.ORDER + 1;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> properties = properties(environment);
        if (properties.isEmpty()) {
            return;
        }
        MutablePropertySources sources = environment.getPropertySources();
        MapPropertySource source = new MapPropertySource(PROPERTY_SOURCE, properties);
        sources.remove(PROPERTY_SOURCE);
        if (sources.contains("defaultProperties")) {
            sources.addBefore("defaultProperties", source);
        } else {
            sources.addLast(source);
        }
    }

    /** The Spring properties the transport variables of this environment stand for; empty without any. */
    static Map<String, Object> properties(ConfigurableEnvironment environment) {
        Map<String, Object> properties = new LinkedHashMap<>();
        https(environment, properties);
        kafka(environment, properties);
        return properties;
    }

    private static void https(ConfigurableEnvironment environment, Map<String, Object> properties) {
        String cert = variable(environment, TLS_CERT);
        String key = variable(environment, TLS_KEY);
        String clientCa = variable(environment, TLS_CLIENT_CA);
        if (cert == null && key == null) {
            if (clientCa != null || variable(environment, TLS_KEY_PASSWORD) != null) {
                throw new IllegalStateException(
                        TLS_CLIENT_CA + " and " + TLS_KEY_PASSWORD + " need " + TLS_CERT + " and " + TLS_KEY);
            }
            return;
        }
        if (cert == null || key == null) {
            throw new IllegalStateException("HTTPS needs both " + TLS_CERT + " and " + TLS_KEY + "; only "
                    + (cert == null ? TLS_KEY : TLS_CERT) + " is set");
        }
        properties.put(PEM + "keystore.certificate", location(cert));
        properties.put(PEM + "keystore.private-key", location(key));
        String keyPassword = variable(environment, TLS_KEY_PASSWORD);
        if (keyPassword != null) {
            properties.put(PEM + "keystore.private-key-password", keyPassword);
        }
        properties.put("server.ssl.bundle", BUNDLE);
        if (clientCa != null) {
            properties.put(PEM + "truststore.certificate", location(clientCa));
            properties.put("server.ssl.client-auth", "need");
        }
    }

    private static void kafka(ConfigurableEnvironment environment, Map<String, Object> properties) {
        String protocol = variable(environment, KAFKA_SECURITY_PROTOCOL);
        if (protocol != null) {
            protocol = protocol.toUpperCase(Locale.ROOT);
            if (!SECURITY_PROTOCOLS.contains(protocol)) {
                throw new IllegalStateException(
                        KAFKA_SECURITY_PROTOCOL + " must be one of " + SECURITY_PROTOCOLS + ", not " + protocol);
            }
            properties.put("spring.kafka.security.protocol", protocol);
        }
        String mechanism = variable(environment, KAFKA_SASL_MECHANISM);
        if (mechanism != null) {
            mechanism = mechanism.toUpperCase(Locale.ROOT);
            if (!SASL_MECHANISMS.contains(mechanism)) {
                throw new IllegalStateException(
                        KAFKA_SASL_MECHANISM + " must be one of " + SASL_MECHANISMS + ", not " + mechanism);
            }
            properties.put("spring.kafka.properties.sasl.mechanism", mechanism);
        }
        String jaas = variable(environment, KAFKA_SASL_JAAS_CONFIG);
        if (jaas != null) {
            properties.put("spring.kafka.properties.sasl.jaas.config", jaas);
        }
        String trustStore = variable(environment, KAFKA_TRUSTSTORE_LOCATION);
        String trustStorePassword = variable(environment, KAFKA_TRUSTSTORE_PASSWORD);
        String trustStoreType = variable(environment, KAFKA_TRUSTSTORE_TYPE);
        if (trustStore == null) {
            if (trustStorePassword != null || trustStoreType != null) {
                throw new IllegalStateException(KAFKA_TRUSTSTORE_PASSWORD + " and " + KAFKA_TRUSTSTORE_TYPE + " need "
                        + KAFKA_TRUSTSTORE_LOCATION);
            }
            return;
        }
        if (trustStoreType == null && isPemFile(trustStore)) {
            trustStoreType = "PEM";
        }
        if (trustStoreType != null) {
            trustStoreType = trustStoreType.toUpperCase(Locale.ROOT);
        }
        if ("PEM".equals(trustStoreType) && trustStorePassword != null) {
            // Kafka refuses a password on a PEM trust store; say so before the first client does.
            throw new IllegalStateException(KAFKA_TRUSTSTORE_PASSWORD + " cannot be used with a PEM trust store");
        }
        properties.put("spring.kafka.ssl.trust-store-location", location(trustStore));
        if (trustStoreType != null) {
            properties.put("spring.kafka.ssl.trust-store-type", trustStoreType);
        }
        if (trustStorePassword != null) {
            properties.put("spring.kafka.ssl.trust-store-password", trustStorePassword);
        }
    }

    private static boolean isPemFile(String location) {
        String lower = location.toLowerCase(Locale.ROOT);
        return lower.endsWith(".pem") || lower.endsWith(".crt") || lower.endsWith(".cer");
    }

    /** PEM text and URLs as they are, anything else as a file path. */
    static String location(String value) {
        if (value.startsWith("-----BEGIN") || URL.matcher(value).matches()) {
            return value;
        }
        return "file:" + value;
    }

    private static String variable(ConfigurableEnvironment environment, String name) {
        String value = environment.getProperty(name);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
