package org.lxj.spi.launch;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@code lxc.hook.*} program the launcher or the monitor runs at a fixed point of the start and stop, with
 * argv and environment fully computed in Java ({@code lxc.hook.version} decides between arguments and
 * {@code LXC_*} variables). A hook that exits non-zero fails the start, except {@code stop} and
 * {@code post-stop} whose failures are logged. {@code clone} and {@code destroy} hooks are not part of a
 * launch: core runs them.
 *
 * @param stage when it runs
 * @param argv  the program (an absolute path) and its arguments
 * @param env   its whole environment as {@code NAME=value} entries
 */
public record Hook(Stage stage, List<String> argv, List<String> env) {

    /** The points in a start and stop at which hooks run, with LXC's key names. */
    public enum Stage {
        /** Host namespaces, before the container's namespaces exist. */
        PRE_START("pre-start"),
        /** The container's mount namespace, before the rootfs is set up. */
        PRE_MOUNT("pre-mount"),
        /** The container's namespaces, after the mounts and before the pivot. */
        MOUNT("mount"),
        /** After {@code /dev} is populated, before the pivot. */
        AUTODEV("autodev"),
        /** Host namespaces, once init exists, just before it runs. */
        START_HOST("start-host"),
        /** Inside the container, just before the init is executed. */
        START("start"),
        /** Host namespaces with the container's namespace fds, when the container stops. */
        STOP("stop"),
        /** Host namespaces, after the container stopped and was cleaned up. */
        POST_STOP("post-stop");

        private final String key;

        Stage(String key) {
            this.key = key;
        }

        /** The suffix of its {@code lxc.hook.<key>} configuration key. */
        public String key() {
            return key;
        }

        /** The stage of {@code lxc.hook.<key>}, if it is one a launch runs. */
        public static Optional<Stage> find(String key) {
            String k = key.trim().toLowerCase(Locale.ROOT);
            for (Stage s : values()) {
                if (s.key.equals(k)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    public Hook {
        Objects.requireNonNull(stage, "stage");
        argv = PlanChecks.texts("hook argument", argv);
        if (argv.isEmpty()) {
            throw new PlanValidationException(stage.key() + " hook", null, "has no program");
        }
        PlanChecks.absolute(stage.key() + " hook program", java.nio.file.Path.of(argv.get(0)));
        env = List.copyOf(env);
        env.forEach(e -> PlanChecks.envEntry(stage.key() + " hook environment", e));
    }
}
