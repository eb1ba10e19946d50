package io.pond.engine.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The few statements that PostgreSQL and H2 (the embedded default) spell differently. Everything else
 * Pond writes is plain SQL that both run.
 */
public enum SqlDialect {

    POSTGRESQL {
        @Override
        public boolean[] insertIgnoringDuplicates(JdbcTemplate jdbc, String table, List<Column> columns,
                List<String> keyColumns, List<Object[]> rows) {
            boolean[] inserted = new boolean[rows.size()];
            if (rows.isEmpty()) {
                return inserted;
            }
            List<String> names = columns.stream().map(Column::name).toList();
            int[] keyIndexes = keyIndexes(names, keyColumns);
            // RETURNING names exactly the rows that went in
            String sql = "insert into " + table + " (" + String.join(", ", names) + ") " + unnestColumns(columns)
                    + " on conflict (" + String.join(", ", keyColumns) + ") do nothing returning " + String.join(", ", keyColumns);
            for (int from = 0; from < rows.size(); from += CHUNK) {
                List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
                Set<List<String>> returned = new HashSet<>();
                unnest(jdbc, sql, columns, chunk, rs -> {
                    List<String> key = new ArrayList<>(keyColumns.size());
                    for (int k = 1; k <= keyColumns.size(); k++) {
                        key.add(String.valueOf(rs.getObject(k)));
                    }
                    returned.add(key);
                });
                for (int i = 0; i < chunk.size(); i++) {
                    // a key twice in one chunk went in once: the first row gets the credit
                    inserted[from + i] = returned.remove(key(chunk.get(i), keyIndexes));
                }
            }
            return inserted;
        }

        @Override
        public void upsert(JdbcTemplate jdbc, String table, List<Column> columns, List<String> keyColumns,
                List<Object[]> rows) {
            List<String> names = columns.stream().map(Column::name).toList();
            String updates = names.stream().filter(column -> !keyColumns.contains(column))
                    .map(column -> column + " = excluded." + column).collect(java.util.stream.Collectors.joining(", "));
            String sql = "insert into " + table + " (" + String.join(", ", names) + ") " + unnestColumns(columns)
                    + " on conflict (" + String.join(", ", keyColumns) + ") do update set " + updates;
            for (int from = 0; from < rows.size(); from += CHUNK) {
                unnest(jdbc, sql, columns, rows.subList(from, Math.min(rows.size(), from + CHUNK)), null);
            }
        }

        @Override
        public String nextValues(String sequence) {
            return "select nextval('" + sequence + "') from generate_series(1, ?)";
        }

        @Override
        public String lockSkippingLocked(int limit) {
            return " limit " + limit + " for update skip locked";
        }

        @Override
        public String ignoringConflictOn(String columns) {
            return " on conflict (" + columns + ") do nothing";
        }
    },

    H2 {
        /** H2 has no "on conflict"; the embedded default serves one user, so checking first is enough. */
        @Override
        public boolean[] insertIgnoringDuplicates(JdbcTemplate jdbc, String table, List<Column> typedColumns,
                List<String> keyColumns, List<Object[]> rows) {
            List<String> columns = typedColumns.stream().map(Column::name).toList();
            StringBuilder match = new StringBuilder();
            for (String key : keyColumns) {
                match.append(match.isEmpty() ? "" : " and ").append(key).append(" = ?").append(columns.indexOf(key) + 1);
            }
            StringBuilder values = new StringBuilder();
            for (int i = 1; i <= columns.size(); i++) {
                values.append(i == 1 ? "" : ", ").append('?').append(i);
            }
            String sql = "insert into " + table + " (" + String.join(", ", columns) + ") select " + values
                    + " where not exists (select 1 from " + table + " where " + match + ")";
            int[][] counts = jdbc.batchUpdate(sql, rows, CHUNK, (ps, row) -> {
                for (int i = 0; i < row.length; i++) {
                    ps.setObject(i + 1, row[i]);
                }
            });
            boolean[] inserted = new boolean[rows.size()];
            int i = 0;
            for (int[] chunk : counts) {
                for (int count : chunk) {
                    inserted[i++] = count > 0;
                }
            }
            return inserted;
        }

        @Override
        public void upsert(JdbcTemplate jdbc, String table, List<Column> columns, List<String> keyColumns,
                List<Object[]> rows) {
            batch(jdbc, "merge into " + table + " (" + String.join(", ", columns.stream().map(Column::name).toList())
                    + ") key (" + String.join(", ", keyColumns) + ") values ("
                    + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")", rows);
        }

        @Override
        public String nextValues(String sequence) {
            return "select next value for " + sequence + " from system_range(1, ?)";
        }

        @Override
        public String lockSkippingLocked(int limit) {
            return " limit " + limit + " for update";
        }

        @Override
        public String ignoringConflictOn(String columns) {
            // one user on the embedded database: the check before the insert is enough
            return "";
        }
    };

