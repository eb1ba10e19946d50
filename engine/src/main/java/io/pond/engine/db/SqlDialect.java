package io.pond.engine.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

/**
 * The few statements that PostgreSQL and H2 (the embedded default) spell differently. Everything else
 * Pond writes is plain SQL that both run.
 */
public enum SqlDialect {

    POSTGRESQL {
        @Override
        public String insertIgnoringDuplicates(String table, String columns, String conflictColumns, int columnCount) {
            return "insert into " + table + " (" + columns + ") values (" + placeholders(columnCount) + ")"
                    + " on conflict (" + conflictColumns + ") do nothing";
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
        public String insertIgnoringDuplicates(String table, String columns, String conflictColumns, int columnCount) {
            StringBuilder match = new StringBuilder();
            String[] keys = conflictColumns.split(",");
            String[] all = columns.split(",");
            for (String key : keys) {
                int position = indexOf(all, key.trim());
                match.append(match.isEmpty() ? "" : " and ").append(key.trim()).append(" = ?").append(position + 1);
            }
            StringBuilder values = new StringBuilder();
            for (int i = 1; i <= columnCount; i++) {
                values.append(i == 1 ? "" : ", ").append('?').append(i);
            }
            return "insert into " + table + " (" + columns + ") select " + values
                    + " where not exists (select 1 from " + table + " where " + match + ")";
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

    /** An insert of one row that does nothing (update count 0) when a row with the same key exists. */
    public abstract String insertIgnoringDuplicates(String table, String columns, String conflictColumns, int columnCount);

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

    static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    private static int indexOf(String[] columns, String column) {
        for (int i = 0; i < columns.length; i++) {
            if (columns[i].trim().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException(column + " is not among the inserted columns");
    }
}
