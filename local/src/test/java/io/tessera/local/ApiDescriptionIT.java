package io.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.tessera.events.user.Role;
import io.tessera.local.SecurityFixture.Answer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ApplicationContext;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * Each side's OpenAPI document as a client fetches it, without a token: valid OpenAPI 3.1, naming every
 * {@code /api} route the side maps (method and path), equal to its copy under {@code docs/api/}; and
 * springdoc's neighbouring paths answer 404 in the envelope, not 5xx nor an unasked-for Swagger UI.
 */
class ApiDescriptionIT {

    /** Set to rewrite the copies under docs/api/ from what the sides serve. */
    static final String REFRESH = "tessera.openapi.refresh";

    static final String REFRESH_COMMAND = "./mvnw -B -o -pl local -am verify -Dit.test=ApiDescriptionIT -Dtest=none"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false -D" + REFRESH + "=true";

    private static SecurityFixture system;

    @BeforeAll
    static void start(@TempDir Path home) {
        system = SecurityFixture.start(home);
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"command-side", "query-side"})
    void documentIsValidOpenApi31(String side) {
        String document = served(side);

        ParseOptions options = new ParseOptions();
        options.setValidateInternalRefs(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document, null, options);

        assertThat(parsed.getMessages())
                .as("%s: OpenAPI validation messages", side)
                .isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.1.");
        assertThat(parsed.getOpenAPI().getComponents().getSecuritySchemes()).containsKey("bearer_jwt");
        assertThat(parsed.getOpenAPI().getComponents().getSchemas()).containsKey("ErrorEnvelope");
    }

    @ParameterizedTest
    @ValueSource(strings = {"command-side", "query-side"})
    void everyApiRouteIsDocumented(String side) {
        JsonNode paths = SecurityFixture.JSON.readTree(served(side)).get("paths");
        Set<String> documented = new TreeSet<>();
        paths.properties()
                .forEach(path -> path.getValue()
                        .propertyNames()
                        .forEach(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));

        Set<String> mapped = new TreeSet<>();
        RequestMappingHandlerMapping mapping =
                context(side).getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
        mapping.getHandlerMethods()
                .keySet()
                .forEach(info -> info.getPatternValues().stream()
                        .filter(pattern -> pattern.startsWith("/api/"))
                        .forEach(pattern -> info.getMethodsCondition()
                                .getMethods()
                                .forEach(method -> mapped.add(method.name() + " " + pattern))));

        assertThat(mapped).as("%s: the /api routes Spring maps", side).isNotEmpty();
        assertThat(documented).as("%s: routes in /v3/api-docs", side).isEqualTo(mapped);
    }

    @ParameterizedTest
    @ValueSource(strings = {"command-side", "query-side"})
    void copyUnderDocsIsCurrent(String side) throws IOException {
        JsonNode served = SecurityFixture.JSON.readTree(served(side));
        Path copy = Path.of("..", "docs", "api", side + ".json");
        if (Boolean.getBoolean(REFRESH)) {
            Files.createDirectories(copy.getParent());
            Files.writeString(
                    copy, SecurityFixture.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(served) + "\n");
        }
        assertThat(Files.exists(copy))
                .as("docs/api/%s.json is missing; write it with: %s", side, REFRESH_COMMAND)
                .isTrue();
        assertThat(SecurityFixture.JSON.readTree(Files.readString(copy)))
                .as("docs/api/%s.json differs from what the side serves; refresh it with: %s", side, REFRESH_COMMAND)
                .isEqualTo(served);
    }

    @ParameterizedTest
    @ValueSource(strings = {"command-side", "query-side"})
    void springdocOpensNoOtherDoor(String side) {
        String token = system.token("openapi-probe", Role.VIEWER);
        for (String path : new String[] {
            "/v3/api-docs/anything",
            "/v3/api-docs/swagger-config",
            "/v3/api-docs/%2e%2e",
            "/swagger-ui.html",
            "/swagger-ui/index.html",
            "/swagger-ui/swagger-initializer.js"
        }) {
            for (String bearer : new String[] {null, token}) {
                Answer answer = system.call(base(side), "GET", path, bearer, null);
                assertThat(answer.status())
                        .as("%s GET %s: %s", side, path, answer.body())
                        .isBetween(400, 404);
                assertThat(answer.body()).as("%s GET %s", side, path).contains("\"success\":false");
            }
        }
        Answer post = system.call(base(side), "POST", "/v3/api-docs", null, "{}");
        assertThat(post.status())
                .as("%s POST /v3/api-docs: %s", side, post.body())
                .isBetween(400, 499);
        assertThat(post.body()).contains("\"success\":false");
        Answer xml = system.call(base(side), "GET", "/v3/api-docs", null, null, "Accept", "application/xml");
        assertThat(xml.status())
                .as("%s GET /v3/api-docs as XML: %s", side, xml.body())
                .isLessThan(500);
    }

    private static String served(String side) {
        Answer answer = system.call(base(side), "GET", "/v3/api-docs", null, null);
        assertThat(answer.status())
                .as("%s GET /v3/api-docs: %s", side, answer.body())
                .isEqualTo(200);
        return answer.body();
    }

    private static String base(String side) {
        return side.equals("command-side") ? system.run.commandSideUrl() : system.run.querySideUrl();
    }

    private static ApplicationContext context(String side) {
        return side.equals("command-side") ? system.run.commandSideContext() : system.run.querySideContext();
    }
}
