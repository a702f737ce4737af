package org.lxj.cgroup.v2.internal;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A bounded wait for the kernel to catch up: exited tasks leave a cgroup a moment after they were reaped, and a
 * freezer passes through FREEZING. Tries at once, then at growing intervals until the bound.
 *
 * @param bound how long to keep trying; zero tries once
 */
record Drain(Duration bound) {
    static final Drain DEFAULT = new Drain(Duration.ofSeconds(5));
    static final Drain ONCE = new Drain(Duration.ZERO);

    private static final long FIRST_PAUSE_NANOS = 200_000L;
    private static final long MAX_PAUSE_NANOS = 50_000_000L;

    /** Whether {@code done} became true within the bound. */
    boolean await(BooleanSupplier done) {
        long deadline = System.nanoTime() + bound.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        while (true) {
            if (done.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
    }
}
