package org.lxj.template.busybox.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.lxj.spi.backend.BackendException;

/**
 * The arguments {@code lxc-create -t busybox -- ARGS} accepts, as LXC's template: only
 * {@code --busybox-path PATH} (or {@code --busybox-path=PATH}). The options LXC itself passes to a
 * template script ({@code --name}, {@code --path}, {@code --rootfs}, {@code --mapped-uid},
 * {@code --mapped-gid}) come from the create request here, so a user giving them is refused, as is
 * anything unknown.
 *
 * @param busyboxPath the busybox binary to copy, when the user named one
 */
record BusyboxArguments(Optional<Path> busyboxPath) {

    static final String BUSYBOX_PATH = "--busybox-path";

    static final String USAGE = "Usage: lxc-create -t busybox [-- --busybox-path PATH]";

    private static final Set<String> SET_BY_CREATE =
            Set.of("--name", "--path", "--rootfs", "--mapped-uid", "--mapped-gid", "-n", "-p");

    static BusyboxArguments parse(List<String> args) {
        Optional<Path> busybox = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (option.equals(BUSYBOX_PATH)) {
                String value;
                if (arg.length() > option.length()) {
                    value = arg.substring(option.length() + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new BackendException("Template option \"" + BUSYBOX_PATH + "\" needs a path. " + USAGE);
                }
                if (value.isEmpty()) {
                    throw new BackendException("Template option \"" + BUSYBOX_PATH + "\" needs a path. " + USAGE);
                }
                busybox = Optional.of(Path.of(value));
            } else if (option.equals("-h") || option.equals("--help")) {
                throw new BackendException(USAGE);
            } else if (SET_BY_CREATE.contains(option)) {
                throw new BackendException("Template option \"" + option
                        + "\" is set by lxc-create and cannot be given to the busybox template");
            } else if (option.startsWith("-")) {
                throw new BackendException("Unknown busybox template option \"" + arg + "\". " + USAGE);
            } else {
                throw new BackendException("Unexpected busybox template argument \"" + arg + "\". " + USAGE);
            }
        }
        return new BusyboxArguments(busybox);
    }
}
