package io.pond.designer.views.journeys;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.vaadin.flow.component.ClientCallable;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.DomEvent;
import com.vaadin.flow.component.EventData;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;
import com.vaadin.flow.shared.Registration;

/**
 * The bpmn-js canvas ({@code pond-journey-canvas.js}). The browser holds the diagram while it is edited: it sends
 * the whole diagram after each change and the id of what is selected; the server changes it through
 * {@link #setProperties}, so a change from the properties panel is undone like a change on the canvas.
 */
@Tag("pond-journey-canvas")
@NpmPackage(value = "bpmn-js", version = "18.31.1")
@NpmPackage(value = "camunda-bpmn-moddle", version = "7.0.1")
@JsModule("./pond-journey-canvas.js")
public class JourneyCanvas extends Component implements HasSize {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Consumer<String> onChange = xml -> { };
    private Consumer<String> onSelect = id -> { };

    public JourneyCanvas() {
        setId("journey-canvas");
    }

    /** The palette: each block (built-in or connector) as the canvas creates it, and the canvas's own texts. */
    public void setPalette(Object blocks, Object texts) {
        getElement().callJsFunction("setPalette", json(blocks), json(texts));
    }

    public void importXml(String xml) {
        getElement().callJsFunction("importXml", xml);
    }

    /** The diagram as the browser holds it now. */
    public CompletableFuture<String> xml() {
        return getElement().callJsFunction("getXml").toCompletableFuture(String.class);
    }

    public void setProperties(String elementId, Object change) {
        getElement().callJsFunction("setProperties", elementId, json(change));
    }

    public void select(String elementId) {
        getElement().callJsFunction("select", elementId);
    }

    public void setProblems(Object problems) {
        getElement().callJsFunction("setProblems", json(problems));
    }

    public void setCounts(Object counts) {
        getElement().callJsFunction("setCounts", json(counts));
    }

    public void highlight(Object elementIds) {
        getElement().callJsFunction("highlight", json(elementIds));
    }

    public void undo() {
        getElement().callJsFunction("undo");
    }

    public void redo() {
        getElement().callJsFunction("redo");
    }

    /** @param step 1 in, -1 out, 0 fits the diagram to the view */
    public void zoom(int step) {
        getElement().callJsFunction("zoom", step);
    }

    public void setReadOnly(boolean readOnly) {
        getElement().callJsFunction("setReadOnly", readOnly);
    }

    public void onChange(Consumer<String> listener) {
        onChange = listener;
    }

    public void onSelect(Consumer<String> listener) {
        onSelect = listener;
    }

    @ClientCallable
    private void diagramChanged(String xml) {
        onChange.accept(xml);
    }

    @ClientCallable
    private void selectionChanged(String elementId) {
        onSelect.accept(elementId);
    }

    public Registration addImportedListener(com.vaadin.flow.component.ComponentEventListener<Imported> listener) {
        return addListener(Imported.class, listener);
    }

    public Registration addImportFailedListener(com.vaadin.flow.component.ComponentEventListener<ImportFailed> listener) {
        return addListener(ImportFailed.class, listener);
    }

    @DomEvent("imported")
    public static class Imported extends ComponentEvent<JourneyCanvas> {
        private final int warnings;

        public Imported(JourneyCanvas source, boolean fromClient, @EventData("event.detail.warnings") double warnings) {
            super(source, fromClient);
            this.warnings = (int) warnings;
        }

        public int warnings() {
            return warnings;
        }
    }

    @DomEvent("import-failed")
    public static class ImportFailed extends ComponentEvent<JourneyCanvas> {
        private final String message;

        public ImportFailed(JourneyCanvas source, boolean fromClient, @EventData("event.detail.message") String message) {
            super(source, fromClient);
            this.message = message;
        }

        public String message() {
            return message;
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
