package org.lxj.core.internal.hook;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.lxj.api.LxjException;
import org.lxj.spi.launch.Hook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the hooks LXC runs in the host's namespaces from the runtime (pre-start, start-host, post-stop): a plain
 * child process with exactly the hook's argv and environment, its output logged at DEBUG as LXC logs it. The JVM
 * enters no namespace for them.
 */
public final class HostHooks {
    private static final Logger LOG = LoggerFactory.getLogger(HostHooks.class);

    private HostHooks() {
    }

    /**
     * Runs {@code hooks} in order and stops at the first failure.
     *
     * @throws LxjException {@code Hook pre-start "/x" exited with status 3}
     */
    public static void run(String name, List<Hook> hooks) {
        for (Hook h : hooks) {
            int status = runOne(name, h);
            if (status != 0) {
                throw new LxjException(describe(h, status));
            }
        }
    }

    /** Runs every hook even when one fails (post-stop): failures are logged. */
    public static void runAll(String name, List<Hook> hooks) {
        for (Hook h : hooks) {
            try {
                int status = runOne(name, h);
                if (status != 0) {
                    LOG.warn("{}: {}", name, describe(h, status));
                }
            } catch (LxjException e) {
                LOG.warn("{}: {}", name, e.getMessage());
            }
        }
    }

    static String describe(Hook h, int status) {
        String what = "Hook " + h.stage().key() + " \"" + ContainerHooks.label(h) + "\"";
        return status > 128 ? what + " was killed by signal " + (status - 128) : what + " exited with status " + status;
    }

    private static int runOne(String name, Hook h) {
        ProcessBuilder pb = new ProcessBuilder(h.argv()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.clear();
        for (String e : h.env()) {
            int eq = e.indexOf('=');
            env.put(e.substring(0, eq), e.substring(eq + 1));
        }
        LOG.debug("{}: running hook {} {}", name, h.stage().key(), h.argv());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new LxjException("Failed to run hook " + h.stage().key() + " \"" + ContainerHooks.label(h) + "\": "
                    + e.getMessage(), e);
        }
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                LOG.debug("{}: hook {}: {}", name, h.stage().key(), line);
            }
            int status = p.waitFor();
            return status;
        } catch (IOException e) {
            p.destroyForcibly();
            throw new LxjException("Failed to read the output of hook " + h.stage().key() + " \""
                    + ContainerHooks.label(h) + "\": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LxjException("Interrupted while hook " + h.stage().key() + " \"" + ContainerHooks.label(h)
                    + "\" ran", e);
        }
    }
}
