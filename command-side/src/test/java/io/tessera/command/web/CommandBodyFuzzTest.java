package io.tessera.command.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tessera.command.Validation;
import io.tessera.command.deployment.CreateDeployment;
import io.tessera.command.deployment.UpdateDeployment;
import io.tessera.command.intake.CommandExecutor;
import io.tessera.command.intake.CommandOutcome;
import io.tessera.command.intake.CommandRequest;
import io.tessera.command.intake.TenantGate;
import io.tessera.command.user.CreateUser;
import io.tessera.command.workflow.CreateWorkflow;
import io.tessera.command.workflow.UpdateWorkflow;
import io.tessera.events.user.Role;
import io.tessera.infra.pii.InMemoryKeySource;
import io.tessera.infra.pii.PiiVault;
import io.tessera.infra.security.Caller;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.tenancy.RequestTenantArgumentResolver;
import io.tessera.infra.web.ApiExceptionHandler;
import java.lang.reflect.Constructor;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fuzzes the JSON binding of the command side's request bodies through the real controllers, message
 * converter (Boot's lenient defaults plus {@link StrictRequestJson}, as the running side has them) and
 * {@link ApiExceptionHandler}. Invariant: arbitrary bytes are either a 202 whose command is valid and of the
 * caller's tenant, or a 400 VALIDATION_FAILED envelope; never a 5xx, never another status.
 */
class CommandBodyFuzzTest {

    private static final String TENANT = "acme";
    private static final String[][] ENDPOINTS = {
        {"POST", "/api/deployments"},
        {"PATCH", "/api/deployments/0b4c7c4e-8b2a-4c8e-9d43-2f4f6a1f0e11"},
        {"POST", "/api/workflows"},
        {"PATCH", "/api/workflows/0b4c7c4e-8b2a-4c8e-9d43-2f4f6a1f0e11"},
        {"POST", "/api/users"}
    };

    static final JsonMapper HTTP_JSON = httpJson();
    private static final AtomicReference<Object> dispatched = new AtomicReference<>();
    private static final MockMvc MVC = mvc();
    private static final RequestTenant CALLER =
            new RequestTenant(TENANT, new Caller("fuzzer", TENANT, Set.of(Role.ADMIN), Set.of(), false));

    /** As Boot builds the HTTP mapper (FAIL_ON_UNKNOWN_PROPERTIES off), then the command side's customizer. */
    static JsonMapper httpJson() {
        JsonMapper.Builder builder = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        StrictRequestJson.apply(builder);
        return builder.build();
    }

    @FuzzTest(maxDuration = "60s")
    void requestBodiesBindOrAreRefused(FuzzedDataProvider data) throws Exception {
        String[] endpoint = ENDPOINTS[data.consumeInt(0, ENDPOINTS.length - 1)];
        byte[] body = data.consumeRemainingAsBytes();
        dispatched.set(null);

        MockHttpServletResponse response = MVC.perform(request(HttpMethod.valueOf(endpoint[0]), endpoint[1])
                        .requestAttr(RequestTenant.class.getName(), CALLER)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .andReturn()
                .getResponse();

        int status = response.getStatus();
        JsonNode envelope = HTTP_JSON.readTree(response.getContentAsByteArray());
        assertThat(status).as(response.getContentAsString()).isIn(202, 400);
        if (status == 400) {
            assertThat(envelope.path("success").asBoolean(true)).isFalse();
            assertThat(envelope.path("error").path("code").asString()).isEqualTo("VALIDATION_FAILED");
            assertThat(dispatched.get()).isNull();
        } else {
            assertValid(dispatched.get());
        }
    }

    /** What reached the executor passes the aggregates' own rules and is of the caller's tenant. */
    private static void assertValid(Object command) {
        assertThat(command).isNotNull();
        if (command instanceof CreateDeployment c) {
            assertThat(c.tenantId()).isEqualTo(TENANT);
            assertThat(Validation.problems(
                            Validation.name("project_name", c.projectName()), Validation.optionalUrl("url", c.url())))
                    .isEmpty();
        } else if (command instanceof UpdateDeployment u) {
            assertThat(u.tenantId()).isEqualTo(TENANT);
            assertThat(Validation.optionalUrl("url", u.url())).isNull();
        } else if (command instanceof CreateWorkflow c) {
            assertThat(c.tenantId()).isEqualTo(TENANT);
            assertThat(Validation.problems(Validation.name("name", c.name()), Validation.config("config", c.config())))
                    .isEmpty();
        } else if (command instanceof UpdateWorkflow u) {
            assertThat(u.tenantId()).isEqualTo(TENANT);
            if (u.name() != null) {
                assertThat(Validation.name("name", u.name())).isNull();
            }
        } else if (command instanceof CreateUser c) {
            assertThat(c.tenantId()).isEqualTo(TENANT);
            assertThat(Validation.email("email", c.email())).isNull();
            assertThat(c.role()).isNotNull();
        } else {
            throw new AssertionError("Unexpected command " + command);
        }
    }

    private static MockMvc mvc() {
        CommandExecutor executor = mock(CommandExecutor.class);
        when(executor.execute(any())).thenAnswer(invocation -> {
            CommandRequest request = invocation.getArgument(0);
            dispatched.set(request.command());
            return new CommandOutcome(
                    request.commandId(), request.tenantId(), true, request.resourceId(), 1L, null, null, null);
        });
        return MockMvcBuilders.standaloneSetup(
                        controller("io.tessera.command.deployment.DeploymentController", executor),
                        controller("io.tessera.command.workflow.WorkflowController", executor),
                        controller("io.tessera.command.user.UserController", executor))
                .setControllerAdvice(new ApiExceptionHandler())
                .setCustomArgumentResolvers(new RequestTenantArgumentResolver(), new IdempotentRequests.KeyResolver())
                .setMessageConverters(new JacksonJsonHttpMessageConverter(HTTP_JSON))
                .build();
    }

    private static Object controller(String className, CommandExecutor executor) {
        try {
            Constructor<?> constructor = Class.forName(className).getDeclaredConstructors()[0];
            constructor.setAccessible(true);
            PiiVault vault = new PiiVault(new InMemoryKeySource());
            TenantGate openGate = mock(TenantGate.class);
            Object[] arguments = java.util.Arrays.stream(constructor.getParameterTypes())
                    .map(type -> type == PiiVault.class ? vault : type == TenantGate.class ? openGate : executor)
                    .toArray();
            return constructor.newInstance(arguments);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(className, e);
        }
    }
}
