package dev.journey.templates.liquid;

/**
 * The render-time budget of the render running on this thread. liqp's own time limit runs every
 * render on a new executor (about 100x slower, STACK.md) and cannot stop a runaway render anyway;
 * here the rendering thread checks a deadline at cheap points (block bodies and loop iterations
 * through {@link BudgetTransformer}, every filter call, every partial) and stops itself, so a
 * slow template fails alone and other threads never wait for it.
 */
public final class RenderBudget {
    private static final ThreadLocal<long[]> DEADLINE = new ThreadLocal<>();
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private RenderBudget() {}

    /** Starts a budget of {@code millis} for this thread (0: none); returns what to restore afterwards. */
    public static long[] start(long millis) {
        long[] previous = DEADLINE.get();
        if (millis > 0) {
            DEADLINE.set(new long[] {System.nanoTime() + millis * 1_000_000L, millis, cpuNanos()});
        } else {
            DEADLINE.remove();
        }
        return previous;
    }

    public static void restore(long[] previous) {
        if (previous == null) {
            DEADLINE.remove();
        } else {
            DEADLINE.set(previous);
        }
    }

    /**
     * Throws {@link RenderTimeExceededException} when this thread's render is over its budget. The
     * cheap wall clock is checked first; once it is past the deadline, the thread's CPU time decides,
     * so a render that only waited (a busy machine, a worker starting with hundreds of renders at
     * once) is not failed for good: the deadline moves on by what is left of the CPU budget.
     */
    public static void check() {
        long[] deadline = DEADLINE.get();
        if (deadline != null && System.nanoTime() - deadline[0] > 0) {
            long cpuLeft = deadline[1] * 1_000_000L - (cpuNanos() - deadline[2]);
            if (cpuLeft <= 0) {
                throw new RenderTimeExceededException(deadline[1]);
            }
            deadline[0] = System.nanoTime() + cpuLeft;
        }
    }

    private static long cpuNanos() {
        long cpu = THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
        // Without CPU time the wall clock alone decides, as before.
        return cpu < 0 ? System.nanoTime() : cpu;
    }

    /** The render ran out of time. */
    public static final class RenderTimeExceededException extends RuntimeException {
        public RenderTimeExceededException(long millis) {
            super("the template took longer than " + millis + " ms to render and was stopped"
                    + " (make loops shorter or filters simpler)", null, false, false);
        }
    }
}
