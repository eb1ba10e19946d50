package io.pond.engine.script;

/**
 * Why a script did not give a result: refused before it ran (it uses something scripts may not), stopped (it
 * used up its CPU time or loop steps), or failed while running. The message names the line when known, in
 * English and Chinese, and is what the incident and the designer's test run show.
 */
public class ScriptProblem extends RuntimeException {

    public enum Kind { REFUSED, STOPPED, FAILED }

    private final Kind kind;
    private final int line;

    public ScriptProblem(Kind kind, int line, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.line = line;
    }

    public Kind kind() {
        return kind;
    }

    /** The script's line the problem is on, or -1. */
    public int line() {
        return line;
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
