package org.lxj.core.internal.run;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.lxj.api.LxjException;
import org.lxj.api.Stdio;
import org.lxj.api.UnshareOptions;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.launcher.ExitStatus;
import org.lxj.launcher.LaunchException;
import org.lxj.launcher.LaunchOptions;
import org.lxj.launcher.Launcher;
import org.lxj.launcher.MonitorClient;
import org.lxj.launcher.PreparedLaunch;
import org.lxj.linux.Syscalls;
import org.lxj.spi.launch.ConsoleSpec;
import org.lxj.spi.launch.IdMapping;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.MountFlag;
import org.lxj.spi.launch.MountStep;
import org.lxj.spi.launch.Namespace;
import org.lxj.spi.launch.ProcessSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lxc-unshare}: the command in new namespaces of the host, carried out by the launcher like a container
 * without a rootfs (the host's {@code /} stays the root; the command is PID 1 of a new pid namespace, as in LXC).
 * {@code -M} mounts a fresh {@code /proc}, {@code /dev/shm} and {@code /dev/mqueue} in the new mount namespace;
 * {@code -u} runs the command as that uid; with {@code USER} root and that uid are mapped to themselves. The monitor's run directory lives under
 * {@code <run>/unshare/} and is removed once the command ended (a daemonized one's at the next use).
 */
public final class Unsharer {
    private static final Logger LOG = LoggerFactory.getLogger(Unsharer.class);
    static final Map<String, Namespace> NAMES = Map.of("MOUNT", Namespace.MOUNT, "PID", Namespace.PID, "UTSNAME",
            Namespace.UTS, "IPC", Namespace.IPC, "USER", Namespace.USER, "NETWORK", Namespace.NET);
    static final String DIR = "unshare";
    private static final ConsoleSpec INHERIT = new ConsoleSpec(ConsoleSpec.Console.INHERIT, 0, "", 0,
            Optional.empty(), 0, 0, 0);
    private static final Duration SLICE = Duration.ofSeconds(5);

    private final RunLayout layout;
    private final Supplier<Optional<Launcher>> launcher;
    private final Syscalls sys;
    private final Map<String, String> hostEnv;

    public Unsharer(RunLayout layout, Supplier<Optional<Launcher>> launcher, Syscalls sys,
            Map<String, String> hostEnv) {
        this.layout = layout;
        this.launcher = launcher;
        this.sys = sys;
        this.hostEnv = Map.copyOf(hostEnv);
    }

    /** The namespaces named by LXC's {@code -s} list entries (each may itself be {@code A|B}). */
    static Set<Namespace> namespaces(Set<String> names) {
        Set<Namespace> out = EnumSet.noneOf(Namespace.class);
        for (String n : names) {
            for (String part : n.split("\\|")) {
                if (part.isBlank()) {
                    continue;
                }
                Namespace ns = NAMES.get(part.trim().toUpperCase(Locale.ROOT));
                if (ns == null) {
                    throw new LxjException("Invalid namespace \"" + part.trim() + "\": expected one of MOUNT, PID, "
                            + "UTSNAME, IPC, USER, NETWORK");
                }
                out.add(ns);
            }
        }
        return out;
    }

    /** The plan: no rootfs, the namespaces, the hostname, the remounts and the command. */
    LaunchPlan plan(UnshareOptions o) {
        Set<Namespace> ns = namespaces(o.namespaces());
        if (ns.isEmpty()) {
            throw new LxjException("A namespace to execute command is required");
        }
        if (o.hostname().isPresent() && !ns.contains(Namespace.UTS)) {
            throw new LxjException("-H <hostname> needs -s UTSNAME option");
        }
        if (o.remount() && !ns.contains(Namespace.MOUNT)) {
            throw new LxjException("-M needs -s MOUNT option");
        }
        if (o.command().isEmpty()) {
            throw new LxjException("A command to execute in the new namespace is required");
        }
        LaunchPlan.Builder b = LaunchPlan.builder().console(INHERIT);
        ns.forEach(b::cloneNamespace);
        long uid = o.uid().orElse(0);
        if (ns.contains(Namespace.USER)) {
            // root (the launcher sets up as root inside) and the command's uid, each as itself on the host
            b.idMapping(new IdMapping(IdMapping.Kind.UID, 0, 0, 1));
            if (uid != 0) {
                b.idMapping(new IdMapping(IdMapping.Kind.UID, uid, uid, 1));
            }
            b.idMapping(new IdMapping(IdMapping.Kind.GID, 0, 0, 1));
        }
        o.hostname().ifPresent(b::hostname);
        if (o.remount()) {
            Set<MountFlag> safe = EnumSet.of(MountFlag.NOSUID, MountFlag.NODEV, MountFlag.NOEXEC);
            b.mount(MountStep.filesystem("proc", Path.of("/proc"), safe, ""));
            b.mount(MountStep.filesystem("tmpfs", Path.of("/dev/shm"), EnumSet.of(MountFlag.NOSUID, MountFlag.NODEV),
                    "mode=1777"));
            b.mount(MountStep.filesystem("mqueue", Path.of("/dev/mqueue"), safe, ""));
        }
        Map<String, String> env = new LinkedHashMap<>(hostEnv);
        env.putIfAbsent("PATH", CommandRunner.DEFAULT_PATH);
        List<String> envList = new ArrayList<>();
        env.forEach((k, v) -> envList.add(k + "=" + v));
        b.process(new ProcessSpec(o.command(), envList, uid, 0, List.of(), Path.of("/"), OptionalInt.empty()));
        return b.build();
    }

    /** Runs it; the command's status, or 0 once it runs when daemonized. */
    public int run(UnshareOptions o, Stdio stdio) {
        Launcher l = launcher.get().orElseThrow(() -> new UnsupportedFeatureException(
                "Failed to unshare: no launcher is installed"));
        LaunchPlan plan = plan(o);
        Path parent = layout.root().resolve(DIR);
        sweep(parent);
        Path runDir = parent.resolve(UUID.randomUUID().toString().substring(0, 12));
        try {
            Files.createDirectories(parent);
            Files.createDirectory(runDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        } catch (IOException e) {
            throw new LxjException("Failed to create run directory \"" + runDir + "\": " + e.getMessage(), e);
        }
        boolean keep = false;
        try (StdioRelay relay = StdioRelay.open(sys, layout.stdio(), o.daemonize() ? Stdio.ofFds(new Stdio.Fds(-1, -1, -1)) : stdio)) {
            PreparedLaunch prepared = l.prepare(plan, runDir, relay.launchStdio(),
                    new LaunchOptions("unshare", false));
            MonitorClient monitor;
            try {
                monitor = prepared.start();
            } finally {
                prepared.close();
            }
            relay.started();
            if (o.daemonize()) {
                keep = true;
                LOG.info("unshare: {} runs as {} (monitor {})", o.command(), prepared.initPid(), prepared.monitorPid());
                return 0;
            }
            ExitStatus exit = await(monitor);
            relay.drain();
            return RunRegistry.status(exit);
        } catch (LaunchException e) {
            throw new LxjException(ContainerStarter.message(e), e);
        } finally {
            if (!keep) {
                RunRegistry.removeRunDir(runDir);
            }
        }
    }

    private static ExitStatus await(MonitorClient monitor) {
        while (true) {
            try {
                return monitor.awaitExit(SLICE);
            } catch (IOException e) {
                try {
                    Optional<ExitStatus> x = monitor.exitStatus();
                    if (x.isPresent()) {
                        return x.get();
                    }
                    if (monitor.state(SLICE).isEmpty() && monitor.exitStatus().isEmpty()) {
                        throw new LxjException("The monitor of the unshared command is gone without an exit record");
                    }
                } catch (IOException gone) {
                    throw new LxjException("The monitor of the unshared command is gone: " + gone.getMessage(), gone);
                }
            }
        }
    }

    /** Removes the run directories of daemonized commands that have ended. */
    private static void sweep(Path parent) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent)) {
            for (Path d : dirs) {
                if (Files.exists(d.resolve(MonitorClient.EXIT_FILE))) {
                    RunRegistry.removeRunDir(d);
                }
            }
        } catch (IOException e) {
            LOG.debug("unshare: nothing to sweep in \"{}\": {}", parent, e.toString());
        }
    }
}
