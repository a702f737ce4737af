package org.lxj.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lxj.launcher.Protocol.*;
import static org.lxj.launcher.internal.PlanEncoderTest.all;
import static org.lxj.launcher.internal.PlanEncoderTest.decode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.launcher.AttachPlan;
import org.lxj.launcher.AttachPolicy;
import org.lxj.spi.launch.LandlockRuleset;
import org.lxj.spi.launch.LsmLabel;
import org.lxj.spi.launch.SeccompFilterFlag;
import org.lxj.spi.launch.SeccompNotifyProxy;
import org.lxj.spi.launch.SeccompProgram;

class AttachPolicyCodecTest {
    private static final byte[] FILTER = { 6, 0, 0, 0, 0, 0, (byte) 0xff, 0x7f, 6, 0, 0, 0, 0, 0, 5, 0 };
    private static final LandlockRuleset LANDLOCK = new LandlockRuleset(
            LandlockRuleset.ACCESS_FS_READ_FILE | LandlockRuleset.ACCESS_FS_READ_DIR,
            LandlockRuleset.ACCESS_NET_BIND_TCP, LandlockRuleset.SCOPE_SIGNAL,
            List.of(new LandlockRuleset.PathRule(Path.of("/usr"), LandlockRuleset.ACCESS_FS_READ_FILE)),
            List.of(new LandlockRuleset.PortRule(8080, LandlockRuleset.ACCESS_NET_BIND_TCP)), true);
    /** What an LSM backend (SELinux here; none runs on these hosts) puts into a plan. */
    private static final LsmLabel LABEL = new LsmLabel("selinux", "exec", "system_u:system_r:container_t:s0", false);

    private static AttachPolicy full() {
        return new AttachPolicy(Optional.of(new SeccompProgram(FILTER, EnumSet.of(SeccompFilterFlag.NEW_LISTENER,
                SeccompFilterFlag.SPEC_ALLOW))), Optional.of(SeccompNotifyProxy.parse("unix:/run/p.sock", "c00kie")),
                List.of(LABEL, new LsmLabel("apparmor", "exec", "exec lxj-c1", true)), Optional.of(LANDLOCK), true);
    }

    private static AttachPlan plan() {
        return AttachPlan.of(1234, 99, List.of("sh"), List.of("PATH=/bin"));
    }

    @Test
    void theFileRoundTripsEveryPart() {
        AttachPolicy p = full();
        assertEquals(p, AttachPolicyCodec.decodeFile(AttachPolicyCodec.encodeFile(p)));
        assertEquals(AttachPolicy.NONE, AttachPolicyCodec.decodeFile(AttachPolicyCodec.encodeFile(AttachPolicy.NONE)));
        AttachPolicy plain = new AttachPolicy(Optional.of(new SeccompProgram(FILTER, EnumSet.noneOf(
                SeccompFilterFlag.class))), Optional.empty(), List.of(), Optional.empty(), false);
        AttachPolicy back = AttachPolicyCodec.decodeFile(AttachPolicyCodec.encodeFile(plain));
        assertArrayEquals(FILTER, back.seccomp().orElseThrow().filter());
        assertTrue(back.seccomp().orElseThrow().flags().isEmpty());
    }

