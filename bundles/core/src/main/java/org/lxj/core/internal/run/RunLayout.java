package org.lxj.core.internal.run;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Where running containers keep their runtime files: {@code <root>/<lxcpath-id>/<name>/} with
 * {@code state.json}, the monitor's {@code monitor.sock} and {@code exit}; start locks under
 * {@code <root>/locks/<lxcpath-id>/<name>}; stdio fifos of relayed commands under {@code <root>/stdio/}.
 * The lxcpath-id is a short stable hash of the absolute lxcpath, so socket paths stay short.
 *
 * @param root the run root, {@code /run/lxj} by default
 */
public record RunLayout(Path root) {
    /** The default run root. */
    public static final Path DEFAULT_ROOT = Path.of("/run/lxj");
    /** The state file in a container's run directory. */
    public static final String STATE = "state.json";
    static final String LOCKS = "locks";
    static final String STDIO = "stdio";
    private static final int ID_LENGTH = 12;

    public RunLayout {
        root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    /** The lxcpath-id: the first 12 hex digits of the SHA-256 of the normalized absolute lxcpath. */
    public static String lxcpathId(Path lxcpath) {
        String p = lxcpath.toAbsolutePath().normalize().toString();
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(p.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, ID_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Whether a directory name under the root is an lxcpath-id. */
    static boolean isLxcpathId(String name) {
        return name.length() == ID_LENGTH && name.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    /** The container's run directory. */
    public Path dir(Path lxcpath, String name) {
        return root.resolve(lxcpathId(lxcpath)).resolve(name);
    }

    /** The container's state file. */
    public Path state(Path lxcpath, String name) {
        return dir(lxcpath, name).resolve(STATE);
    }

    /** The container's lock file. */
    Path lock(Path lxcpath, String name) {
        return root.resolve(LOCKS).resolve(lxcpathId(lxcpath)).resolve(name);
    }

    /** Where fifos of relayed stdio are made. */
    Path stdio() {
        return root.resolve(STDIO);
    }
}
