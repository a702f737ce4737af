package org.lxj.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything the launcher carries out for one container, already decided by Java. The launcher
 * validates it again (strict TLV parsing) but makes no policy choice of its own.
 *
 * @param containerId  the container's name, for messages
 * @param rootfs       the host path of the mounted rootfs
 * @param cloneFlags   {@code CLONE_NEW*} flags of the namespaces to create
 * @param uidMap       {@code uid_map} lines for a new user namespace, or null
 * @param gidMap       {@code gid_map} lines for a new user namespace, or null
 * @param setgroupsDeny write {@code deny} to {@code setgroups} before the gid map
 * @param cgroupPath   the cgroup directory init is born in (CLONE_INTO_CGROUP), or null
 * @param mounts       mounts in order, targets inside the rootfs
 * @param noPivot      use MS_MOVE + chroot instead of pivot_root
 * @param maskedPaths  paths hidden behind /dev/null or an empty read-only tmpfs
 * @param readonlyPaths paths remounted read-only
 * @param hostname     the UTS hostname, or null
 * @param rlimits      resource limits
 * @param capabilities bounding, effective, permitted, inheritable, ambient sets, or null to keep them
 * @param noNewPrivs   set PR_SET_NO_NEW_PRIVS before exec
 * @param uid          the command's uid, or null to stay root
 * @param gid          the command's gid, or null to stay root
 * @param cwd          the working directory inside the container, or null for "/"
 * @param argv         the command, never empty
 * @param env          the command's complete environment as {@code KEY=VALUE}
 * @param builtinInit  run the command as PID 2 under the launcher's minimal init (lxc-execute)
 * @param stdin        file for the command's stdin, or null for /dev/null
 * @param stdout       file the command's stdout is appended to, or null for /dev/null
 * @param stderr       file the command's stderr is appended to, or null for /dev/null
 */
