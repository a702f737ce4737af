package org.lxj.core.internal.run;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Threads for work a start hands off its path (the attach policy, written while the launcher works):
 * a new thread cost a start about 0.2 ms, so they are kept for the next start, and end after 30 s idle, so an idle
 * or stopped runtime keeps none.
 */
final class Workers {
    private Workers() {
    }

    /** A pool of daemon threads named {@code name} that grows as needed and shrinks to none when idle. */
    static ThreadPoolExecutor idleEnding(String name) {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
