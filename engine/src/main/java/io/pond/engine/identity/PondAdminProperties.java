package io.pond.engine.identity;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The administrator created at the first start: {@code POND_ADMIN_USER} (default {@code admin}) and
 * {@code POND_ADMIN_PASSWORD}; without a password a random one is generated and logged once.
 */
@ConfigurationProperties("pond.admin")
public record PondAdminProperties(String user, String password) {

    public PondAdminProperties {
        user = user == null || user.isBlank() ? "admin" : user.trim();
    }

    public boolean hasPassword() {
        return password != null && !password.isEmpty();
    }
}
