package io.pond.engine.db;

import java.sql.PreparedStatement;

import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/** Small JDBC helpers JdbcTemplate lacks. */
public final class Jdbc {

    private Jdbc() {
    }

    /** Runs an insert into a table whose key column {@code id} the database generates, and returns that key. */
    public static long insertReturningId(JdbcTemplate jdbc, String sql, Object... arguments) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement(sql, new String[] {"id"});
            new ArgumentPreparedStatementSetter(arguments).setValues(statement);
            return statement;
        }, key);
        return key.getKey().longValue();
    }
}
