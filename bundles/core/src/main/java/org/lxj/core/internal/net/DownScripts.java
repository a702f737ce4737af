package org.lxj.core.internal.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.lxj.api.config.ContainerConfig;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.network.NicConfig;
import org.lxj.spi.network.PreparedNic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lxc.net.N.script.down}, run at the teardown as LXC runs it: environment {@code LXC_NAME},
 * {@code LXC_CONFIG_FILE}, {@code LXC_ROOTFS_MOUNT}, {@code LXC_ROOTFS_PATH}, {@code LXC_HOOK_TYPE=down},
 * {@code LXC_HOOK_SECTION=net}, {@code LXC_HOOK_VERSION}, {@code LXC_NET_TYPE}, {@code LXC_NET_PARENT},
 * {@code LXC_NET_PEER} and, with {@code lxc.hook.version = 0}, the arguments
 * {@code <name> net down <type> [<host device>]}. What it needs is captured at the start into the
 * {@link NicRecord}, so a later runtime runs it too. A failing script is logged: the teardown goes on.
 */
final class DownScripts {
    private static final Logger LOG = LoggerFactory.getLogger(DownScripts.class);

    private DownScripts() {
    }

    /** What the down script of {@code nic} needs, if it has one. */
    static Optional<NicRecord.DownScript> capture(ContainerContext ctx, NicConfig nic) {
        Optional<String> script = nic.value("script.down").map(String::trim).filter(s -> !s.isEmpty());
        if (script.isEmpty()) {
            return Optional.empty();
        }
        ContainerConfig config = ctx.config();
        boolean v1 = config.value("lxc.hook.version").map(String::trim).orElse("0").equals("1");
        return Optional.of(new NicRecord.DownScript(script.get(), nic.link().orElse(""),
                ctx.containerDir().resolve("config").toString(), ctx.rootfs().toString(),
                config.value("lxc.rootfs.path").map(String::trim).orElse(""), v1));
    }

    static List<String> argv(String name, PreparedNic nic, NicRecord.DownScript d) {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", d.script() + " \"$@\"", d.script()));
        if (!d.version1()) {
            argv.addAll(List.of(name, "net", "down", nic.type()));
            String device = nic.hostInterface().isEmpty() ? nic.transitName() : nic.hostInterface();
            if (!device.isEmpty()) {
                argv.add(device);
            }
        }
        return argv;
    }

    static Map<String, String> environment(String name, PreparedNic nic, NicRecord.DownScript d) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("LXC_NAME", name);
        env.put("LXC_CONFIG_FILE", d.configFile());
        env.put("LXC_ROOTFS_MOUNT", d.rootfsMount());
        env.put("LXC_ROOTFS_PATH", d.rootfsPath());
        env.put("LXC_HOOK_TYPE", "down");
        env.put("LXC_HOOK_SECTION", "net");
        env.put("LXC_HOOK_VERSION", d.version1() ? "1" : "0");
        env.put("LXC_NET_TYPE", nic.type());
        if (!d.parent().isEmpty()) {
            env.put("LXC_NET_PARENT", d.parent());
        }
        if (!nic.hostInterface().isEmpty()) {
            env.put("LXC_NET_PEER", nic.hostInterface());
        }
        return env;
    }

    /** Runs the script; its failure is logged, not thrown. */
    static void run(String name, PreparedNic nic, NicRecord.DownScript d) {
        ProcessBuilder pb = new ProcessBuilder(argv(name, nic, d)).redirectErrorStream(true);
        pb.environment().putAll(environment(name, nic, d));
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = p.waitFor();
            if (status != 0) {
                LOG.warn("{}: net script.down \"{}\" of interface {} failed with exit status {}: {}", name,
                        d.script(), nic.index(), status, out.strip());
            } else {
                LOG.debug("{}: net script.down \"{}\" said: {}", name, d.script(), out.strip());
            }
        } catch (IOException e) {
            LOG.warn("{}: failed to run net script.down \"{}\": {}", name, d.script(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("{}: interrupted while running net script.down \"{}\"", name, d.script());
        }
    }
}
