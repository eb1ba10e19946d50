package io.pond.engine.importing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.pond.engine.apikey.ApiKeyAuthenticationFilter.ApiClient;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Customer import through the API: {@code POST /api/v1/customers/import} with the CSV as the body
 * ({@code text/csv}) starts a job and answers 202 with its id; {@code GET .../import/{id}} tells how far
 * it is; {@code GET .../import/{id}/errors} returns the bad rows as CSV.
 */
@RestController
public class ImportController {

    private final CustomerImport imports;

    public ImportController(CustomerImport imports) {
        this.imports = imports;
    }

    @PostMapping(path = "/api/v1/customers/import", consumes = {"text/csv", MediaType.TEXT_PLAIN_VALUE,
            MediaType.APPLICATION_OCTET_STREAM_VALUE}, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ImportJob> start(HttpServletRequest request,
            @RequestParam(defaultValue = "KEEP_VALID") ImportMode mode,
            @RequestParam(defaultValue = "api-upload.csv") String fileName,
            @AuthenticationPrincipal ApiClient client) throws IOException {
        Path file = Files.createTempFile("pond-import-", ".csv");
        try (InputStream body = request.getInputStream()) {
            Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
        }
        long job = imports.start(file, fileName, mode, client.getName());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(imports.job(job));
    }

    @GetMapping(path = "/api/v1/customers/import/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ImportJob job(@PathVariable long id) {
        return imports.job(id);
    }

    @GetMapping(path = "/api/v1/customers/import/{id}/errors")
    public void errors(@PathVariable long id, HttpServletResponse response) throws IOException {
        imports.job(id); // an unknown id is a 404, not an empty list of errors
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"import-" + id + "-errors.csv\"");
        imports.writeErrors(id, new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8));
    }
}
