package io.pond.designer.views.customers;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.server.streams.UploadHandler;
import com.vaadin.flow.shared.Registration;
import io.pond.designer.security.CurrentUser;
import io.pond.engine.importing.CustomerImport;
import io.pond.engine.importing.ImportJob;
import io.pond.engine.importing.ImportMode;

/**
 * Upload a CSV, choose what happens to bad rows, start, and watch it run: a progress bar, rows imported
 * and refused, cancel, and the report of bad rows to download. The import goes on if the dialog closes.
 */
class ImportDialog extends Dialog {

    final RadioButtonGroup<ImportMode> mode = new RadioButtonGroup<>();
    final Button start = new Button();
    final ProgressBar progress = new ProgressBar();
    final Span status = new Span();
    private Path uploaded;
    private String fileName;

    ImportDialog(CustomerImport imports, CurrentUser user, Runnable onFinished) {
        setHeaderTitle(getTranslation("import.title"));
        setWidth("36em");
        // not modal: a modal dialog makes the rest of the UI inert, and the UI's poll events with it
        setModal(false);
        setDraggable(true);
        Paragraph help = new Paragraph(getTranslation("import.help"));
        help.getStyle().set("color", "var(--lumo-secondary-text-color)");

        Upload upload = new Upload(UploadHandler.toTempFile((metadata, file) -> {
            Path kept = Files.createTempFile("pond-upload-", ".csv");
            Files.move(file.toPath(), kept, StandardCopyOption.REPLACE_EXISTING);
            String name = metadata.fileName();
            UI ui = UI.getCurrent();
            Runnable ready = () -> {
                uploaded = kept;
                fileName = name;
                start.setEnabled(true);
            };
            if (ui != null) {
                ui.access(ready::run);
            } else {
                ready.run();
            }
        }));
        upload.setAcceptedFileTypes(".csv", "text/csv");
        upload.setMaxFiles(1);
        upload.setId("import-upload");

        mode.setLabel(getTranslation("import.mode"));
        mode.setItems(ImportMode.values());
        mode.setItemLabelGenerator(m -> getTranslation("import.mode." + m.name()));
        mode.setValue(ImportMode.KEEP_VALID);
        mode.setId("import-mode");

        progress.setVisible(false);
        status.setId("import-status");
        start.setText(getTranslation("import.start"));
        start.setId("import-start");
        start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        start.setEnabled(false);
        Button cancel = new Button(getTranslation("import.cancel"));
        cancel.setVisible(false);
        Button close = new Button(getTranslation("action.close"), click -> {
            deleteUnused();
            close();
        });
        Anchor errors = new Anchor();
        errors.setVisible(false);
        errors.setId("import-errors");

        start.addClickListener(click -> {
            long job = imports.start(uploaded, fileName, mode.getValue(), user.id());
            start.setEnabled(false);
            upload.setVisible(false);
            mode.setReadOnly(true);
            progress.setVisible(true);
            cancel.setVisible(true);
            cancel.addClickListener(c -> imports.cancel(job, user.id()));
            errors.setHref(event -> {
                event.setFileName("import-" + job + "-errors.csv");
                event.setContentType("text/csv;charset=UTF-8");
                OutputStreamWriter out = new OutputStreamWriter(event.getOutputStream(), StandardCharsets.UTF_8);
                out.write('\uFEFF');
                imports.writeErrors(job, out);
                out.flush();
            });
            errors.setText(getTranslation("import.errors"));
            UI ui = UI.getCurrent();
            Registration[] polling = new Registration[1];
            polling[0] = ui.addPollListener(poll -> {
                ImportJob state = imports.job(job);
                progress.setValue(state.progress());
                status.setText(getTranslation("import.progress." + state.status().name(), state.rowsRead(),
                        state.rowsImported(), state.rowsFailed()) + (state.message() == null ? "" : " " + state.message()));
                errors.setVisible(state.rowsFailed() > 0);
                if (state.finished()) {
                    polling[0].remove();
                    cancel.setVisible(false);
                    onFinished.run();
                }
            });
        });
        // the upload finishes outside the UI's requests: polling shows it (and later the progress) without push
        UI owner = UI.getCurrent();
        addOpenedChangeListener(opened -> owner.setPollInterval(opened.isOpened() ? 500 : -1));
        addDialogCloseActionListener(closing -> {
            deleteUnused();
            close();
        });
        add(help, upload, mode, progress, status, errors);
        getFooter().add(cancel, close, start);
    }

    /** A file uploaded but never imported is not kept. */
    private void deleteUnused() {
        if (uploaded != null && start.isEnabled()) {
            try {
                Files.deleteIfExists(uploaded);
            } catch (IOException e) {
                // a temporary file: the system cleans it eventually
            }
        }
    }

}
