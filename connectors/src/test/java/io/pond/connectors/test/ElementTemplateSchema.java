package io.pond.connectors.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Camunda's JSON schema of Camunda 7 element templates (@camunda/element-templates-json-schema 0.22.1,
 * MIT, copied from the npm registry), which bpmn-js and Camunda Modeler check templates against.
 */
public final class ElementTemplateSchema {

    private static final JsonSchema SCHEMA = load();

    private ElementTemplateSchema() {
    }

    /** The schema's complaints about a template; empty when it is valid. */
    public static Set<String> problems(JsonNode template) {
        return SCHEMA.validate(template).stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
    }

    private static JsonSchema load() {
        try (InputStream in = ElementTemplateSchema.class.getResourceAsStream("/element-templates/schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
