package io.tessera.infra.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.micrometer.core.instrument.MeterRegistry;
import io.tessera.events.user.Role;
import io.tessera.infra.security.Permission;
import io.tessera.infra.security.TokenIssuer;
import io.tessera.infra.tenancy.RequestTenant;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Every refusal of the shared web layer answers in the contract's envelope, with the right code. */
@SpringBootTest(
        classes = EnvelopeWebTest.App.class,
        properties = {
            "tessera.jwt.secret=" + EnvelopeWebTest.SECRET,
            "spring.autoconfigure.exclude="
                    + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                    + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"
        })
@AutoConfigureMockMvc
class EnvelopeWebTest {

    static final String SECRET = "envelope-test-secret-of-at-least-32-bytes";
    private static final TokenIssuer ISSUER = new TokenIssuer(SECRET, null);

    @Autowired
    MockMvc mvc;

    @Autowired
    MeterRegistry meters;

    @Test
    void countsRequestsPerTenant() throws Exception {
        mvc.perform(get("/api/echo").header("Authorization", bearer("initech", Role.VIEWER)));
        assertThat(meters.find("http.server.requests").tag("tenant", "initech").timer())
                .isNotNull()
                .satisfies(timer -> assertThat(timer.count()).isEqualTo(1));
    }

    @Test
    void answersWithTheEffectiveTenant() throws Exception {
        mvc.perform(get("/api/echo").header("Authorization", bearer("acme", Role.VIEWER)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.success").value(true))
                .andExpect(jsonPath("$.data").value("acme"))
                .andExpect(jsonPath("$.tenant_id").value("acme"));
    }

    @Test
    void refusesAMissingTokenWith401() throws Exception {
        mvc.perform(get("/api/echo"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.success").value(false))
                .andExpect(jsonPath("$.error.code").value("UNAUTHENTICATED"));
    }

    @Test
    void refusesAnInvalidTokenWith401() throws Exception {
        mvc.perform(get("/api/echo").header("Authorization", "Bearer not.a.token"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.error.code").value("UNAUTHENTICATED"));
    }

    @Test
    void refusesAForeignTenantWithoutNamingIt() throws Exception {
        mvc.perform(get("/api/echo")
                        .header("Authorization", bearer("acme", Role.VIEWER))
                        .header("X-Tenant-ID", "globex"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.error.code").value("TENANT_FORBIDDEN"))
                .andExpect(jsonPath("$.tenant_id").value("acme"));
        mvc.perform(get("/api/echo").param("tenant_id", "globex").header("Authorization", bearer("acme", Role.VIEWER)))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.error.code").value("TENANT_FORBIDDEN"));
    }

    @Test
    void refusesAMissingRoleWith403() throws Exception {
        mvc.perform(post("/api/echo")
                        .header("Authorization", bearer("acme", Role.VIEWER))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{}"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.error.code").value("FORBIDDEN"));
    }

    @Test
    void refusesMalformedJsonWith400() throws Exception {
        mvc.perform(post("/api/echo")
                        .header("Authorization", bearer("acme", Role.EDITOR))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{not json"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error.code").value("VALIDATION_FAILED"));
    }

    @Test
    void refusesAnOversizedBodyWith413() throws Exception {
        mvc.perform(post("/api/echo")
                        .header("Authorization", bearer("acme", Role.EDITOR))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"x\":\"" + "a".repeat((int) RequestSizeLimitFilter.DEFAULT_LIMIT) + "\"}"))
                .andExpect(status().isContentTooLarge())
                .andExpect(jsonPath("$.error.code").value("PAYLOAD_TOO_LARGE"));
    }

    @Test
    void answersAnUnknownApiPathWith404() throws Exception {
        mvc.perform(get("/api/nothing-here").header("Authorization", bearer("acme", Role.VIEWER)))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error.code").value("NOT_FOUND"));
    }

    @Test
    void answersAnUnknownPathWith404WithoutAToken() throws Exception {
        for (String path : new String[] {"/api/nothing-here", "/nope", "/actuator/env", "/api/echo/deeper"}) {
            mvc.perform(get(path))
                    .andExpect(status().isNotFound())
                    .andExpect(jsonPath("$.success").value(false))
                    .andExpect(jsonPath("$.error.code").value("NOT_FOUND"));
        }
    }

    @Test
    void hidesUnexpectedFailuresBehindAGenericMessage() throws Exception {
        mvc.perform(get("/api/boom").header("Authorization", bearer("acme", Role.VIEWER)))
                .andExpect(status().isInternalServerError())
                .andExpect(jsonPath("$.error.code").value("INTERNAL"))
                .andExpect(jsonPath("$.error.message").value("Internal error"));
    }

    @Test
    void answersAnUnavailableDatabaseWithA503WithoutItsText() throws Exception {
        mvc.perform(get("/api/database-away").header("Authorization", bearer("acme", Role.VIEWER)))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "2"))
                .andExpect(jsonPath("$.error.code").value("UNAVAILABLE"))
                .andExpect(jsonPath("$.error.message").value("Temporarily unavailable; retry later"))
                .andExpect(jsonPath("$.tenant_id").value("acme"));
    }

    private static String bearer(String tenant, Role role) {
        return "Bearer " + ISSUER.issue("ann", tenant, List.of(role), List.of(), false, Duration.ofMinutes(5));
    }

    @SpringBootApplication
    static class App {

        @RestController
        static class EchoController {

            @GetMapping("/api/echo")
            ApiResponse<String> echo(RequestTenant tenant) {
                return ApiResponse.ok(tenant.require(Permission.READ).tenantId(), tenant.tenantId());
            }

            @PostMapping("/api/echo")
            ApiResponse<String> write(RequestTenant tenant, @RequestBody java.util.Map<String, Object> body) {
                return ApiResponse.ok(tenant.require(Permission.WRITE).tenantId(), tenant.tenantId());
            }

            @GetMapping("/api/database-away")
            ApiResponse<String> databaseAway(RequestTenant tenant) {
                throw new org.springframework.jdbc.CannotGetJdbcConnectionException(
                        "Failed to obtain JDBC Connection",
                        new java.sql.SQLTransientConnectionException(
                                "HikariPool-1 - Connection is not available, SELECT * FROM secret_table", "08001"));
            }

            @GetMapping("/api/boom")
            ApiResponse<String> boom(RequestTenant tenant) {
                throw new IllegalStateException("SELECT * FROM secret_table WHERE tenant_id = 'globex'");
            }
        }
    }
}
