package io.tessera.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.tessera.events.intake.CommandEnvelope;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * {@code docs/api/asyncapi.yaml} says what the code writes: every pinned example of
 * {@link PublishedLanguageContractTest} validates against its schema (and stops validating with a field too many or
 * too few), every event type of the catalog has a message on {@code tessera.events} and a schema of its data, every
 * command payload and envelope of the code has a schema, and no schema names a type the code does not have.
 */
class AsyncApiDocumentTest {

    private static final Path DOCUMENT = Path.of("..", "docs", "api", "asyncapi.yaml");
    private static final JsonNode ASYNCAPI = new YAMLMapper().readTree(DOCUMENT.toFile());
    private static final SchemaRegistry VALIDATOR = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> COMMAND_TYPES = CommandEnvelope.TYPES;
    /** Records and enums of the published language that travel only inside another one. */
    private static final Set<String> NESTED =
            Set.of("TenantQuotas", "QuotaResource", "DeploymentStatus", "WorkflowStatus", "Role");

    static Stream<Arguments> pinned() {
        return PublishedLanguageContractTest.publishedLanguage();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pinned")
    void everyPinnedExampleValidatesAgainstItsSchema(String name, Object message, String json) {
        String schema = schemaOf(message);

        assertThat(errors(schema, JSON.readTree(json))).as(schema).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pinned")
    void eventDataWithAFieldTooManyOrTooFewIsRefused(String name, Object message, String json) {
        if (!EventCatalog.all().containsKey(message.getClass())) {
            return;
        }
        String schema = schemaOf(message);
        ObjectNode tooMany = (ObjectNode) JSON.readTree(json);
        tooMany.put("unexpected", 1);
        ObjectNode tooFew = (ObjectNode) JSON.readTree(json);
        tooFew.remove("tenant_id");

        assertThat(errors(schema, tooMany))
                .as(schema + " with a field too many")
                .isNotEmpty();
        assertThat(errors(schema, tooFew)).as(schema + " without tenant_id").isNotEmpty();
    }

    @Test
    void aSignedEventValidatesAndAnEventOfAnotherShapeDoesNot() {
        ObjectNode signed = (ObjectNode) JSON.readTree(PublishedLanguageContractTest.PINNED_ENVELOPE);
        signed.put(EventEnvelope.KEYID, "ed25519-0123456789abcdef");
        signed.put(EventEnvelope.SIGNATURE, "c2lnbmF0dXJl+/==");
        ObjectNode unpaired = signed.deepCopy();
        unpaired.remove(EventEnvelope.SIGNATURE);
        ObjectNode numericPosition = signed.deepCopy();
        numericPosition.put(EventEnvelope.POSITION, PublishedLanguageContractTest.POSITION_ABOVE_2_POW_31);
        String creation = "#/components/messages/tessera.deployment.created.v2/payload";

        assertThat(errors(creation, signed)).isEmpty();
        assertThat(errors(creation, unpaired)).isNotEmpty();
        assertThat(errors(creation, numericPosition)).isNotEmpty();
        assertThat(errors("#/components/messages/tessera.deployment.deleted.v1/payload", signed))
                .isNotEmpty();
    }

    @Test
    void everyEventTypeOfTheCatalogHasAMessageAndADataSchemaAndNoOtherTypeHas() {
        Set<String> types = Set.copyOf(EventCatalog.all().values());

        assertThat(fieldNames(ASYNCAPI.at("/channels/events/messages"))).isEqualTo(types);
        assertThat(ASYNCAPI.at("/operations/publishEvents/messages")
                        .valueStream()
                        .map(ref -> ref.path("$ref").asString().replace("#/channels/events/messages/", ""))
                        .collect(Collectors.toSet()))
                .isEqualTo(types);
        assertThat(eventTypesAmong(fieldNames(ASYNCAPI.at("/components/messages"))))
                .isEqualTo(types);
        assertThat(eventTypesAmong(fieldNames(ASYNCAPI.at("/components/schemas"))))
                .isEqualTo(types);
        for (String type : types) {
            assertThat(ASYNCAPI.at("/components/messages/" + type + "/payload/allOf/1/properties/type/const")
                            .asString())
                    .isEqualTo(type);
        }
    }

    @Test
    void everyRecordOnTheWireHasASchemaAndEverySchemaIsOfARecordOfTheCode() {
        Set<String> published = new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.tessera.events")
                        .stream()
                        .filter(type -> type.isRecord() || type.isEnum())
                        .filter(type -> !type.isNestedClass())
                        .map(JavaClass::getSimpleName)
                        .collect(Collectors.toSet());
        Set<String> onTheWire = published.stream()
                .filter(name -> name.endsWith("Payload") || name.endsWith("Envelope") || name.equals("CommandResult"))
                .collect(Collectors.toSet());
        Set<String> schemas = fieldNames(ASYNCAPI.at("/components/schemas"));
        schemas.removeAll(EventCatalog.all().values());

        assertThat(onTheWire).contains("CommandEnvelope", "CommandResult", "EventEnvelope", "CreateDeploymentPayload");
        assertThat(schemas).containsAll(onTheWire).containsAll(NESTED);
        assertThat(published).containsAll(schemas);
    }

    @Test
    void everyCommandTypeHasItsPayloadAndAnUpdateOrDeleteNamesItsResource() {
        JsonNode command = ASYNCAPI.at("/components/schemas/CommandEnvelope");

        assertThat(command.at("/properties/type/enum")
                        .valueStream()
                        .map(JsonNode::asString)
                        .collect(Collectors.toSet()))
                .isEqualTo(COMMAND_TYPES);
        assertThat(command.at("/oneOf")
                        .valueStream()
                        .map(branch -> branch.at("/properties/type/const").asString())
                        .collect(Collectors.toSet()))
                .isEqualTo(COMMAND_TYPES);
        for (String type : COMMAND_TYPES) {
            ObjectNode record = JSON.createObjectNode()
                    .put("command_id", "c1")
                    .put("type", type)
                    .put("tenant_id", "acme")
                    .put("token", "jwt");
            record.putObject("payload").put("project_name", "shop").put("name", "nightly");
            List<Error> withoutId = errors("#/components/schemas/CommandEnvelope", record);
            ((ObjectNode) record.get("payload")).put("id", "r1");

            assertThat(errors("#/components/schemas/CommandEnvelope", record))
                    .as(type)
                    .isEmpty();
            assertThat(withoutId)
                    .as(type + " without id")
                    .matches(found -> type.startsWith("Create") == found.isEmpty());
        }
    }

    @Test
    void everyReferenceOfTheDocumentResolvesWithinIt() {
        List<String> references = new java.util.ArrayList<>();
        collectReferences(ASYNCAPI, references);

        assertThat(references).hasSizeGreaterThan(EventCatalog.all().size() * 3);
        assertThat(references)
                .allSatisfy(reference -> assertThat(reference).startsWith("#/"))
                .allSatisfy(reference -> assertThat(
                                ASYNCAPI.at(reference.substring(1)).isMissingNode())
                        .as(reference)
                        .isFalse());
        assertThat(ASYNCAPI.path("asyncapi").asString()).isEqualTo("3.0.0");
    }

    private static void collectReferences(JsonNode node, List<String> references) {
        if (node.isObject() && node.has("$ref")) {
            references.add(node.get("$ref").asString());
        }
        node.values().forEach(child -> collectReferences(child, references));
    }

    /** The schema a pinned example is written by: its event type's data, its message for an envelope, else its class. */
    private static String schemaOf(Object message) {
        if (message instanceof EventEnvelope envelope) {
            return "#/components/messages/" + envelope.type() + "/payload";
        }
        if (EventCatalog.all().containsKey(message.getClass())) {
            return "#/components/schemas/" + EventCatalog.typeOf(message.getClass());
        }
        return "#/components/schemas/" + message.getClass().getSimpleName();
    }

    /** Validates {@code instance} against the schema at {@code pointer}, references resolved in the whole document. */
    private static List<Error> errors(String pointer, JsonNode instance) {
        assertThat(ASYNCAPI.at(pointer.substring(1)).isMissingNode())
                .as(pointer)
                .isFalse();
        ObjectNode root = (ObjectNode) ASYNCAPI.deepCopy();
        root.put("$ref", pointer);
        return VALIDATOR.getSchema(root).validate(instance);
    }

    private static Set<String> fieldNames(JsonNode node) {
        return new HashSet<>(node.propertyNames());
    }

    private static Set<String> eventTypesAmong(Set<String> names) {
        return names.stream().filter(name -> name.startsWith("tessera.")).collect(Collectors.toSet());
    }
}
