package org.lxj.core.internal.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.lxj.api.ContainerNotRunningException;
import org.lxj.api.ContainerState;
import org.lxj.api.LxjException;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.core.internal.lifecycle.StateStore;
import org.lxj.spi.cgroup.CgroupBackend;
import org.lxj.spi.cgroup.CgroupCapability;
import org.lxj.spi.cgroup.CgroupHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What can be done to a running container through the cgroups its start recorded: freeze and thaw
 * ({@code lxc-freeze}, {@code lxc-unfreeze}) with their state events, one cgroup file read or written
 * ({@code lxc-cgroup}), every process signalled at once ({@code lxc-stop -k}), and the state as
 * {@code lxc-info} shows it: {@link ContainerState#FROZEN} while the payload cgroup is frozen.
 */
public final class CgroupControl implements StateStore {
    private static final Logger LOG = LoggerFactory.getLogger(CgroupControl.class);
    /** A cgroup file name: a controller, a dot, and a name without slashes. */
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9_]+\\.[A-Za-z0-9_.]+");
    private static final String FREEZER = "freezer";

    private final Supplier<List<CgroupBackend>> backends;
    private final RunRegistry runs;

    public CgroupControl(Supplier<List<CgroupBackend>> backends, RunRegistry runs) {
        this.backends = backends;
        this.runs = runs;
    }

    /** One backend's cgroups of a running container, with the backend that made them. */
    record Bound(CgroupBackend backend, CgroupHandle handle) {
    }

    /** The recorded cgroups of {@code s} whose backend is installed, in the order they were made. */
    List<Bound> bound(RunState s) {
        List<Bound> out = new ArrayList<>();
        List<CgroupBackend> installed = backends.get();
        List<CgroupRecord> records;
        try {
            records = CgroupRecord.decode(s.cgroups());
        } catch (IllegalArgumentException e) {
            throw new LxjException("Cannot read the recorded cgroups of \"" + s.name() + "\": " + e.getMessage(), e);
        }
        for (CgroupRecord r : records) {
            installed.stream().filter(b -> b.type().equals(r.type())).findFirst()
                    .ifPresent(b -> out.add(new Bound(b, r.handle())));
        }
        return out;
    }

    private RunState running(Path lxcpath, String name) {
        return runs.live(lxcpath, name).orElseThrow(() -> new ContainerNotRunningException(name));
    }

    /**
     * The backend that freezes: one managing a {@code freezer} controller first (v1 on hybrid hosts, as LXC does
     * there), else the first that can freeze.
     */
    Optional<Bound> freezer(RunState s) {
        return bound(s).stream().filter(b -> b.backend().capabilities().contains(CgroupCapability.FREEZE))
                .min(Comparator.comparingInt(b -> b.backend().controllers().contains(FREEZER) ? 0 : 1));
    }

    /**
     * Freezes a running container, emitting FREEZING and FROZEN; a frozen one is left as it is. Holds the
     * container's lock, as LXC's freeze command is served by its monitor one at a time: no start or stop cleanup
     * runs meanwhile.
     */
    public void freeze(Path lxcpath, String name) {
        try (ContainerLocks.Held held = runs.locks().lock(lxcpath, name)) {
            freezeLocked(lxcpath, name);
        }
    }

    private void freezeLocked(Path lxcpath, String name) {
        RunState s = running(lxcpath, name);
        Bound b = freezer(s).orElseThrow(() -> new UnsupportedFeatureException("Failed to freeze \"" + name
                + "\": none of its cgroups can be frozen on this host"));
        if (b.backend().frozen(b.handle())) {
            return;
        }
        runs.emit(lxcpath, name, ContainerState.FREEZING);
        try {
            b.backend().freeze(b.handle());
        } catch (LxjException e) {
            runs.emit(lxcpath, name, ContainerState.RUNNING);
            throw e;
        }
        LOG.info("{}: frozen", name);
        runs.emit(lxcpath, name, ContainerState.FROZEN);
    }

    /**
     * Thaws every frozen cgroup of a running container, emitting THAWED and RUNNING when one was frozen; under the
     * container's lock, as {@link #freeze}.
     */
    public void unfreeze(Path lxcpath, String name) {
        try (ContainerLocks.Held held = runs.locks().lock(lxcpath, name)) {
            RunState s = running(lxcpath, name);
            if (thaw(s)) {
                LOG.info("{}: thawed", name);
                runs.emit(lxcpath, name, ContainerState.THAWED);
                runs.emit(lxcpath, name, ContainerState.RUNNING);
            }
        }
    }

    /** Thaws whatever cgroup of {@code s} is frozen; whether one was. */
    boolean thaw(RunState s) {
        boolean any = false;
        for (Bound b : bound(s)) {
            if (b.backend().capabilities().contains(CgroupCapability.FREEZE) && b.backend().frozen(b.handle())) {
                b.backend().thaw(b.handle());
                any = true;
            }
        }
        return any;
    }

    /** Whether a cgroup of {@code s} is frozen. */
    boolean frozen(RunState s) {
        try {
            return bound(s).stream().anyMatch(b -> b.backend().capabilities().contains(CgroupCapability.FREEZE)
                    && b.backend().frozen(b.handle()));
        } catch (LxjException | IllegalArgumentException e) {
            LOG.debug("{}: cannot tell whether it is frozen: {}", s.name(), e.getMessage());
            return false;
        }
    }

    /**
     * Sends {@code signal} to every process of the container's cgroups at once (the backend's kill-all), then
     * thaws them so that a frozen container can die, as LXC's stop does. Failures are logged: the caller has
     * signalled init already and waits for it.
     */
    public void killAll(RunState s, int signal) {
        try {
            List<Bound> all = bound(s);
            Optional<Bound> first = freezer(s).or(() -> all.stream().findFirst());
            if (first.isPresent() && !first.get().handle().payloadDirectories().isEmpty()) {
                first.get().backend().kill(first.get().handle(), signal);
            }
            thaw(s);
        } catch (LxjException | IllegalArgumentException e) {
            logUnlessGone(s, "failed to signal every process of its cgroups", e);
        }
    }

    /**
     * Logs a failure on the cgroups of a stopping container: a warning, unless they are gone already (init died
     * and the cleanup removed them first), which is the normal end of a kill.
     */
    private void logUnlessGone(RunState s, String what, RuntimeException e) {
        boolean gone;
        try {
            gone = bound(s).stream().flatMap(b -> b.handle().payloadDirectories().stream())
                    .anyMatch(d -> !java.nio.file.Files.isDirectory(d));
        } catch (LxjException unreadable) {
            gone = false;
        }
        if (gone) {
            LOG.debug("{}: {}: {} (its cgroups are gone)", s.name(), what, e.getMessage());
        } else {
            LOG.warn("{}: {}: {}", s.name(), what, e.getMessage());
        }
    }

    /** Thaws a frozen container after its halt signal, so that it can shut down; failures are logged. */
    public void thawForStop(RunState s) {
        try {
            thaw(s);
        } catch (LxjException | IllegalArgumentException e) {
            logUnlessGone(s, "failed to thaw it for its stop", e);
        }
    }

    /** {@code lxc-cgroup NAME FILE}: the file's content from the backend that manages its controller. */
    public String get(Path lxcpath, String name, String file) {
        Bound b = owner(running(lxcpath, name), name, file);
        return b.backend().read(b.handle(), file);
    }

    /** {@code lxc-cgroup NAME FILE VALUE}. */
    public void set(Path lxcpath, String name, String file, String value) {
        Bound b = owner(running(lxcpath, name), name, file);
        b.backend().write(b.handle(), file, value);
        LOG.info("{}: cgroup file {} set to \"{}\"", name, file, value);
    }

    /**
     * The recorded cgroups that hold {@code file}: the backend listing its controller. Core files
     * ({@code cgroup.procs}, {@code cgroup.clone_children}, ...) belong to no controller and are refused, as
     * LXC's {@code lxc-cgroup} refuses them on hybrid and legacy hosts: moving tasks is {@code lxc-attach}'s job.
     */
    private Bound owner(RunState s, String name, String file) {
        if (!FILE.matcher(file).matches()) {
            throw new LxjException("Invalid cgroup file \"" + file + "\": expected a name such as "
                    + "memory.limit_in_bytes");
        }
        String controller = file.substring(0, file.indexOf('.'));
        List<Bound> all = bound(s).stream().filter(b -> !b.handle().payloadDirectories().isEmpty()).toList();
        Optional<Bound> owner = all.stream().filter(b -> b.backend().controllers().contains(controller)).findFirst();
        if (owner.isPresent()) {
            return owner.get();
        }
        if (controller.equals("cgroup")) {
            throw new UnsupportedFeatureException("Cgroup core file \"" + file + "\" of \"" + name
                    + "\" belongs to no controller; lxc-cgroup reads and writes controller files only");
        }
        List<String> known = all.stream().flatMap(b -> b.backend().controllers().stream()).distinct().sorted()
                .toList();
        throw new UnsupportedFeatureException("Unknown cgroup controller \"" + controller + "\" in \"" + file
                + "\": the cgroups of \"" + name + "\" have " + String.join(", ", known));
    }

    @Override
    public ContainerState state(Path lxcpath, String name) {
        ContainerState st = runs.state(lxcpath, name);
        if (st != ContainerState.RUNNING) {
            return st;
        }
        Optional<RunState> s = runs.read(lxcpath, name);
        return s.isPresent() && frozen(s.get()) ? ContainerState.FROZEN : st;
    }

    @Override
    public OptionalLong initPid(Path lxcpath, String name) {
        return runs.initPid(lxcpath, name);
    }
}
