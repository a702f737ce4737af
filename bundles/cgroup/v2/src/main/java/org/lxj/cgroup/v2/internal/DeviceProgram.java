package org.lxj.cgroup.v2.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.lxj.spi.cgroup.CgroupSetting;

/**
 * The cgroup2 device policy of {@code lxc.cgroup2.devices.allow}/{@code deny} as a
 * {@code BPF_PROG_TYPE_CGROUP_DEVICE} program, with LXC's semantics: the rules in order, the first that matches
 * decides; none matching gives the list's default, deny for an allowlist (the default, and after
 * {@code devices.deny = a}), allow for a denylist (after {@code devices.allow = a}). A global {@code a} rule also
 * drops the rules before it; a rule repeated for the same devices and access changes the verdict of the first.
 *
 * @param allowByDefault the verdict when no rule matches
 * @param rules          the local rules in order
 */
record DeviceProgram(boolean allowByDefault, List<DeviceRule> rules) {
    static final int PROG_TYPE_CGROUP_DEVICE = 15;
    static final int ATTACH_CGROUP_DEVICE = 6;
    static final int F_ALLOW_MULTI = 2;
    /** {@code bpf_cgroup_dev_ctx}: {@code access_type} ((access << 16) | type), {@code major}, {@code minor}. */
    static final int CTX_ACCESS_TYPE = 0;
    static final int CTX_MAJOR = 4;
    static final int CTX_MINOR = 8;
    static final int DEV_BLOCK = 1;
    static final int DEV_CHAR = 2;

    // opcodes of the instructions emitted
    static final int LDX_MEM_W = 0x61;
    static final int ALU32_AND_K = 0x54;
    static final int ALU32_RSH_K = 0x74;
    static final int ALU32_MOV_X = 0xbc;
    static final int ALU64_MOV_K = 0xb7;
    static final int JMP_JNE_K = 0x55;
    static final int JMP_JNE_X = 0x5d;
    static final int JMP_EXIT = 0x95;

    DeviceProgram {
        rules = List.copyOf(rules);
    }

    /** Whether {@code settings} hold any cgroup2 device rule (without one, no program is attached, as in LXC). */
    static boolean wanted(List<CgroupSetting> settings) {
        return settings.stream().anyMatch(DeviceProgram::isDeviceRule);
    }

    private static boolean isDeviceRule(CgroupSetting s) {
        return s.version() == 2 && (s.file().equals("devices.allow") || s.file().equals("devices.deny"));
    }

    /**
     * The policy of the cgroup2 device settings, in order.
     *
     * @throws IllegalArgumentException for a malformed rule or a devices file other than allow and deny
     */
    static DeviceProgram of(List<CgroupSetting> settings) {
        boolean allowByDefault = false;
        List<DeviceRule> rules = new ArrayList<>();
        for (CgroupSetting s : settings) {
            if (s.version() != 2 || !s.controller().equals("devices")) {
                continue;
            }
            if (!isDeviceRule(s)) {
                throw new IllegalArgumentException("Invalid cgroup2 device key \"" + s.sourceKey()
                        + "\": expected lxc.cgroup2.devices.allow or lxc.cgroup2.devices.deny");
            }
            DeviceRule r = DeviceRule.parse(s.sourceKey(), s.value(), s.file().equals("devices.allow"));
            if (r.global()) {
                allowByDefault = r.allow();
                rules.clear();
                continue;
            }
            int same = indexOfSame(rules, r);
            if (same >= 0) {
                rules.set(same, r);
            } else {
                rules.add(r);
            }
        }
        return new DeviceProgram(allowByDefault, rules);
    }

    private static int indexOfSame(List<DeviceRule> rules, DeviceRule r) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).sameDevices(r)) {
                return i;
            }
        }
        return -1;
    }

    /** The program's instructions, 8 bytes each in the host's byte order ({@code struct bpf_insn}). */
    byte[] instructions() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // r2 = device type, r3 = access, r4 = major, r5 = minor
        emit(out, LDX_MEM_W, 2, 1, CTX_ACCESS_TYPE, 0);
        emit(out, ALU32_AND_K, 2, 0, 0, 0xFFFF);
        emit(out, LDX_MEM_W, 3, 1, CTX_ACCESS_TYPE, 0);
        emit(out, ALU32_RSH_K, 3, 0, 0, 16);
        emit(out, LDX_MEM_W, 4, 1, CTX_MAJOR, 0);
        emit(out, LDX_MEM_W, 5, 1, CTX_MINOR, 0);
        for (DeviceRule r : rules) {
            rule(out, r);
        }
        emit(out, ALU64_MOV_K, 0, 0, 0, allowByDefault ? 1 : 0);
        emit(out, JMP_EXIT, 0, 0, 0, 0);
        return out.toByteArray();
    }

    /** One rule: its tests, each jumping past the verdict on a mismatch, then the verdict. */
    private static void rule(ByteArrayOutputStream out, DeviceRule r) {
        boolean anyAccess = r.access() == DeviceRule.ALL;
        int type = r.type() == 'b' ? DEV_BLOCK : r.type() == 'c' ? DEV_CHAR : 0;
        int tests = (anyAccess ? 0 : 1) + (type != 0 ? 1 : 0) + (r.major() >= 0 ? 1 : 0) + (r.minor() >= 0 ? 1 : 0);
        // each jump skips the remaining tests and the two verdict instructions
        int left = tests;
        if (!anyAccess) {
            emit(out, ALU32_MOV_X, 1, 3, 0, 0);
            emit(out, ALU32_AND_K, 1, 0, 0, r.access());
            emit(out, JMP_JNE_X, 1, 3, --left + 2, 0);
        }
        if (type != 0) {
            emit(out, JMP_JNE_K, 2, 0, --left + 2, type);
        }
        if (r.major() >= 0) {
            emit(out, JMP_JNE_K, 4, 0, --left + 2, (int) r.major());
        }
        if (r.minor() >= 0) {
            emit(out, JMP_JNE_K, 5, 0, --left + 2, (int) r.minor());
        }
        emit(out, ALU64_MOV_K, 0, 0, 0, r.allow() ? 1 : 0);
        emit(out, JMP_EXIT, 0, 0, 0, 0);
    }

    private static void emit(ByteArrayOutputStream out, int code, int dst, int src, int off, int imm) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        b.put((byte) code);
        // the register byte holds dst in its low nibble on little-endian hosts, src in the high one
        b.put((byte) (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? (src << 4) | dst : (dst << 4) | src));
        b.putShort((short) off);
        b.putInt(imm);
        out.writeBytes(b.array());
    }
}
