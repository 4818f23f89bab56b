package io.tessera.infra.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.mock.env.MockEnvironment;

/**
 * {@code TESSERA_KAFKA_*} reach every Kafka client Boot builds for a side: the producer factory (behind the
 * command side's {@code KafkaTemplate}), the consumer factory (behind every {@code @KafkaListener}) and the
 * admin (topic creation); unset variables add nothing.
 */
class KafkaTransportPropertiesTest {

    @TempDir
    Path directory;

    @Test
    void saslOverTlsWithAPemTrustStoreReachesProducerConsumerAndAdmin() throws Exception {
        Path ca = TestCertificates.selfSigned(directory, "broker-ca").certificatePem();
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"tessera\" password=\"s3cret\";";
        try (ConfigurableApplicationContext context = start(
                "--TESSERA_KAFKA_SECURITY_PROTOCOL=SASL_SSL",
                "--TESSERA_KAFKA_SASL_MECHANISM=SCRAM-SHA-512",
                "--TESSERA_KAFKA_SASL_JAAS_CONFIG=" + jaas,
                "--TESSERA_KAFKA_TRUSTSTORE_LOCATION=" + ca)) {
            Map<String, Object> expected = Map.of(
                    "security.protocol", "SASL_SSL",
                    "sasl.mechanism", "SCRAM-SHA-512",
                    "sasl.jaas.config", jaas,
                    "ssl.truststore.location", ca.toAbsolutePath().toString(),
                    "ssl.truststore.type", "PEM");
            for (Map<String, Object> clientConfig : clients(context)) {
                assertThat(clientConfig).containsAllEntriesOf(expected).doesNotContainKey("ssl.truststore.password");
            }
        }
    }

    @Test
    void tlsWithAPasswordProtectedTrustStore() throws Exception {
        Path trustStore = TestCertificates.selfSigned(directory, "broker").pkcs12();
        try (ConfigurableApplicationContext context = start(
                "--TESSERA_KAFKA_SECURITY_PROTOCOL=ssl",
                "--TESSERA_KAFKA_TRUSTSTORE_LOCATION=" + trustStore,
                "--TESSERA_KAFKA_TRUSTSTORE_PASSWORD=changeit",
                "--TESSERA_KAFKA_TRUSTSTORE_TYPE=PKCS12")) {
            for (Map<String, Object> clientConfig : clients(context)) {
                assertThat(clientConfig)
                        .containsEntry("security.protocol", "SSL")
                        .containsEntry(
                                "ssl.truststore.location",
                                trustStore.toAbsolutePath().toString())
                        .containsEntry("ssl.truststore.password", "changeit")
                        .containsEntry("ssl.truststore.type", "PKCS12")
                        .doesNotContainKeys("sasl.mechanism", "sasl.jaas.config");
            }
        }
    }

    @Test
    void withoutVariablesTheClientsStayOnKafkasDefaults() {
        try (ConfigurableApplicationContext context = start()) {
            for (Map<String, Object> clientConfig : clients(context)) {
                assertThat(clientConfig)
                        .doesNotContainKeys(
                                "security.protocol",
                                "sasl.mechanism",
                                "sasl.jaas.config",
                                "ssl.truststore.location",
                                "ssl.truststore.type");
            }
        }
    }

    @Test
    void explicitSpringKafkaPropertiesStillWin() {
        try (ConfigurableApplicationContext context =
                start("--TESSERA_KAFKA_SECURITY_PROTOCOL=SASL_SSL", "--spring.kafka.security.protocol=SSL")) {
            assertThat(context.getBean(KafkaProperties.class).buildProducerProperties())
                    .containsEntry("security.protocol", "SSL");
        }
    }

    @Test
    void unsetOrBlankVariablesMapToNothing() {
        assertThat(TransportEnvironmentPostProcessor.properties(new MockEnvironment()))
                .isEmpty();
        assertThat(TransportEnvironmentPostProcessor.properties(new MockEnvironment()
                        .withProperty("TESSERA_TLS_CERT", "")
                        .withProperty("TESSERA_TLS_KEY", " ")
                        .withProperty("TESSERA_KAFKA_SECURITY_PROTOCOL", "")))
                .isEmpty();
    }

