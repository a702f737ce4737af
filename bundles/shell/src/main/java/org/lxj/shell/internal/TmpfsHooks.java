package org.lxj.shell.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * {@code lxc-copy -e -t}: the ephemeral overlay clone's upper and work directories on a tmpfs. LXC mounts the
 * tmpfs from a pre-mount hook inside the container; LXJ mounts the rootfs on the host before any hook runs in the
 * container, so here a pre-start hook (host namespaces, before the rootfs is mounted) mounts the tmpfs on
 * {@code <dir>/overlay}, makes {@code delta} and {@code work} and writes the hostname as LXC's script does, and a
 * post-stop hook detaches it. The scripts lie in the container's directory, named as LXC names its own
 * ({@code pre-start-XXXXXX}).
 *
 * @param dir      the clone's directory
 * @param name     the clone's name, written to {@code /etc/hostname} unless kept
 * @param keepName {@code -K}
 * @param preStart the pre-start script
 * @param postStop the post-stop script
 */
record TmpfsHooks(Path dir, String name, boolean keepName, Path preStart, Path postStop) {

    static TmpfsHooks of(Path dir, String name, boolean keepName, CopyCommand.RandomSuffix random) {
        return new TmpfsHooks(dir, name, keepName, dir.resolve("pre-start-" + random.next()),
                dir.resolve("post-stop-" + random.next()));
    }

    /** The lines added to the clone's config. */
    List<String> configLines() {
        return List.of("lxc.hook.pre-start = " + preStart, "lxc.hook.post-stop = " + postStop);
    }

    /** Whether {@code rootfs} has its upper directory where the hooks put the tmpfs (an overlay clone). */
    boolean layersOver(String rootfs) {
        return rootfs.trim().endsWith(":" + overlay().resolve("delta"));
    }

    private Path overlay() {
        return dir.resolve("overlay");
    }

    /** Writes both scripts, executable. */
    void write() throws IOException {
        String o = quote(overlay().toString());
        StringBuilder pre = new StringBuilder("#!/bin/sh\n")
                .append("# lxc-copy -t: the changes of ").append(name).append(" live on a tmpfs, lost when it stops\n")
                .append("mountpoint -q ").append(o).append(" || mount -n -t tmpfs -o mode=0755 none ").append(o)
                .append(" || exit 1\n")
                .append("mkdir -p ").append(quote(overlay().resolve("delta/etc").toString())).append(' ')
                .append(quote(overlay().resolve("work").toString())).append(" || exit 1\n");
        if (!keepName) {
            pre.append("echo ").append(quote(name)).append(" > ")
                    .append(quote(overlay().resolve("delta/etc/hostname").toString())).append('\n');
        }
        script(preStart, pre.toString());
        script(postStop, "#!/bin/sh\n# lxc-copy -t: the tmpfs of " + name + " goes with its run\n"
                + "! mountpoint -q " + o + " || umount -n -l " + o + "\n");
    }

    private static void script(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A shell word: single quotes, a quote inside as {@code '\''}. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
