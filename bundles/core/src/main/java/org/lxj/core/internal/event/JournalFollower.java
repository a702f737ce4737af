package org.lxj.core.internal.event;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import org.lxj.api.event.ContainerListener;
import org.lxj.api.event.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails an lxcpath's journal on a thread of its own and hands the events recorded by other processes to a
 * listener, until closed.
 */
public final class JournalFollower implements Subscription {
    static final Duration POLL = Duration.ofMillis(100);
    private static final Logger LOG = LoggerFactory.getLogger(JournalFollower.class);

    private final Thread thread;
    private volatile boolean open = true;

    private JournalFollower(Path lxcpath, Path file, long ownPid, ContainerListener listener) {
        JournalReader reader = new JournalReader(file);
        thread = new Thread(() -> run(lxcpath, reader, ownPid, listener), "lxj-journal-" + file.getParent()
                .getFileName());
        thread.setDaemon(true);
    }

    /** Starts following {@code file}, skipping the lines {@code ownPid} wrote. */
    public static JournalFollower start(Path lxcpath, Path file, long ownPid, ContainerListener listener) {
        JournalFollower f = new JournalFollower(lxcpath, file, ownPid, listener);
        f.thread.start();
        return f;
    }

    private void run(Path lxcpath, JournalReader reader, long ownPid, ContainerListener listener) {
        while (open) {
            try {
                for (String line : reader.poll()) {
                    EventJournal.parse(lxcpath, line).filter(e -> e.pid() != ownPid)
                            .ifPresent(e -> listener.containerChanged(e.event()));
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("journal of \"{}\": {}", lxcpath, e.toString());
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        open = false;
        thread.interrupt();
    }
}
