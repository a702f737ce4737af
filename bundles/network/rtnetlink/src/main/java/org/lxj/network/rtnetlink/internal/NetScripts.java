package org.lxj.network.rtnetlink.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.lxj.spi.backend.BackendException;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.network.PreparedNic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lxc.net.N.script.up}/{@code script.down} with LXC's information: as environment variables
 * ({@code LXC_HOOK_TYPE}, {@code LXC_HOOK_SECTION=net}, {@code LXC_NET_TYPE}, {@code LXC_NET_PARENT},
 * {@code LXC_NET_PEER} and the common {@code LXC_NAME}, {@code LXC_CONFIG_FILE}, {@code LXC_ROOTFS_MOUNT},
 * {@code LXC_ROOTFS_PATH}) and, with {@code lxc.hook.version = 0} (the default), also as arguments
 * {@code <name> net <up|down> <type> [<host device>]}.
 */
final class NetScripts {
    private static final Logger LOG = LoggerFactory.getLogger(NetScripts.class);

    private NetScripts() {
    }

    static void run(ContainerContext context, NicSettings s, String hookType, PreparedNic prepared, String parent) {
        Optional<String> script = s.value("script." + hookType);
        if (script.isEmpty()) {
            return;
        }
        boolean version1 = context.config().value("lxc.hook.version").map(String::trim).orElse("0").equals("1");
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", script.get() + " \"$@\"", script.get()));
        if (!version1) {
            argv.addAll(List.of(context.name(), "net", hookType, s.nic().type()));
            String device = prepared.hostInterface().isEmpty() ? prepared.transitName() : prepared.hostInterface();
            if (!device.isEmpty()) {
                argv.add(device);
            }
        }
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("LXC_NAME", context.name());
        env.put("LXC_CONFIG_FILE", context.containerDir().resolve("config").toString());
        env.put("LXC_ROOTFS_MOUNT", context.rootfs().toString());
        env.put("LXC_ROOTFS_PATH", context.config().value("lxc.rootfs.path").map(String::trim).orElse(""));
        env.put("LXC_HOOK_TYPE", hookType);
        env.put("LXC_HOOK_SECTION", "net");
        env.put("LXC_HOOK_VERSION", version1 ? "1" : "0");
        env.put("LXC_NET_TYPE", s.nic().type());
        if (!parent.isEmpty()) {
            env.put("LXC_NET_PARENT", parent);
        }
        if (!prepared.hostInterface().isEmpty()) {
            env.put("LXC_NET_PEER", prepared.hostInterface());
        }
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = p.waitFor();
            LOG.debug("{}: net script.{} \"{}\" said: {}", context.name(), hookType, script.get(), out.strip());
            if (status != 0) {
                throw new BackendException("Failed to run net script." + hookType + " \"" + script.get()
                        + "\" of \"" + context.name() + "\": exit status " + status);
            }
        } catch (IOException e) {
            throw new BackendException("Failed to run net script." + hookType + " \"" + script.get() + "\" of \""
                    + context.name() + "\": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("Interrupted while running net script." + hookType + " of \""
                    + context.name() + "\"", e);
        }
    }
}
