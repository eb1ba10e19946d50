package io.pond.engine.importing;

import java.time.Instant;

/** One CSV import, as it runs and after. */
public record ImportJob(long id, String fileName, ImportMode mode, Status status, long bytesTotal, long bytesRead,
        long rowsRead, long rowsImported, long rowsFailed, String message, String createdBy, Instant startedAt,
        Instant finishedAt) {

    public enum Status { QUEUED, CHECKING, IMPORTING, DONE, STOPPED, FAILED, CANCELLED }

    public boolean finished() {
        return status == Status.DONE || status == Status.STOPPED || status == Status.FAILED || status == Status.CANCELLED;
    }

    /** How far through the file it is, 0 to 1. */
    public double progress() {
        if (finished()) {
            return 1;
        }
        return bytesTotal <= 0 ? 0 : Math.min(1, (double) bytesRead / bytesTotal);
    }
}
