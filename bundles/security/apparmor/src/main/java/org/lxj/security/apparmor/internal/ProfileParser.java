package org.lxj.security.apparmor.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.lxj.spi.backend.BackendException;

/**
 * {@code apparmor_parser}, the only way a profile reaches the kernel: {@code -r} loads or replaces it,
 * {@code -R} removes it, {@code -Q} only checks it. {@code -K} everywhere: the runtime keeps no cache.
 */
class ProfileParser {

    static final Path DEFAULT = Path.of("/usr/sbin/apparmor_parser");
    private static final long TIMEOUT_SECONDS = 60;

    private final Path executable;

    ProfileParser(Path executable) {
        this.executable = executable;
    }

    boolean installed() {
        return Files.isExecutable(executable);
    }

    /** Checks {@code profile} without loading it. */
    void check(Path profile) {
        run(profile, "-Q", "-K");
    }

    /** Loads or replaces {@code profile} in the kernel. */
    void load(Path profile) {
        run(profile, "-r", "-K");
    }

    /** Removes the profile defined in {@code profile} from the kernel. */
    void unload(Path profile) {
        run(profile, "-R", "-K");
    }

    private void run(Path profile, String... options) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable.toString());
        cmd.addAll(List.of(options));
        cmd.add(profile.toString());
        String what = "apparmor_parser " + String.join(" ", options) + " \"" + profile + "\"";
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null"))
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new BackendException("Failed to run " + what + ": no answer in " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new BackendException("Failed to run " + what + ": exit status " + p.exitValue() + ": "
                        + errors(out));
            }
        } catch (IOException e) {
            throw new BackendException("Failed to run " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("Failed to run " + what + ": interrupted", e);
        }
    }

    /** The parser's messages without its note about the cache interface, which says nothing about the profile. */
    private static String errors(String out) {
        return out.lines().filter(l -> !l.startsWith("Cache read/write disabled")).map(String::strip)
                .filter(l -> !l.isEmpty()).reduce((a, b) -> a + "; " + b).orElse("no message");
    }
}
