package io.tessera.command.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.events.deployment.CreateDeploymentPayload;
import io.tessera.events.workflow.CreateWorkflowPayload;
import io.tessera.infra.web.ApiExceptionHandler;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

class StrictRequestJsonTest {

    private final JsonMapper json = CommandBodyFuzzTest.httpJson();

    @Test
    void readsAWellFormedBody() {
        assertThat(json.readValue("{\"project_name\":\"shop\",\"url\":null}", CreateDeploymentPayload.class))
                .isEqualTo(new CreateDeploymentPayload("shop", null));
        CreateWorkflowPayload workflow =
                json.readValue("{\"name\":\"w\",\"config\":{\"n\":1,\"b\":true}}", CreateWorkflowPayload.class);
        assertThat(workflow.config()).isEqualTo(Map.of("n", 1, "b", true));
    }

    @Test
    void refusesUnknownFieldsNamingThem() {
        assertRefused("{\"project_name\":\"shop\",\"tenant_id\":\"other\"}", "tenant_id: unknown field");
    }

    @Test
    void refusesAKeyGivenTwice() {
        assertRefused("{\"project_name\":\"a\",\"project_name\":\"b\"}", "project_name: given more than once");
    }

    @Test
    void refusesScalarsOfTheWrongType() {
        assertRefused("{\"project_name\":123}", "project_name: not of the expected type");
        assertRefused("{\"project_name\":true}", "project_name: not of the expected type");
        assertRefused("{\"project_name\":1e309}", "project_name: not of the expected type");
        assertRefused("{\"project_name\":[\"a\"]}", "project_name: not of the expected type");
    }

    private void assertRefused(String body, String detail) {
        assertThatThrownBy(() -> json.readValue(body, CreateDeploymentPayload.class))
                .isInstanceOfSatisfying(
                        JacksonException.class,
                        e -> assertThat(ApiExceptionHandler.bodyProblems(e)).isEqualTo(List.of(detail)));
    }
}
