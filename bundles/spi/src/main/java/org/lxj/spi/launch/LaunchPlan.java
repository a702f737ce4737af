package org.lxj.spi.launch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Everything the launcher does to start a process in a container, computed and validated in Java. The
 * launcher carries the steps out in a fixed order (namespaces and id maps, mounts, devices, symlinks,
 * pivot, masks, hostname, proc writes, rlimits, LSM labels, capabilities, no_new_privs, Landlock, seccomp,
 * exec) and never decides anything itself; see {@code docs/launcher-protocol.md}.
 * <p>
 * A plan is immutable. It is made by a {@link Builder} that core passes to each {@link LaunchContributor}
 * in {@link LaunchContributor#order()}; {@link Builder#build()} then checks the rules that span several
 * steps. Lists keep the order steps were added in.
 */
public final class LaunchPlan {

    /** The longest host or domain name the kernel accepts ({@code __NEW_UTS_LEN}). */
    public static final int MAX_HOSTNAME = 64;
    /** The most lines a {@code uid_map} or {@code gid_map} may have. */
    public static final int MAX_MAP_LINES = 340;
    private static final int CAP_SYS_ADMIN = 21;

    private final Set<Namespace> cloneNamespaces;
    private final List<NamespaceJoin> joins;
    private final List<IdMapping> idMappings;
    private final boolean setgroupsAllowed;
    private final Optional<TimeOffsets> timeOffsets;
    private final Optional<Rootfs> rootfs;
    private final List<MountStep> mounts;
    private final List<DeviceNode> devices;
    private final List<Symlink> symlinks;
    private final List<Path> maskedPaths;
    private final List<Path> readOnlyPaths;
    private final Optional<String> hostname;
    private final Optional<String> domainname;
    private final List<Rlimit> rlimits;
    private final List<ProcWrite> procWrites;
    private final Optional<CapabilitySets> capabilities;
    private final Set<Securebit> securebits;
    private final boolean noNewPrivileges;
    private final List<LsmLabel> lsmLabels;
    private final Optional<SeccompProgram> seccomp;
    private final Optional<SeccompNotifyProxy> seccompNotifyProxy;
    private final Optional<LandlockRuleset> landlock;
    private final CgroupPlacement cgroup;
    private final List<Hook> hooks;
    private final ProcessSpec process;
    private final ConsoleSpec console;
    private final OptionalInt personality;
    private final boolean newSessionKeyring;

    private LaunchPlan(Builder b) {
        cloneNamespaces = b.cloneNamespaces.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(b.cloneNamespaces));
        joins = List.copyOf(b.joins.values());
        idMappings = List.copyOf(b.idMappings);
        setgroupsAllowed = b.setgroupsAllowed;
        timeOffsets = b.timeOffsets;
        rootfs = b.rootfs;
        mounts = List.copyOf(b.mounts);
        devices = List.copyOf(b.devices);
        symlinks = List.copyOf(b.symlinks);
        maskedPaths = List.copyOf(b.maskedPaths);
        readOnlyPaths = List.copyOf(b.readOnlyPaths);
        hostname = b.hostname;
        domainname = b.domainname;
        rlimits = List.copyOf(b.rlimits.values());
        procWrites = List.copyOf(b.procWrites);
        capabilities = b.capabilities;
        securebits = b.securebits.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(b.securebits));
        noNewPrivileges = b.noNewPrivileges;
        lsmLabels = List.copyOf(b.lsmLabels);
        seccomp = b.seccomp;
        seccompNotifyProxy = b.seccompNotifyProxy;
        landlock = b.landlock;
        cgroup = b.cgroup;
        hooks = List.copyOf(b.hooks);
        process = b.process.orElseThrow();
        console = b.console;
        personality = b.personality;
        newSessionKeyring = b.newSessionKeyring;
    }

    /** A builder for a plan, empty but for the defaults documented on each setter. */
    public static Builder builder() {
        return new Builder();
    }

    /** Namespaces to create. */
    public Set<Namespace> cloneNamespaces() {
        return cloneNamespaces;
    }

    /** The OR of the {@code CLONE_NEW*} flags of {@link #cloneNamespaces()}. */
    public long cloneFlags() {
        return Namespace.cloneFlags(cloneNamespaces);
    }

    /** Namespaces to join, user namespace first, then in {@link Namespace} order. */
    public List<NamespaceJoin> joins() {
        return joins;
    }

    /** uid and gid map lines of a new user namespace. */
    public List<IdMapping> idMappings() {
        return idMappings;
    }

    /** Whether {@code setgroups} stays allowed in a new user namespace ({@code /proc/PID/setgroups}). */
    public boolean setgroupsAllowed() {
        return setgroupsAllowed;
    }

    /**
     * The clock offsets of the new time namespace; present only when {@link Namespace#TIME} is created.
     *
     * @since 1.1
     */
    public Optional<TimeOffsets> timeOffsets() {
        return timeOffsets;
    }

    /** The rootfs to pivot into; empty to keep the host's root (in a new mount namespace). */
    public Optional<Rootfs> rootfs() {
        return rootfs;
    }

    /** Mounts, in order. */
    public List<MountStep> mounts() {
        return mounts;
    }

    /** Device nodes to make, after the mounts. */
    public List<DeviceNode> devices() {
        return devices;
    }

    /** Symlinks to make, after the devices. */
    public List<Symlink> symlinks() {
        return symlinks;
    }

    /** Paths to hide after the pivot: {@code /dev/null} over files, an empty read-only tmpfs over directories. */
    public List<Path> maskedPaths() {
        return maskedPaths;
    }

    /** Paths to remount read-only after the pivot, keeping their other flags. */
    public List<Path> readOnlyPaths() {
        return readOnlyPaths;
    }

    /** The hostname to set in the new UTS namespace. */
    public Optional<String> hostname() {
        return hostname;
    }

    /** The NIS domain name to set in the new UTS namespace. */
    public Optional<String> domainname() {
        return domainname;
    }

    /** Resource limits, one per resource. */
    public List<Rlimit> rlimits() {
        return rlimits;
    }

    /** Writes under {@code /proc}, in order. */
    public List<ProcWrite> procWrites() {
        return procWrites;
    }

    /** The final capability sets; empty to leave the capabilities the process has. */
    public Optional<CapabilitySets> capabilities() {
        return capabilities;
    }

    /** Securebits to set (and lock, for the {@code _LOCKED} bits); empty to leave them. */
    public Set<Securebit> securebits() {
        return securebits;
    }

    /** Whether to set {@code PR_SET_NO_NEW_PRIVS}. */
    public boolean noNewPrivileges() {
        return noNewPrivileges;
    }

    /** LSM attribute writes just before the exec, in order. */
    public List<LsmLabel> lsmLabels() {
        return lsmLabels;
    }

    /** The seccomp filter to load, if any. */
    public Optional<SeccompProgram> seccomp() {
        return seccomp;
    }

    /**
     * Where the monitor forwards the seccomp filter's user notifications; present exactly when the filter
     * {@linkplain SeccompProgram#notifies() notifies}.
     *
     * @since 1.3
     */
    public Optional<SeccompNotifyProxy> seccompNotifyProxy() {
        return seccompNotifyProxy;
    }

    /** The Landlock ruleset to enforce, if any. */
    public Optional<LandlockRuleset> landlock() {
        return landlock;
    }

    /** Where init is placed in the cgroup tree. */
    public CgroupPlacement cgroup() {
        return cgroup;
    }

    /** Hooks, in the order they were added; each runs at its {@link Hook#stage()}. */
    public List<Hook> hooks() {
        return hooks;
    }

    /** The hooks of one stage, in order. */
    public List<Hook> hooks(Hook.Stage stage) {
        return hooks.stream().filter(h -> h.stage() == stage).toList();
    }

    /** The process to execute. */
    public ProcessSpec process() {
        return process;
    }

    /** The terminals. */
    public ConsoleSpec console() {
        return console;
    }

    /** The {@code personality(2)} to set ({@code lxc.arch}), if any. */
    public OptionalInt personality() {
        return personality;
    }

    /** Whether init gets a new session keyring ({@code lxc.keyring.session}, default on). */
    public boolean newSessionKeyring() {
        return newSessionKeyring;
    }

    @Override
    public String toString() {
        return "LaunchPlan[clone=" + cloneNamespaces + ", joins=" + joins.size() + ", mounts=" + mounts.size()
                + ", argv=" + process.argv() + "]";
    }

    /**
     * Collects steps from contributors. Not thread-safe: core calls contributors one after another. A setter
     * for a single value replaces what an earlier contributor set; list setters append. The getters let a
     * later contributor see what earlier ones decided (the seccomp compiler reads the capability sets, the
     * security contributor reads the process's uid).
     */
    public static final class Builder {
        private final Set<Namespace> cloneNamespaces = EnumSet.noneOf(Namespace.class);
        private final Map<Namespace, NamespaceJoin> joins = new EnumMap<>(Namespace.class);
        private final List<IdMapping> idMappings = new ArrayList<>();
        private boolean setgroupsAllowed = true;
        private Optional<TimeOffsets> timeOffsets = Optional.empty();
        private Optional<Rootfs> rootfs = Optional.empty();
        private final List<MountStep> mounts = new ArrayList<>();
        /** The filesystems {@link #labelMounts} labels. */
        private static final Set<String> LABELLED_FILESYSTEMS = Set.of("tmpfs", "devpts", "mqueue");
        private final List<DeviceNode> devices = new ArrayList<>();
        private final List<Symlink> symlinks = new ArrayList<>();
        private final Set<Path> maskedPaths = new LinkedHashSet<>();
        private final Set<Path> readOnlyPaths = new LinkedHashSet<>();
        private Optional<String> hostname = Optional.empty();
        private Optional<String> domainname = Optional.empty();
        private final Map<Rlimit.Resource, Rlimit> rlimits = new EnumMap<>(Rlimit.Resource.class);
        private final List<ProcWrite> procWrites = new ArrayList<>();
        private Optional<CapabilitySets> capabilities = Optional.empty();
        private final Set<Securebit> securebits = EnumSet.noneOf(Securebit.class);
        private boolean noNewPrivileges;
        private final List<LsmLabel> lsmLabels = new ArrayList<>();
        private Optional<SeccompProgram> seccomp = Optional.empty();
        private Optional<SeccompNotifyProxy> seccompNotifyProxy = Optional.empty();
        private Optional<LandlockRuleset> landlock = Optional.empty();
        private CgroupPlacement cgroup = CgroupPlacement.NONE;
        private final List<Hook> hooks = new ArrayList<>();
        private Optional<ProcessSpec> process = Optional.empty();
        private ConsoleSpec console = ConsoleSpec.DEFAULT;
        private OptionalInt personality = OptionalInt.empty();
        private boolean newSessionKeyring = true;

        private Builder() {
        }

        /** Creates {@code namespace} (and stops joining it, if an earlier contributor joined it). */
        public Builder cloneNamespace(Namespace namespace) {
            cloneNamespaces.add(namespace);
            joins.remove(namespace);
            return this;
        }

        /** Does not create {@code namespace}: it is inherited from the monitor ({@code lxc.namespace.keep}). */
        public Builder keepNamespace(Namespace namespace) {
            cloneNamespaces.remove(namespace);
            joins.remove(namespace);
            return this;
        }

        /** Joins an existing namespace instead of creating it; replaces an earlier join of the same type. */
        public Builder joinNamespace(NamespaceJoin join) {
            cloneNamespaces.remove(join.namespace());
            joins.put(join.namespace(), join);
            return this;
        }

        /** Adds a line to the new user namespace's uid or gid map. */
        public Builder idMapping(IdMapping mapping) {
            idMappings.add(mapping);
            return this;
        }

        /** Whether {@code setgroups} stays allowed in a new user namespace (default true). */
        public Builder setgroupsAllowed(boolean allowed) {
            setgroupsAllowed = allowed;
            return this;
        }

        /**
         * Sets the clock offsets of the new time namespace, replacing earlier ones; the plan must create
         * {@link Namespace#TIME}.
         *
         * @since 1.1
         */
        public Builder timeOffsets(TimeOffsets offsets) {
            timeOffsets = Optional.of(java.util.Objects.requireNonNull(offsets, "offsets"));
            return this;
        }

        /** Sets the rootfs to pivot into. */
        public Builder rootfs(Rootfs value) {
            rootfs = Optional.of(value);
            return this;
        }

        /** Appends a mount. */
        public Builder mount(MountStep step) {
            mounts.add(step);
            return this;
        }

        /**
         * Labels the filesystems mounted so far that the kernel creates for the container ({@code tmpfs},
         * {@code devpts}, {@code mqueue}; not binds, remounts or moves): appends the LSM mount option
         * {@code option} (SELinux's {@code context="..."}) to their data, unless their data already sets a
         * context ({@code context=}, {@code fscontext=}, {@code defcontext=} or {@code rootcontext=}).
         *
         * @since 1.3
         */
        public Builder labelMounts(String option) {
            PlanChecks.nonEmpty("LSM mount option", option);
            for (int i = 0; i < mounts.size(); i++) {
                MountStep m = mounts.get(i);
                if (LABELLED_FILESYSTEMS.contains(m.fstype()) && !m.isBind()
                        && !m.flags().contains(MountFlag.REMOUNT) && !m.flags().contains(MountFlag.MOVE)
                        && !hasContext(m.data())) {
                    String data = m.data().isEmpty() ? option : m.data() + "," + option;
                    mounts.set(i, new MountStep(m.source(), m.target(), m.fstype(), m.flags(), data, m.propagation(),
                            m.create(), m.optional(), m.relative()));
                }
            }
            return this;
        }

        private static boolean hasContext(String data) {
            for (String o : data.split(",")) {
                String name = o.strip();
                if (name.startsWith("context=") || name.startsWith("fscontext=") || name.startsWith("defcontext=")
                        || name.startsWith("rootcontext=")) {
                    return true;
                }
            }
            return false;
        }

        /** Appends a device node. */
        public Builder device(DeviceNode node) {
            devices.add(node);
            return this;
        }

        /** Appends a symlink. */
        public Builder symlink(Symlink link) {
            symlinks.add(link);
            return this;
        }

        /** Masks a path (a path given twice is masked once). */
        public Builder maskPath(Path path) {
            maskedPaths.add(PlanChecks.absolute("masked path", path));
            return this;
        }

        /** Makes a path read-only (a path given twice is handled once). */
        public Builder readOnlyPath(Path path) {
            readOnlyPaths.add(PlanChecks.absolute("read-only path", path));
            return this;
        }

        /** Sets the hostname. */
        public Builder hostname(String name) {
            hostname = Optional.of(utsName("hostname", name));
            return this;
        }

        /** Sets the NIS domain name. */
        public Builder domainname(String name) {
            domainname = Optional.of(utsName("domain name", name));
            return this;
        }

        /** Sets a resource limit, replacing an earlier one for the same resource. */
        public Builder rlimit(Rlimit limit) {
            rlimits.put(limit.resource(), limit);
            return this;
        }

        /** Appends a write under {@code /proc}. */
        public Builder procWrite(ProcWrite write) {
            procWrites.add(write);
            return this;
        }

        /** Sets the final capability sets. */
        public Builder capabilities(CapabilitySets sets) {
            capabilities = Optional.of(sets);
            return this;
        }

        /** Sets the securebits, replacing earlier ones. */
        public Builder securebits(Set<Securebit> bits) {
            securebits.clear();
            securebits.addAll(bits);
            return this;
        }

        /** Sets or clears {@code no_new_privs} (default clear). */
        public Builder noNewPrivileges(boolean value) {
            noNewPrivileges = value;
            return this;
        }

        /** Appends an LSM attribute write. */
        public Builder lsmLabel(LsmLabel label) {
            lsmLabels.add(label);
            return this;
        }

        /** Sets the seccomp filter. */
        public Builder seccomp(SeccompProgram program) {
            seccomp = Optional.of(program);
            return this;
        }

        /**
         * Sets where the monitor forwards the filter's user notifications.
         *
         * @since 1.3
         */
        public Builder seccompNotifyProxy(SeccompNotifyProxy proxy) {
            seccompNotifyProxy = Optional.of(proxy);
            return this;
        }

        /** Sets the Landlock ruleset. */
        public Builder landlock(LandlockRuleset ruleset) {
            landlock = Optional.of(ruleset);
            return this;
        }

        /** Sets where init is placed in the cgroup tree. */
        public Builder cgroup(CgroupPlacement placement) {
            cgroup = java.util.Objects.requireNonNull(placement, "placement");
            return this;
        }

        /** Appends a hook. */
        public Builder hook(Hook hook) {
            hooks.add(hook);
            return this;
        }

        /** Sets the process to execute. */
        public Builder process(ProcessSpec spec) {
            process = Optional.of(spec);
            return this;
        }

        /** Sets the terminals (default {@link ConsoleSpec#DEFAULT}). */
        public Builder console(ConsoleSpec spec) {
            console = java.util.Objects.requireNonNull(spec, "spec");
            return this;
        }

        /** Sets the {@code personality(2)} value. */
        public Builder personality(int value) {
            personality = OptionalInt.of(value);
            return this;
        }

        /** Whether init gets a new session keyring (default true). */
        public Builder newSessionKeyring(boolean value) {
            newSessionKeyring = value;
            return this;
        }

        /**
         * Where init is placed in the cgroup tree, as chosen so far (the payload directories, which
         * {@code lxc.mount.auto = cgroup} binds when init has no cgroup namespace).
         *
         * @since 1.2
         */
        public CgroupPlacement cgroupPlacement() {
            return cgroup;
        }

        /** The namespaces chosen for creation so far. */
        public Set<Namespace> cloneNamespaces() {
            return Set.copyOf(cloneNamespaces);
        }

        /** The namespace joins chosen so far. */
        public List<NamespaceJoin> joins() {
            return List.copyOf(joins.values());
        }

        /** The capability sets chosen so far. */
        public Optional<CapabilitySets> capabilitySets() {
            return capabilities;
        }

        /** Whether {@code no_new_privs} is set so far. */
        public boolean isNoNewPrivileges() {
            return noNewPrivileges;
        }

        /** The process chosen so far. */
        public Optional<ProcessSpec> processSpec() {
            return process;
        }

        /** The rootfs chosen so far. */
        public Optional<Rootfs> rootfsSpec() {
            return rootfs;
        }

        /**
         * The time namespace offsets chosen so far.
         *
         * @since 1.1
         */
        public Optional<TimeOffsets> timeOffsetsSpec() {
            return timeOffsets;
        }

        /**
         * Checks the rules that span several steps and makes the plan.
         *
         * @throws PlanValidationException naming the first rule broken
         */
        public LaunchPlan build() {
            if (process.isEmpty()) {
                throw new PlanValidationException("launch plan", null, "has no process to execute");
            }
            checkUserNamespace();
            checkMountNamespace();
            if (timeOffsets.isPresent() && !cloneNamespaces.contains(Namespace.TIME)) {
                String offsets = timeOffsets.get().timensOffsetsText().strip().replace("\n", ", ");
                throw new PlanValidationException("time offsets", offsets, "need a new time namespace");
            }
            if ((hostname.isPresent() || domainname.isPresent()) && !cloneNamespaces.contains(Namespace.UTS)) {
                throw new PlanValidationException("hostname", hostname.orElse(domainname.orElse(null)),
                        "setting it needs a new UTS namespace; it would change the host's");
            }
            boolean notifies = seccomp.map(SeccompProgram::notifies).orElse(false);
            if (notifies != seccompNotifyProxy.isPresent()) {
                throw new PlanValidationException("seccomp notify proxy", seccompNotifyProxy.map(
                        SeccompNotifyProxy::address).orElse(null), notifies ? "a filter with notify rules needs one"
                        : "is set but the seccomp filter has no notify rules");
            }
            if (seccomp.map(s -> s.notifies() && s.flags().contains(SeccompFilterFlag.TSYNC)).orElse(false)) {
                throw new PlanValidationException("seccomp filter flags", seccomp.get().flags().toString(),
                        "tsync and new_listener cannot be combined");
            }
            if (landlock.isPresent() && !noNewPrivileges && !capabilities.map(c -> hasSysAdmin(c)).orElse(true)) {
                throw new PlanValidationException("Landlock ruleset", null,
                        "enforcing it needs no_new_privs or CAP_SYS_ADMIN in the effective set");
            }
            return new LaunchPlan(this);
        }

        private static boolean hasSysAdmin(CapabilitySets sets) {
            return (sets.effective() & (1L << CAP_SYS_ADMIN)) != 0;
        }

        private void checkUserNamespace() {
            boolean newUser = cloneNamespaces.contains(Namespace.USER);
            if (!newUser && !idMappings.isEmpty()) {
                throw new PlanValidationException("id map", idMappings.get(0).mapLine(),
                        "id maps need a new user namespace");
            }
            if (!newUser) {
                return;
            }
            for (IdMapping.Kind kind : IdMapping.Kind.values()) {
                List<IdMapping> lines = idMappings.stream().filter(m -> m.kind() == kind).toList();
                if (lines.isEmpty()) {
                    throw new PlanValidationException(kind.name().toLowerCase(java.util.Locale.ROOT) + " map", null,
                            "a new user namespace needs at least one line");
                }
                if (lines.size() > MAX_MAP_LINES) {
                    throw new PlanValidationException(kind.name().toLowerCase(java.util.Locale.ROOT) + " map",
                            Integer.toString(lines.size()) + " lines", "the kernel allows " + MAX_MAP_LINES);
                }
                for (int i = 0; i < lines.size(); i++) {
                    for (int j = i + 1; j < lines.size(); j++) {
                        if (lines.get(i).overlaps(lines.get(j))) {
                            throw new PlanValidationException(kind.name().toLowerCase(java.util.Locale.ROOT) + " map",
                                    lines.get(j).mapLine(), "overlaps \"" + lines.get(i).mapLine() + "\"");
                        }
                    }
                }
            }
            ProcessSpec p = process.orElseThrow();
            checkMapped(IdMapping.Kind.UID, p.uid(), "uid");
            checkMapped(IdMapping.Kind.GID, p.gid(), "gid");
            for (long g : p.groups()) {
                checkMapped(IdMapping.Kind.GID, g, "supplementary gid");
            }
        }

        private void checkMapped(IdMapping.Kind kind, long id, String field) {
            boolean mapped = idMappings.stream().anyMatch(m -> m.kind() == kind && m.toHost(id) >= 0);
            if (!mapped) {
                throw new PlanValidationException(field, Long.toString(id), "is not mapped in the user namespace");
            }
        }

        private void checkMountNamespace() {
            if (cloneNamespaces.contains(Namespace.MOUNT) || joins.containsKey(Namespace.MOUNT)) {
                return;
            }
            String what = rootfs.isPresent() ? "rootfs" : !mounts.isEmpty() ? "mount"
                    : !devices.isEmpty() ? "device node" : !symlinks.isEmpty() ? "symlink"
                    : !maskedPaths.isEmpty() ? "masked path" : !readOnlyPaths.isEmpty() ? "read-only path" : null;
            if (what != null) {
                throw new PlanValidationException(what, null,
                        "needs a new or joined mount namespace; it would change the host's mounts");
            }
        }

        private static String utsName(String field, String name) {
            PlanChecks.nonEmpty(field, name);
            if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_HOSTNAME) {
                throw new PlanValidationException(field, name, "longer than " + MAX_HOSTNAME + " bytes");
            }
            return name;
        }
    }
}
