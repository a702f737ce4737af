package org.lxj.cgroup.v1.internal;

import org.lxj.linux.CgroupFs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

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
 * The {@code v1} cgroup backend: one directory per mounted v1 hierarchy (named ones such as {@code name=systemd}
 * included, for membership), limits from {@code lxc.cgroup.<controller>.<file>}, init placed by the monitor writing
 * its pid to every payload {@code cgroup.procs} before init runs anything of the container's. Serves legacy hosts
 * and the v1 half of hybrid ones; the mount points come from {@link HostFacts#cgroups()}.
 */
@Component(service = CgroupBackend.class, property = Backend.TYPE_PROPERTY + "=" + V1CgroupBackend.TYPE)
public final class V1CgroupBackend implements CgroupBackend {
    static final String TYPE = "v1";
    static final String SELF_CGROUP = "/proc/self/cgroup";
    static final List<String> CPUSET_FILES = List.of("cpuset.cpus", "cpuset.mems");
    static final String CLONE_CHILDREN = "cgroup.clone_children";

    private static final Logger LOG = LoggerFactory.getLogger(V1CgroupBackend.class);

    private final Syscalls sys;
    private final HostFacts host;
    private final CgroupFs files;
    private final Path selfCgroup;
    private final Drain drain;

    @Activate
    public V1CgroupBackend(@Reference Syscalls sys, @Reference HostFacts host) {
        this(sys, host, Path.of(SELF_CGROUP), Drain.DEFAULT);
    }

    /** For tests: the {@code /proc/self/cgroup} to read for {@code lxc.cgroup.relative}, and the removal bound. */
    V1CgroupBackend(Syscalls sys, HostFacts host, Path selfCgroup, Drain drain) {
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
        List<CgroupHierarchy> v1 = facts.cgroups().stream().filter(h -> h.version() == 1).toList();
        if (v1.isEmpty()) {
            return Detection.unavailable("no cgroup v1 hierarchy is mounted (layout " + facts.cgroupLayout() + ")");
        }
        return Detection.available(v1.size() + " cgroup v1 hierarchies mounted (layout " + facts.cgroupLayout() + ")");
    }

    @Override
    public Set<CgroupCapability> capabilities() {
        boolean freezer = hierarchies().stream().anyMatch(h -> h.controllers().contains("freezer"));
        boolean devices = hierarchies().stream().anyMatch(h -> h.controllers().contains("devices"));
        Set<CgroupCapability> out = new java.util.HashSet<>();
        if (freezer) {
            out.add(CgroupCapability.FREEZE);
        }
        if (devices) {
            out.add(CgroupCapability.DEVICES);
        }
        return Set.copyOf(out);
    }

    @Override
    public List<String> controllers() {
        TreeSet<String> out = new TreeSet<>();
        hierarchies().forEach(h -> h.controllers().stream().filter(c -> !c.startsWith("name=")).forEach(out::add));
        return List.copyOf(out);
    }

    /** The v1 hierarchies this backend manages. */
    List<CgroupHierarchy> hierarchies() {
        return host.cgroups().stream().filter(h -> h.version() == 1).toList();
    }

    private List<CgroupHierarchy> used(CgroupRequest request) {
        if (request.controllers().isEmpty()) {
            return hierarchies();
        }
        return hierarchies().stream().filter(h -> h.controllers().stream().anyMatch(request.controllers()::contains))
                .toList();
    }

    @Override
    public CgroupHandle create(CgroupRequest request) {
        return create(request, true);
    }

    @Override
    public CgroupHandle createPayload(CgroupRequest request) {
        return create(request, false);
    }

    private CgroupHandle create(CgroupRequest request, boolean withMonitor) {
        String payload = CgroupPaths.clean(request.payloadPath());
        String monitor = CgroupPaths.clean(request.monitorPath());
        List<Path> payloadDirs = new ArrayList<>();
        List<Path> monitorDirs = new ArrayList<>();
        List<Path> made = new ArrayList<>();
        String payloadRel = payload;
        String monitorRel = monitor;
        try {
            for (CgroupHierarchy h : used(request)) {
                String base = request.relative() ? CgroupPaths.ownCgroup(files, selfCgroup, h) : "";
                payloadRel = CgroupPaths.join(base, payload);
                monitorRel = CgroupPaths.join(base, monitor);
                Path p = h.mountPoint().resolve(payloadRel);
                Path m = h.mountPoint().resolve(monitorRel);
                Map<Path, List<String>> cpus = new HashMap<>();
                makeFresh(h, p, false, request.containerName(), made, cpus);
                if (withMonitor) {
                    makeFresh(h, m, true, request.containerName(), made, cpus);
                }
                payloadDirs.add(p);
                monitorDirs.add(m);
            }
        } catch (RuntimeException e) {
            files.removeMade(made, e);
            throw e;
        }
        LOG.debug("{}: cgroup v1 payload {} monitor {}", request.containerName(), payloadDirs, monitorDirs);
        return new CgroupHandle(request.containerName(), payloadRel, monitorRel, payloadDirs, monitorDirs);
    }

    @Override
    public void createMonitor(CgroupHandle handle) {
        List<Path> made = new ArrayList<>();
        Map<Path, List<String>> cpus = new HashMap<>();
        try {
            for (Path m : handle.monitorDirectories()) {
                CgroupHierarchy h = hierarchyOf(m);
                if (files.existsEmpty(m, handle.containerName())) {
                    continue;                             // an empty leftover serves as well as a new one
                }
                makeFresh(h, m, true, handle.containerName(), made, cpus);
            }
        } catch (RuntimeException e) {
            files.removeMade(made, e);
            throw e;
        }
    }

    /** The hierarchy whose mount point holds {@code dir} (the longest such mount point). */
    private CgroupHierarchy hierarchyOf(Path dir) {
        return hierarchies().stream().filter(h -> dir.startsWith(h.mountPoint()))
                .max(Comparator.comparingInt(h -> h.mountPoint().getNameCount()))
                .orElseThrow(() -> new BackendException("Cgroup \"" + dir + "\" is in no cgroup v1 hierarchy"));
    }

    /**
     * Creates {@code dir} and any missing parent below the mount point; an existing one holding processes is busy,
     * an empty leftover of an earlier crash is replaced. The common case, a parent that exists, is one mkdir.
     */
    private void makeFresh(CgroupHierarchy h, Path dir, boolean monitor, String name, List<Path> made,
            Map<Path, List<String>> cpus) {
        Optional<Errno> failed = files.tryMkdir(dir);
        if (failed.isEmpty()) {
            made.add(dir);
            fill(h, dir, monitor, cpus);
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
            fill(h, d, monitor && d.equals(dir), cpus);
        }
    }

    /**
     * A new v1 cpuset starts with no cpus and mems, and no task can join it, unless its parent has
     * {@code cgroup.clone_children} set: then the kernel copied the parent's at the mkdir, at no cost to the start.
     * Otherwise the parent's are copied and, on every cgroup but the monitor's, {@code cgroup.clone_children} is set
     * so that cgroups made below it later (a start under {@code lxc.cgroup.dir}, the container's own cpusets) get
     * theirs from the kernel, as LXC does. The parent is read once per create (payload and monitor are siblings).
     */
    private void fill(CgroupHierarchy h, Path dir, boolean monitor, Map<Path, List<String>> cpus) {
        if (!h.controllers().contains("cpuset")) {
            return;
        }
        List<String> parent = cpus.computeIfAbsent(dir.getParent(), this::cpusetOf);
        if (parent.isEmpty()) {
            return;   // cloned by the kernel
        }
        for (int i = 0; i < CPUSET_FILES.size(); i++) {
            if (!parent.get(i).isEmpty()) {
                files.write(dir.resolve(CPUSET_FILES.get(i)), parent.get(i), null);
            }
        }
        if (!monitor) {
            files.write(dir.resolve(CLONE_CHILDREN), "1", null);
        }
    }

    /** What a child of {@code parent} must be given: its cpus and mems, or nothing when the kernel clones them. */
    private List<String> cpusetOf(Path parent) {
        if (files.read(parent.resolve(CLONE_CHILDREN)).trim().equals("1")) {
            return List.of();
        }
        return CPUSET_FILES.stream().map(f -> files.read(parent.resolve(f)).trim()).toList();
    }

    @Override
    public CgroupHandle reopen(String containerName, String payload, String monitor) {
        List<Path> p = new ArrayList<>();
        List<Path> m = new ArrayList<>();
        for (CgroupHierarchy h : hierarchies()) {
            Path pd = h.mountPoint().resolve(CgroupPaths.clean(payload));
            if (CgroupFs.isDirectory(pd)) {
                p.add(pd);
            }
            Path md = h.mountPoint().resolve(CgroupPaths.clean(monitor));
            if (CgroupFs.isDirectory(md)) {
                m.add(md);
            }
        }
        return new CgroupHandle(containerName, payload, monitor, p, m);
    }

    /**
     * Writes each v1 setting in config order; a run of settings on one file (the device allowlist's dozen
     * {@code devices.allow} lines) shares one open, each value still its own write, as the kernel takes one rule
     * per write.
     */
    @Override
    public void apply(CgroupHandle handle, List<CgroupSetting> settings) {
        Map<String, Path> dirs = new HashMap<>();
        Path openFile = null;
        int fd = -1;
        try {
            for (CgroupSetting s : settings) {
                if (s.version() != 1) {
                    LOG.debug("{}: \"{}\" is a cgroup v{} key; the v1 backend leaves it to that version's backend",
                            handle.containerName(), s.sourceKey(), s.version());
                    continue;
                }
                Path dir = dirs.computeIfAbsent(s.controller(), c -> directoryOf(handle, c).orElseThrow(
                        () -> new BackendException("Config key \"" + s.sourceKey() + "\" needs cgroup v1 controller \""
                                + c + "\", which is not mounted as a v1 hierarchy on this host (v1 controllers: "
                                + String.join(", ", controllers()) + ")")));
                Path file = dir.resolve(s.file());
                if (!file.equals(openFile)) {
                    if (fd >= 0) {
                        sys.close(fd);
                        fd = -1;
                    }
                    openFile = file;
                    fd = open(file, s);
                }
                writeOnce(fd, file, s);
                LOG.debug("{}: {} = {}", handle.containerName(), file, s.value());
            }
        } finally {
            if (fd >= 0) {
                sys.close(fd);
            }
        }
    }

    private int open(Path file, CgroupSetting s) {
        try {
            return sys.open(file.toString(), OpenFlags.O_WRONLY | OpenFlags.O_CLOEXEC, 0);
        } catch (SyscallException e) {
            throw failedWrite(file, s, CgroupFs.errno(e), e);
        }
    }

    private void writeOnce(int fd, Path file, CgroupSetting s) {
        byte[] bytes = s.value().getBytes(StandardCharsets.UTF_8);
        int n;
        try {
            n = sys.write(fd, bytes, 0, bytes.length);
        } catch (SyscallException e) {
            throw failedWrite(file, s, CgroupFs.errno(e), e);
        }
        if (n != bytes.length) {
            throw failedWrite(file, s, "short write of " + n + " bytes", null);
        }
    }

    private static BackendException failedWrite(Path file, CgroupSetting s, String why, SyscallException e) {
        return new BackendException("Failed to write \"" + s.value() + "\" to \"" + file + "\" (" + s.sourceKey()
                + "): " + why, e);
    }

    /** The payload directory in the hierarchy that holds {@code controller}. */
    Optional<Path> directoryOf(CgroupHandle handle, String controller) {
        for (CgroupHierarchy h : hierarchies()) {
            if (h.controllers().contains(controller)) {
                for (Path d : handle.payloadDirectories()) {
                    if (d.startsWith(h.mountPoint())) {
                        return Optional.of(d);
                    }
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public CgroupPlacement placement(CgroupHandle handle) {
        return new CgroupPlacement(Optional.empty(),
                handle.payloadDirectories().stream().map(d -> d.resolve("cgroup.procs")).toList());
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

    @Override
    public String read(CgroupHandle handle, String file) {
        return files.read(fileOf(handle, file));
    }

    @Override
    public void write(CgroupHandle handle, String file, String value) {
        files.write(fileOf(handle, file), value, null);
    }

    /**
     * The payload's {@code file} in the hierarchy of its controller (the name's part before the first dot);
     * {@code cgroup.*} core files from the first hierarchy.
     */
    private Path fileOf(CgroupHandle handle, String file) {
        int dot = file.indexOf('.');
        if (dot <= 0 || file.contains("/") || dot == file.length() - 1) {
            throw new IllegalArgumentException("Invalid cgroup file \"" + file + "\": expected a name such as "
                    + "memory.limit_in_bytes");
        }
        String controller = file.substring(0, dot);
        Optional<Path> dir = controller.equals("cgroup") ? handle.payloadDirectories().stream().findFirst()
                : directoryOf(handle, controller);
        return dir.map(d -> d.resolve(file)).orElseThrow(() -> new UnsupportedFeatureException("Cgroup file \""
                + file + "\" of \"" + handle.containerName() + "\" needs controller \"" + controller
                + "\", which is not a mounted cgroup v1 controller (v1 controllers: " + String.join(", ",
                        controllers()) + ")"));
    }

    private Path freezer(CgroupHandle handle) {
        return directoryOf(handle, "freezer").orElseThrow(() -> new UnsupportedFeatureException(
                "Freezing \"" + handle.containerName() + "\" needs the cgroup v1 freezer controller, which is not "
                        + "mounted on this host"));
    }

    @Override
    public void freeze(CgroupHandle handle) {
        Path state = freezer(handle).resolve("freezer.state");
        files.write(state, "FROZEN", null);
        if (!drain.await(() -> files.read(state).trim().equals("FROZEN"))) {
            throw new BackendException("Failed to freeze \"" + handle.containerName() + "\": \"" + state
                    + "\" still reads " + files.read(state).trim());
        }
    }

    @Override
    public void thaw(CgroupHandle handle) {
        Path state = freezer(handle).resolve("freezer.state");
        files.write(state, "THAWED", null);
        if (!drain.await(() -> files.read(state).trim().equals("THAWED"))) {
            throw new BackendException("Failed to thaw \"" + handle.containerName() + "\": \"" + state
                    + "\" still reads " + files.read(state).trim());
        }
    }

    @Override
    public boolean frozen(CgroupHandle handle) {
        return directoryOf(handle, "freezer").map(d -> files.read(d.resolve("freezer.state")).trim())
                .map(s -> s.equals("FROZEN")).orElse(false);
    }

    @Override
    public void kill(CgroupHandle handle, int signal) {
        boolean canFreeze = directoryOf(handle, "freezer").isPresent();
        if (canFreeze) {
            freeze(handle);
        }
        try {
            for (int pid : pids(handle)) {
                try {
                    sys.kill(pid, signal);
                } catch (SyscallException e) {
                    LOG.debug("{}: kill {} {}: {}", handle.containerName(), pid, signal, e.getMessage());
                }
            }
        } finally {
            if (canFreeze) {
                thaw(handle);
            }
        }
    }

    @Override
    public List<Integer> pids(CgroupHandle handle) {
        if (handle.payloadDirectories().isEmpty()) {
            return List.of();
        }
        return files.pids(handle.payloadDirectories().get(0));
    }

    @Override
    public CgroupStats stats(CgroupHandle handle) {
        return new V1Stats(files).of(this, handle);
    }

    @Override
    public void destroy(CgroupHandle handle) {
        List<Path> all = new ArrayList<>(handle.payloadDirectories());
        all.addAll(handle.monitorDirectories());
        remove(all);
        LOG.debug("{}: cgroup v1 directories removed", handle.containerName());
    }

    /** Removes each directory leaf-first, waiting (bounded) while exited tasks drain from it. */
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
