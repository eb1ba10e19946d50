package io.pond.engine.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/** A request whose body a filter has already read (to check it), handed on so the servlet reads it again. */
public final class CachedBodyRequest extends HttpServletRequestWrapper {

    /** Opens the body from its start, as often as asked. */
    @FunctionalInterface
    public interface Body {
        InputStream open() throws IOException;
    }

    private final long size;
    private final Body body;

    public CachedBodyRequest(HttpServletRequest request, long size, Body body) {
        super(request);
        this.size = size;
        this.body = body;
    }

    @Override
    public long getContentLengthLong() {
        return size;
    }

    @Override
    public int getContentLength() {
        return size > Integer.MAX_VALUE ? -1 : (int) size;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        InputStream in = body.open();
        return new ServletInputStream() {
            private boolean finished;

            @Override
            public int read() throws IOException {
                int b = in.read();
                finished = b < 0;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                finished = n < 0;
                return n;
            }

            @Override
            public boolean isFinished() {
                return finished;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    @Override
    public BufferedReader getReader() throws IOException {
        return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }
}
