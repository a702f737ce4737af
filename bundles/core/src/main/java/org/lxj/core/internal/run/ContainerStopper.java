package org.lxj.core.internal.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.lxj.api.ContainerNotRunningException;
import org.lxj.api.ContainerState;
import org.lxj.api.LxjException;
import org.lxj.api.StopOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lxc-stop}: by default the halt signal to init ({@code lxc.signal.halt}; without it SIGRTMIN+3 when init
 * blocks that signal, as systemd does, else SIGPWR), a wait of up to the timeout, then the stop signal
 * ({@code lxc.signal.stop}, SIGKILL) unless {@code --nokill}; {@code -k} sends the stop signal at once;
 * {@code -r} sends the reboot signal; {@code -W} does not wait. Returns after the cleanup.
 */
public final class ContainerStopper {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerStopper.class);
    static final int SIGRTMIN_3 = 37;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** How long one wait request lasts before the deadline is checked again. */
    static final Duration SLICE = Duration.ofSeconds(5);

    private final RunRegistry registry;
    private final HostProcesses procs;
    private final Optional<CgroupControl> cgroups;

    public ContainerStopper(RunRegistry registry, HostProcesses procs) {
        this(registry, procs, Optional.empty());
    }

    /**
     * @param cgroups when present, a kill also signals every process of the container's cgroups at once
     *                (v2 {@code cgroup.kill}; v1 freeze, kill, thaw) and a frozen container is thawed after its
     *                signal, as LXC's stop does
     */
    public ContainerStopper(RunRegistry registry, HostProcesses procs, Optional<CgroupControl> cgroups) {
        this.registry = registry;
        this.procs = procs;
        this.cgroups = cgroups;
    }

    /**
     * Stops {@code name}.
     *
     * @throws ContainerNotRunningException when it is not running (exit status 2)
     * @throws LxjException                 when it did not stop in time with {@code --nokill}
     */
    public void stop(Path lxcpath, String name, StopOptions o) {
        RunState s = registry.live(lxcpath, name).orElseThrow(() -> new ContainerNotRunningException(name));
        MonitorLink link = registry.monitor(s);
        if (o.reboot()) {
            LOG.info("{}: reboot requested (signal {})", name, s.rebootSignal());
            send(link, s, s.rebootSignal());
            return;
        }
        if (o.kill()) {
            LOG.info("{}: killing (signal {})", name, s.stopSignal());
            send(link, s, s.stopSignal());
            cgroups.ifPresent(c -> c.killAll(s, s.stopSignal()));
            awaitExit(link, s, Optional.empty());
            registry.reap(s, false);
            return;
        }
        int halt = s.haltSignal() != 0 ? s.haltSignal()
                : procs.blocks(s.initPid(), SIGRTMIN_3) ? SIGRTMIN_3 : ContainerStarter.SIGPWR;
        LOG.info("{}: shutting down (signal {}, timeout {})", name, halt, o.timeout());
        registry.emit(lxcpath, name, ContainerState.STOPPING);
        send(link, s, halt);
        cgroups.ifPresent(c -> c.thawForStop(s));
        if (o.noWait()) {
            return;
        }
        Optional<Duration> timeout = o.timeout().isNegative() ? Optional.empty() : Optional.of(o.timeout());
        if (!awaitExit(link, s, timeout)) {
            if (o.noKill()) {
                throw new LxjException("\"" + name + "\" did not shut down within " + o.timeout().toSeconds()
                        + " s");
            }
            LOG.info("{}: did not shut down within {} s, killing (signal {})", name, o.timeout().toSeconds(),
                    s.stopSignal());
            send(link, s, s.stopSignal());
            cgroups.ifPresent(c -> c.killAll(s, s.stopSignal()));
            awaitExit(link, s, Optional.empty());
        }
        registry.reap(s, false);
    }

    private void send(MonitorLink link, RunState s, int signal) {
        try {
            link.kill(signal, REQUEST_TIMEOUT);
        } catch (IOException e) {
            RunRegistry.Status st = registry.probe(s);
            if (st == RunRegistry.Status.RUNNING || st == RunRegistry.Status.STARTING) {
                throw new LxjException("Failed to send signal " + signal + " to \"" + s.name() + "\": "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * Waits until init exited, at most {@code timeout} (empty: for ever).
     *
     * @return whether it exited (or its monitor is gone, which ends the container too)
     */
    boolean awaitExit(MonitorLink link, RunState s, Optional<Duration> timeout) {
        long deadline = timeout.map(t -> System.nanoTime() + t.toNanos()).orElse(Long.MAX_VALUE);
        while (true) {
            long left = deadline - System.nanoTime();
            if (timeout.isPresent() && left <= 0) {
                return false;
            }
            Duration slice = timeout.isEmpty() || left > SLICE.toNanos() ? SLICE : Duration.ofNanos(left);
            try {
                link.awaitExit(slice);
                return true;
            } catch (IOException e) {
                RunRegistry.Status st = registry.probe(s);
                if (st != RunRegistry.Status.RUNNING && st != RunRegistry.Status.STARTING) {
                    return true;
                }
            }
        }
    }
}
