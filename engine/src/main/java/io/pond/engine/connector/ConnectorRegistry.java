package io.pond.engine.connector;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.pond.connectors.spi.Connector;
import io.pond.connectors.spi.ConnectorDescriptor;

/** Every connector Pond knows, by "id:version"; two connectors with one key stop the start. */
public class ConnectorRegistry {

    /** A connector with its declaration. */
    public record Registered(ConnectorDescriptor descriptor, Connector<?> connector) {
    }

    private final Map<String, Registered> byKey = new LinkedHashMap<>();

    /** The given connectors (Spring beans) and those registered in META-INF/services/io.pond.connectors.spi.Connector. */
    public static ConnectorRegistry discover(Collection<? extends Connector<?>> beans) {
        java.util.List<Connector<?>> all = new java.util.ArrayList<>(beans);
        java.util.Set<Class<?>> seen = new java.util.HashSet<>();
        beans.forEach(bean -> seen.add(bean.getClass()));
        for (Connector<?> loaded : java.util.ServiceLoader.load(Connector.class, ConnectorRegistry.class.getClassLoader())) {
            if (seen.add(loaded.getClass())) {
                all.add(loaded);
            }
        }
        return new ConnectorRegistry(all);
    }

    public ConnectorRegistry(Collection<? extends Connector<?>> connectors) {
        for (Connector<?> connector : connectors) {
            ConnectorDescriptor descriptor = ConnectorDescriptor.of(connector.getClass());
            Registered earlier = byKey.putIfAbsent(descriptor.key(), new Registered(descriptor, connector));
            if (earlier != null) {
                throw new IllegalStateException("Two connectors declare " + descriptor.key() + ": "
                        + earlier.connector().getClass().getName() + " and " + connector.getClass().getName());
            }
        }
    }

    public Optional<Registered> find(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /**
     * The systems whose connectors need settings (wecom, wechatpay, crm, webhook...), each with one of its
     * connectors: all connectors of a system share its settings.
     */
    public Map<String, ConnectorDescriptor> systemsWithSettings() {
        Map<String, ConnectorDescriptor> systems = new java.util.TreeMap<>();
        byKey.values().stream().map(Registered::descriptor).filter(d -> !d.settings().isEmpty())
                .forEach(d -> systems.putIfAbsent(d.system(), d));
        return systems;
    }

    public List<ConnectorDescriptor> descriptors() {
        return byKey.values().stream().map(Registered::descriptor).toList();
    }
}
