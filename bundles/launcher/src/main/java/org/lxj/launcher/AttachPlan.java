package org.lxj.launcher;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.lxj.spi.launch.CapabilitySets;
import org.lxj.spi.launch.Namespace;

/**
 * What {@link Launcher#attach} runs inside a running container, resolved by Java ({@code lxc-attach}).
 *
 * @param initPid        the container's init in the host pid namespace
 * @param initStartTime  init's start time in clock ticks since boot (field 22 of {@code /proc/PID/stat}); the
 *                       launcher refuses to attach when the pid now belongs to another process
 * @param namespaces     the namespaces to join ({@code lxc-attach -s}); the user namespace is joined first
 * @param argv           the command and its arguments; {@code argv[0]} is looked up in the {@code PATH} of
 *                       {@code env} when it has no slash
 * @param env            the command's whole environment ({@code NAME=value})
 * @param uid            the uid inside the container
 * @param gid            the gid inside the container
 * @param groups         supplementary gids; empty clears them
 * @param cwd            the working directory inside the container; verified after {@code chdir}
 * @param cgroups        the container's payload cgroup directory in each hierarchy (on a hybrid host the v1
 *                       controllers' and the cgroup2 one); the launcher writes itself into each
 *                       {@code cgroup.procs}, in this order, before it joins any namespace, so the command
 *                       is born in all of them; joining a frozen cgroup blocks until the container is
 *                       thawed, as {@code lxc-attach} does
 * @param capabilities   the capability sets the command ends with unless {@code keepCapabilities}
 *                       ({@code lxc.cap.drop} applied), if any
 * @param keepCapabilities keep every capability ({@code lxc-attach -e CAP}, elevated privileges)
 * @param remountSys     remount {@code /sys} and {@code /proc} of the container in a private mount
 *                       namespace ({@code lxc-attach -R}) so they reflect the joined namespaces
 * @param pty            run the command on a new pty of the container, relayed to the caller's fds, if given
 * @param security       init's seccomp filter, LSM labels, Landlock ruleset and {@code no_new_privs}, which the
 *                       command gets in init's order once the namespaces are joined ({@link AttachPolicy#NONE}:
 *                       none of them)
 * @param monitorSocket  the container's {@code monitor.sock}, which a notifying filter's listener is passed to;
 *                       required when {@code security}'s filter notifies
 */
