package org.lxj.template.local.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.lxj.spi.backend.BackendException;

/**
 * The arguments of {@code lxc-create -t local -- ARGS}, as LXC's {@code lxc-local}:
 * {@code -m|--metadata TARBALL} and {@code -f|--fstree TARBALL}, both required. The options LXC passes
 * to template scripts itself come from the create request here, so a user giving them is refused.
 *
 * @param metadata the image's metadata tarball (holds {@code config})
 * @param fstree   the image's rootfs tarball
 */
record LocalArguments(Path metadata, Path fstree) {

    static final String USAGE = "Usage: lxc-create -t local -- -m|--metadata META.tar.xz -f|--fstree ROOTFS.tar.xz";

    private static final Set<String> SET_BY_CREATE =
            Set.of("--name", "--path", "--rootfs", "--mapped-uid", "--mapped-gid");

    static LocalArguments parse(List<String> args) {
        Path metadata = null;
        Path fstree = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String option;
            String value = null;
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                option = eq < 0 ? arg : arg.substring(0, eq);
                value = eq < 0 ? null : arg.substring(eq + 1);
            } else if (arg.startsWith("-") && arg.length() > 2) {
                option = arg.substring(0, 2);
                value = arg.substring(2);
            } else {
                option = arg;
            }
            boolean isMetadata = option.equals("-m") || option.equals("--metadata");
            boolean isFstree = option.equals("-f") || option.equals("--fstree");
            if (isMetadata || isFstree) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new BackendException("Template option \"" + option + "\" needs a file. " + USAGE);
                    }
                    value = args.get(++i);
                }
                if (value.isEmpty()) {
                    throw new BackendException("Template option \"" + option + "\" needs a file. " + USAGE);
                }
                if (isMetadata) {
                    metadata = Path.of(value);
                } else {
                    fstree = Path.of(value);
                }
            } else if (option.equals("-h") || option.equals("--help")) {
                throw new BackendException(USAGE);
            } else if (SET_BY_CREATE.contains(option)) {
                throw new BackendException("Template option \"" + option
                        + "\" is set by lxc-create and cannot be given to the local template");
            } else if (option.startsWith("-")) {
                throw new BackendException("Unknown local template option \"" + arg + "\". " + USAGE);
            } else {
                throw new BackendException("Unexpected local template argument \"" + arg + "\". " + USAGE);
            }
        }
        if (metadata == null) {
            throw new BackendException("The local template needs a metadata tarball (-m). " + USAGE);
        }
        if (fstree == null) {
            throw new BackendException("The local template needs a rootfs tarball (-f). " + USAGE);
        }
        requireFile("Metadata tarball", metadata);
        requireFile("Rootfs tarball", fstree);
        return new LocalArguments(metadata, fstree);
    }

    private static void requireFile(String what, Path p) {
        if (!Files.exists(p)) {
            throw new BackendException(what + " \"" + p + "\" does not exist");
        }
        if (!Files.isRegularFile(p)) {
            throw new BackendException(what + " \"" + p + "\" is not a regular file");
        }
        if (!Files.isReadable(p)) {
            throw new BackendException(what + " \"" + p + "\" is not readable");
        }
    }
}
