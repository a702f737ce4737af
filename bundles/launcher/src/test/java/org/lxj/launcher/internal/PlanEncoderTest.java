package org.lxj.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.lxj.launcher.Protocol.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lxj.launcher.LaunchPlan;

class PlanEncoderTest {
    record Attr(int type, int flags, byte[] value) {
        String string() {
            return new String(value, 0, value.length - 1, StandardCharsets.UTF_8);
        }
    }

    static List<Attr> decode(byte[] bytes) {
        ByteBuffer b = PlanEncoder.le(bytes.length).put(bytes).flip();
        List<Attr> out = new ArrayList<>();
        while (b.hasRemaining()) {
            int type = Short.toUnsignedInt(b.getShort());
            int flags = Short.toUnsignedInt(b.getShort());
            byte[] v = new byte[b.getInt()];
            b.get(v);
            out.add(new Attr(type, flags, v));
        }
        return out;
    }

    @Test
    void versionComesFirstAndStringsAreNulTerminated() {
        LaunchPlan plan = LaunchPlan.builder("c1", Path.of("/r"), List.of("/bin/sh", "-c", "true")).env("PATH=/bin").build();
        List<Attr> attrs = decode(PlanEncoder.encode(plan, Path.of("/run/lxj/c1")));
        assertEquals(ATTR_VERSION, attrs.get(0).type());
        assertEquals(PROTOCOL_VERSION, PlanEncoder.le(4).put(attrs.get(0).value()).flip().getInt());
        List<String> args = attrs.stream().filter(a -> a.type() == ATTR_ARG).map(Attr::string).toList();
        assertEquals(List.of("/bin/sh", "-c", "true"), args);
        Attr rootfs = attrs.stream().filter(a -> a.type() == ATTR_ROOTFS).findFirst().orElseThrow();
        assertArrayEquals("/r\0".getBytes(StandardCharsets.UTF_8), rootfs.value());
        assertEquals("/run/lxj/c1",
                attrs.stream().filter(a -> a.type() == ATTR_RUN_DIR).findFirst().orElseThrow().string());
    }

    @Test
    void mountsAreNestedAttributes() {
        LaunchPlan plan = LaunchPlan.builder("c1", Path.of("/r"), List.of("/bin/true"))
                .mount(new LaunchPlan.Mount("/dev/null", "/dev/null", null, LaunchPlan.Mount.MS_BIND, null,
                        LaunchPlan.Mount.Create.FILE, false, new int[] { 1, 3 }))
                .build();
        Attr mount = decode(PlanEncoder.encode(plan, Path.of("/run/x"))).stream()
                .filter(a -> a.type() == ATTR_MOUNT).findFirst().orElseThrow();
        List<Attr> inner = decode(mount.value());
        assertEquals(List.of(MOUNT_SOURCE, MOUNT_TARGET, MOUNT_FLAGS, MOUNT_CREATE, MOUNT_DEVICE),
                inner.stream().map(Attr::type).toList());
        ByteBuffer dev = PlanEncoder.le(8).put(inner.get(4).value()).flip();
        assertEquals(1, dev.getInt());
        assertEquals(3, dev.getInt());
    }

    @Test
    void refusesNulInsideStrings() {
        LaunchPlan plan = LaunchPlan.builder("c1", Path.of("/r"), List.of("/bin/a\0b")).build();
        assertThrows(IllegalArgumentException.class, () -> PlanEncoder.encode(plan, Path.of("/run/x")));
    }

    @Test
    void refusesPlansLargerThanTheLauncherAccepts() {
        LaunchPlan.Builder b = LaunchPlan.builder("c1", Path.of("/r"), List.of("/bin/true"));
        String big = "X=" + "y".repeat(4000);
        for (int i = 0; i < 40; i++) {
            b.env(big);
        }
        assertThrows(IllegalArgumentException.class, () -> PlanEncoder.encode(b.build(), Path.of("/run/x")));
    }
}
