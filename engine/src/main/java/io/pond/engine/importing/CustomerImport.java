package io.pond.engine.importing;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Iterator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.pond.engine.api.NotFoundException;
import io.pond.engine.audit.AuditLog;
import io.pond.engine.customer.AttributeDefinition;
import io.pond.engine.customer.CustomerAttributes;
import io.pond.engine.customer.CustomerDirectory;
import io.pond.engine.customer.CustomerTags;
import io.pond.engine.customer.TagSource;
import io.pond.engine.db.Jdbc;
import io.pond.engine.db.SqlDialect;
import io.pond.engine.importing.CustomerCsv.Row;
import io.pond.engine.importing.CustomerCsv.RowError;
import io.pond.engine.importing.ImportJob.Status;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports customers from CSV ({@link CustomerCsv} layout), streamed in chunks of {@value #CHUNK} rows, so a
 * file of millions of rows needs no more memory than a few chunks. Chunks are written by {@code parallelism}
 * threads, each in its own transaction; progress
 * (bytes and rows) and every bad row are recorded on the job. Importing a file again is safe: rows
 * find their customers by identity.
 */
public class CustomerImport {

    private static final Logger LOG = LoggerFactory.getLogger(CustomerImport.class);
    static final int CHUNK = 1000;
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true).setTrim(true).setAllowMissingColumnNames(false).get();

    private final JdbcTemplate jdbc;
    private final CustomerDirectory directory;
    private final CustomerAttributes attributes;
    private final CustomerTags tags;
    private final TransactionTemplate transaction;
    private final ExecutorService executor;
    private final AuditLog auditLog;
    private final Clock clock;
    private final int parallelism;
    private final SqlDialect dialect;

    /**
     * @param executor    runs queued imports, one at a time
     */
    public CustomerImport(JdbcTemplate jdbc, CustomerDirectory directory, CustomerAttributes attributes, CustomerTags tags,
            TransactionTemplate transaction, ExecutorService executor, SqlDialect dialect, AuditLog auditLog, Clock clock) {
        // two writers keep both cores of a small server busy; H2, embedded, gains nothing from more than one
        this.parallelism = dialect == SqlDialect.POSTGRESQL ? 2 : 1;
        this.dialect = dialect;
        this.jdbc = jdbc;
        this.directory = directory;
        this.attributes = attributes;
        this.tags = tags;
        this.transaction = transaction;
        this.executor = executor;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    /** Queues an import of {@code file} (deleted when done) and returns its job id at once. */
    public long start(Path file, String fileName, ImportMode mode, String actor) {
        long job = create(file, fileName, mode, actor);
        executor.submit(() -> {
            try {
                run(job, file);
            } finally {
                deleteQuietly(file);
            }
        });
        return job;
    }

    /** Imports {@code file} in the calling thread and returns the finished job. */
    public ImportJob importNow(Path file, String fileName, ImportMode mode, String actor) {
        long job = create(file, fileName, mode, actor);
        run(job, file);
        return job(job);
    }

    public ImportJob job(long id) {
        return jdbc.query("select " + JOB_COLUMNS + " from pond_import_job where id = ?", (rs, i) -> mapJob(rs), id).stream()
                .findFirst().orElseThrow(() -> new NotFoundException("There is no import " + id));
    }

    public List<ImportJob> recent(int limit) {
        return jdbc.query("select " + JOB_COLUMNS + " from pond_import_job order by id desc limit ?", (rs, i) -> mapJob(rs), limit);
    }

    /** Asks a running import to stop after its current chunk; rows already imported stay. */
    public void cancel(long id, String actor) {
        int changed = jdbc.update("update pond_import_job set status = ? where id = ? and status in (?, ?, ?)",
                Status.CANCELLED.name(), id, Status.QUEUED.name(), Status.CHECKING.name(), Status.IMPORTING.name());
        if (changed > 0) {
            auditLog.record(actor, "IMPORT_CANCELLED", "job " + id);
        }
    }

    /** The bad rows of a job as CSV: row, column, problem. */
    public void writeErrors(long id, Writer out) throws IOException {
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader("row", "column", "problem").get())) {
            jdbc.query("select line_number, column_name, message from pond_import_error where job_id = ? order by line_number",
                    rs -> {
                try {
                    printer.printRecord(rs.getLong(1), rs.getString(2), rs.getString(3));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, id);
        }
    }

    /** Jobs a restart interrupted are marked failed, with what to do about it. */
    public void failInterrupted() {
        int interrupted = jdbc.update("update pond_import_job set status = ?, message = ?, finished_at = ? where status in (?, ?, ?)",
                Status.FAILED.name(), "Pond was stopped during the import; rows imported before that stay. Import the file"
                        + " again: rows find their customers by identity, nothing is duplicated.",
                Timestamp.from(clock.instant()), Status.QUEUED.name(), Status.CHECKING.name(), Status.IMPORTING.name());
        if (interrupted > 0) {
            LOG.warn("{} customer import(s) were interrupted by a restart and are marked failed", interrupted);
        }
    }

    private long create(Path file, String fileName, ImportMode mode, String actor) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the uploaded file", e);
        }
        long id = Jdbc.insertReturningId(jdbc, "insert into pond_import_job (file_name, mode, status, bytes_total, created_by,"
                        + " started_at) values (?, ?, ?, ?, ?, ?)", fileName, mode.name(), Status.QUEUED.name(), size, actor,
                Timestamp.from(clock.instant()));
        auditLog.record(actor, "IMPORT_STARTED", "job " + id + ": " + fileName + " (" + size + " bytes, " + mode + ")");
        return id;
    }

    private void run(long job, Path file) {
        LOG.info("Customer import {} started", job);
        Map<String, AttributeDefinition> definitions = attributes.definitions().stream()
                .collect(Collectors.toMap(AttributeDefinition::key, Function.identity()));
        try {
            if (job(job).mode() == ImportMode.STOP_AT_FIRST_ERROR) {
                setStatus(job, Status.CHECKING);
                RowError first = firstError(file, definitions, job);
                if (first != null) {
                    recordErrors(job, List.of(first));
                    finish(job, Status.STOPPED, "Row " + first.number() + (first.column().isEmpty() ? "" : ", " + first.column())
                            + ": " + first.message() + ". Nothing was imported.");
                    return;
                }
                if (cancelled(job)) {
                    finish(job, Status.CANCELLED, "Cancelled while checking; nothing was imported.");
                    return;
                }
            }
            setStatus(job, Status.IMPORTING);
            Status end = importRows(file, definitions, job);
            ImportJob done = job(job);
            finish(job, end, end == Status.CANCELLED
                    ? "Cancelled after " + done.rowsImported() + " rows; they stay imported."
                    : done.rowsImported() + " rows imported, " + done.rowsFailed() + " refused.");
        } catch (HeaderException e) {
            finish(job, Status.FAILED, e.getMessage());
        } catch (Exception e) {
            LOG.error("Customer import {} failed", job, e);
            finish(job, Status.FAILED, "The import stopped: " + e.getMessage() + ". Rows imported before that stay.");
        }
    }

    /** The first bad row of the file, or null; reads the whole file without writing anything. */
    private RowError firstError(Path file, Map<String, AttributeDefinition> definitions, long job) throws IOException {
        try (CountingStream counted = new CountingStream(Files.newInputStream(file));
             CSVParser parser = open(counted, definitions)) {
            long rows = 0;
            for (CSVRecord record : parser) {
                List<RowError> errors = new ArrayList<>(1);
                CustomerCsv.parse(record.getRecordNumber(), cells(record, parser), definitions, errors);
                if (!errors.isEmpty()) {
                    return errors.get(0);
                }
                if (++rows % (CHUNK * 10) == 0) {
                    jdbc.update("update pond_import_job set bytes_read = ? where id = ?", counted.count / 2, job);
                    if (cancelled(job)) {
                        return null;
                    }
                }
            }
            return null;
        }
    }

    private Status importRows(Path file, Map<String, AttributeDefinition> definitions, long job) throws Exception {
        Map<String, Long> tagIds = new HashMap<>();
        long base = job(job).mode() == ImportMode.STOP_AT_FIRST_ERROR ? job(job).bytesTotal() / 2 : 0;
        double share = base > 0 ? 0.5 : 1;
        ExecutorService writers = Executors.newFixedThreadPool(parallelism, runnable -> new Thread(runnable, "pond-import-writer"));
        Semaphore inFlight = new Semaphore(parallelism);
        List<Future<?>> chunks = new ArrayList<>();
        try (CountingStream counted = new CountingStream(Files.newInputStream(file));
             CSVParser parser = open(counted, definitions)) {
            List<Row> rows = new ArrayList<>(CHUNK);
            List<RowError> errors = new ArrayList<>();
            long read = 0;
            Iterator<CSVRecord> records = parser.iterator();
            while (records.hasNext()) {
                CSVRecord record = records.next();
                read++;
                Row row = CustomerCsv.parse(record.getRecordNumber(), cells(record, parser), definitions, errors);
                if (row != null) {
                    rows.add(row);
                }
                if (read % CHUNK == 0 || !records.hasNext()) {
                    Chunk chunk = new Chunk(List.copyOf(rows), List.copyOf(errors), read, base + (long) (counted.count * share),
                            tagIdsOf(rows, tagIds));
                    rows.clear();
                    errors.clear();
                    inFlight.acquire();
                    chunks.add(writers.submit(() -> {
                        try {
                            apply(job, chunk);
                        } finally {
                            inFlight.release();
                        }
                        return null;
                    }));
                    failFast(chunks);
                    if (cancelled(job)) {
                        awaitAll(chunks);
                        return Status.CANCELLED;
                    }
                }
            }
            awaitAll(chunks);
            return Status.DONE;
        } finally {
            writers.shutdownNow();
        }
    }

    /** The rows of one chunk with the ids of the tags they name (made beforehand, outside the chunk's transaction). */
    private record Chunk(List<Row> rows, List<RowError> errors, long read, long bytesRead, Map<String, Long> tagIds) {
    }

    private Map<String, Long> tagIdsOf(List<Row> rows, Map<String, Long> known) {
        for (Row row : rows) {
            for (CustomerCsv.TagName tag : row.tags()) {
                known.computeIfAbsent(tag.key(), k -> tags.ensureTag(tag.group(), tag.tag(), null).id());
            }
        }
        return Map.copyOf(known);
    }

    /** Stores one chunk in one transaction, tried again when the database chose it as a deadlock's victim. */
    private void apply(long job, Chunk chunk) {
        for (int attempt = 1; ; attempt++) {
            try {
                transaction.executeWithoutResult(status -> {
                    relaxCommit();
                    store(job, chunk);
                });
                return;
            } catch (TransientDataAccessException e) {
                if (attempt == 3) {
                    throw e;
                }
                LOG.info("Import {}: a chunk met another one in the database ({}); trying it again", job, e.getMessage());
            }
        }
    }

    /**
     * A chunk's commit need not wait for the disk: were the server to crash, the last chunks would be lost
     * and the job marked failed, and importing the file again is safe. Other transactions are unaffected.
     */
    private void relaxCommit() {
        if (dialect == SqlDialect.POSTGRESQL) {
            jdbc.execute("set local synchronous_commit = off");
        }
    }

    private void store(long job, Chunk chunk) {
        List<Row> rows = chunk.rows();
        if (!rows.isEmpty()) {
            String source = "import job " + job;
            CustomerDirectory.Resolution resolution = directory.resolve(rows.stream().map(Row::identities).toList(),
                    rows.stream().map(r -> source + ", row " + r.number()).toList(), rows.stream().map(Row::profile).toList());
            long[] customers = resolution.customers();
            List<Long> ids = new ArrayList<>(rows.size());
            List<CustomerDirectory.ProfilePatch> patches = new ArrayList<>(rows.size());
            List<CustomerAttributes.Value> values = new ArrayList<>();
            List<long[]> tagged = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                long customer = customers[i];
                if (!resolution.createdWithProfileOf(i)) {
                    ids.add(customer);
                    patches.add(rows.get(i).profile());
                }
                rows.get(i).attributes().forEach((key, value) -> values.add(new CustomerAttributes.Value(customer, key, value)));
                for (CustomerCsv.TagName tag : rows.get(i).tags()) {
                    tagged.add(new long[] {customer, chunk.tagIds().get(tag.key())});
                }
            }
            directory.updateProfiles(ids, patches);
            attributes.set(values);
            tags.tag(tagged, TagSource.IMPORT);
        }
        recordErrors(job, chunk.errors());
        jdbc.update("update pond_import_job set rows_read = greatest(rows_read, ?), rows_imported = rows_imported + ?,"
                + " rows_failed = rows_failed + ?, bytes_read = greatest(bytes_read, ?) where id = ?", chunk.read(),
                rows.size(), chunk.errors().stream().map(RowError::number).distinct().count(), chunk.bytesRead(), job);
    }

    private static void failFast(List<Future<?>> chunks) throws Exception {
        for (Future<?> chunk : chunks) {
            if (chunk.isDone()) {
                unwrap(chunk);
            }
        }
        chunks.removeIf(Future::isDone);
    }

    private static void awaitAll(List<Future<?>> chunks) throws Exception {
        for (Future<?> chunk : chunks) {
            unwrap(chunk);
        }
    }

    private static void unwrap(Future<?> chunk) throws Exception {
        try {
            chunk.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private void recordErrors(long job, List<RowError> errors) {
        jdbc.batchUpdate("insert into pond_import_error (job_id, line_number, column_name, message) values (?, ?, ?, ?)",
                errors, CHUNK, (ps, error) -> {
                    ps.setLong(1, job);
                    ps.setLong(2, error.number());
                    ps.setString(3, error.column().length() > 128 ? error.column().substring(0, 128) : error.column());
                    ps.setString(4, error.message().length() > 1000 ? error.message().substring(0, 1000) : error.message());
                });
    }

    private CSVParser open(InputStream in, Map<String, AttributeDefinition> definitions) throws IOException {
        Reader reader = CustomerCsv.reader(in);
        CSVParser parser;
        try {
            parser = CSVParser.builder().setReader(reader).setFormat(FORMAT).get();
        } catch (IllegalArgumentException | IOException e) {
            reader.close();
            throw new HeaderException("The first line must name the columns: " + e.getMessage());
        }
        List<String> problems = CustomerCsv.checkHeader(parser.getHeaderNames(), definitions);
        if (!problems.isEmpty()) {
            parser.close();
            throw new HeaderException("The header of the file cannot be used: " + String.join("; ", problems) + ".");
        }
        return parser;
    }

    private static Map<String, String> cells(CSVRecord record, CSVParser parser) {
        Map<String, String> cells = new LinkedHashMap<>();
        List<String> names = parser.getHeaderNames();
        for (int i = 0; i < names.size() && i < record.size(); i++) {
            cells.put(names.get(i), record.get(i));
        }
        return cells;
    }

    private boolean cancelled(long job) {
        return Status.CANCELLED.name().equals(
                jdbc.queryForObject("select status from pond_import_job where id = ?", String.class, job));
    }

    private void setStatus(long job, Status status) {
        jdbc.update("update pond_import_job set status = ? where id = ? and status <> ?", status.name(), job,
                Status.CANCELLED.name());
    }

    private void finish(long job, Status status, String message) {
        LOG.info("Customer import {} ended {}: {}", job, status, message);
        jdbc.update("update pond_import_job set status = ?, message = ?, finished_at = ?,"
                        + " bytes_read = case when ? then bytes_total else bytes_read end where id = ?",
                status.name(), message, Timestamp.from(clock.instant()), status == Status.DONE, job);
        auditLog.record(null, "IMPORT_" + status.name(), "job " + job + ": " + message);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete the uploaded file {}", file, e);
        }
    }

    private static final String JOB_COLUMNS = "id, file_name, mode, status, bytes_total, bytes_read, rows_read,"
            + " rows_imported, rows_failed, message, created_by, started_at, finished_at";

    private static ImportJob mapJob(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new ImportJob(rs.getLong("id"), rs.getString("file_name"), ImportMode.valueOf(rs.getString("mode")),
                Status.valueOf(rs.getString("status")), rs.getLong("bytes_total"), rs.getLong("bytes_read"),
                rs.getLong("rows_read"), rs.getLong("rows_imported"), rs.getLong("rows_failed"), rs.getString("message"),
                rs.getString("created_by"), rs.getTimestamp("started_at").toInstant(),
                rs.getTimestamp("finished_at") == null ? null : rs.getTimestamp("finished_at").toInstant());
    }

    /** A header that cannot be imported: the job fails before any row. */
    static final class HeaderException extends IllegalArgumentException {
        HeaderException(String message) {
            super(message);
        }
    }

    /** Counts the bytes read, for the progress bar. */
    private static final class CountingStream extends FilterInputStream {
        volatile long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
