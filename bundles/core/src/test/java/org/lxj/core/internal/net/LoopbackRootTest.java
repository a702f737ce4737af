package org.lxj.core.internal.net;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.core.internal.config.ConfigParser;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;

/** {@code lxc.net.N.type = empty} with {@code flags = up} brings the loopback device up, root only. */
class LoopbackRootTest {
    @TempDir
    Path tmp;

    private Process holder;

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root for network namespaces");
        holder = new ProcessBuilder("unshare", "-n", "sleep", "600").start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!new String(Files.readAllBytes(Path.of("/proc/" + holder.pid() + "/cmdline")), StandardCharsets.UTF_8)
                .startsWith("sleep")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("unshare did not exec sleep in 10 s");
            }
            Thread.onSpinWait();
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        if (holder != null) {
            holder.destroyForcibly();
            holder.waitFor();
        }
    }

    private String lo() throws Exception {
        Process p = new ProcessBuilder("nsenter", "--net=/proc/" + holder.pid() + "/ns/net", "ip", "-o", "link", "show",
                "lo").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private ContainerContext ctx(String text) {
        HostFacts facts = new HostFacts("6.1.0", "x86_64", Set.of(), List.of(), CgroupLayout.HYBRID, List.of(), false,
                Set.of(), 0);
        return new ContainerContext("c", tmp, new ConfigParser().parse(text, tmp.resolve("config")), tmp,
                tmp.resolve("rootfs"), facts);
    }

    @Test
    void emptyWithFlagsUpBringsLoUp() throws Exception {
        NetworkSetup setup = new NetworkSetup(List::of, new JnaSyscalls());
        ContainerContext c = ctx("lxc.net.0.type = empty\nlxc.net.0.flags = up\n");
        assertFalse(lo().contains(",UP"), lo());
        setup.configure(c, setup.prepare(c), (int) holder.pid());
        assertTrue(lo().contains(",UP"), lo());
    }

    @Test
    void emptyWithoutFlagsLeavesLoDown() throws Exception {
        NetworkSetup setup = new NetworkSetup(List::of, new JnaSyscalls());
        ContainerContext c = ctx("lxc.net.0.type = empty\n");
        setup.configure(c, setup.prepare(c), (int) holder.pid());
        assertFalse(lo().contains(",UP"), lo());
    }
}
