package io.pond.engine.connector;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.pond.connectors.spi.ConnectorDescriptor;
import io.pond.connectors.spi.ConnectorInputs;
import io.pond.connectors.spi.InputProblem;
import io.pond.connectors.spi.InputType;
import io.pond.engine.audit.AuditLog;
import io.pond.engine.secret.SecretBox;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The settings of each system Pond connects to (WeCom, WeChat Pay, a CRM...): endpoints and credentials,
 * secrets encrypted. A system nobody configured talks to Pond's sandbox, so a fresh install works end to end.
 */
public class ConnectorSettings {

    /** Shown instead of a stored secret: secrets are never sent back to a browser. */
    public static final String HIDDEN = "••••••••";

    private final JdbcTemplate jdbc;
    private final SecretBox secrets;
    private final SandboxDefaults sandbox;
    private final AuditLog auditLog;
    private final Clock clock;

    public ConnectorSettings(JdbcTemplate jdbc, SecretBox secrets, SandboxDefaults sandbox, AuditLog auditLog, Clock clock) {
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.sandbox = sandbox;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    /** Sandbox settings of the systems Pond can fake, by system. */
    public interface SandboxDefaults {
        Optional<Record> settings(String system);
    }

    /** The settings of the connector's system, bound to its settings record. */
    public <S extends Record> S load(ConnectorDescriptor connector, Class<S> type) {
        Map<String, String> stored = stored(connector.system());
        if (stored.isEmpty()) {
            Optional<Record> fallback = sandbox.settings(connector.system());
            if (fallback.isPresent() && type.isInstance(fallback.get())) {
                return type.cast(fallback.get());
            }
            if (connector.settings().isEmpty()) {
                return ConnectorInputs.bind(type, List.of(), Map.of(), null);
            }
            throw new IllegalStateException("The " + connector.system() + " connectors are not set up yet: an administrator"
                    + " or developer enters their settings under Connectors");
        }
        return ConnectorInputs.bind(type, connector.settings(), stored, null);
    }

    public boolean configured(String system) {
        Integer count = jdbc.queryForObject("select count(*) from pond_connector_setting where system_name = ?", Integer.class, system);
        return count != null && count > 0;
    }

    /** The settings as a form shows them: secrets replaced by {@link #HIDDEN}. */
    public Map<String, String> forForm(ConnectorDescriptor connector) {
        Map<String, String> form = new LinkedHashMap<>(stored(connector.system()));
        connector.settings().stream().filter(s -> s.type() == InputType.SECRET && form.get(s.name()) != null)
                .forEach(s -> form.put(s.name(), HIDDEN));
        return form;
    }

    /**
     * Saves the settings of the connector's system; a secret left empty or {@link #HIDDEN} keeps its stored value.
     *
     * @return the problems; nothing is saved unless there are none
     */
    public List<InputProblem> save(ConnectorDescriptor connector, Map<String, String> values, String actor) {
        Map<String, String> merged = new HashMap<>(values);
        Map<String, String> old = stored(connector.system());
        for (ConnectorDescriptor.InputDescriptor setting : connector.settings()) {
            String value = merged.get(setting.name());
            if (setting.type() == InputType.SECRET && (value == null || value.isEmpty() || HIDDEN.equals(value))) {
                merged.put(setting.name(), old.get(setting.name()));
            }
        }
        List<InputProblem> problems = ConnectorInputs.validate(connector.settings(), merged);
        if (!problems.isEmpty()) {
            return problems;
        }
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("delete from pond_connector_setting where system_name = ?", connector.system());
        for (ConnectorDescriptor.InputDescriptor setting : connector.settings()) {
            boolean secret = setting.type() == InputType.SECRET;
            String value = merged.get(setting.name());
            jdbc.update("insert into pond_connector_setting (system_name, setting_name, setting_value, secret, updated_by,"
                            + " updated_at) values (?, ?, ?, ?, ?, ?)", connector.system(), setting.name(),
                    secret ? secrets.encrypt(value) : value, secret, actor, now);
        }
        auditLog.record(actor, "CONNECTOR_SETTINGS_CHANGED", connector.system());
        forgetClients();
        return List.of();
    }

    /** Forgets the settings: the system's connectors talk to the sandbox again. */
    public void reset(String system, String actor) {
        jdbc.update("delete from pond_connector_setting where system_name = ?", system);
        auditLog.record(actor, "CONNECTOR_SETTINGS_RESET", system);
        forgetClients();
    }

    /** Clients cache tokens and pauses of the old settings. */
    private static void forgetClients() {
        io.pond.connectors.wecom.WeComClient.reset();
    }

    private Map<String, String> stored(String system) {
        Map<String, String> values = new HashMap<>();
        jdbc.query("select setting_name, setting_value, secret from pond_connector_setting where system_name = ?", rs -> {
            String value = rs.getString(2);
            values.put(rs.getString(1), rs.getBoolean(3) ? secrets.decrypt(value) : value);
        }, system);
        return values;
    }
}