public record LaunchPlan(String containerId, Path rootfs, long cloneFlags, String uidMap, String gidMap,
        boolean setgroupsDeny, Path cgroupPath, List<Mount> mounts, boolean noPivot, List<String> maskedPaths,
        List<String> readonlyPaths, String hostname, List<Rlimit> rlimits, Capabilities capabilities,
        boolean noNewPrivs, Integer uid, Integer gid, String cwd, List<String> argv, List<String> env,
        boolean builtinInit, Path stdin, Path stdout, Path stderr) {

    /** Namespace flags as in {@code <sched.h>}. */
    public static final long CLONE_NEWNS = 0x00020000L;
    /** New cgroup namespace. */
    public static final long CLONE_NEWCGROUP = 0x02000000L;
    /** New UTS namespace. */
    public static final long CLONE_NEWUTS = 0x04000000L;
    /** New IPC namespace. */
    public static final long CLONE_NEWIPC = 0x08000000L;
    /** New user namespace. */
    public static final long CLONE_NEWUSER = 0x10000000L;
    /** New PID namespace. */
    public static final long CLONE_NEWPID = 0x20000000L;
    /** New network namespace. */
    public static final long CLONE_NEWNET = 0x40000000L;

    /** Checks the invariants Java can check before the launcher does. */
    public LaunchPlan {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(rootfs, "rootfs");
        if (!rootfs.isAbsolute()) {
            throw new IllegalArgumentException("Rootfs \"" + rootfs + "\" is not absolute");
        }
        mounts = List.copyOf(mounts);
        maskedPaths = List.copyOf(maskedPaths);
        readonlyPaths = List.copyOf(readonlyPaths);
        rlimits = List.copyOf(rlimits);
        argv = List.copyOf(argv);
        env = List.copyOf(env);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("Container \"" + containerId + "\" has no command");
        }
    }

    /**
     * A mount carried out inside the container's mount namespace.
     *
     * @param source   host path (binds) or the filesystem source ("proc"), or null
     * @param target   absolute path inside the rootfs, resolved there by fd
     * @param fstype   filesystem type, or null for a bind
     * @param flags    MS_* flags (MS_BIND, MS_REC, MS_RDONLY, propagation ...)
     * @param data     comma-separated filesystem options, or null
     * @param create   what to create at a missing target
     * @param optional a failure is ignored
     * @param device   the character device (major, minor) the source must be, or null
     */
    public record Mount(String source, String target, String fstype, long flags, String data, Create create,
            boolean optional, int[] device) {
        /** MS_RDONLY. */
        public static final long MS_RDONLY = 1;
        /** MS_NOSUID. */
        public static final long MS_NOSUID = 2;
        /** MS_NODEV. */
        public static final long MS_NODEV = 4;
        /** MS_NOEXEC. */
        public static final long MS_NOEXEC = 8;
        /** MS_REMOUNT. */
        public static final long MS_REMOUNT = 32;
        /** MS_BIND. */
        public static final long MS_BIND = 4096;
        /** MS_REC. */
        public static final long MS_REC = 16384;

        /** Checks the target. */
        public Mount {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(create, "create");
            if (source == null && fstype == null) {
                throw new IllegalArgumentException("Mount on \"" + target + "\" has neither a source nor a type");
            }
        }

        /** What to create at a missing mount target. */
        public enum Create {
            /** Nothing: the target must exist. */
            NONE,
            /** A directory (and missing parents). */
            DIR,
            /** An empty file (and missing parent directories). */
            FILE
        }
    }

    /**
     * A resource limit.
     *
     * @param resource RLIMIT_* number
     * @param soft     soft limit (-1 for unlimited)
     * @param hard     hard limit (-1 for unlimited)
     */
    public record Rlimit(int resource, long soft, long hard) {
    }

    /**
     * Capability sets, one bit per capability.
     *
     * @param bounding    the bounding set
     * @param effective   the effective set
     * @param permitted   the permitted set
     * @param inheritable the inheritable set
     * @param ambient     the ambient set
     */
    public record Capabilities(long bounding, long effective, long permitted, long inheritable, long ambient) {
    }

    /**
     * A builder with no namespaces, mounts or limits.
     *
     * @param containerId the container's name
     * @param rootfs      the host path of the rootfs
     * @param argv        the command
     * @return a builder
     */
    public static Builder builder(String containerId, Path rootfs, List<String> argv) {
        return new Builder(containerId, rootfs, argv);
    }

    /** Builds a {@link LaunchPlan} step by step. */
    public static final class Builder {
        private final String containerId;
        private final Path rootfs;
        private final List<String> argv;
        private long cloneFlags;
        private String uidMap;
        private String gidMap;
        private boolean setgroupsDeny;
        private Path cgroupPath;
        private final List<Mount> mounts = new ArrayList<>();
        private boolean noPivot;
        private final List<String> masked = new ArrayList<>();
        private final List<String> readonly = new ArrayList<>();
        private String hostname;
        private final List<Rlimit> rlimits = new ArrayList<>();
        private Capabilities capabilities;
        private boolean noNewPrivs;
        private Integer uid;
        private Integer gid;
        private String cwd;
        private final List<String> env = new ArrayList<>();
        private boolean builtinInit;
        private Path stdin;
        private Path stdout;
        private Path stderr;

        private Builder(String containerId, Path rootfs, List<String> argv) {
            this.containerId = containerId;
            this.rootfs = rootfs;
            this.argv = List.copyOf(argv);
        }

        /** @param flags CLONE_NEW* flags @return this */
        public Builder cloneFlags(long flags) {
            this.cloneFlags = flags;
            return this;
        }

        /** @param uidLines uid_map lines @param gidLines gid_map lines @param deny deny setgroups @return this */
        public Builder idMaps(String uidLines, String gidLines, boolean deny) {
            this.uidMap = uidLines;
            this.gidMap = gidLines;
            this.setgroupsDeny = deny;
            return this;
        }

        /** @param path the cgroup directory init is born in @return this */
        public Builder cgroup(Path path) {
            this.cgroupPath = path;
            return this;
        }

        /** @param mount one more mount @return this */
        public Builder mount(Mount mount) {
            mounts.add(mount);
            return this;
        }

        /** @param value MS_MOVE + chroot instead of pivot_root @return this */
        public Builder noPivot(boolean value) {
            this.noPivot = value;
            return this;
        }

        /** @param path a path to mask @return this */
        public Builder masked(String path) {
            masked.add(path);
            return this;
        }

        /** @param path a path to make read-only @return this */
        public Builder readonly(String path) {
            readonly.add(path);
            return this;
        }

        /** @param name the hostname @return this */
        public Builder hostname(String name) {
            this.hostname = name;
            return this;
        }

        /** @param limit one more rlimit @return this */
        public Builder rlimit(Rlimit limit) {
            rlimits.add(limit);
            return this;
        }

        /** @param caps the capability sets @return this */
        public Builder capabilities(Capabilities caps) {
            this.capabilities = caps;
            return this;
        }

        /** @param value set no_new_privs @return this */
        public Builder noNewPrivs(boolean value) {
            this.noNewPrivs = value;
            return this;
        }

        /** @param u uid @param g gid @return this */
        public Builder user(Integer u, Integer g) {
            this.uid = u;
            this.gid = g;
            return this;
        }

        /** @param dir the working directory inside the container @return this */
        public Builder cwd(String dir) {
            this.cwd = dir;
            return this;
        }

        /** @param entry one {@code KEY=VALUE} environment entry @return this */
        public Builder env(String entry) {
            env.add(entry);
            return this;
        }

        /** @param value run under the built-in init @return this */
        public Builder builtinInit(boolean value) {
            this.builtinInit = value;
            return this;
        }

        /** @param in stdin file @param out stdout file @param err stderr file (each null for /dev/null) @return this */
        public Builder stdio(Path in, Path out, Path err) {
            this.stdin = in;
            this.stdout = out;
            this.stderr = err;
            return this;
        }

        /** @return the plan */
        public LaunchPlan build() {
            return new LaunchPlan(containerId, rootfs, cloneFlags, uidMap, gidMap, setgroupsDeny, cgroupPath, mounts,
                    noPivot, masked, readonly, hostname, rlimits, capabilities, noNewPrivs, uid, gid, cwd, argv, env,
                    builtinInit, stdin, stdout, stderr);
        }
    }
}
