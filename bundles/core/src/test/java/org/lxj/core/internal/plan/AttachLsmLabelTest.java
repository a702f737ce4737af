package org.lxj.core.internal.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.config.ContainerConfig;
import org.lxj.core.internal.config.ConfigParser;
import org.lxj.launcher.AttachPlan;
import org.lxj.launcher.AttachPolicy;
import org.lxj.launcher.Protocol;
import org.lxj.launcher.internal.PlanEncoder;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.launch.LaunchPlan;

/**
 * The LSM exec label init gets reaches an attached command's plan: a fake AppArmor backend (no LSM runs on these hosts)
 * labels init, the start keeps the policy, and the attach plan carries the same label unless {@code -e LSM}.
 */
class AttachLsmLabelTest {
    @TempDir
    Path tmp;

    private LaunchPlan started() throws IOException {
        Path rootfs = Files.createDirectories(tmp.resolve("c1/rootfs"));
        Path run = Files.createDirectories(tmp.resolve("run"));
        ContainerConfig config = new ConfigParser().parse("lxc.rootfs.path = dir:" + rootfs + "\n"
                + "lxc.apparmor.profile = lxj-attach-test\n", tmp.resolve("c1/config"));
        ContainerContext ctx = new ContainerContext("c1", tmp, config, run, rootfs, PlanAssemblerTest.HOST);
        return PlanAssembler.builder(ctx, LaunchRequest.start(), List.of(new LsmContributor(List.of(
                new LsmContributorTest.FakeLsm("apparmor", true)))), p -> true, PlanAssemblerTest.DIRS::contains).build();
    }

    /** The LSM_LABEL attributes of an encoded attach plan, each as name/attr/value. */
    private static List<String> labels(byte[] plan) {
        List<String> out = new ArrayList<>();
        for (byte[] nested : attrs(plan, Protocol.ATTR_LSM_LABEL)) {
            out.add(string(attrs(nested, Protocol.LSM_NAME).get(0)) + "/" + string(attrs(nested, Protocol.LSM_ATTR).get(0))
                    + "/" + string(attrs(nested, Protocol.LSM_VALUE).get(0)));
        }
        return out;
    }

    private static List<byte[]> attrs(byte[] bytes, int type) {
        List<byte[]> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        while (b.remaining() >= Protocol.TLV_HEADER_SIZE) {
            int t = Short.toUnsignedInt(b.getShort());
            b.getShort();
            byte[] v = new byte[b.getInt()];
            b.get(v);
            if (t == type) {
                out.add(v);
            }
        }
        return out;
    }

    private static String string(byte[] v) {
        return new String(v, 0, v.length - 1, StandardCharsets.UTF_8);
    }

    @Test
    void theKeptPolicyCarriesInitsLabelIntoTheAttachPlanAndElevatedLsmDropsIt() throws Exception {
        LaunchPlan plan = started();
        assertEquals(1, plan.lsmLabels().size());
        AttachPolicy.of(plan).write(tmp.resolve("run"));
        AttachPolicy kept = AttachPolicy.read(tmp.resolve("run")).orElseThrow();
        AttachPlan attach = AttachPlan.of(1234, 99, List.of("sh"), List.of("PATH=/bin"));
        assertEquals(List.of("apparmor/exec/exec lxj-attach-test"),
                labels(PlanEncoder.encode(attach.withSecurity(kept, Optional.empty()), "c1")));
        assertTrue(labels(PlanEncoder.encode(attach.withSecurity(kept.withoutLsm(), Optional.empty()), "c1")).isEmpty());
    }
}