    @Test
    void malformedFilesAreRefused() {
        byte[] good = AttachPolicyCodec.encodeFile(full());
        assertThrows(IllegalArgumentException.class, () -> AttachPolicyCodec.decodeFile(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> AttachPolicyCodec.decodeFile(
                java.util.Arrays.copyOf(good, good.length - 3)));
        byte[] otherFormat = good.clone();
        otherFormat[TLV_HEADER_SIZE] = 9;
        assertThrows(IllegalArgumentException.class, () -> AttachPolicyCodec.decodeFile(otherFormat));
        byte[] unknown = java.nio.ByteBuffer.allocate(good.length + 12).order(java.nio.ByteOrder.nativeOrder())
                .put(good).putShort((short) 999).putShort((short) 0).putInt(4).putInt(1).array();
        assertThrows(IllegalArgumentException.class, () -> AttachPolicyCodec.decodeFile(unknown));
    }

    @Test
    void anAttachPlanCarriesInitsConfinement() throws Exception {
        AttachPlan p = plan().withSecurity(full(), Optional.of(Path.of("/run/lxj/abc/c1/monitor.sock")));
        List<PlanEncoderTest.Attr> attrs = decode(PlanEncoder.encode(p, "c1"));
        assertEquals(1, all(attrs, ATTR_NO_NEW_PRIVS).get(0).u32());
        assertArrayEquals(FILTER, all(attrs, ATTR_SECCOMP).get(0).value());
        assertEquals(8 | 4, all(attrs, ATTR_SECCOMP_FLAGS).get(0).u32());
        assertEquals("/run/p.sock", all(attrs, ATTR_SECCOMP_NOTIFY_PROXY).get(0).string());
        assertEquals("c00kie", all(attrs, ATTR_SECCOMP_NOTIFY_COOKIE).get(0).string());
        assertEquals("/run/lxj/abc/c1/monitor.sock", all(attrs, ATTR_ATTACH_MONITOR_SOCK).get(0).string());
        List<PlanEncoderTest.Attr> labels = all(attrs, ATTR_LSM_LABEL);
        assertEquals(2, labels.size());
        List<PlanEncoderTest.Attr> first = decode(labels.get(0).value());
        assertEquals(List.of(LSM_NAME, LSM_ATTR, LSM_VALUE), first.stream().map(PlanEncoderTest.Attr::type).toList());
        assertEquals("selinux", first.get(0).string());
        assertEquals("exec", first.get(1).string());
        assertEquals("system_u:system_r:container_t:s0", first.get(2).string());
        assertEquals(1, all(decode(labels.get(1).value()), LSM_OPTIONAL).get(0).u32());
        List<PlanEncoderTest.Attr> ll = decode(all(attrs, ATTR_LANDLOCK).get(0).value());
        assertEquals(LandlockRuleset.SCOPE_SIGNAL, all(ll, LANDLOCK_SCOPED).get(0).u64());
        assertEquals(1, all(ll, LANDLOCK_PATH_RULE).size());
        assertEquals(1, all(ll, LANDLOCK_PORT_RULE).size());
        // the attach plan's security attributes are the file's, byte for byte
        byte[] file = AttachPolicyCodec.encodeFile(full());
        assertArrayEquals(AttachPolicyCodec.encode(full()), java.util.Arrays.copyOfRange(file, TLV_HEADER_SIZE + 4,
                file.length));
    }

    @Test
    void withoutAPolicyNothingIsSentAndElevatingLsmKeepsOnlyNoNewPrivs() throws Exception {
        List<PlanEncoderTest.Attr> attrs = decode(PlanEncoder.encode(plan(), "c1"));
        for (int type : new int[] { ATTR_NO_NEW_PRIVS, ATTR_SECCOMP, ATTR_SECCOMP_FLAGS, ATTR_LSM_LABEL, ATTR_LANDLOCK,
                ATTR_SECCOMP_NOTIFY_PROXY, ATTR_ATTACH_MONITOR_SOCK }) {
            assertEquals(0, all(attrs, type).size(), "attribute " + type);
        }
        AttachPolicy elevated = full().withoutLsm();
        assertEquals(new AttachPolicy(Optional.empty(), Optional.empty(), List.of(), Optional.empty(), true), elevated);
        List<PlanEncoderTest.Attr> e = decode(PlanEncoder.encode(plan().withSecurity(elevated, Optional.empty()), "c1"));
        assertEquals(1, all(e, ATTR_NO_NEW_PRIVS).size());
        assertEquals(0, all(e, ATTR_SECCOMP).size());
        assertEquals(0, all(e, ATTR_LSM_LABEL).size());
    }

    @Test
    void aNotifyingFilterNeedsTheMonitorSocket() {
        assertThrows(IllegalArgumentException.class, () -> plan().withSecurity(full(), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> plan().withSecurity(full(),
                Optional.of(Path.of("monitor.sock"))));
        assertThrows(IllegalArgumentException.class, () -> new AttachPolicy(full().seccomp(), Optional.empty(),
                List.of(), Optional.empty(), false));
    }

    @Test
    void theRunDirectoryFileIsPrivateAndOptional(@TempDir Path dir) throws IOException {
        assertEquals(Optional.empty(), AttachPolicy.read(dir));
        full().write(dir);
        Path file = dir.resolve(AttachPolicy.FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(Optional.of(full()), AttachPolicy.read(dir));
        AttachPolicy.NONE.write(dir);
        assertEquals(Optional.of(AttachPolicy.NONE), AttachPolicy.read(dir));
        assertFalse(Files.exists(dir.resolve(AttachPolicy.FILE + ".tmp")));
        Files.write(file, new byte[] { 1, 2, 3 });
        IOException e = assertThrows(IOException.class, () -> AttachPolicy.read(dir));
        assertTrue(e.getMessage().startsWith("Malformed attach policy \"" + file + "\""), e.getMessage());
    }
}
