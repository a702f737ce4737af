package org.lxj.cgroup.v2.internal;

import org.lxj.linux.CgroupFs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.lxj.api.ContainerBusyException;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.linux.Errno;
import org.lxj.linux.OpenFlags;
import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.backend.Detection;
import org.lxj.spi.cgroup.CgroupBackend;
import org.lxj.spi.cgroup.CgroupCapability;
import org.lxj.spi.cgroup.CgroupHandle;
import org.lxj.spi.cgroup.CgroupRequest;
import org.lxj.spi.cgroup.CgroupSetting;
import org.lxj.spi.cgroup.CgroupStats;
import org.lxj.spi.host.CgroupHierarchy;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.CgroupPlacement;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code v2} cgroup backend: the payload and monitor cgroups in the cgroup2 hierarchy (at
 * {@code /sys/fs/cgroup} on unified hosts, {@code /sys/fs/cgroup/unified} on hybrid ones), limits from
 * {@code lxc.cgroup2.<controller>.<file>} with the controller enabled in {@code cgroup.subtree_control} along the
 * path, and init born in its cgroup through {@code clone3(CLONE_INTO_CGROUP)}.
 */
@Component(service = CgroupBackend.class, property = Backend.TYPE_PROPERTY + "=" + V2CgroupBackend.TYPE)
public final class V2CgroupBackend implements CgroupBackend {
    static final String TYPE = "v2";
    static final String SELF_CGROUP = "/proc/self/cgroup";
    static final String SUBTREE_CONTROL = "cgroup.subtree_control";
    static final String CONTROLLERS = "cgroup.controllers";
    private static final int SIGKILL = 9;

    private static final Logger LOG = LoggerFactory.getLogger(V2CgroupBackend.class);

    private final Syscalls sys;
    private final HostFacts host;
    private final CgroupFs files;
    private final Path selfCgroup;
    private final Drain drain;

    @Activate
    public V2CgroupBackend(@Reference Syscalls sys, @Reference HostFacts host) {
        this(sys, host, Path.of(SELF_CGROUP), Drain.DEFAULT);
    }

