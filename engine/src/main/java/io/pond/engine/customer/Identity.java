package io.pond.engine.customer;

import java.util.Objects;

/** One channel id of a customer, normalised. */
public record Identity(IdentityType type, String value) {

    public Identity {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }

    /** Normalises {@code raw} for {@code type}; throws {@link IllegalArgumentException} with the reason. */
    public static Identity of(IdentityType type, String raw) {
        return new Identity(type, type.normalize(raw));
    }

    @Override
    public String toString() {
        return type.key() + "=" + (type == IdentityType.PHONE ? IdentityType.maskPhone(value) : value);
    }
}
