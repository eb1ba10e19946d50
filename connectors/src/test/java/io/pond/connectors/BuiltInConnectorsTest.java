package io.pond.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.ServiceLoader;

import io.pond.connectors.spi.Connector;
import io.pond.connectors.spi.ConnectorDescriptor;
import io.pond.connectors.spi.ElementTemplates;
import io.pond.connectors.test.ElementTemplateSchema;
import org.junit.jupiter.api.Test;

/** Every connector Pond ships declares itself properly and exports a template Camunda Modeler accepts. */
class BuiltInConnectorsTest {

    private final List<ConnectorDescriptor> connectors = ServiceLoader.load(Connector.class).stream()
            .map(provider -> ConnectorDescriptor.of(provider.type())).toList();

    @Test
    void theShippedConnectorsAreRegistered() {
        assertThat(connectors).extracting(ConnectorDescriptor::id).contains("wecom.welcome-message.send",
                "wecom.mass-message.send", "wecom.tag.mark", "wecom.contact-way.create", "wecom.external-contact.get",
                "wechatpay.coupon.issue", "crm.record.update", "crm.task.create", "webhook.post");
    }

    @Test
    void eachElementTemplateMatchesCamundasSchema() {
        for (ConnectorDescriptor connector : connectors) {
            assertThat(ElementTemplateSchema.problems(ElementTemplates.of(connector))).as(connector.id()).isEmpty();
        }
    }

    @Test
    void everyConnectorIsNamedAndDescribedInBothLanguages() {
        for (ConnectorDescriptor connector : connectors) {
            assertThat(List.of(connector.nameEn(), connector.nameZh(), connector.descriptionEn(), connector.descriptionZh()))
                    .as(connector.id()).allSatisfy(text -> assertThat(text).isNotBlank());
            connector.inputs().forEach(input -> assertThat(input.labelZh()).as(connector.id() + "." + input.name()).isNotBlank());
        }
    }
}
