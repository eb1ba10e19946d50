package io.pond.engine.script;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The CPU time and loop steps a running script may still use. Sandboxed scripts call {@link #exceeded()} at the
 * start of every loop iteration, closure and method (Groovy's ConditionalInterrupt puts the calls there); once
 * the budget is spent every later call says so too, so a script cannot carry on past it.
 */
public final class ScriptBudget {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final ThreadLocal<ScriptBudget> CURRENT = new ThreadLocal<>();

    private final long cpuDeadline;
    private final long cpuLimitNanos;
    private final long maxSteps;
    private long steps;
    private String spent;

    private ScriptBudget(long cpuLimitNanos, long maxSteps) {
        this.cpuLimitNanos = cpuLimitNanos;
        this.cpuDeadline = cpu() + cpuLimitNanos;
        this.maxSteps = maxSteps;
    }

    static ScriptBudget start(long cpuLimitNanos, long maxSteps) {
        ScriptBudget budget = new ScriptBudget(cpuLimitNanos, maxSteps);
        CURRENT.set(budget);
        return budget;
    }

    static void end() {
        CURRENT.remove();
    }

    /** Why the script was stopped, or null. */
    String spent() {
        return spent;
    }

    /** Called by sandboxed scripts only. */
    public static boolean exceeded() {
        ScriptBudget budget = CURRENT.get();
        if (budget == null) {
            return false;
        }
        if (budget.spent != null) {
            return true;
        }
        budget.steps++;
        if (budget.steps > budget.maxSteps) {
            budget.spent = "it ran more than " + budget.maxSteps + " loop steps / 循环次数超过 " + budget.maxSteps;
        } else if ((budget.steps & 255) == 0 && cpu() > budget.cpuDeadline) {
            budget.spent = "it used more than " + budget.cpuLimitNanos / 1_000_000 + " ms of CPU time / CPU 时间超过 "
                    + budget.cpuLimitNanos / 1_000_000 + " 毫秒";
        }
        return budget.spent != null;
    }

    private static long cpu() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }
}
