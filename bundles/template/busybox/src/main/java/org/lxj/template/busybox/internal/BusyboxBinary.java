package org.lxj.template.busybox.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.lxj.spi.backend.BackendException;

/**
 * The host's busybox binary the template copies: where it is, whether it can run in the container,
 * which applets it has and where its {@code udhcpc} looks for its event script. Nothing here runs an
 * applet; the only process started is {@code busybox --list}.
 *
 * @param path        the binary
 * @param interpreter its ELF program interpreter, empty when it is static
 */
record BusyboxBinary(Path path, Optional<String> interpreter) {

    /** busybox's own default for {@code CONFIG_UDHCPC_DEFAULT_SCRIPT}. */
    static final String DEFAULT_UDHCPC_SCRIPT = "/usr/share/udhcpc/default.script";

    private static final Pattern APPLET = Pattern.compile("[A-Za-z0-9_\\[\\]][A-Za-z0-9_.+\\[\\]-]*");
    private static final byte[] SCRIPT_SUFFIX = "/default.script".getBytes(StandardCharsets.US_ASCII);
    private static final long LIST_TIMEOUT_SECONDS = 30;
    private static final long MAX_SCAN_BYTES = 64L << 20;

    /** The binary the user named, or the first {@code busybox} on the search path. */
    static Path locate(Optional<Path> given, List<Path> searchPath) {
        if (given.isPresent()) {
            Path p = given.get();
            if (!Files.isRegularFile(p)) {
                throw new BackendException("Failed to find busybox binary \"" + p + "\"");
            }
            return p;
        }
        return find(searchPath).orElseThrow(() -> new BackendException(
                "Failed to find a busybox binary in " + searchPath
                        + ": install busybox-static or pass --busybox-path PATH"));
    }

    /** The first executable {@code busybox} in {@code searchPath}. */
    static Optional<Path> find(List<Path> searchPath) {
        for (Path dir : searchPath) {
            Path candidate = dir.resolve("busybox");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Checks that {@code path} is an executable ELF file and reads its interpreter. */
    static BusyboxBinary inspect(Path path) {
        if (!Files.isExecutable(path)) {
            throw new BackendException("Busybox binary \"" + path + "\" is not executable");
        }
        try {
            return new BusyboxBinary(path, ElfFile.interpreter(path));
        } catch (ElfFile.NotElfException e) {
            throw new BackendException("Busybox binary \"" + path + "\" is not usable: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BackendException("Failed to read busybox binary \"" + path + "\": " + e.getMessage(), e);
        }
    }

    boolean isStatic() {
        return interpreter.isEmpty();
    }

    /**
     * The applets {@code busybox --list} prints, without {@code busybox} itself (LXC's template drops
     * every name containing "busybox"). A name that could leave {@code bin/} is an error.
     */
    List<String> applets() {
        Process p;
        try {
            p = new ProcessBuilder(path.toString(), "--list").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new BackendException("Failed to run \"" + path + " --list\": " + e.getMessage(), e);
        }
        String out;
        int status;
        try (InputStream in = p.getInputStream()) {
            p.getOutputStream().close();
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(LIST_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new BackendException("\"" + path + " --list\" did not finish within "
                        + LIST_TIMEOUT_SECONDS + " s");
            }
            status = p.exitValue();
        } catch (IOException e) {
            p.destroyForcibly();
            throw new BackendException("Failed to read the output of \"" + path + " --list\": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BackendException("Interrupted while listing the applets of \"" + path + "\"", e);
        }
        if (status != 0) {
            throw new BackendException("Failed to list the applets of busybox \"" + path + "\": exit status "
                    + status + (out.isBlank() ? "" : ": " + out.strip()));
        }
        List<String> applets = new ArrayList<>();
        for (String line : out.split("\n")) {
            String name = line.strip();
            if (name.isEmpty() || name.contains("busybox")) {
                continue;
            }
            if (!APPLET.matcher(name).matches()) {
                throw new BackendException("Busybox \"" + path + "\" listed an invalid applet name \"" + name + "\"");
            }
            applets.add(name);
        }
        if (applets.isEmpty()) {
            throw new BackendException("Busybox \"" + path + "\" lists no applets");
        }
        return applets;
    }

    /**
     * Where this busybox's {@code udhcpc} runs its event script: the compiled-in
     * {@code CONFIG_UDHCPC_DEFAULT_SCRIPT}, found as a string in the binary. LXC asks
     * {@code udhcpc --help}; the template never runs a DHCP client, so it reads the file instead.
     */
    String udhcpcScript() {
        try {
            if (Files.size(path) > MAX_SCAN_BYTES) {
                return DEFAULT_UDHCPC_SCRIPT;
            }
            return scriptPathIn(Files.readAllBytes(path)).orElse(DEFAULT_UDHCPC_SCRIPT);
        } catch (IOException e) {
            throw new BackendException("Failed to read busybox binary \"" + path + "\": " + e.getMessage(), e);
        }
    }

    /** The first NUL-delimited absolute path ending in {@code /default.script} in {@code bytes}. */
    static Optional<String> scriptPathIn(byte[] bytes) {
        outer:
        for (int i = 0; i + SCRIPT_SUFFIX.length <= bytes.length; i++) {
            for (int j = 0; j < SCRIPT_SUFFIX.length; j++) {
                if (bytes[i + j] != SCRIPT_SUFFIX[j]) {
                    continue outer;
                }
            }
            int end = i + SCRIPT_SUFFIX.length;
            if (end < bytes.length && bytes[end] != 0) {
                continue;
            }
            int start = i;
            while (start > 0 && bytes[start - 1] > 0x20 && bytes[start - 1] < 0x7f) {
                start--;
            }
            String candidate = new String(bytes, start, end - start, StandardCharsets.US_ASCII);
            if (candidate.startsWith("/") && (start == 0 || bytes[start - 1] == 0) && safe(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean safe(String absolute) {
        for (String part : absolute.substring(1).split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
