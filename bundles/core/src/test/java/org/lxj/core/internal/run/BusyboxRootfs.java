package org.lxj.core.internal.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A minimal rootfs from the host's static busybox: the binary, its applet links, /etc/passwd and group. */
final class BusyboxRootfs {
    private BusyboxRootfs() {
    }

    static Path make(Path root, Path busybox) throws IOException {
        for (String d : List.of("bin", "sbin", "etc", "proc", "sys", "dev", "tmp", "root", "mnt", "home/user")) {
            Files.createDirectories(root.resolve(d));
        }
        Files.setPosixFilePermissions(root.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.copy(busybox, root.resolve("bin/busybox"), StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(root.resolve("bin/busybox"), PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String applet : applets(busybox)) {
            Path link = root.resolve("bin").resolve(applet);
            if (!applet.equals("busybox") && !Files.exists(link)) {
                Files.createSymbolicLink(link, Path.of("busybox"));
            }
        }
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1001::/home/user:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\nuser:x:1001:\n");
        return root;
    }

    private static List<String> applets(Path busybox) throws IOException {
        Process p = new ProcessBuilder(busybox.toString(), "--list").redirectErrorStream(true).start();
        List<String> out = new String(p.getInputStream().readAllBytes()).lines().map(String::trim)
                .filter(s -> !s.isEmpty() && !s.contains("/")).toList();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(busybox + " --list failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out;
    }
}