    /** For tests: the {@code /proc/self/cgroup} to read for {@code lxc.cgroup.relative}, and the wait bound. */
    V2CgroupBackend(Syscalls sys, HostFacts host, Path selfCgroup, Drain drain) {
        this.sys = sys;
        this.host = host;
        this.files = new CgroupFs(sys);
        this.selfCgroup = selfCgroup;
        this.drain = drain;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Detection detect(HostFacts facts) {
        return facts.cgroups().stream().filter(h -> h.version() == 2).findFirst()
                .map(h -> Detection.available("cgroup2 mounted at " + h.mountPoint() + " (layout "
                        + facts.cgroupLayout() + ")"))
                .orElseGet(() -> Detection.unavailable("no cgroup2 hierarchy is mounted (layout "
                        + facts.cgroupLayout() + ")"));
    }

    private Optional<CgroupHierarchy> hierarchy() {
        return host.cgroups().stream().filter(h -> h.version() == 2).findFirst();
    }

    private CgroupHierarchy required() {
        return hierarchy().orElseThrow(() -> new BackendException("No cgroup2 hierarchy is mounted on this host"));
    }

    @Override
    public Set<CgroupCapability> capabilities() {
        Set<CgroupCapability> out = EnumSet.of(CgroupCapability.FREEZE, CgroupCapability.DEVICES);
        if (kernelAtLeast(5, 7)) {
            out.add(CgroupCapability.CLONE_INTO);
        }
        if (kernelAtLeast(5, 14)) {
            out.add(CgroupCapability.KILL_ALL);
        }
        return Set.copyOf(out);
    }

    boolean kernelAtLeast(int major, int minor) {
        String[] f = host.kernelRelease().split("[.-]");
        try {
            int ma = Integer.parseInt(f[0]);
            int mi = f.length > 1 ? Integer.parseInt(f[1]) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public List<String> controllers() {
        return hierarchy().map(h -> h.controllers().stream().sorted().toList()).orElse(List.of());
    }

    @Override
    public CgroupHandle create(CgroupRequest request) {
        return create(request, true);
    }

    @Override
    public CgroupHandle createPayload(CgroupRequest request) {
        return create(request, false);
    }

    @Override
    public void createMonitor(CgroupHandle handle) {
        CgroupHierarchy h = required();
        List<Path> made = new ArrayList<>();
        try {
            for (Path m : handle.monitorDirectories()) {
                if (files.existsEmpty(m, handle.containerName())) {
                    continue;                             // an empty leftover serves as well as a new one
                }
                makeFresh(h, m, handle.containerName(), made);
            }
        } catch (RuntimeException e) {
            files.removeMade(made, e);
            throw e;
        }
    }

    private CgroupHandle create(CgroupRequest request, boolean withMonitor) {
        CgroupHierarchy h = required();
        String base = request.relative() ? CgroupPaths.ownCgroup(files, selfCgroup) : "";
        String payload = CgroupPaths.join(base, CgroupPaths.clean(request.payloadPath()));
        String monitor = CgroupPaths.join(base, CgroupPaths.clean(request.monitorPath()));
        Path p = h.mountPoint().resolve(payload);
        Path m = h.mountPoint().resolve(monitor);
        List<Path> made = new ArrayList<>();
        try {
            makeFresh(h, p, request.containerName(), made);
            if (withMonitor) {
                makeFresh(h, m, request.containerName(), made);
            }
            for (String c : request.controllers().stream().sorted().toList()) {
                if (h.controllers().contains(c)) {
                    enable(h, p, c, "lxc.cgroup.use");
                }
            }
        } catch (RuntimeException e) {
            files.removeMade(made, e);
            throw e;
        }
        LOG.debug("{}: cgroup2 payload {} monitor {}", request.containerName(), p, m);
        return new CgroupHandle(request.containerName(), payload, monitor, List.of(p), List.of(m));
    }

    private void makeFresh(CgroupHierarchy h, Path dir, String name, List<Path> made) {
        Optional<Errno> failed = files.tryMkdir(dir);
        if (failed.isEmpty()) {
            made.add(dir);
            return;
        }
        if (failed.get() == Errno.EEXIST) {
            if (!files.pids(dir).isEmpty()) {
                throw new ContainerBusyException("Cgroup \"" + dir + "\" of \"" + name + "\" still holds processes");
            }
            LOG.warn("{}: removing the leftover cgroup \"{}\"", name, dir);
            remove(List.of(dir));
        }
        List<Path> missing = new ArrayList<>();
        for (Path d = dir; d != null && !d.equals(h.mountPoint()) && !CgroupFs.isDirectory(d); d = d.getParent()) {
            missing.add(0, d);
        }
        for (Path d : missing) {
            files.mkdir(d);
            made.add(d);
        }
    }

    /**
     * Makes {@code controller} available in {@code dir} by enabling it in {@code cgroup.subtree_control} of every
     * ancestor from the hierarchy root down, as the kernel requires.
     */
    void enable(CgroupHierarchy h, Path dir, String controller, String key) {
        if (listed(dir.resolve(CONTROLLERS), controller)) {
            return;
        }
        List<Path> ancestors = new ArrayList<>();
        for (Path d = dir.getParent(); d != null && d.startsWith(h.mountPoint()); d = d.getParent()) {
            ancestors.add(0, d);
        }
        for (Path a : ancestors) {
            if (!listed(a.resolve(CONTROLLERS), controller)) {
                throw new BackendException("Config key \"" + key + "\" needs cgroup2 controller \"" + controller
                        + "\", which is not available in \"" + a + "\" (" + CONTROLLERS + ": "
                        + files.read(a.resolve(CONTROLLERS)).trim() + ")");
            }
            if (!listed(a.resolve(SUBTREE_CONTROL), controller)) {
                files.write(a.resolve(SUBTREE_CONTROL), "+" + controller, key);
            }
        }
    }

    private boolean listed(Path file, String controller) {
        return files.readIfPresent(file).map(t -> Arrays.asList(t.trim().split("\\s+")).contains(controller))
                .orElse(false);
    }

    @Override
    public CgroupHandle reopen(String containerName, String payload, String monitor) {
        Optional<CgroupHierarchy> h = hierarchy();
        List<Path> p = h.map(x -> x.mountPoint().resolve(CgroupPaths.clean(payload))).filter(CgroupFs::isDirectory)
                .stream().toList();
        List<Path> m = h.map(x -> x.mountPoint().resolve(CgroupPaths.clean(monitor))).filter(CgroupFs::isDirectory)
                .stream().toList();
        return new CgroupHandle(containerName, payload, monitor, p, m);
    }

    @Override
    public void apply(CgroupHandle handle, List<CgroupSetting> settings) {
        if (handle.payloadDirectories().isEmpty()) {
            return;
        }
        Path dir = handle.payloadDirectories().get(0);
        CgroupHierarchy h = required();
        for (CgroupSetting s : settings) {
            if (s.version() != 2) {
                LOG.debug("{}: \"{}\" is a cgroup v{} key; the v2 backend leaves it to that version's backend",
                        handle.containerName(), s.sourceKey(), s.version());
                continue;
            }
            if (s.controller().equals("devices")) {
                continue;   // the device program below
            }
            if (!s.controller().equals("cgroup")) {
                enable(h, dir, s.controller(), s.sourceKey());
            }
            files.write(dir.resolve(s.file()), s.value(), s.sourceKey());
            LOG.debug("{}: {} = {}", handle.containerName(), dir.resolve(s.file()), s.value());
        }
        if (DeviceProgram.wanted(settings)) {
            attachDevices(handle.containerName(), dir, settings);
        }
    }

    /**
     * Loads the device program of the {@code lxc.cgroup2.devices.*} settings and attaches it to {@code dir} with
     * {@code BPF_F_ALLOW_MULTI}, so programs of the cgroups above keep applying. The kernel keeps it while the
     * cgroup exists; its removal detaches it.
     */
    void attachDevices(String name, Path dir, List<CgroupSetting> settings) {
        DeviceProgram program;
        try {
            program = DeviceProgram.of(settings);
        } catch (IllegalArgumentException e) {
            throw new BackendException(e.getMessage());
        }
        int prog = sys.bpfProgLoad(DeviceProgram.PROG_TYPE_CGROUP_DEVICE, program.instructions(), "GPL",
                DeviceProgram.ATTACH_CGROUP_DEVICE);
        try {
            int cg = sys.open(dir.toString(), OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC, 0);
            try {
                sys.bpfProgAttach(prog, cg, DeviceProgram.ATTACH_CGROUP_DEVICE, DeviceProgram.F_ALLOW_MULTI);
            } finally {
                sys.close(cg);
            }
        } finally {
            sys.close(prog);
        }
        LOG.debug("{}: device program ({} rules, {} by default) attached to {}", name, program.rules().size(),
                program.allowByDefault() ? "allow" : "deny", dir);
    }

    @Override
    public CgroupPlacement placement(CgroupHandle handle) {
        if (handle.payloadDirectories().isEmpty()) {
            return CgroupPlacement.NONE;
        }
        Path dir = handle.payloadDirectories().get(0);
        if (capabilities().contains(CgroupCapability.CLONE_INTO)) {
            return new CgroupPlacement(Optional.of(dir), List.of());
        }
        return new CgroupPlacement(Optional.empty(), List.of(dir.resolve("cgroup.procs")));
    }

    @Override
    public void attach(CgroupHandle handle, int pid) {
        for (Path d : handle.payloadDirectories()) {
            files.write(d.resolve("cgroup.procs"), Integer.toString(pid), null);
        }
    }

    @Override
    public void attachMonitor(CgroupHandle handle, int pid) {
        for (Path d : handle.monitorDirectories()) {
            files.write(d.resolve("cgroup.procs"), Integer.toString(pid), null);
        }
    }

    private Path payload(CgroupHandle handle) {
        if (handle.payloadDirectories().isEmpty()) {
            throw new BackendException("\"" + handle.containerName() + "\" has no cgroup2 payload cgroup");
        }
        return handle.payloadDirectories().get(0);
    }

    @Override
    public String read(CgroupHandle handle, String file) {
        return files.read(fileOf(handle, file));
    }

    @Override
    public void write(CgroupHandle handle, String file, String value) {
        files.write(fileOf(handle, file), value, null);
    }

    /**
     * The payload's {@code file}: a core {@code cgroup.*} file, or one of a controller of this hierarchy (which
     * is enabled for the payload when the container was made with a key of it; otherwise the file is absent).
     */
    private Path fileOf(CgroupHandle handle, String file) {
        int dot = file.indexOf('.');
        if (dot <= 0 || file.contains("/") || dot == file.length() - 1) {
            throw new IllegalArgumentException("Invalid cgroup file \"" + file + "\": expected a name such as "
                    + "memory.max");
        }
        String controller = file.substring(0, dot);
        if (!controller.equals("cgroup") && !controllers().contains(controller)) {
            throw new UnsupportedFeatureException("Cgroup file \"" + file + "\" of \"" + handle.containerName()
                    + "\" needs controller \"" + controller + "\", which this host's cgroup2 hierarchy lacks "
                    + "(cgroup2 controllers: " + String.join(", ", controllers()) + ")");
        }
        return payload(handle).resolve(file);
    }

    @Override
    public void freeze(CgroupHandle handle) {
        Path dir = payload(handle);
        files.write(dir.resolve("cgroup.freeze"), "1", null);
        if (!drain.await(() -> frozen(handle))) {
            throw new BackendException("Failed to freeze \"" + handle.containerName() + "\": \"" + dir.resolve(
                    "cgroup.events") + "\" does not report it frozen");
        }
    }

    @Override
    public void thaw(CgroupHandle handle) {
        Path dir = payload(handle);
        files.write(dir.resolve("cgroup.freeze"), "0", null);
        if (!drain.await(() -> !frozen(handle))) {
            throw new BackendException("Failed to thaw \"" + handle.containerName() + "\": \"" + dir.resolve(
                    "cgroup.events") + "\" still reports it frozen");
        }
    }

    @Override
    public boolean frozen(CgroupHandle handle) {
        if (handle.payloadDirectories().isEmpty()) {
            return false;
        }
        return files.readIfPresent(handle.payloadDirectories().get(0).resolve("cgroup.events"))
                .map(t -> t.lines().anyMatch(l -> l.trim().equals("frozen 1"))).orElse(false);
    }

    @Override
    public void kill(CgroupHandle handle, int signal) {
        Path dir = payload(handle);
        if (signal == SIGKILL && capabilities().contains(CgroupCapability.KILL_ALL)) {
            files.write(dir.resolve("cgroup.kill"), "1", null);
            return;
        }
        freeze(handle);
        try {
            for (int pid : pids(handle)) {
                try {
                    sys.kill(pid, signal);
                } catch (SyscallException e) {
                    LOG.debug("{}: kill {} {}: {}", handle.containerName(), pid, signal, e.getMessage());
                }
            }
        } finally {
            thaw(handle);
        }
    }

    @Override
    public List<Integer> pids(CgroupHandle handle) {
        return handle.payloadDirectories().isEmpty() ? List.of() : files.pids(handle.payloadDirectories().get(0));
    }

    @Override
    public CgroupStats stats(CgroupHandle handle) {
        return handle.payloadDirectories().isEmpty() ? CgroupStats.EMPTY
                : new V2Stats(files).of(handle.payloadDirectories().get(0));
    }

    @Override
    public void destroy(CgroupHandle handle) {
        List<Path> all = new ArrayList<>(handle.payloadDirectories());
        all.addAll(handle.monitorDirectories());
        remove(all);
        LOG.debug("{}: cgroup2 directories removed", handle.containerName());
    }

    private void remove(List<Path> dirs) {
        for (Path dir : dirs) {
            if (files.rmdir(dir)) {
                continue;
            }
            // busy: child cgroups the container made, or tasks still leaving
            for (Path d : CgroupFs.leafFirst(dir)) {
                if (!drain.await(() -> files.rmdir(d))) {
                    throw new ContainerBusyException("Failed to remove cgroup \"" + d + "\": processes "
                            + files.pids(d) + " are still in it");
                }
            }
        }
    }
}
