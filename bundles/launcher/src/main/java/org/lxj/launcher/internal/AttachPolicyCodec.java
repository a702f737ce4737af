package org.lxj.launcher.internal;

import static org.lxj.launcher.Protocol.*;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.lxj.launcher.AttachPolicy;
import org.lxj.spi.launch.LandlockRuleset;
import org.lxj.spi.launch.LsmLabel;
import org.lxj.spi.launch.SeccompFilterFlag;
import org.lxj.spi.launch.SeccompNotifyProxy;
import org.lxj.spi.launch.SeccompProgram;

/**
 * The attach policy as plan attributes: the same TLV attributes (NO_NEW_PRIVS, LSM_LABEL, LANDLOCK, SECCOMP,
 * SECCOMP_FLAGS, SECCOMP_NOTIFY_*) go into an ATTACH message and, after a VERSION attribute holding
 * {@link #FORMAT}, into the run directory's {@code attach-policy} file.
 */
public final class AttachPolicyCodec {
    /** The file format's version. */
    static final int FORMAT = 1;

    private AttachPolicyCodec() {
    }

    /**
     * @param p the policy
     * @return its attributes, as an attach plan carries them
     */
    public static byte[] encode(AttachPolicy p) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (p.noNewPrivileges()) {
            out.writeBytes(PlanEncoder.frame(ATTR_NO_NEW_PRIVS, u32(1)));
        }
        for (LsmLabel l : p.lsmLabels()) {
            out.writeBytes(PlanEncoder.frame(ATTR_LSM_LABEL, PlanEncoder.lsmLabel(l)));
        }
        p.landlock().ifPresent(l -> out.writeBytes(PlanEncoder.frame(ATTR_LANDLOCK, PlanEncoder.landlock(l))));
        p.seccomp().ifPresent(s -> {
            out.writeBytes(PlanEncoder.frame(ATTR_SECCOMP, s.filter()));
            int flags = SeccompFilterFlag.mask(s.flags());
            if (flags != 0) {
                out.writeBytes(PlanEncoder.frame(ATTR_SECCOMP_FLAGS, u32(flags)));
            }
        });
        p.notifyProxy().ifPresent(n -> {
            out.writeBytes(PlanEncoder.frame(ATTR_SECCOMP_NOTIFY_PROXY, cString(n.address())));
            n.cookie().ifPresent(c -> out.writeBytes(PlanEncoder.frame(ATTR_SECCOMP_NOTIFY_COOKIE, cString(c))));
        });
        return out.toByteArray();
    }

    /**
     * @param p the policy
     * @return the file's bytes: VERSION {@link #FORMAT}, then the attributes
     */
    public static byte[] encodeFile(AttachPolicy p) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PlanEncoder.frame(ATTR_VERSION, u32(FORMAT)));
        out.writeBytes(encode(p));
        return out.toByteArray();
    }

    /**
     * @param file the file's bytes
     * @return the policy
     * @throws IllegalArgumentException when the bytes are not a policy of this format
     */
    public static AttachPolicy decodeFile(byte[] file) {
        List<Attr> attrs = attrs(file);
        if (attrs.isEmpty() || attrs.get(0).type != ATTR_VERSION || u32(attrs.get(0)) != FORMAT) {
            throw new IllegalArgumentException("not an attach policy of format " + FORMAT);
        }
        boolean nnp = false;
        List<LsmLabel> labels = new ArrayList<>();
        Optional<LandlockRuleset> landlock = Optional.empty();
        byte[] filter = null;
        int flags = 0;
        String proxy = null;
        Optional<String> cookie = Optional.empty();
        for (Attr a : attrs.subList(1, attrs.size())) {
            switch (a.type) {
                case ATTR_NO_NEW_PRIVS -> nnp = u32(a) != 0;
                case ATTR_LSM_LABEL -> labels.add(lsmLabel(a.payload));
                case ATTR_LANDLOCK -> landlock = Optional.of(landlock(a.payload));
                case ATTR_SECCOMP -> filter = a.payload;
                case ATTR_SECCOMP_FLAGS -> flags = u32(a);
                case ATTR_SECCOMP_NOTIFY_PROXY -> proxy = string(a);
                case ATTR_SECCOMP_NOTIFY_COOKIE -> cookie = Optional.of(string(a));
                default -> throw new IllegalArgumentException("unknown attribute " + a.type);
            }
        }
        Optional<SeccompProgram> seccomp = filter == null ? Optional.empty()
                : Optional.of(new SeccompProgram(filter, flagSet(flags)));
        Optional<SeccompNotifyProxy> notify = proxy == null ? Optional.empty()
                : Optional.of(new SeccompNotifyProxy(proxy, cookie));
        return new AttachPolicy(seccomp, notify, labels, landlock, nnp);
    }

    private static Set<SeccompFilterFlag> flagSet(int mask) {
        Set<SeccompFilterFlag> out = EnumSet.noneOf(SeccompFilterFlag.class);
        int left = mask;
        for (SeccompFilterFlag f : SeccompFilterFlag.values()) {
            if ((mask & f.value()) != 0) {
                out.add(f);
                left &= ~f.value();
            }
        }
        if (left != 0) {
            throw new IllegalArgumentException("unknown seccomp flags 0x" + Integer.toHexString(left));
        }
        return out;
    }

    private static LsmLabel lsmLabel(byte[] nested) {
        String lsm = null, attr = null, value = null;
        boolean optional = false;
        for (Attr a : attrs(nested)) {
            switch (a.type) {
                case LSM_NAME -> lsm = string(a);
                case LSM_ATTR -> attr = string(a);
                case LSM_VALUE -> value = string(a);
                case LSM_OPTIONAL -> optional = u32(a) != 0;
                default -> throw new IllegalArgumentException("unknown LSM label attribute " + a.type);
            }
        }
        return new LsmLabel(lsm, attr, value, optional);
    }

    private static LandlockRuleset landlock(byte[] nested) {
        long fs = 0, net = 0, scoped = 0;
        boolean bestEffort = false;
        List<LandlockRuleset.PathRule> paths = new ArrayList<>();
        List<LandlockRuleset.PortRule> ports = new ArrayList<>();
        for (Attr a : attrs(nested)) {
            ByteBuffer b = ByteBuffer.wrap(a.payload).order(ByteOrder.nativeOrder());
            switch (a.type) {
                case LANDLOCK_HANDLED_FS -> fs = u64(a);
                case LANDLOCK_HANDLED_NET -> net = u64(a);
                case LANDLOCK_SCOPED -> scoped = u64(a);
                case LANDLOCK_BEST_EFFORT -> bestEffort = u32(a) != 0;
                case LANDLOCK_PATH_RULE -> {
                    if (a.payload.length < 10 || a.payload[a.payload.length - 1] != 0) {
                        throw new IllegalArgumentException("malformed Landlock path rule");
                    }
                    long allowed = b.getLong();
                    paths.add(new LandlockRuleset.PathRule(Path.of(new String(a.payload, 8, a.payload.length - 9,
                            StandardCharsets.UTF_8)), allowed));
                }
                case LANDLOCK_PORT_RULE -> {
                    if (a.payload.length != 16) {
                        throw new IllegalArgumentException("malformed Landlock port rule");
                    }
                    long port = b.getLong();
                    ports.add(new LandlockRuleset.PortRule((int) port, b.getLong()));
                }
                default -> throw new IllegalArgumentException("unknown Landlock attribute " + a.type);
            }
        }
        return new LandlockRuleset(fs, net, scoped, paths, ports, bestEffort);
    }

    private record Attr(int type, byte[] payload) {
    }

    private static List<Attr> attrs(byte[] bytes) {
        List<Attr> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        while (b.hasRemaining()) {
            if (b.remaining() < TLV_HEADER_SIZE) {
                throw new IllegalArgumentException("truncated attribute header");
            }
            int type = Short.toUnsignedInt(b.getShort());
            b.getShort();
            int len = b.getInt();
            if (len < 0 || len > b.remaining()) {
                throw new IllegalArgumentException("attribute " + type + " of " + len + " bytes is truncated");
            }
            int at = b.position();
            out.add(new Attr(type, Arrays.copyOfRange(bytes, at, at + len)));
            b.position(at + len);
        }
        return out;
    }

    private static int u32(Attr a) {
        if (a.payload.length != 4) {
            throw new IllegalArgumentException("attribute " + a.type + " is not a u32");
        }
        return ByteBuffer.wrap(a.payload).order(ByteOrder.nativeOrder()).getInt();
    }

    private static long u64(Attr a) {
        if (a.payload.length != 8) {
            throw new IllegalArgumentException("attribute " + a.type + " is not a u64");
        }
        return ByteBuffer.wrap(a.payload).order(ByteOrder.nativeOrder()).getLong();
    }

    private static String string(Attr a) {
        if (a.payload.length == 0 || a.payload[a.payload.length - 1] != 0) {
            throw new IllegalArgumentException("attribute " + a.type + " is not a string");
        }
        return new String(a.payload, 0, a.payload.length - 1, StandardCharsets.UTF_8);
    }

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    private static byte[] cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(b, b.length + 1);
    }
}
