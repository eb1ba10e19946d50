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
        public boolean[] insertIgnoringDuplicates(JdbcTemplate jdbc, String table, List<String> columns,
                List<String> keyColumns, List<Object[]> rows) {
            boolean[] inserted = new boolean[rows.size()];
            int[] keyIndexes = keyIndexes(columns, keyColumns);
            String row = "(" + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
            for (int from = 0; from < rows.size(); from += CHUNK) {
                List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
                // one multi-row statement; RETURNING names exactly the rows that went in
                String sql = "insert into " + table + " (" + String.join(", ", columns) + ") values "
                        + String.join(", ", Collections.nCopies(chunk.size(), row))
                        + " on conflict (" + String.join(", ", keyColumns) + ") do nothing returning "
                        + String.join(", ", keyColumns);
                List<Object> arguments = new ArrayList<>(chunk.size() * columns.size());
                chunk.forEach(values -> arguments.addAll(java.util.Arrays.asList(values)));
                Set<List<String>> returned = new HashSet<>();
                jdbc.query(sql, rs -> {
                    List<String> key = new ArrayList<>(keyColumns.size());
                    for (int k = 1; k <= keyColumns.size(); k++) {
                        key.add(String.valueOf(rs.getObject(k)));
                    }
                    returned.add(key);
                }, arguments.toArray());
                for (int i = 0; i < chunk.size(); i++) {
                    // a key twice in one chunk went in once: the first row gets the credit
                    inserted[from + i] = returned.remove(key(chunk.get(i), keyIndexes));
                }
            }
            return inserted;
        }

        @Override
        public String nextValues(String sequence) {
            return "select nextval('" + sequence + "') from generate_series(1, ?)";
        }

        @Override
        public String lockSkippingLocked(int limit) {
            return " limit " + limit + " for update skip locked";
        }
    },

    H2 {
        /** H2 has no "on conflict"; the embedded default serves one user, so checking first is enough. */
        @Override
        public boolean[] insertIgnoringDuplicates(JdbcTemplate jdbc, String table, List<String> columns,
                List<String> keyColumns, List<Object[]> rows) {
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
        public String nextValues(String sequence) {
            return "select next value for " + sequence + " from system_range(1, ?)";
        }

        @Override
        public String lockSkippingLocked(int limit) {
            return " limit " + limit + " for update";
        }
    };

    private static final int CHUNK = 1000;

    /**
     * Inserts rows, skipping each whose key exists already (or came earlier in {@code rows}); returns which rows
     * went in. Safe against a concurrent insert of the same key on PostgreSQL.
     */
    public abstract boolean[] insertIgnoringDuplicates(JdbcTemplate jdbc, String table, List<String> columns,
            List<String> keyColumns, List<Object[]> rows);

    /** The end of a select that takes at most {@code limit} rows and locks them, skipping rows others hold. */
    public abstract String lockSkippingLocked(int limit);

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
