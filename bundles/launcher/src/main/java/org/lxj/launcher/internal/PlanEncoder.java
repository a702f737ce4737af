package org.lxj.launcher.internal;

import static org.lxj.launcher.Protocol.*;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import org.lxj.launcher.AttachPlan;
import org.lxj.launcher.AttachPty;
import org.lxj.launcher.LaunchException;
import org.lxj.launcher.LaunchOptions;
import org.lxj.spi.launch.CapabilitySets;
import org.lxj.spi.launch.ConsoleSpec;
import org.lxj.spi.launch.DeviceNode;
import org.lxj.spi.launch.Hook;
import org.lxj.spi.launch.IdMapping;
import org.lxj.spi.launch.LandlockRuleset;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.LsmLabel;
import org.lxj.spi.launch.MountStep;
import org.lxj.spi.launch.Namespace;
import org.lxj.spi.launch.NamespaceJoin;
import org.lxj.spi.launch.ProcWrite;
import org.lxj.spi.launch.ProcessSpec;
import org.lxj.spi.launch.Rlimit;
import org.lxj.spi.launch.SeccompFilterFlag;
import org.lxj.spi.launch.Securebit;
import org.lxj.spi.launch.Symlink;
import org.lxj.spi.launch.TimeOffsets;

/**
 * Encodes an SPI {@link LaunchPlan} (or an {@link AttachPlan}) into the TLV attribute sequence of a PLAN
 * (ATTACH) message, see protocol.h. Every step of the plan is either encoded or refused with a
 * {@link LaunchException} of step {@code unsupported} naming it: nothing is dropped silently.
 */
