package org.lxj.core.internal.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.lxj.launcher.ExitStatus;

/**
 * Monitors and init processes as the stop and cleanup logic sees them: each fake init dies from the signals it
 * does not ignore, and its monitor then writes the exit record into the run directory, as the real one does.
 */
final class FakeMonitors implements MonitorLink.Factory {
    final Map<Path, Fake> byDir = new ConcurrentHashMap<>();

    final class Fake implements MonitorLink {
        final Path dir;
        final int pid;
        final Set<Integer> ignored;
        final List<Integer> signals = new ArrayList<>();
        final CountDownLatch exited = new CountDownLatch(1);
        volatile boolean monitorDead;

        Fake(Path dir, int pid, Set<Integer> ignored) {
            this.dir = dir;
            this.pid = pid;
            this.ignored = ignored;
        }

        boolean alive() {
            return exited.getCount() > 0 && !monitorDead;
        }

        @Override
        public Optional<Integer> state(Duration timeout) throws IOException {
            if (monitorDead) {
                throw new IOException("gone");
            }
            return alive() ? Optional.of(pid) : Optional.empty();
        }

        @Override
        public synchronized boolean kill(int signal, Duration timeout) throws IOException {
            if (monitorDead) {
                throw new IOException("gone");
            }
            if (!alive()) {
                return false;
            }
            signals.add(signal);
            if (!ignored.contains(signal)) {
                exit(signal);
            }
            return true;
        }

        void exit(int signal) {
            try {
                Files.writeString(dir.resolve("exit"), (signal == 0 ? "exit=0 signal=0" : "exit=-1 signal=" + signal)
                        + " time=1.0\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            exited.countDown();
        }

        @Override
        public ExitStatus awaitExit(Duration timeout) throws IOException {
            try {
                if (!exited.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw new IOException("Timed out");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            return exitStatus().orElseThrow(() -> new IOException("no exit record"));
        }

        @Override
        public Optional<ExitStatus> exitStatus() throws IOException {
            Path f = dir.resolve("exit");
            return Files.exists(f) ? Optional.of(ExitStatus.parse(Files.readString(f))) : Optional.empty();
        }
    }

    Fake add(Path dir, int pid, Set<Integer> ignored) {
        Fake f = new Fake(dir, pid, ignored);
        byDir.put(dir, f);
        return f;
    }

    @Override
    public MonitorLink open(Path runDir) {
        Fake f = byDir.get(runDir);
        if (f != null) {
            return f;
        }
        return new MonitorLink() {
            @Override
            public Optional<Integer> state(Duration timeout) throws IOException {
                throw new IOException("no monitor");
            }

            @Override
            public boolean kill(int signal, Duration timeout) throws IOException {
                throw new IOException("no monitor");
            }

            @Override
            public ExitStatus awaitExit(Duration timeout) throws IOException {
                throw new IOException("no monitor");
            }

            @Override
            public Optional<ExitStatus> exitStatus() {
                return Optional.empty();
            }
        };
    }

    /** Processes whose liveness is the fakes'. */
    HostProcesses processes(Set<Integer> blockingRtmin3) {
        return new HostProcesses(Path.of("/nonexistent")) {
            @Override
            public OptionalLong startTime(int pid) {
                return byDir.values().stream().filter(f -> f.pid == pid && f.exited.getCount() > 0).findFirst()
                        .map(f -> OptionalLong.of(1000L)).orElse(OptionalLong.empty());
            }

            @Override
            public boolean blocks(int pid, int signal) {
                return blockingRtmin3.contains(pid) && signal == 37;
            }
        };
    }

    static Instant now() {
        return Instant.now();
    }
}
