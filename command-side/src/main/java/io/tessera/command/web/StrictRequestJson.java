package io.tessera.command.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.DeserializationProblemHandler;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * The command side reads request bodies strictly (Boot's default is lenient): an unknown field (a smuggled
 * {@code tenant_id} or {@code role}, a typo), a key given twice, or a scalar of the wrong type (a number
 * for a name) is a 400 naming the field, not silently ignored or coerced. The OAuth token endpoints
 * ({@code command.auth}) keep ignoring unknown fields, as RFC 6749 asks of a token endpoint.
 */
@Configuration(proxyBeanMethods = false)
public class StrictRequestJson {

    @Bean
    JsonMapperBuilderCustomizer strictRequestBodies() {
        return StrictRequestJson::apply;
    }

    /** Applied to Boot's builder (after its own defaults); public so tests read bodies exactly as HTTP does. */
    public static void apply(JsonMapper.Builder builder) {
        builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfig(
                        LogicalType.Textual,
                        text -> text.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .addHandler(new LenientTokenEndpoint());
    }

    private static final class LenientTokenEndpoint extends DeserializationProblemHandler {

        private static final String AUTH_PACKAGE = "io.tessera.command.auth";

        @Override
        public boolean handleUnknownProperty(
                DeserializationContext context,
                JsonParser parser,
                ValueDeserializer<?> deserializer,
                Object beanOrClass,
                String propertyName) {
            Class<?> type = beanOrClass instanceof Class<?> c ? c : beanOrClass.getClass();
            if (type.getPackageName().equals(AUTH_PACKAGE)) {
                parser.skipChildren();
                return true;
            }
            return false;
        }
    }
}
