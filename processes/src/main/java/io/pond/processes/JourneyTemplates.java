package io.pond.processes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The journeys Pond ships as templates (the field's journeys of DOMAIN.md): each a BPMN file that opens in Pond's
 * designer and in Camunda Modeler, with its name and description in both languages and its journey settings
 * (entry, re-entry, goal, exits) as JSON in {@code templates.json}.
 */
public final class JourneyTemplates {

    private static final String FOLDER = "/io/pond/processes/templates/";

    /** {@code settings} is the JSON of the engine's JourneySettings. */
    public record Template(String key, String nameEn, String nameZh, String descriptionEn, String descriptionZh,
            JsonNode settings, String bpmn) {
    }

    private JourneyTemplates() {
    }

    public static List<Template> all() {
        ObjectMapper json = new ObjectMapper();
        List<Template> templates = new ArrayList<>();
        for (JsonNode entry : read(json, "templates.json")) {
            String key = entry.path("key").asText();
            templates.add(new Template(key, entry.path("nameEn").asText(), entry.path("nameZh").asText(),
                    entry.path("descriptionEn").asText(), entry.path("descriptionZh").asText(), entry.path("settings"),
                    text(key + ".bpmn")));
        }
        return List.copyOf(templates);
    }

    public static Optional<Template> find(String key) {
        return all().stream().filter(t -> t.key().equals(key)).findFirst();
    }

    private static JsonNode read(ObjectMapper json, String name) {
        try {
            return json.readTree(text(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(String name) {
        try (InputStream in = JourneyTemplates.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("The template file " + name + " is missing from pond-processes");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
