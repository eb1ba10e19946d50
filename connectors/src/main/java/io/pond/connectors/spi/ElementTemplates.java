package io.pond.connectors.spi;

import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Camunda 7 element template of a connector, so Camunda Modeler users can use Pond's connectors too.
 * Every input is a {@code camunda:property} of the task: Camunda never evaluates those, so a
 * {@code ${...}} typed into a message stays text.
 */
public final class ElementTemplates {

    public static final String SCHEMA = "https://unpkg.com/@camunda/element-templates-json-schema/resources/schema.json";
    /** The delegate that runs every connector step. */
    public static final String DELEGATE = "${pondConnector}";
    public static final String CONNECTOR_PROPERTY = "pond.connector";
    public static final String INPUT_PREFIX = "pond.input.";
    public static final String OUTPUT_PREFIX = "pond.output.";
    /** MARKETING (counts against the frequency cap) or SERVICE (a receipt, a reply): customer-facing steps only. */
    public static final String PURPOSE_PROPERTY = "pond.purpose";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ElementTemplates() {
    }

    /** The template id of a connector: {@code pond.<connector id>}. */
    public static String templateId(ConnectorDescriptor connector) {
        return "pond." + connector.id();
    }

    public static ObjectNode of(ConnectorDescriptor connector) {
        ObjectNode template = JSON.createObjectNode();
        template.put("$schema", SCHEMA);
        template.put("name", connector.nameEn());
        template.put("id", templateId(connector));
        template.put("version", connector.version());
        template.put("description", connector.descriptionEn());
        template.putArray("appliesTo").add("bpmn:ServiceTask");
        icon(connector).ifPresent(contents -> template.putObject("icon").put("contents", contents));
        ArrayNode groups = template.putArray("groups");
        groups.addObject().put("id", "input").put("label", "Input");
        if (!connector.outputs().isEmpty()) {
            groups.addObject().put("id", "output").put("label", "Output");
        }
        ArrayNode properties = template.putArray("properties");
        hidden(properties, "property", "camunda:delegateExpression", DELEGATE);
        // the call happens in a job of its own, so a failure is retried and never rolls back earlier steps
        hidden(properties, "property", "camunda:asyncBefore", "true");
        hidden(properties, "camunda:property", CONNECTOR_PROPERTY, connector.key());
        for (ConnectorDescriptor.InputDescriptor input : connector.inputs()) {
            ObjectNode property = properties.addObject();
            property.put("id", input.name());
            property.put("label", input.labelEn());
            String description = input.descriptionEn();
            if (input.type() == InputType.TEMPLATE) {
                description = (description.isEmpty() ? "" : description + " ")
                        + "Placeholders: ${customer.name}, ${customer.name|fallback}, ${customer.attributes.<key>}.";
            }
            if (!description.isEmpty()) {
                property.put("description", description);
            }
            property.put("group", "input");
            boolean dropdown = input.type() == InputType.ENUM || input.type() == InputType.BOOLEAN;
            property.put("type", dropdown ? "Dropdown" : "String");
            if (dropdown) {
                ArrayNode choices = property.putArray("choices");
                for (String choice : input.type() == InputType.BOOLEAN ? java.util.List.of("true", "false") : input.choices()) {
                    choices.addObject().put("name", choice).put("value", choice);
                }
            }
            if (!input.defaultValue().isEmpty()) {
                property.put("value", input.defaultValue());
            } else if (dropdown) {
                property.put("value", input.type() == InputType.BOOLEAN ? "false" : input.choices().get(0));
            }
            ObjectNode constraints = JSON.createObjectNode();
            if (input.required()) {
                constraints.put("notEmpty", true);
            }
            if (input.maxLength() > 0) {
                constraints.put("maxLength", input.maxLength());
            }
            String pattern = !input.pattern().isEmpty() ? input.pattern()
                    : input.type() == InputType.NUMBER ? "-?[0-9]+(\\.[0-9]+)?" : "";
            if (!pattern.isEmpty()) {
                ObjectNode p = constraints.putObject("pattern");
                p.put("value", "^(" + pattern + ")$");
                p.put("message", input.labelEn() + " must be " + (input.patternHint().isEmpty() ? "a number" : input.patternHint()));
            }
            if (!constraints.isEmpty()) {
                property.set("constraints", constraints);
            }
            property.putObject("binding").put("type", "camunda:property").put("name", INPUT_PREFIX + input.name());
        }
        if (connector.customerFacing()) {
            ObjectNode purpose = properties.addObject();
            purpose.put("label", "Purpose");
            purpose.put("description", "Marketing messages count against the frequency cap; service messages do not."
                    + " Both need the customer's consent and wait for quiet hours to end.");
            purpose.put("group", "input");
            purpose.put("type", "Dropdown");
            purpose.put("value", "MARKETING");
            ArrayNode choices = purpose.putArray("choices");
            choices.addObject().put("name", "Marketing").put("value", "MARKETING");
            choices.addObject().put("name", "Service").put("value", "SERVICE");
            purpose.putObject("binding").put("type", "camunda:property").put("name", PURPOSE_PROPERTY);
        }
        for (ConnectorDescriptor.OutputDescriptor output : connector.outputs()) {
            ObjectNode property = properties.addObject();
            property.put("label", "Variable for: " + output.descriptionEn());
            property.put("group", "output");
            property.put("type", "String");
            property.put("value", output.name());
            property.putObject("binding").put("type", "camunda:property").put("name", OUTPUT_PREFIX + output.name());
        }
        return template;
    }

    private static void hidden(ArrayNode properties, String binding, String name, String value) {
        ObjectNode property = properties.addObject();
        property.put("type", "Hidden");
        property.put("value", value);
        property.putObject("binding").put("type", binding).put("name", name);
    }

    /** The connector's icon as a data URL, read from its own jar. */
    public static java.util.Optional<String> icon(ConnectorDescriptor connector) {
        if (connector.icon().isEmpty()) {
            return java.util.Optional.empty();
        }
        // the connector's own jar holds its icon
        try (InputStream in = connector.inputType().getResourceAsStream(connector.icon())) {
            if (in == null) {
                throw new IllegalStateException("The icon " + connector.icon() + " of " + connector.id() + " is not on the classpath");
            }
            return java.util.Optional.of("data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(in.readAllBytes()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

}
