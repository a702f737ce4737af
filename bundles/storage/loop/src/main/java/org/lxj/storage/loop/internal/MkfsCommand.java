package org.lxj.storage.loop.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.lxj.spi.backend.BackendException;

/**
 * {@code mkfs.<fstype>} run as a child process, quiet and forced (the image is a regular file, which
 * mkfs would otherwise ask about), as LXC's {@code do_mkfs_exec_wrapper}.
 */
final class MkfsCommand implements FilesystemMaker {

    @Override
    public void make(String fstype, Path image) {
        List<String> cmd = command(fstype, image);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                    new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new BackendException("Failed to run \"" + String.join(" ", cmd) + "\": " + e.getMessage(), e);
        }
        String output;
        int rc;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            rc = p.waitFor();
        } catch (IOException e) {
            p.destroyForcibly();
            throw new BackendException("Failed to run \"" + String.join(" ", cmd) + "\": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BackendException("Interrupted while running \"" + String.join(" ", cmd) + "\"", e);
        }
        if (rc != 0) {
            throw new BackendException("Failed to make a " + fstype + " filesystem in \"" + image + "\": \""
                    + String.join(" ", cmd) + "\" exited with " + rc + (output.isEmpty() ? "" : ": " + output));
        }
    }

    /** The command line: ext2/3/4 take {@code -F -q}, xfs and btrfs {@code -f -q}, others just the image. */
    static List<String> command(String fstype, Path image) {
        List<String> cmd = new ArrayList<>();
        cmd.add("mkfs." + fstype);
        switch (fstype) {
            case "ext2", "ext3", "ext4" -> cmd.addAll(List.of("-F", "-q"));
            case "xfs", "btrfs" -> cmd.addAll(List.of("-f", "-q"));
            default -> {
                // mkfs.vfat and others take the device alone
            }
        }
        cmd.add(image.toString());
        return cmd;
    }
}
