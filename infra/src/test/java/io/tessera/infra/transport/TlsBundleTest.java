package io.tessera.infra.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.infra.transport.TestCertificates.Identity;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code TESSERA_TLS_*} turn a side's port into HTTPS through the PEM bundle {@code tessera}; without them it
 * stays plain HTTP. Each case starts a real application (Tomcat on a random port) with the variables as
 * command-line properties, so the post-processor runs from {@code spring.factories} as in production.
 */
class TlsBundleTest {

    private static final String JWT_SECRET = "tls-bundle-test-secret-of-at-least-32-bytes";

    @TempDir
    static Path directory;

    static Identity server;
    static Identity client;

    @BeforeAll
    static void certificates() throws Exception {
        server = TestCertificates.selfSigned(directory, "server");
        client = TestCertificates.selfSigned(directory, "client");
    }

    @Test
    void servesHttpsThroughTheTesseraBundle() throws Exception {
        try (ConfigurableApplicationContext context =
                start("--TESSERA_TLS_CERT=" + server.certificatePem(), "--TESSERA_TLS_KEY=" + server.privateKeyPem())) {
            assertThat(context.getEnvironment().getProperty("server.ssl.bundle"))
                    .isEqualTo("tessera");
            int port = port(context);

            HttpResponse<String> health = get(server.trustingIt(), "https://localhost:" + port + "/actuator/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"UP\"");

            HttpResponse<String> api = get(server.trustingIt(), "https://localhost:" + port + "/api/anything");
            assertThat(api.statusCode()).isEqualTo(404);
            assertThat(api.body()).contains("NOT_FOUND");

            assertThatThrownBy(() -> get(SSLContext.getDefault(), "https://localhost:" + port + "/actuator/health"))
                    .as("a client that does not trust the certificate")
                    .isInstanceOf(IOException.class);
            assertPlainHttpRefused(port);
        }
    }

    @Test
    void takesAnEncryptedKeyWithItsPassword() throws Exception {
        Path encrypted = server.encryptedPrivateKeyPem("key-secret");
        try (ConfigurableApplicationContext context = start(
                "--TESSERA_TLS_CERT=file:" + server.certificatePem(),
                "--TESSERA_TLS_KEY=" + encrypted,
                "--TESSERA_TLS_KEY_PASSWORD=key-secret")) {
            HttpResponse<String> health =
                    get(server.trustingIt(), "https://localhost:" + port(context) + "/actuator/health");
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void requiresAClientCertificateSignedByTheClientCa() throws Exception {
        // The client's self-signed certificate is its own CA.
        try (ConfigurableApplicationContext context = start(
                "--TESSERA_TLS_CERT=" + server.certificatePem(),
                "--TESSERA_TLS_KEY=" + server.privateKeyPem(),
                "--TESSERA_TLS_CLIENT_CA=" + client.certificatePem())) {
            String health = "https://localhost:" + port(context) + "/actuator/health";
            assertThat(get(server.trustingItPresenting(client), health).statusCode())
                    .isEqualTo(200);
            assertThatThrownBy(() -> get(server.trustingIt(), health))
                    .as("no client certificate")
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> get(server.trustingItPresenting(server), health))
                    .as("a client certificate the CA did not sign")
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void staysOnPlainHttpWithoutTheVariables() throws Exception {
        try (ConfigurableApplicationContext context = start()) {
            assertThat(context.getEnvironment().getProperty("server.ssl.bundle"))
                    .isNull();
            assertThat(context.getEnvironment()
                            .getPropertySources()
                            .contains(TransportEnvironmentPostProcessor.PROPERTY_SOURCE))
                    .isFalse();
            HttpResponse<String> health = get(null, "http://localhost:" + port(context) + "/actuator/health");
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void refusesToStartWithACertificateButNoKey() {
        assertThatThrownBy(() -> start("--TESSERA_TLS_CERT=" + server.certificatePem()))
                .hasStackTraceContaining("TESSERA_TLS_KEY");
    }

    private static void assertPlainHttpRefused(int port) {
        HttpResponse<String> answer;
        try {
            answer = get(null, "http://localhost:" + port + "/actuator/health");
        } catch (IOException e) {
            return; // the connection dropped: refused
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        // Tomcat answers plain HTTP on a TLS port with its own 400 "requires TLS" page, never the endpoint.
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).doesNotContain("UP");
    }

    private static HttpResponse<String> get(SSLContext ssl, String url) throws IOException, InterruptedException {
        HttpClient.Builder builder =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1);
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        return builder.build()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static int port(ConfigurableApplicationContext context) {
        return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    private static ConfigurableApplicationContext start(String... arguments) {
        List<String> all = new ArrayList<>(List.of(
                "--server.port=0",
                "--tessera.jwt.secret=" + JWT_SECRET,
                "--spring.main.banner-mode=off",
                "--spring.main.log-startup-info=false"));
        all.addAll(List.of(arguments));
        return new SpringApplicationBuilder(App.class).run(all.toArray(String[]::new));
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration(
            excludeName = {
                "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"
            })
    static class App {}
}
