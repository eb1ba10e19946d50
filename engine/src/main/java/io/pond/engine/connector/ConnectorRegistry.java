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

    public List<ConnectorDescriptor> descriptors() {
        return byKey.values().stream().map(Registered::descriptor).toList();
    }
}
