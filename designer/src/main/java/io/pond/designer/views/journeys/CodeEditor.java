package io.pond.designer.views.journeys;

import com.vaadin.flow.component.AbstractSinglePropertyField;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;

/** CodeMirror with Groovy highlighting ({@code pond-code-editor.js}), a field whose value is the script. */
@Tag("pond-code-editor")
@NpmPackage(value = "codemirror", version = "6.0.2")
@NpmPackage(value = "@codemirror/state", version = "6.7.6")
@NpmPackage(value = "@codemirror/language", version = "6.13.1")
@NpmPackage(value = "@codemirror/legacy-modes", version = "6.5.5")
@JsModule("./pond-code-editor.js")
class CodeEditor extends AbstractSinglePropertyField<CodeEditor, String> implements HasSize {

    CodeEditor() {
        super("value", "", false);
        setSynchronizedEvent("value-changed");
    }
}