    @Test
    void refusesValuesKafkaWouldRefuseLater() {
        assertThatThrownBy(() -> TransportEnvironmentPostProcessor.properties(
                        new MockEnvironment().withProperty("TESSERA_KAFKA_SECURITY_PROTOCOL", "TLS")))
                .hasMessageContaining("TESSERA_KAFKA_SECURITY_PROTOCOL");
        assertThatThrownBy(() -> TransportEnvironmentPostProcessor.properties(
                        new MockEnvironment().withProperty("TESSERA_KAFKA_SASL_MECHANISM", "SCRAM-SHA-1")))
                .hasMessageContaining("TESSERA_KAFKA_SASL_MECHANISM");
        assertThatThrownBy(() -> TransportEnvironmentPostProcessor.properties(new MockEnvironment()
                        .withProperty("TESSERA_KAFKA_TRUSTSTORE_LOCATION", "/etc/kafka/ca.pem")
                        .withProperty("TESSERA_KAFKA_TRUSTSTORE_PASSWORD", "x")))
                .hasMessageContaining("PEM");
        assertThatThrownBy(() -> TransportEnvironmentPostProcessor.properties(
                        new MockEnvironment().withProperty("TESSERA_KAFKA_TRUSTSTORE_TYPE", "JKS")))
                .hasMessageContaining("TESSERA_KAFKA_TRUSTSTORE_LOCATION");
        assertThatThrownBy(() -> TransportEnvironmentPostProcessor.properties(
                        new MockEnvironment().withProperty("TESSERA_TLS_KEY", "/etc/tls/key.pem")))
                .hasMessageContaining("TESSERA_TLS_CERT");
        assertThatThrownBy(() -> TransportEnvironmentPostProcessor.properties(
                        new MockEnvironment().withProperty("TESSERA_TLS_CLIENT_CA", "/etc/tls/ca.pem")))
                .hasMessageContaining("TESSERA_TLS_CERT");
    }

    @Test
    void pathsBecomeFileUrlsAndEverythingElseStays() {
        assertThat(TransportEnvironmentPostProcessor.location("/etc/tls/cert.pem"))
                .isEqualTo("file:/etc/tls/cert.pem");
        assertThat(TransportEnvironmentPostProcessor.location("certs/cert.pem")).isEqualTo("file:certs/cert.pem");
        assertThat(TransportEnvironmentPostProcessor.location("C:\\tls\\cert.pem"))
                .isEqualTo("file:C:\\tls\\cert.pem");
        assertThat(TransportEnvironmentPostProcessor.location("classpath:tls/cert.pem"))
                .isEqualTo("classpath:tls/cert.pem");
        assertThat(TransportEnvironmentPostProcessor.location("file:/etc/tls/cert.pem"))
                .isEqualTo("file:/etc/tls/cert.pem");
        String inline = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        assertThat(TransportEnvironmentPostProcessor.location(inline)).isEqualTo(inline);
    }

    private static List<Map<String, Object>> clients(ConfigurableApplicationContext context) {
        return List.of(
                context.getBean(ProducerFactory.class).getConfigurationProperties(),
                context.getBean(ConsumerFactory.class).getConfigurationProperties(),
                context.getBean(KafkaAdmin.class).getConfigurationProperties(),
                context.getBean(KafkaProperties.class).buildProducerProperties(),
                context.getBean(KafkaProperties.class).buildConsumerProperties(),
                context.getBean(KafkaProperties.class).buildAdminProperties());
    }

    private static ConfigurableApplicationContext start(String... arguments) {
        List<String> all =
                new ArrayList<>(List.of("--spring.main.banner-mode=off", "--spring.main.log-startup-info=false"));
        all.addAll(List.of(arguments));
        return new SpringApplicationBuilder(KafkaApp.class)
                .web(WebApplicationType.NONE)
                .run(all.toArray(String[]::new));
    }

    @SpringBootConfiguration
    @ImportAutoConfiguration({SslAutoConfiguration.class, KafkaAutoConfiguration.class})
    static class KafkaApp {}
}
