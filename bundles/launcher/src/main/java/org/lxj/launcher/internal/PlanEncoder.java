package org.lxj.launcher.internal;

import static org.lxj.launcher.Protocol.*;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.lxj.launcher.LaunchPlan;

/** Encodes a {@link LaunchPlan} into the TLV attribute sequence of a PLAN message (see protocol.h). */
public final class PlanEncoder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private PlanEncoder() {
    }

    /**
     * @param plan   the plan
     * @param runDir the run directory
     * @return the PLAN payload
     * @throws IllegalArgumentException when the plan exceeds {@code MAX_MESSAGE} or a string holds NUL
     */
    public static byte[] encode(LaunchPlan plan, Path runDir) {
        PlanEncoder e = new PlanEncoder();
        e.u32(ATTR_VERSION, PROTOCOL_VERSION);
        e.str(ATTR_CONTAINER_ID, plan.containerId());
        e.str(ATTR_RUN_DIR, runDir.toAbsolutePath().toString());
        e.str(ATTR_ROOTFS, plan.rootfs().toString());
        if (plan.cloneFlags() != 0) {
            e.u64(ATTR_CLONE_FLAGS, plan.cloneFlags());
        }
        e.optStr(ATTR_UID_MAP, plan.uidMap());
        e.optStr(ATTR_GID_MAP, plan.gidMap());
        if (plan.setgroupsDeny()) {
            e.u32(ATTR_SETGROUPS_DENY, 1);
        }
        if (plan.cgroupPath() != null) {
            e.str(ATTR_CGROUP_PATH, plan.cgroupPath().toString());
        }
        for (LaunchPlan.Mount m : plan.mounts()) {
            e.nested(ATTR_MOUNT, mount(m));
        }
        if (plan.noPivot()) {
            e.u32(ATTR_NO_PIVOT, 1);
        }
        plan.maskedPaths().forEach(p -> e.str(ATTR_MASKED_PATH, p));
        plan.readonlyPaths().forEach(p -> e.str(ATTR_READONLY_PATH, p));
        e.optStr(ATTR_HOSTNAME, plan.hostname());
        for (LaunchPlan.Rlimit r : plan.rlimits()) {
            PlanEncoder n = new PlanEncoder();
            n.u32(RLIMIT_RESOURCE, r.resource());
            n.u64(RLIMIT_SOFT, r.soft());
            n.u64(RLIMIT_HARD, r.hard());
            e.nested(ATTR_RLIMIT, n.out.toByteArray());
        }
        if (plan.capabilities() != null) {
            LaunchPlan.Capabilities c = plan.capabilities();
            ByteBuffer b = le(40);
            b.putLong(c.bounding()).putLong(c.effective()).putLong(c.permitted()).putLong(c.inheritable())
                    .putLong(c.ambient());
            e.raw(ATTR_CAPS, b.array());
        }
        if (plan.noNewPrivs()) {
            e.u32(ATTR_NO_NEW_PRIVS, 1);
        }
        if (plan.uid() != null) {
            e.u32(ATTR_UID, plan.uid());
        }
        if (plan.gid() != null) {
            e.u32(ATTR_GID, plan.gid());
        }
        e.optStr(ATTR_CWD, plan.cwd());
        plan.argv().forEach(a -> e.str(ATTR_ARG, a));
        plan.env().forEach(v -> e.str(ATTR_ENV, v));
        if (plan.builtinInit()) {
            e.u32(ATTR_BUILTIN_INIT, 1);
        }
        byte[] bytes = e.out.toByteArray();
        if (bytes.length + TLV_HEADER_SIZE > MAX_MESSAGE) {
            throw new IllegalArgumentException("Plan of \"" + plan.containerId() + "\" is " + bytes.length
                    + " bytes, more than the launcher accepts (" + MAX_MESSAGE + ")");
        }
        return bytes;
    }

    private static byte[] mount(LaunchPlan.Mount m) {
        PlanEncoder n = new PlanEncoder();
        n.optStr(MOUNT_SOURCE, m.source());
        n.str(MOUNT_TARGET, m.target());
        n.optStr(MOUNT_FSTYPE, m.fstype());
        if (m.flags() != 0) {
            n.u64(MOUNT_FLAGS, m.flags());
        }
        n.optStr(MOUNT_DATA, m.data());
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
        if (m.device() != null) {
            n.raw(MOUNT_DEVICE, le(8).putInt(m.device()[0]).putInt(m.device()[1]).array());
        }
        return n.out.toByteArray();
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

    private void raw(int type, byte[] payload) {
        out.writeBytes(frame(type, payload));
    }

    private void nested(int type, byte[] payload) {
        raw(type, payload);
    }

    private void u32(int type, int v) {
        raw(type, le(4).putInt(v).array());
    }

    private void u64(int type, long v) {
        raw(type, le(8).putLong(v).array());
    }

    private void str(int type, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (byte x : b) {
            if (x == 0) {
                throw new IllegalArgumentException("String attribute " + type + " contains NUL: \"" + s + "\"");
            }
        }
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        raw(type, z);
    }

    private void optStr(int type, String s) {
        if (s != null) {
            str(type, s);
        }
    }
}