public final class PlanEncoder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private PlanEncoder() {
    }

    /**
     * @param plan    the plan
     * @param runDir  the run directory
     * @param options the container name and the built-in init flag
     * @return the PLAN payload
     * @throws LaunchException when the plan holds a step the launcher cannot carry out, or is too large
     */
    public static byte[] encode(LaunchPlan plan, Path runDir, LaunchOptions options) throws LaunchException {
        try {
            return encodeChecked(plan, runDir, options);
        } catch (IllegalArgumentException e) {
            throw new LaunchException(STEP_PLAN, 22 /* EINVAL */, "Invalid plan of \"" + options.name() + "\": "
                    + e.getMessage(), e);
        }
    }

    private static byte[] encodeChecked(LaunchPlan plan, Path runDir, LaunchOptions options) throws LaunchException {
        refuseUnsupported(plan);
        PlanEncoder e = new PlanEncoder();
        e.u32(ATTR_VERSION, PROTOCOL_VERSION);
        e.str(ATTR_CONTAINER_ID, options.name());
        e.str(ATTR_RUN_DIR, runDir.toAbsolutePath().toString());
        if (plan.cloneFlags() != 0) {
            e.u64(ATTR_CLONE_FLAGS, plan.cloneFlags());
        }
        if (plan.cloneNamespaces().contains(Namespace.TIME) && plan.timeOffsets().isPresent()) {
            TimeOffsets t = plan.timeOffsets().get();
            e.offset(ATTR_TIME_MONOTONIC, t.monotonic());
            e.offset(ATTR_TIME_BOOTTIME, t.boottime());
        }
        if (options.pdeathSignal() != LaunchOptions.SIGKILL) {
            e.u32(ATTR_PDEATH_SIGNAL, options.pdeathSignal());
        }
        for (NamespaceJoin j : joinOrder(plan.joins())) {
            PlanEncoder n = new PlanEncoder();
            n.u64(JOIN_NS, j.namespace().cloneFlag());
            if (j.path().isPresent()) {
                n.str(JOIN_PATH, j.path().get().toString());
            } else {
                n.u32(JOIN_PID, j.pid());
            }
            e.raw(ATTR_JOIN, n.bytes());
        }
        if (plan.cloneNamespaces().contains(Namespace.USER)) {
            e.str(ATTR_UID_MAP, mapText(plan.idMappings(), IdMapping.Kind.UID));
            e.str(ATTR_GID_MAP, mapText(plan.idMappings(), IdMapping.Kind.GID));
            if (!plan.setgroupsAllowed()) {
                e.u32(ATTR_SETGROUPS_DENY, 1);
            }
        }
        plan.cgroup().cloneInto().ifPresent(p -> e.str(ATTR_CGROUP_PATH, p.toString()));
        plan.cgroup().procsFiles().forEach(p -> e.str(ATTR_CGROUP_PROCS, p.toString()));
        if (plan.rootfs().isPresent()) {
            var r = plan.rootfs().get();
            e.str(ATTR_ROOTFS, r.path().toString());
            r.propagation().ifPresent(p -> e.u64(ATTR_ROOTFS_PROPAGATION, p.flags()));
            if (r.noPivot()) {
                e.u32(ATTR_NO_PIVOT, 1);
            }
            if (r.readOnly()) {
                e.u32(ATTR_ROOTFS_READONLY, 1);
            }
        }
        for (MountStep m : plan.mounts()) {
            e.raw(ATTR_MOUNT, mount(m));
        }
        for (DeviceNode d : plan.devices()) {
            PlanEncoder n = new PlanEncoder();
            n.str(DEV_PATH, d.path().toString());
            n.u32(DEV_TYPE, d.type().letter());
            n.u32(DEV_MAJOR, d.major());
            n.u32(DEV_MINOR, d.minor());
            n.u32(DEV_MODE, d.mode());
            n.u32(DEV_UID, (int) d.uid());
            n.u32(DEV_GID, (int) d.gid());
            if (d.bindFromHost()) {
                n.u32(DEV_BIND, 1);
            }
            e.raw(ATTR_DEVICE, n.bytes());
        }
        for (Symlink s : plan.symlinks()) {
            PlanEncoder n = new PlanEncoder();
            n.str(LINK_PATH, s.link().toString());
            n.str(LINK_TARGET, s.target());
            e.raw(ATTR_SYMLINK, n.bytes());
        }
        plan.maskedPaths().forEach(p -> e.str(ATTR_MASKED_PATH, p.toString()));
        plan.readOnlyPaths().forEach(p -> e.str(ATTR_READONLY_PATH, p.toString()));
        plan.hostname().ifPresent(h -> e.str(ATTR_HOSTNAME, h));
        plan.domainname().ifPresent(h -> e.str(ATTR_DOMAINNAME, h));
        for (ProcWrite w : plan.procWrites()) {
            PlanEncoder n = new PlanEncoder();
            n.str(PROC_FILE, w.file());
            n.str(PROC_VALUE, w.value());
            e.raw(ATTR_PROC_WRITE, n.bytes());
        }
        for (Rlimit r : plan.rlimits()) {
            PlanEncoder n = new PlanEncoder();
            n.u32(RLIMIT_RESOURCE, r.resource().number());
            n.u64(RLIMIT_SOFT, r.soft());
            n.u64(RLIMIT_HARD, r.hard());
            e.raw(ATTR_RLIMIT, n.bytes());
        }
        plan.personality().ifPresent(p -> e.u32(ATTR_PERSONALITY, p));
        if (plan.newSessionKeyring()) {
            e.u32(ATTR_SESSION_KEYRING, 1);
        }
        plan.capabilities().ifPresent(c -> e.caps(c));
        if (!plan.securebits().isEmpty()) {
            e.u32(ATTR_SECUREBITS, Securebit.mask(plan.securebits()));
        }
        if (plan.noNewPrivileges()) {
            e.u32(ATTR_NO_NEW_PRIVS, 1);
        }
        for (LsmLabel l : plan.lsmLabels()) {
            PlanEncoder n = new PlanEncoder();
            n.str(LSM_NAME, l.lsm());
            n.str(LSM_ATTR, l.attribute());
            n.str(LSM_VALUE, l.value());
            if (l.optional()) {
                n.u32(LSM_OPTIONAL, 1);
            }
            e.raw(ATTR_LSM_LABEL, n.bytes());
        }
        plan.landlock().ifPresent(l -> e.raw(ATTR_LANDLOCK, landlock(l)));
        if (plan.seccomp().isPresent()) {
            e.raw(ATTR_SECCOMP, plan.seccomp().get().filter());
            int flags = SeccompFilterFlag.mask(plan.seccomp().get().flags());
            if (flags != 0) {
                e.u32(ATTR_SECCOMP_FLAGS, flags);
            }
        }
        plan.seccompNotifyProxy().ifPresent(n -> {
            e.str(ATTR_SECCOMP_NOTIFY_PROXY, n.address());
            n.cookie().ifPresent(c -> e.str(ATTR_SECCOMP_NOTIFY_COOKIE, c));
        });
        for (Hook h : plan.hooks()) {
            e.raw(ATTR_HOOK, hook(h));
        }
        if (plan.console().console() != ConsoleSpec.Console.INHERIT) {
            e.raw(ATTR_CONSOLE, console(plan.console(), plan));
        }
        e.process(plan.process());
        if (options.builtinInit()) {
            e.u32(ATTR_BUILTIN_INIT, 1);
        }
        return e.finish(options.name());
    }

    /**
     * @param plan the attach plan
     * @param name the container's name, for messages
     * @return the ATTACH payload
     * @throws LaunchException when the plan is too large
     */
    public static byte[] encode(AttachPlan plan, String name) throws LaunchException {
        try {
            return encodeChecked(plan, name);
        } catch (IllegalArgumentException e) {
            throw new LaunchException(STEP_PLAN, 22 /* EINVAL */, "Invalid attach plan for " + name + ": "
                    + e.getMessage(), e);
        }
    }

    private static byte[] encodeChecked(AttachPlan plan, String name) throws LaunchException {
        PlanEncoder e = new PlanEncoder();
        e.u32(ATTR_VERSION, PROTOCOL_VERSION);
        e.str(ATTR_CONTAINER_ID, name);
        e.u32(ATTR_ATTACH_PID, plan.initPid());
        e.u64(ATTR_ATTACH_START_TIME, plan.initStartTime());
        e.u64(ATTR_ATTACH_NAMESPACES, Namespace.cloneFlags(plan.namespaces()));
        plan.cgroups().forEach(c -> e.str(ATTR_ATTACH_CGROUP, c.toString()));
        if (plan.remountSys()) {
            e.u32(ATTR_REMOUNT_SYS, 1);
        }
        plan.pty().ifPresent(t -> e.raw(ATTR_ATTACH_PTY, attachPty(t)));
        if (!plan.keepCapabilities()) {
            plan.capabilities().ifPresent(c -> e.caps(c));
        }
        // init's confinement: the launcher applies it in init's order after joining (lxc-attach)
        e.out.writeBytes(AttachPolicyCodec.encode(plan.security()));
        if (plan.security().seccomp().map(org.lxj.spi.launch.SeccompProgram::notifies).orElse(false)) {
            e.str(ATTR_ATTACH_MONITOR_SOCK, plan.monitorSocket().orElseThrow(() -> new IllegalArgumentException(
                    "a notifying seccomp filter needs the monitor's socket")).toString());
        }
        e.u32(ATTR_UID, (int) plan.uid());
        e.u32(ATTR_GID, (int) plan.gid());
        plan.groups().forEach(g -> e.u32(ATTR_GROUP, g.intValue()));
        e.str(ATTR_CWD, plan.cwd().toString());
        plan.argv().forEach(a -> e.str(ATTR_ARG, a));
        plan.env().forEach(v -> e.str(ATTR_ENV, v));
        return e.finish(name);
    }

    private byte[] finish(String name) throws LaunchException {
        byte[] bytes = out.toByteArray();
        if (bytes.length + TLV_HEADER_SIZE > MAX_MESSAGE) {
            throw new LaunchException(STEP_PLAN, 7 /* E2BIG */, "Plan of \"" + name + "\" is " + bytes.length
                    + " bytes, more than the launcher accepts (" + MAX_MESSAGE + ")");
        }
        return bytes;
    }

    /** Steps the C side cannot carry out yet fail the launch here, by name. */
    static void refuseUnsupported(LaunchPlan plan) throws LaunchException {
        for (Hook h : plan.hooks()) {
            if (hookStage(h.stage()) == 0) {
                throw new LaunchException(STEP_UNSUPPORTED, 95 /* EOPNOTSUPP */, "The launcher does not run host "
                        + "hooks: \"lxc.hook." + h.stage().key() + "\" is run by the runtime around the launch");
            }
        }
        for (ProcWrite w : plan.procWrites()) {
            if (!w.file().startsWith("sys/") && !w.file().startsWith("self/")) {
                throw unsupported("write to \"/proc/" + w.file() + "\" (only /proc/sys and /proc/self)");
            }
        }
        ConsoleSpec c = plan.console();
        if (c.console() == ConsoleSpec.Console.INHERIT && (c.ttys() > 0 || c.logFile().isPresent()
                || c.bufferSize() > 0)) {
            throw unsupported("ttys, console log or ring buffer with an inherited console (use ConsoleSpec.Console.PTY"
                    + " or NONE)");
        }
        for (MountStep m : plan.mounts()) {
            if (m.flags().contains(org.lxj.spi.launch.MountFlag.MOVE)) {
                throw unsupported("move mount onto \"" + m.target() + "\"");
            }
        }
    }

    /** The launcher's stage of a hook, 0 for the host stages the runtime runs itself. */
    static int hookStage(Hook.Stage stage) {
        return switch (stage) {
            case PRE_MOUNT -> HOOK_PRE_MOUNT;
            case MOUNT -> HOOK_MOUNT;
            case AUTODEV -> HOOK_AUTODEV;
            case START -> HOOK_START;
            case STOP -> HOOK_STOP;
            case PRE_START, START_HOST, POST_STOP -> 0;
        };
    }

    /**
     * The console and ttys; {@code ptyMax} is not here: it is an option of the container's devpts mount. The
     * slaves go to the host ids of the container's root when a user namespace maps it.
     */
    private static byte[] console(ConsoleSpec c, LaunchPlan plan) {
        PlanEncoder n = new PlanEncoder();
        boolean pty = c.console() == ConsoleSpec.Console.PTY;
        n.u32(CONSOLE_MODE, pty ? CONSOLE_MODE_PTY : CONSOLE_MODE_NONE);
        if (c.ttys() > 0) {
            n.u32(CONSOLE_TTYS, c.ttys());
        }
        if (!c.ttyDir().isEmpty()) {
            n.str(CONSOLE_TTY_DIR, c.ttyDir());
        }
        if (pty) {
            if (c.logFile().isPresent()) {
                n.str(CONSOLE_LOG_FILE, c.logFile().get().toString());
                if (c.logSize() > 0) {
                    n.u64(CONSOLE_LOG_SIZE, c.logSize());
                }
                if (c.logRotate()) {
                    n.u32(CONSOLE_LOG_ROTATE, 1);
                }
            }
            if (c.bufferSize() > 0) {
                n.u32(CONSOLE_BUFFER_SIZE, c.bufferSize());
            }
            if (c.rows() > 0) {
                n.u32(CONSOLE_ROWS, c.rows());
            }
            if (c.columns() > 0) {
                n.u32(CONSOLE_COLS, c.columns());
            }
        } else if (c.logFile().isPresent() || c.bufferSize() > 0) {
            throw new IllegalArgumentException("a console log or ring buffer needs a console (lxc.console.path is none)");
        }
        if (plan.cloneNamespaces().contains(Namespace.USER)) {
            long uid = rootOnHost(plan.idMappings(), IdMapping.Kind.UID);
            long gid = rootOnHost(plan.idMappings(), IdMapping.Kind.GID);
            if (uid >= 0 && gid >= 0) {
                n.u32(CONSOLE_UID, (int) uid);
                n.u32(CONSOLE_GID, (int) gid);
            }
        }
        return n.bytes();
    }

    private static long rootOnHost(List<IdMapping> mappings, IdMapping.Kind kind) {
        return mappings.stream().filter(m -> m.kind() == kind).mapToLong(m -> m.toHost(0)).filter(h -> h >= 0)
                .findFirst().orElse(-1);
    }

    /** A stop hook of {@code lxc.hook.version} 1 gets its namespace references as variables, else as arguments. */
    private static byte[] hook(Hook h) {
        PlanEncoder n = new PlanEncoder();
        n.u32(HOOK_STAGE, hookStage(h.stage()));
        h.argv().forEach(a -> n.str(HOOK_ARG, a));
        h.env().forEach(v -> n.str(HOOK_ENV, v));
        if (h.stage() == Hook.Stage.STOP && h.env().contains("LXC_HOOK_VERSION=1")) {
            n.u32(HOOK_NS_ENV, 1);
        }
        return n.bytes();
    }

    /** One LSM attribute write, as nested in {@code ATTR_LSM_LABEL}. */
    static byte[] lsmLabel(LsmLabel l) {
        PlanEncoder n = new PlanEncoder();
        n.str(LSM_NAME, l.lsm());
        n.str(LSM_ATTR, l.attribute());
        n.str(LSM_VALUE, l.value());
        if (l.optional()) {
            n.u32(LSM_OPTIONAL, 1);
        }
        return n.bytes();
    }

    /** The std fds the slave replaces, the host log, the size when the caller has no terminal. */
    private static byte[] attachPty(AttachPty t) {
        PlanEncoder n = new PlanEncoder();
        n.u32(APTY_FDS, t.mask());
        t.log().ifPresent(l -> n.str(APTY_LOG, l.toString()));
        if (t.rows() > 0) {
            n.u32(APTY_ROWS, t.rows());
            n.u32(APTY_COLS, t.columns());
        }
        return n.bytes();
    }

    /** The ruleset: handled rights and scopes, then path rules (u64 rights + path) and port rules (port, rights). */
    static byte[] landlock(LandlockRuleset l) {
        PlanEncoder n = new PlanEncoder();
        if (l.handledFs() != 0) {
            n.u64(LANDLOCK_HANDLED_FS, l.handledFs());
        }
        if (l.handledNet() != 0) {
            n.u64(LANDLOCK_HANDLED_NET, l.handledNet());
        }
        if (l.scoped() != 0) {
            n.u64(LANDLOCK_SCOPED, l.scoped());
        }
        for (LandlockRuleset.PathRule r : l.pathRules()) {
            byte[] path = cString(r.path().toString(), LANDLOCK_PATH_RULE);
            n.raw(LANDLOCK_PATH_RULE, le(8 + path.length).putLong(r.allowed()).put(path).array());
        }
        for (LandlockRuleset.PortRule r : l.portRules()) {
            n.raw(LANDLOCK_PORT_RULE, le(16).putLong(r.port()).putLong(r.allowed()).array());
        }
        if (l.bestEffort()) {
            n.u32(LANDLOCK_BEST_EFFORT, 1);
        }
        return n.bytes();
    }

    private void offset(int type, Duration d) {
        raw(type, le(16).putLong(d.getSeconds()).putLong(d.getNano()).array());
    }

    private static LaunchException unsupported(String what) {
        return new LaunchException(STEP_UNSUPPORTED, 95 /* EOPNOTSUPP */,
                "The launcher cannot carry out the plan's " + what + " yet");
    }

    private static List<NamespaceJoin> joinOrder(List<NamespaceJoin> joins) {
        return joins.stream().sorted(Comparator.comparing(j -> j.namespace() == Namespace.USER ? 0 : 1))
                .collect(Collectors.toList());
    }

    private static String mapText(List<IdMapping> mappings, IdMapping.Kind kind) {
        return mappings.stream().filter(m -> m.kind() == kind).map(m -> m.mapLine() + "\n")
                .collect(Collectors.joining());
    }

    private void process(ProcessSpec p) {
        u32(ATTR_UID, (int) p.uid());
        u32(ATTR_GID, (int) p.gid());
        p.groups().forEach(g -> u32(ATTR_GROUP, g.intValue()));
        p.umask().ifPresent(m -> u32(ATTR_UMASK, m));
        str(ATTR_CWD, p.cwd().toString());
        p.argv().forEach(a -> str(ATTR_ARG, a));
        p.env().forEach(v -> str(ATTR_ENV, v));
    }

    private void caps(CapabilitySets c) {
        ByteBuffer b = le(40);
        b.putLong(c.bounding()).putLong(c.effective()).putLong(c.permitted()).putLong(c.inheritable())
                .putLong(c.ambient());
        raw(ATTR_CAPS, b.array());
    }

    private static byte[] mount(MountStep m) {
        PlanEncoder n = new PlanEncoder();
        if (!m.source().isEmpty()) {
            n.str(MOUNT_SOURCE, m.source());
        }
        n.str(MOUNT_TARGET, m.target().toString());
        if (!m.fstype().isEmpty()) {
            n.str(MOUNT_FSTYPE, m.fstype());
        }
        if (m.flagMask() != 0) {
            n.u64(MOUNT_FLAGS, m.flagMask());
        }
        if (!m.data().isEmpty()) {
            n.str(MOUNT_DATA, m.data());
        }
        int create = switch (m.create()) {
            case NONE -> CREATE_NONE;
            case DIR -> CREATE_DIR;
            case FILE -> CREATE_FILE;
        };
        if (create != CREATE_NONE) {
            n.u32(MOUNT_CREATE, create);
        }
        if (m.optional()) {
            n.u32(MOUNT_OPTIONAL, 1);
        }
        m.propagation().ifPresent(p -> n.u64(MOUNT_PROPAGATION, p.flags()));
        if (m.relative()) {
            n.u32(MOUNT_RELATIVE, 1);
        }
        return n.bytes();
    }

    /**
     * One frame: {@code u16 type, u16 flags, u32 len, payload} in host (little-endian) order.
     *
     * @param type    the message or attribute type
     * @param payload the payload
     * @return the frame bytes
     */
    public static byte[] frame(int type, byte[] payload) {
        ByteBuffer b = le(TLV_HEADER_SIZE + payload.length);
        b.putShort((short) type).putShort((short) 0).putInt(payload.length).put(payload);
        return b.array();
    }

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }

    private byte[] bytes() {
        return out.toByteArray();
    }

    private void raw(int type, byte[] payload) {
        out.writeBytes(frame(type, payload));
    }

    private void u32(int type, int v) {
        raw(type, le(4).putInt(v).array());
    }

    private void u64(int type, long v) {
        raw(type, le(8).putLong(v).array());
    }

    private void str(int type, String s) {
        raw(type, cString(s, type));
    }

    private static byte[] cString(String s, int type) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (byte x : b) {
            if (x == 0) {
                throw new IllegalArgumentException("String attribute " + type + " contains NUL: \"" + s + "\"");
            }
        }
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return z;
    }
}
