package org.lxj.core.internal.run;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Threads for work a start hands off its path (its attach policy, its monitor's move):
 * a new thread cost a start about 0.2 ms, so they are kept for the next start, and end after 30 s idle, so an idle
 * or stopped runtime keeps none.
 */
final class Workers {
    private Workers() {
    }

    /** A pool of daemon threads named {@code name} that grows as needed and shrinks to none when idle. */
    static ThreadPoolExecutor idleEnding(String name) {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> daemon(r, name));
    }

    /** One daemon thread named {@code name} for delayed work, which ends when idle and comes back when needed. */
    static ScheduledThreadPoolExecutor scheduled(String name) {
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> daemon(r, name));
        ex.setKeepAliveTime(30, TimeUnit.SECONDS);
        ex.allowCoreThreadTimeOut(true);
        return ex;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
