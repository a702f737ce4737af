package org.lxj.spi.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * The process the launcher finally executes: the container's init for {@code lxc-start}
 * ({@code lxc.init.cmd}), the command for {@code lxc-execute} and {@code lxc-attach}. Everything is resolved:
 * numeric ids only (names were looked up in the rootfs by Java), an explicit environment (nothing is
 * inherited from the JVM), an absolute working directory that the launcher verifies after {@code chdir}.
 *
 * @param argv   the program and its arguments; {@code argv[0]} is looked up in the container's {@code PATH}
 *               when it has no slash
 * @param env    the whole environment as {@code NAME=value} entries
 * @param uid    the user id inside the container ({@code lxc.init.uid})
 * @param gid    the group id inside the container ({@code lxc.init.gid})
 * @param groups supplementary group ids ({@code lxc.init.groups}); empty clears them
 * @param cwd    the working directory inside the container ({@code lxc.init.cwd}, default {@code /})
 * @param umask  the umask to set, if any
 */
public record ProcessSpec(List<String> argv, List<String> env, long uid, long gid, List<Long> groups, Path cwd,
        OptionalInt umask) {

    public ProcessSpec {
        argv = PlanChecks.texts("argument", argv);
        if (argv.isEmpty()) {
            throw new PlanValidationException("command", null, "is empty");
        }
        if (argv.get(0).isEmpty()) {
            throw new PlanValidationException("command", "", "the program name is empty");
        }
        env = List.copyOf(env);
        env.forEach(e -> PlanChecks.envEntry("environment entry", e));
        PlanChecks.id("uid", uid);
        PlanChecks.id("gid", gid);
        groups = List.copyOf(groups);
        groups.forEach(g -> PlanChecks.id("supplementary gid", g));
        PlanChecks.absolute("working directory", cwd);
        umask.ifPresent(m -> {
            if ((m & ~0777) != 0) {
                throw new PlanValidationException("umask", Integer.toOctalString(m), "must be at most 0777");
            }
        });
    }

    /** Root running {@code argv} in {@code /} with {@code env}, no supplementary groups, umask untouched. */
    public static ProcessSpec root(List<String> argv, List<String> env) {
        return new ProcessSpec(argv, env, 0, 0, List.of(), Path.of("/"), OptionalInt.empty());
    }
}