    private static final int CHUNK = 1000;

    /** A column written by {@link #insertIgnoringDuplicates}, with its PostgreSQL type (bigint, varchar, timestamptz...). */
    public record Column(String name, String type) {
    }

    /**
     * Inserts rows, skipping each whose key exists already (or came earlier in {@code rows}); returns which rows
     * went in. Safe against a concurrent insert of the same key on PostgreSQL.
     */
    public abstract boolean[] insertIgnoringDuplicates(JdbcTemplate jdbc, String table, List<Column> columns,
            List<String> keyColumns, List<Object[]> rows);

    /** Inserts rows, replacing the other columns of a row whose key exists already. */
    public abstract void upsert(JdbcTemplate jdbc, String table, List<Column> columns, List<String> keyColumns,
            List<Object[]> rows);

    /**
     * Runs {@code sql}, whose parameters are one array per column (unnested into rows: a statement of a few
     * parameters however many rows, cheap to plan), for at most {@value #CHUNK} rows; {@code results}, if
     * given, reads what it returns.
     */
    private static void unnest(JdbcTemplate jdbc, String sql, List<Column> columns, List<Object[]> chunk,
            org.springframework.jdbc.core.RowCallbackHandler results) {
        org.springframework.jdbc.core.PreparedStatementCreator statement = connection -> {
            var prepared = connection.prepareStatement(sql);
            for (int c = 0; c < columns.size(); c++) {
                Object[] values = new Object[chunk.size()];
                for (int r = 0; r < chunk.size(); r++) {
                    values[r] = chunk.get(r)[c];
                }
                prepared.setArray(c + 1, connection.createArrayOf(columns.get(c).type(), values));
            }
            return prepared;
        };
        if (results == null) {
            jdbc.execute(statement, java.sql.PreparedStatement::executeUpdate);
        } else {
            jdbc.query(statement, results);
        }
    }

    private static String unnestColumns(List<Column> columns) {
        return "select * from unnest(" + columns.stream().map(c -> "?::" + c.type() + "[]")
                .collect(java.util.stream.Collectors.joining(", ")) + ")";
    }

    private static void batch(JdbcTemplate jdbc, String sql, List<Object[]> rows) {
        jdbc.batchUpdate(sql, rows, CHUNK, (ps, row) -> {
            for (int i = 0; i < row.length; i++) {
                ps.setObject(i + 1, row[i]);
            }
        });
    }

    /** The end of a select that takes at most {@code limit} rows and locks them, skipping rows others hold. */
    public abstract String lockSkippingLocked(int limit);

    /**
     * What to append to an insert so that a row another transaction inserted a moment ago (same unique columns) is
     * skipped instead of failing; on PostgreSQL a failed statement would abort the whole transaction.
     */
    public abstract String ignoringConflictOn(String columns);

    /** A query of {@code ?} rows, each a new value of the sequence. */
    public abstract String nextValues(String sequence);

    public static SqlDialect of(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("postgres")) {
                return POSTGRESQL;
            }
            if (product.contains("h2")) {
                return H2;
            }
            throw new IllegalStateException("Pond runs on PostgreSQL or H2, not on " + product);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot tell which database Pond runs on: " + e.getMessage(), e);
        }
    }

    /** How many of the rows went in. */
    public static int count(boolean[] inserted) {
        int count = 0;
        for (boolean one : inserted) {
            count += one ? 1 : 0;
        }
        return count;
    }

    private static int[] keyIndexes(List<String> columns, List<String> keyColumns) {
        return keyColumns.stream().mapToInt(key -> {
            int index = columns.indexOf(key);
            if (index < 0) {
                throw new IllegalArgumentException(key + " is not among the inserted columns");
            }
            return index;
        }).toArray();
    }

    private static List<String> key(Object[] row, int[] keyIndexes) {
        List<String> key = new ArrayList<>(keyIndexes.length);
        for (int index : keyIndexes) {
            key.add(String.valueOf(row[index]));
        }
        return key;
    }
}
