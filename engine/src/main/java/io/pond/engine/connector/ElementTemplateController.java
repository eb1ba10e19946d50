package io.pond.engine.connector;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.pond.connectors.spi.ElementTemplates;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/connectors/element-templates}: every connector as a Camunda 7 element template. */
@RestController
public class ElementTemplateController {

    private final ConnectorRegistry registry;

    public ElementTemplateController(ConnectorRegistry registry) {
        this.registry = registry;
    }

    @GetMapping(path = "/api/v1/connectors/element-templates", produces = MediaType.APPLICATION_JSON_VALUE)
    public ArrayNode templates() {
        ArrayNode templates = JsonNodeFactory.instance.arrayNode();
        registry.descriptors().forEach(descriptor -> templates.add(ElementTemplates.of(descriptor)));
        return templates;
    }
}
