package org.lxj.core.internal.lifecycle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lxj.api.LxjException;
import org.lxj.api.config.ConfigEntry;
import org.lxj.api.config.ContainerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lxc.hook.clone} and {@code lxc.hook.destroy}, run on the host as LXC runs them: the value through
 * {@code /bin/sh -c} with the container name, {@code lxc} and the hook type as arguments (then, for clone, the
 * arguments after {@code lxc-copy --}), and LXC's variables {@code LXC_NAME}, {@code LXC_CONFIG_FILE},
 * {@code LXC_ROOTFS_MOUNT}, {@code LXC_ROOTFS_PATH} (clone also {@code LXC_SRC_NAME}). A failing hook fails the
 * verb.
 */
final class LifecycleHooks {
    private static final Logger LOG = LoggerFactory.getLogger(LifecycleHooks.class);
    static final String CLONE = "clone";
    static final String DESTROY = "destroy";

    private LifecycleHooks() {
    }

    /** The argv of every {@code lxc.hook.TYPE} of {@code config}, in config order. */
    static List<List<String>> argvs(ContainerConfig config, String type, String name, List<String> extra) {
        List<List<String>> out = new ArrayList<>();
        for (ConfigEntry e : config.entries()) {
            String v = e.value().trim();
            if (!e.key().equals("lxc.hook." + type) || v.isEmpty()) {
                continue;
            }
            List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", "exec " + v + " \"$@\"", v, name, "lxc",
                    type));
            argv.addAll(extra);
            out.add(argv);
        }
        return out;
    }

    /** The variables the hooks get besides the runtime's environment. */
    static Map<String, String> env(String name, Path configFile, Path rootfsMount, String rootfsPath) {
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.put("LXC_NAME", name);
        env.put("LXC_CONFIG_FILE", configFile.toString());
        env.put("LXC_ROOTFS_MOUNT", rootfsMount.toString());
        env.put("LXC_ROOTFS_PATH", rootfsPath);
        return env;
    }

    /** Runs the hooks in order; the first failure throws {@code Hook clone "/x" exited with status 3}. */
    static void run(String name, String type, List<List<String>> argvs, Map<String, String> env) {
        for (List<String> argv : argvs) {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().clear();
            pb.environment().putAll(env);
            LOG.debug("{}: running hook {} \"{}\"", name, type, argv.get(3));
            try {
                Process p = pb.start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int status = p.waitFor();
                out.lines().forEach(l -> LOG.debug("{}: hook {}: {}", name, type, l));
                if (status != 0) {
                    throw new LxjException("Hook " + type + " \"" + argv.get(3) + "\" of \"" + name
                            + "\" exited with status " + status);
                }
            } catch (IOException e) {
                throw new LxjException("Failed to run hook " + type + " \"" + argv.get(3) + "\" of \"" + name + "\": "
                        + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LxjException("Interrupted while hook " + type + " \"" + argv.get(3) + "\" of \"" + name
                        + "\" ran", e);
            }
        }
    }
}
