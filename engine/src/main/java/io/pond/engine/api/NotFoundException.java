package io.pond.engine.api;

/**
 * Something asked for by name or id does not exist (a journey, a version, an import). Pond's API answers 404; code
 * that treats it as bad input still can, since it is one.
 */
public class NotFoundException extends IllegalArgumentException {

    public NotFoundException(String message) {
        super(message);
    }
}
