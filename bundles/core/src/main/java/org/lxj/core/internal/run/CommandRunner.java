package org.lxj.core.internal.run;

import org.lxj.spi.launch.CapabilitySets;
import java.util.HashMap;
import java.io.InputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import org.lxj.api.AttachOptions;
import org.lxj.api.AttachTerminal;
import org.lxj.api.ContainerNotRunningException;
import org.lxj.api.ExecuteOptions;
import org.lxj.api.LxjException;
import org.lxj.api.Stdio;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.api.config.ContainerConfig;
import org.lxj.core.internal.layout.LxcLayout;
import org.lxj.core.internal.plan.LaunchRequest;
import org.lxj.launcher.AttachPlan;
import org.lxj.launcher.AttachPolicy;
import org.lxj.launcher.AttachPty;
import org.lxj.launcher.AttachedProcess;
import org.lxj.launcher.ExitStatus;
import org.lxj.launcher.LaunchException;
import org.lxj.launcher.LaunchStdio;
import org.lxj.launcher.Launcher;
import org.lxj.launcher.MonitorClient;
import org.lxj.linux.Syscalls;
import org.lxj.spi.launch.Namespace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lxc-execute} (a launch under the built-in init, waited for) and {@code lxc-attach} (a command joined to a
 * running container's namespaces), with their standard streams inherited or relayed.
 */
public final class CommandRunner {
    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final int CAP_SYS_ADMIN = 21;
    private static final Map<String, Namespace> ATTACH_NAMES = Map.of("MOUNT", Namespace.MOUNT, "PID", Namespace.PID,
            "UTSNAME", Namespace.UTS, "IPC", Namespace.IPC, "USER", Namespace.USER, "NETWORK", Namespace.NET,
            "CGROUP", Namespace.CGROUP);

    private final RunRegistry registry;
    private final ContainerStarter starter;
    private final Supplier<Optional<Launcher>> launcher;
    private final Syscalls sys;
    private final Function<Path, ContainerConfig> parser;
    private final Map<String, String> hostEnv;

    public CommandRunner(RunRegistry registry, ContainerStarter starter, Supplier<Optional<Launcher>> launcher,
            Syscalls sys, Function<Path, ContainerConfig> parser, Map<String, String> hostEnv) {
        this.registry = registry;
        this.starter = starter;
        this.launcher = launcher;
        this.sys = sys;
        this.parser = parser;
        this.hostEnv = Map.copyOf(hostEnv);
    }

    /** Runs the command as the container's PID 2 and returns its status (0 at once when daemonized). */
    public int execute(Path lxcpath, String name, ExecuteOptions o, Stdio stdio) {
        return execute(lxcpath, name, o, stdio, status -> { });
    }

    /**
     * As {@link #execute(Path, String, ExecuteOptions, Stdio)}; {@code exited} gets the status as soon as it is
     * known: once the command exited and its output was relayed, with the container's lock held and before the
     * cleanup (see {@link RunRegistry#reap(RunState, boolean, Runnable)}), which this call then does.
     */
    public int execute(Path lxcpath, String name, ExecuteOptions o, Stdio stdio,
            java.util.function.IntConsumer exited) {
        LaunchRequest req = new LaunchRequest(LaunchRequest.Mode.EXECUTE, o.command(), toLong(o.uid()),
                toLong(o.gid()), hostEnv);
        if (o.daemonize()) {
            starter.launch(lxcpath, name, Optional.empty(), o.overrides(), req, LaunchStdio.NULL, Optional.empty());
            exited.accept(0);
            return 0;
        }
        try (StdioRelay relay = StdioRelay.open(sys, registry.layout().stdio(), stdio)) {
            // this thread waits for the command and reaps the container: no watcher races it for the reap
            ContainerStarter.Launched l = starter.launch(lxcpath, name, Optional.empty(), o.overrides(), req,
                    relay.launchStdio(), Optional.empty(), false);
            boolean reaped = false;
            Optional<MonitorLink.Told> told = Optional.empty();
            try {
                relay.started();
                told = awaitExit(l.monitor(), l.state(), l.exitRequest());
                if (told.isEmpty() && Thread.currentThread().isInterrupted()) {
                    return interrupted(l);
                }
                relay.drain();
                if (told.isPresent()) {
                    MonitorLink.Told exit = told.get();
                    int status = RunRegistry.status(exit.status());
                    // the caller is answered while the monitor still records the exit; the cleanup waits for it
                    registry.reap(l.state(), false, () -> {
                        exited.accept(status);
                        awaitRecorded(name, exit);
                    });
                    reaped = true;
                    registry.takeExit(l.state().lxcpath(), name);     // the record the reap kept: this run's
                    return status;
                }
                registry.reap(l.state(), false);
                reaped = true;
                int status = recordedStatus(name, l);
                exited.accept(status);
                return status;
            } finally {
                l.exitRequest().ifPresent(MonitorLink.ExitRequest::close);
                told.ifPresent(MonitorLink.Told::close);
                if (!reaped) {
                    // interrupted, or a failure while waiting: the watcher cleans up once the command ends
                    registry.watch(l.state());
                }
            }
        }
    }

    /** The command's status from the exit record the reap found (its monitor died or could not be asked). */
    private int recordedStatus(String name, ContainerStarter.Launched l) {
        return registry.takeExit(l.state().lxcpath(), name).map(RunRegistry::status).orElseThrow(() -> new LxjException(
                "The monitor of \"" + name + "\" is gone without recording how the command ended"));
    }

    /**
     * The caller was interrupted (its client hung up, the runtime stops) while the command runs: as LXC's
     * {@code lxc-execute} forwards SIGINT to the container, init (the built-in init passes it on to the command)
     * gets SIGINT; whatever then ends the command, the container's watcher cleans up after it.
     */
    private int interrupted(ContainerStarter.Launched l) {
        String name = l.state().name();
        Thread.interrupted();       // an interruptible channel to the monitor would fail at once; restored below
        try {
            l.monitor().kill(ContainerStarter.SIGINT, RunRegistry.MONITOR_TIMEOUT);
            LOG.info("{}: interrupted: SIGINT sent to the command, which is no longer waited for", name);
        } catch (IOException e) {
            LOG.warn("{}: interrupted, and failed to send SIGINT to its init: {}", name, e.getMessage());
        } finally {
            Thread.currentThread().interrupt();
        }
        // the caller's finally hands the container to a watcher
        return 128 + ContainerStarter.SIGINT;
    }

    /**
     * The exit of the command as soon as its monitor tells it, or empty when its monitor died or this thread was
     * interrupted.
     */
    private Optional<MonitorLink.Told> awaitExit(MonitorLink link, RunState s,
            Optional<MonitorLink.ExitRequest> asked) {
        if (asked.isEmpty()) {
            // a short command has often exited by now: its exit record saves a connection and a round trip
            try {
                Optional<ExitStatus> recorded = link.exitStatus();
                if (recorded.isPresent()) {
                    return recorded.map(MonitorLink.Told::recorded);
                }
            } catch (IOException e) {
                LOG.debug("{}: exit record unreadable, asking its monitor: {}", s.name(), e.toString());
            }
        }
        Optional<MonitorLink.ExitRequest> pending = asked;
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                return Optional.empty();
            }
            try {
                MonitorLink.ExitRequest request = pending.isPresent() ? pending.get() : link.requestExit();
                pending = Optional.empty();
                try (request) {
                    return Optional.of(request.told(ContainerStopper.SLICE));
                }
            } catch (IOException e) {
                RunRegistry.Status st = registry.probe(s);
                if (st == RunRegistry.Status.MONITOR_DEAD) {
                    return Optional.empty();
                }
                if (st == RunRegistry.Status.EXITED) {
                    try {
                        return link.exitStatus().map(MonitorLink.Told::recorded);
                    } catch (IOException gone) {
                        return Optional.empty();
                    }
                }
            }
        }
    }

    /** Before the cleanup: the monitor has recorded the exit and let go of the container's mounts. */
    private static void awaitRecorded(String name, MonitorLink.Told exit) {
        try {
            if (!exit.awaitRecorded(RunRegistry.MONITOR_TIMEOUT)) {
                LOG.warn("{}: its monitor did not finish recording the exit within {} s; cleaning up", name,
                        RunRegistry.MONITOR_TIMEOUT.toSeconds());
            }
        } catch (java.io.InterruptedIOException e) {
            // the flag stays set (the wait only looked at it), as it was for the cleanup before this wait
            LOG.debug("{}: interrupted while its monitor records the exit", name);
        }
    }

    /**
     * The capability sets an attached command ends with, as LXC gives it: no more than the container's init
     * may have (its bounding set, which {@code lxc.cap.drop}/{@code keep} shaped), all of it for root, none of
     * it for another uid; inheritable and ambient as init has them.
     */
    static CapabilitySets initCapabilities(int initPid, long uid) {
        Map<String, Long> sets = new HashMap<>();
        try (InputStream in = Files.newInputStream(Path.of("/proc/" + initPid + "/status"))) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("Cap") && line.indexOf(':') > 0) {
                    sets.put(line.substring(0, line.indexOf(':')),
                            Long.parseUnsignedLong(line.substring(line.indexOf(':') + 1).trim(), 16));
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new LxjException("Failed to read the capabilities of init (pid " + initPid + "): " + e.getMessage(), e);
        }
        Long bounding = sets.get("CapBnd");
        if (bounding == null) {
            throw new LxjException("Failed to read the capabilities of init (pid " + initPid + "): no CapBnd line");
        }
        long granted = uid == 0 ? bounding : 0;
        long inheritable = sets.getOrDefault("CapInh", 0L) & bounding;
        return new CapabilitySets(bounding, granted, granted, inheritable, sets.getOrDefault("CapAmb", 0L) & granted);
    }

    /** Runs a command in the running container's namespaces and returns its status. */
    public int attach(Path lxcpath, String name, AttachOptions o, Stdio stdio) {
        return attach(lxcpath, name, o, stdio, Optional.empty());
    }

    /** Runs a command in the running container's namespaces, on a new pty when {@code terminal} is given. */
    public int attach(Path lxcpath, String name, AttachOptions o, Stdio stdio, Optional<AttachTerminal> terminal) {
        LxcLayout layout = new LxcLayout(lxcpath, name);
        RunState s = registry.live(layout.lxcpath(), name).filter(r -> r.phase().equals(RunState.RUNNING))
                .orElseThrow(() -> new ContainerNotRunningException(name));
        Launcher l = launcher.get().orElseThrow(() -> new UnsupportedFeatureException(
                "Failed to attach to \"" + name + "\": no launcher is installed"));
        Optional<ContainerConfig> config = layout.isDefined() ? Optional.of(parser.apply(layout.config()))
                : Optional.empty();
        long uid = o.uid().isPresent() ? o.uid().getAsInt() : configId(config, "lxc.init.uid");
        long gid = o.gid().isPresent() ? o.gid().getAsInt() : configId(config, "lxc.init.gid");
        List<String> argv = o.command().isEmpty() ? List.of(shell(s.rootfsMounted(), uid)) : o.command();
        Set<String> elevated = elevated(o.elevated());
        boolean keepCaps = elevated.contains("CAP") || elevated.contains("ALL");
        Set<Namespace> joined = namespaces(s.initPid(), o.namespaces());
        Optional<CapabilitySets> caps = keepCaps ? Optional.empty() : Optional.of(initCapabilities(s.initPid(), uid));
        AttachPlan plan = new AttachPlan(s.initPid(), s.initStartTime(), joined,
                argv, environment(o), uid, gid, List.of(), Path.of("/"), payloadCgroups(s), caps, keepCaps,
                o.remountSys());
        Path runDir = registry.layout().dir(layout.lxcpath(), name);
        AttachPolicy policy = attachPolicy(name, readAttachPolicy(name, runDir),
                elevated.contains("LSM") || elevated.contains("ALL") || !joined.contains(Namespace.MOUNT), caps);
        plan = plan.withSecurity(policy, policy.notifyProxy().isPresent()
                ? Optional.of(runDir.resolve(MonitorClient.SOCKET)) : Optional.empty());
        if (terminal.isPresent()) {
            AttachTerminal t = terminal.get();
            plan = plan.withPty(new AttachPty(t.stdin(), t.stdout(), t.stderr(), t.log(), t.rows(), t.columns()));
        }
        try (StdioRelay relay = StdioRelay.open(sys, registry.layout().stdio(), stdio)) {
            AttachedProcess p;
            try {
                p = l.attach(plan, relay.launchStdio());
            } catch (LaunchException e) {
                throw new LxjException(ContainerStarter.message(e), e);
            }
            try (p) {
                terminal.ifPresent(t -> t.started().accept(new AttachTerminal.Resizer() {
                    @Override
                    public void resize() {
                        p.resize();
                    }

                    @Override
                    public void resize(int rows, int columns) {
                        p.resize(rows, columns);
                    }
                }));
                relay.started();
                int status = p.waitFor();
                relay.drain();
                LOG.debug("{}: attached command {} exited with {}", name, argv, status);
                return status;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LxjException("Interrupted while waiting for the attached command in \"" + name + "\"", e);
            }
        }
    }

    /** The {@code -e} privileges, split at {@code |} and upper-cased ({@code CAP}, {@code CGROUP}, {@code LSM}, {@code ALL}). */
    static Set<String> elevated(java.util.Collection<String> values) {
        Set<String> out = new java.util.HashSet<>();
        for (String v : values) {
            for (String part : v.split("\\|")) {
                if (!part.isBlank()) {
                    out.add(part.trim().toUpperCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    /** What the start kept of init's confinement; nothing, with a warning, for a container an older runtime started. */
    static AttachPolicy readAttachPolicy(String name, Path runDir) {
        try {
            Optional<AttachPolicy> p = AttachPolicy.read(runDir);
            if (p.isEmpty()) {
                LOG.warn("{}: no \"{}\" in \"{}\" (started by an older runtime): the attached command gets init's "
                        + "capabilities and cgroups but not its seccomp filter, LSM labels, Landlock or no_new_privs",
                        name, AttachPolicy.FILE, runDir);
            }
            return p.orElse(AttachPolicy.NONE);
        } catch (IOException e) {
            throw new LxjException("Failed to attach to \"" + name + "\": " + e.getMessage(), e);
        }
    }

    /**
     * The confinement of an attached command, as LXC gives it: init's seccomp filter and LSM labels unless
     * {@code -e LSM}/{@code ALL} elevates them or the mount namespace is not joined (Landlock goes with the LSMs:
     * its paths are the container's); {@code no_new_privs} always. Landlock needs {@code no_new_privs} or
     * {@code CAP_SYS_ADMIN} to be enforced: a command without that capability gets {@code no_new_privs} with it.
     */
    static AttachPolicy attachPolicy(String name, AttachPolicy init, boolean lsmLifted, Optional<CapabilitySets> caps) {
        AttachPolicy p = lsmLifted ? init.withoutLsm() : init;
        boolean sysAdmin = caps.map(c -> (c.effective() & (1L << CAP_SYS_ADMIN)) != 0).orElse(true);
        if (p.landlock().isPresent() && !p.noNewPrivileges() && !sysAdmin) {
            p = p.withNoNewPrivileges(true);
        }
        LOG.debug("{}: attach policy {}", name, p);
        return p;
    }

    /**
     * The container's payload cgroup directory in every hierarchy, as the start recorded them (lxc-attach joins
     * them all); empty when the start made none.
     */
    static List<Path> payloadCgroups(RunState s) {
        try {
            return CgroupRecord.decode(s.cgroups()).stream().flatMap(r -> r.handle().payloadDirectories().stream())
                    .toList();
        } catch (IllegalArgumentException e) {
            throw new LxjException("Failed to read the cgroups of \"" + s.name() + "\": " + e.getMessage(), e);
        }
    }

    /** The requested namespaces (all by default) that the container has of its own; joining the host's fails. */
    Set<Namespace> namespaces(int initPid, Set<String> requested) {
        Set<Namespace> wanted = EnumSet.noneOf(Namespace.class);
        if (requested.isEmpty()) {
            wanted.addAll(AttachPlan.ALL);
        }
        for (String r : requested) {
            for (String part : r.split("\\|")) {
                Namespace ns = ATTACH_NAMES.get(part.trim().toUpperCase(Locale.ROOT));
                if (ns == null) {
                    throw new LxjException("Invalid namespace \"" + part + "\": expected one of "
                            + String.join(", ", ATTACH_NAMES.keySet()));
                }
                wanted.add(ns);
            }
        }
        wanted.removeIf(ns -> sameAsHost(initPid, ns));
        return wanted;
    }

    private static boolean sameAsHost(int pid, Namespace ns) {
        try {
            Path theirs = Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "ns", ns.procName()));
            Path ours = Files.readSymbolicLink(Path.of("/proc/self/ns", ns.procName()));
            return theirs.equals(ours);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    List<String> environment(AttachOptions o) {
        Map<String, String> env = new LinkedHashMap<>();
        if (o.clearEnv()) {
            for (String k : o.keepVars()) {
                if (hostEnv.containsKey(k)) {
                    env.put(k, hostEnv.get(k));
                }
            }
        } else {
            env.putAll(hostEnv);
        }
        env.put("container", "lxc");
        for (String v : o.setVars()) {
            int eq = v.indexOf('=');
            if (eq <= 0) {
                throw new LxjException("Invalid variable \"" + v + "\": expected NAME=VALUE");
            }
            env.put(v.substring(0, eq), v.substring(eq + 1));
        }
        env.putIfAbsent("PATH", DEFAULT_PATH);
        List<String> out = new ArrayList<>();
        env.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /**
     * The login shell of {@code uid} from the container's {@code /etc/passwd}, else {@code /bin/sh}. A passwd
     * reached through a symlink is not read: it could point out of the rootfs.
     */
    static String shell(Path rootfs, long uid) {
        Path etc = rootfs.resolve("etc");
        Path passwd = etc.resolve("passwd");
        if (Files.isSymbolicLink(etc) || !Files.isRegularFile(passwd, LinkOption.NOFOLLOW_LINKS)) {
            return "/bin/sh";
        }
        try {
            for (String line : Files.readAllLines(passwd, StandardCharsets.UTF_8)) {
                String[] f = line.split(":", -1);
                if (f.length >= 7 && f[2].equals(Long.toString(uid)) && f[6].startsWith("/")) {
                    return f[6];
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Cannot read {}: {}", passwd, e.toString());
        }
        return "/bin/sh";
    }

    private static long configId(Optional<ContainerConfig> config, String key) {
        return config.flatMap(c -> c.value(key)).map(String::trim).filter(v -> !v.isEmpty()).map(Long::parseLong)
                .orElse(0L);
    }

    private static OptionalLong toLong(java.util.OptionalInt v) {
        return v.isPresent() ? OptionalLong.of(v.getAsInt()) : OptionalLong.empty();
    }

}
