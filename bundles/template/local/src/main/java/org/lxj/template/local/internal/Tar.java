package org.lxj.template.local.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.lxj.spi.backend.BackendException;

/**
 * Unpacks tarballs with the host's {@code tar}, which knows owners, devices, modes and every
 * compression an image comes in (it detects it when reading a file).
 *
 * @param command the tar binary ({@code tar} to search {@code PATH})
 */
record Tar(String command) {

    private static final int MAX_ERROR_CHARS = 2000;

    /**
     * Runs {@code tar OPTIONS -xf TARBALL -C DIRECTORY}.
     *
     * @param what names the tarball in errors ("metadata tarball")
     */
    void extract(String what, Path tarball, Path directory, List<String> options) {
        List<String> cmd = new ArrayList<>();
        cmd.add(command);
        cmd.addAll(options);
        cmd.add("-xf");
        cmd.add(tarball.toString());
        cmd.add("-C");
        cmd.add(directory.toString());
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new BackendException("Failed to unpack " + what + " \"" + tarball + "\": cannot run \"" + command
                    + "\": " + e.getMessage(), e);
        }
        String out;
        int status;
        try (InputStream in = p.getInputStream()) {
            p.getOutputStream().close();
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            status = p.waitFor();
        } catch (IOException e) {
            p.destroyForcibly();
            throw new BackendException("Failed to unpack " + what + " \"" + tarball + "\": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BackendException("Interrupted while unpacking " + what + " \"" + tarball + "\"", e);
        }
        if (status != 0) {
            String detail = out.strip();
            if (detail.length() > MAX_ERROR_CHARS) {
                detail = detail.substring(0, MAX_ERROR_CHARS) + "...";
            }
            throw new BackendException("Failed to unpack " + what + " \"" + tarball + "\": tar exited with status "
                    + status + (detail.isEmpty() ? "" : ": " + detail.replace('\n', ' ')));
        }
    }
}
