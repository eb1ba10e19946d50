package io.pond.engine.apikey;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.crypto.Mac;

/**
 * A request body read once, fed into the signature check on the way, and kept for the controller: in
 * memory while small, in a temporary file beyond that, so a large CSV upload does not fill the heap.
 */
final class SpooledBody implements AutoCloseable {

    private static final int IN_MEMORY = 1024 * 1024;

    private byte[] bytes;
    private Path file;
    private final long size;

    private SpooledBody(byte[] bytes, Path file, long size) {
        this.bytes = bytes;
        this.file = file;
        this.size = size;
    }

    /** Reads {@code in} to the end, updating {@code mac}; null when it is longer than {@code max} bytes. */
    static SpooledBody read(InputStream in, Mac mac, long max) throws IOException {
        ByteArrayOutputStream memory = new ByteArrayOutputStream();
        OutputStream out = memory;
        Path file = null;
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
                if (total > max) {
                    out.close();
                    if (file != null) {
                        Files.deleteIfExists(file);
                    }
                    return null;
                }
                mac.update(buffer, 0, n);
                if (file == null && total > IN_MEMORY) {
                    file = Files.createTempFile("pond-api-body-", ".tmp");
                    out = Files.newOutputStream(file);
                    memory.writeTo(out);
                }
                out.write(buffer, 0, n);
            }
            out.close();
        } catch (IOException e) {
            if (file != null) {
                Files.deleteIfExists(file);
            }
            throw e;
        }
        return new SpooledBody(file == null ? memory.toByteArray() : null, file, total);
    }

    InputStream open() throws IOException {
        return file == null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
    }

    long size() {
        return size;
    }

    @Override
    public void close() throws IOException {
        bytes = null;
        if (file != null) {
            Files.deleteIfExists(file);
            file = null;
        }
    }
}