public record AttachPlan(int initPid, long initStartTime, Set<Namespace> namespaces, List<String> argv,
        List<String> env, long uid, long gid, List<Long> groups, Path cwd, List<Path> cgroups,
        Optional<CapabilitySets> capabilities, boolean keepCapabilities, boolean remountSys, Optional<AttachPty> pty,
        AttachPolicy security, Optional<Path> monitorSocket) {

    /** The namespaces {@code lxc-attach} joins by default. */
    public static final Set<Namespace> ALL = Set.copyOf(EnumSet.of(Namespace.MOUNT, Namespace.PID, Namespace.UTS,
            Namespace.IPC, Namespace.USER, Namespace.NET, Namespace.CGROUP));

    /** Checks the values. */
    public AttachPlan {
        if (initPid <= 1) {
            throw new IllegalArgumentException("Invalid init pid " + initPid);
        }
        if (initStartTime < 0) {
            throw new IllegalArgumentException("Invalid init start time " + initStartTime);
        }
        namespaces = namespaces.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(namespaces));
        if (namespaces.contains(Namespace.TIME)) {
            throw new IllegalArgumentException("Attaching to a time namespace is not supported");
        }
        argv = List.copyOf(argv);
        env = List.copyOf(env);
        groups = List.copyOf(groups);
        if (argv.isEmpty() || argv.get(0).isEmpty()) {
            throw new IllegalArgumentException("The attach command is empty");
        }
        if (uid < 0 || uid > 0xFFFF_FFFEL || gid < 0 || gid > 0xFFFF_FFFEL) {
            throw new IllegalArgumentException("Invalid uid/gid " + uid + ":" + gid);
        }
        Objects.requireNonNull(cwd, "cwd");
        if (!cwd.isAbsolute()) {
            throw new IllegalArgumentException("Working directory \"" + cwd + "\" is not absolute");
        }
        cgroups = List.copyOf(cgroups);
        for (Path c : cgroups) {
            if (!c.isAbsolute()) {
                throw new IllegalArgumentException("Cgroup directory \"" + c + "\" is not absolute");
            }
        }
        Objects.requireNonNull(capabilities, "capabilities");
        Objects.requireNonNull(pty, "pty");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(monitorSocket, "monitorSocket");
        if (monitorSocket.isPresent() && !monitorSocket.get().isAbsolute()) {
            throw new IllegalArgumentException("Monitor socket \"" + monitorSocket.get() + "\" is not absolute");
        }
        if (security.seccomp().map(org.lxj.spi.launch.SeccompProgram::notifies).orElse(false)
                && monitorSocket.isEmpty()) {
            throw new IllegalArgumentException("A notifying seccomp filter needs the monitor's socket");
        }
    }

    /** A plan without init's confinement (the form before {@link #security} was added). */
    public AttachPlan(int initPid, long initStartTime, Set<Namespace> namespaces, List<String> argv,
            List<String> env, long uid, long gid, List<Long> groups, Path cwd, List<Path> cgroups,
            Optional<CapabilitySets> capabilities, boolean keepCapabilities, boolean remountSys, Optional<AttachPty> pty) {
        this(initPid, initStartTime, namespaces, argv, env, uid, gid, groups, cwd, cgroups, capabilities,
                keepCapabilities, remountSys, pty, AttachPolicy.NONE, Optional.empty());
    }

    /**
     * This plan with init's confinement.
     *
     * @param policy        what init runs under, as the start kept it
     * @param monitorSocket the container's {@code monitor.sock}, needed when the filter notifies
     * @return the new plan
     * @since 1.7
     */
    public AttachPlan withSecurity(AttachPolicy policy, Optional<Path> monitorSocket) {
        return new AttachPlan(initPid, initStartTime, namespaces, argv, env, uid, gid, groups, cwd, cgroups,
                capabilities, keepCapabilities, remountSys, pty, policy, monitorSocket);
    }

    /** A plan without a pty (the form before {@link #pty} was added). */
    public AttachPlan(int initPid, long initStartTime, Set<Namespace> namespaces, List<String> argv,
            List<String> env, long uid, long gid, List<Long> groups, Path cwd, List<Path> cgroups,
            Optional<CapabilitySets> capabilities, boolean keepCapabilities, boolean remountSys) {
        this(initPid, initStartTime, namespaces, argv, env, uid, gid, groups, cwd, cgroups, capabilities,
                keepCapabilities, remountSys, Optional.empty());
    }

    /**
     * This plan with the command on a new pty.
     *
     * @param terminal the pty request
     * @return the new plan
     */
    public AttachPlan withPty(AttachPty terminal) {
        return new AttachPlan(initPid, initStartTime, namespaces, argv, env, uid, gid, groups, cwd, cgroups,
                capabilities, keepCapabilities, remountSys, Optional.of(terminal), security, monitorSocket);
    }

    /**
     * A plan joining at most one cgroup directory (the form before {@link #cgroups} was a list).
     *
     * @deprecated use the canonical constructor with one directory per hierarchy
     */
    @Deprecated
    public AttachPlan(int initPid, long initStartTime, Set<Namespace> namespaces, List<String> argv,
            List<String> env, long uid, long gid, List<Long> groups, Path cwd, Optional<Path> cgroup,
            Optional<CapabilitySets> capabilities, boolean keepCapabilities, boolean remountSys) {
        this(initPid, initStartTime, namespaces, argv, env, uid, gid, groups, cwd, cgroup.stream().toList(),
                capabilities, keepCapabilities, remountSys, Optional.empty());
    }

    /**
     * The first cgroup directory, if any.
     *
     * @return the first of {@link #cgroups}
     * @deprecated use {@link #cgroups}
     */
    @Deprecated
    public Optional<Path> cgroup() {
        return cgroups.stream().findFirst();
    }

    /**
     * Root running {@code argv} in {@code /} in every namespace of {@link #ALL}, without cgroup or capability
     * changes.
     *
     * @param initPid       the container's init
     * @param initStartTime init's start time in clock ticks
     * @param argv          the command
     * @param env           its environment
     * @return the plan
     */
    public static AttachPlan of(int initPid, long initStartTime, List<String> argv, List<String> env) {
        return new AttachPlan(initPid, initStartTime, ALL, argv, env, 0, 0, List.of(), Path.of("/"),
                List.of(), Optional.empty(), false, false, Optional.empty());
    }

    /**
     * Reads a process's start time (clock ticks since boot) from {@code /proc/PID/stat}.
     *
     * @param pid the process
     * @return the start time
     * @throws java.io.IOException when the process does not exist or the file is malformed
     */
    public static long startTimeOf(int pid) throws java.io.IOException {
        String stat = java.nio.file.Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
        int close = stat.lastIndexOf(')');
        String[] f = stat.substring(close + 2).trim().split(" ");
        // f[0] is field 3 (state); starttime is field 22
        if (close < 0 || f.length < 20) {
            throw new java.io.IOException("Malformed /proc/" + pid + "/stat");
        }
        return Long.parseLong(f[19]);
    }
}
