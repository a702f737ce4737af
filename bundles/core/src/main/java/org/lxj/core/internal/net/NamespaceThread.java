package org.lxj.core.internal.net;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

import org.lxj.linux.CloneFlags;
import org.lxj.linux.OpenFlags;
import org.lxj.linux.Syscalls;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.network.NetnsHandle;

/**
 * A container's network namespace entered on a fresh platform thread per call: the thread {@code setns}es, runs
 * the task and ends, so no pooled thread ever stays in the container's namespace (per-thread {@code setns} into a
 * network namespace works in a multithreaded JVM).
 */
public final class NamespaceThread implements NetnsHandle {
    private final Syscalls sys;
    private final int pid;
    private final Path file;

    public NamespaceThread(Syscalls sys, int pid) {
        this.sys = sys;
        this.pid = pid;
        this.file = Path.of("/proc/" + pid + "/ns/net");
    }

    @Override
    public int pid() {
        return pid;
    }

    @Override
    public Path namespaceFile() {
        return file;
    }

    @Override
    public <T> T call(Supplier<T> task) {
        FutureTask<T> f = new FutureTask<>(() -> {
            int fd;
            try {
                fd = sys.open(file.toString(), OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC, 0);
            } catch (RuntimeException e) {
                throw new BackendException("Failed to enter the network namespace of " + pid + ": "
                        + e.getMessage(), e);
            }
            try {
                sys.setns(fd, CloneFlags.CLONE_NEWNET);
            } finally {
                sys.close(fd);
            }
            return task.get();
        });
        Thread t = new Thread(f, "lxj-netns-" + pid);
        t.setDaemon(true);
        t.start();
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("Interrupted in the network namespace of " + pid, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new BackendException("Failed in the network namespace of " + pid + ": " + c, c);
        }
    }
}
