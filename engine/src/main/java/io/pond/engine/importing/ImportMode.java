package io.pond.engine.importing;

/** What an import does with bad rows. */
public enum ImportMode {
    /** Import every valid row; report each bad one. */
    KEEP_VALID,
    /** Check the whole file first; import nothing unless every row is valid. */
    STOP_AT_FIRST_ERROR
}
