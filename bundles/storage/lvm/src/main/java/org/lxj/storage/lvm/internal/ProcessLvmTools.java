package org.lxj.storage.lvm.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.lxj.spi.backend.BackendException;

/**
 * The commands as child processes, stdin from /dev/null, with {@code LVM_SUPPRESS_FD_WARNINGS} so lvm2 does not
 * complain about the JVM's open descriptors.
 */
final class ProcessLvmTools implements LvmTools {

    @Override
    public String run(List<String> command) {
        String shown = String.join(" ", command);
        Process p;
        Path err;
        try {
            err = Files.createTempFile("lxj-lvm", ".err");
        } catch (IOException e) {
            throw new BackendException("Failed to run \"" + shown + "\": " + e.getMessage(), e);
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(
                    new File("/dev/null"))).redirectError(err.toFile());
            pb.environment().put("LVM_SUPPRESS_FD_WARNINGS", "1");
            pb.environment().put("LC_ALL", "C");
            p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            int rc = p.waitFor();
            String stdout = new String(out.join(), StandardCharsets.UTF_8);
            if (rc != 0) {
                String stderr = Files.readString(err).strip();
                throw new BackendException("Failed to run \"" + shown + "\": exited with " + rc
                        + (stderr.isEmpty() ? "" : ": " + stderr));
            }
            return stdout;
        } catch (IOException e) {
            throw new BackendException("Failed to run \"" + shown + "\": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("Interrupted while running \"" + shown + "\"", e);
        } finally {
            try {
                Files.deleteIfExists(err);
            } catch (IOException e) {
                // a temp file left behind is harmless
            }
        }
    }
}
