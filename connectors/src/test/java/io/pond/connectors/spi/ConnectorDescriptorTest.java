package io.pond.connectors.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pond.connectors.test.ElementTemplateSchema;
import io.pond.connectors.test.TestConnectorContext;
import org.junit.jupiter.api.Test;

class ConnectorDescriptorTest {

    enum Priority { LOW, HIGH }

    record GreetingInput(
            @Input(labelEn = "Text", labelZh = "文本", type = InputType.TEMPLATE, required = true, maxLength = 50) String text,
            @Input(labelEn = "Priority", labelZh = "优先级") Priority priority,
            @Input(labelEn = "Retries", labelZh = "重试次数", defaultValue = "2") int retries,
            @Input(labelEn = "Code", labelZh = "代码", pattern = "[A-Z]{3}", patternHint = "three capitals") String code,
            @Input(labelEn = "Urgent", labelZh = "紧急") boolean urgent) {
    }

    @ConnectorType(id = "test.greeting.send", version = 2, nameEn = "Send greeting", nameZh = "发送问候",
            descriptionEn = "Greets a customer", descriptionZh = "问候客户", group = "messaging", channel = "SMS",
            outputs = @ConnectorType.Output(name = "greetingId", descriptionEn = "the greeting's id", descriptionZh = "问候 ID"))
    static final class GreetingConnector implements Connector<GreetingInput> {
        @Override
        public Map<String, Object> execute(GreetingInput input, ConnectorContext context) {
            return Map.of("greetingId", context.idempotencyKey());
        }
    }

    private final ConnectorDescriptor descriptor = ConnectorDescriptor.of(GreetingConnector.class);

    @Test
    void theAnnotationsDescribeTheConnector() {
        assertThat(descriptor.key()).isEqualTo("test.greeting.send:2");
        assertThat(descriptor.customerFacing()).isTrue();
        assertThat(descriptor.inputs()).extracting(ConnectorDescriptor.InputDescriptor::name)
                .containsExactly("text", "priority", "retries", "code", "urgent");
        assertThat(descriptor.inputs().get(1).type()).isEqualTo(InputType.ENUM);
        assertThat(descriptor.inputs().get(1).choices()).containsExactly("LOW", "HIGH");
        assertThat(descriptor.inputs().get(2).type()).isEqualTo(InputType.NUMBER);
        assertThat(descriptor.inputs().get(4).type()).isEqualTo(InputType.BOOLEAN);
    }

    @Test
    void everyBadInputIsNamedInBothLanguages() {
        Map<String, String> values = Map.of("text", "Hi ${customer.nickname}", "priority", "URGENT", "retries", "two",
                "code", "ab", "urgent", "maybe");
        List<InputProblem> problems = ConnectorInputs.validate(descriptor.inputs(), values);
        assertThat(problems).extracting(InputProblem::input)
                .containsExactlyInAnyOrder("text", "priority", "retries", "code", "urgent");
        assertThat(problems).extracting(InputProblem::messageEn).contains("Code must be three capitals",
                "Priority must be one of [LOW, HIGH]");
        assertThat(problems).extracting(InputProblem::messageZh).contains("文本使用了未知的占位符 [customer.nickname]");
        assertThat(ConnectorInputs.validate(descriptor.inputs(), Map.of()))
                .extracting(InputProblem::messageEn).containsExactly("Text is required");
    }

    @Test
    void inputsBindToTheRecordWithTemplatesFilledForTheCustomerAndNothingEvaluated() {
        Map<String, String> values = new HashMap<>(Map.of("text", "Hi ${customer.name|friend}, ${1+1} #{bean}",
                "priority", "HIGH", "code", "ABC", "urgent", "true"));
        GreetingInput input = ConnectorInputs.bind(GreetingInput.class, descriptor.inputs(), values,
                TestConnectorContext.customer(7, "Li Lei"));
        assertThat(input).isEqualTo(new GreetingInput("Hi Li Lei, ${1+1} #{bean}", Priority.HIGH, 2, "ABC", true));
        GreetingInput anonymous = ConnectorInputs.bind(GreetingInput.class, descriptor.inputs(), values,
                TestConnectorContext.customer(8, null));
        assertThat(anonymous.text()).startsWith("Hi friend,");
        assertThatThrownBy(() -> ConnectorInputs.bind(GreetingInput.class, descriptor.inputs(), Map.of(), null))
                .hasMessage("Text is required");
    }

    @Test
    void theElementTemplateIsValidForCamundaModelerAndBindsEveryInputAsAProperty() {
        ObjectNode template = ElementTemplates.of(descriptor);
        assertThat(ElementTemplateSchema.problems(template)).isEmpty();
        assertThat(template.get("id").asText()).isEqualTo("pond.test.greeting.send");
        assertThat(template.get("version").asInt()).isEqualTo(2);
        assertThat(template.toString()).contains("\"name\":\"pond.input.text\"", "\"name\":\"pond.output.greetingId\"",
                "${pondConnector}", "\"value\":\"test.greeting.send:2\"");
    }

    @Test
    void theSchemaCheckCanFail() {
        ObjectNode template = ElementTemplates.of(descriptor);
        template.remove("appliesTo");
        ((ObjectNode) template.get("properties").get(0)).put("type", "Text");
        assertThat(ElementTemplateSchema.problems(template)).isNotEmpty();
    }

    record Secretive(@Input(labelEn = "Key", labelZh = "密钥", type = InputType.SECRET) String key) {
    }

    @ConnectorType(id = "test.secret.leak", nameEn = "x", nameZh = "x", descriptionEn = "x", descriptionZh = "x", group = "crm")
    static final class SecretInDiagram implements Connector<Secretive> {
        @Override
        public Map<String, Object> execute(Secretive input, ConnectorContext context) {
            return Map.of();
        }
    }

    @Test
    void aSecretCannotBeAnInputOfADiagram() {
        assertThatThrownBy(() -> ConnectorDescriptor.of(SecretInDiagram.class))
                .hasMessageContaining("secrets belong in the connector's settings");
    }
}
