package org.lxj.core.internal.plan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.lxj.api.LxjException;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.api.config.ConfigEntry;
import org.lxj.api.config.ContainerConfig;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.Namespace;
import org.lxj.spi.launch.ProcWrite;
import org.lxj.spi.launch.ProcessSpec;
import org.lxj.spi.launch.Rlimit;

/**
 * Hostname, sysctls, {@code /proc} writes, rlimits and the process itself: {@code lxc.init.*} or the
 * {@code lxc-execute} command, with LXC's {@code container=lxc} and {@code lxc.environment}.
 */
final class ProcessContributor implements LaunchContributor {
    /** The init LXC runs when {@code lxc.init.cmd} is not set. */
    static final String DEFAULT_INIT = "/sbin/init";
    /** The search path a process gets when the config sets none. */
    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Set<String> IPC_SYSCTLS = Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
            "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");
    private static final Set<String> X86_32 = Set.of("x86", "i386", "i486", "i586", "i686");
    private static final Set<String> X86_64 = Set.of("x86_64", "amd64");
    private static final int PER_LINUX32 = 0x0008;

    private final LaunchRequest request;

    ProcessContributor(LaunchRequest request) {
        this.request = request;
    }

    @Override
    public int order() {
        return ORDER_PROCESS;
    }

    @Override
    public void contribute(ContainerContext context, LaunchPlan.Builder plan) {
        ContainerConfig config = context.config();
        config.utsName().filter(s -> !s.isBlank()).ifPresent(plan::hostname);
        for (ConfigEntry e : config.entries()) {
            if (e.value().isBlank()) {
                continue;
            }
            if (e.key().startsWith("lxc.sysctl.")) {
                String name = e.key().substring("lxc.sysctl.".length());
                requireNamespaced(e.key(), name, plan);
                plan.procWrite(ProcWrite.sysctl(name, e.value().trim()));
            } else if (e.key().startsWith("lxc.proc.")) {
                plan.procWrite(ProcWrite.self(e.key().substring("lxc.proc.".length()), e.value().trim()));
            } else if (e.key().startsWith("lxc.prlimit.")) {
                String name = e.key().substring("lxc.prlimit.".length());
                Rlimit.Resource r = Rlimit.Resource.find(name).orElseThrow(() -> new UnsupportedFeatureException(
                        "Config key \"" + e.key() + "\" names an unknown resource limit"));
                plan.rlimit(Rlimit.parse(r, e.value()));
            }
        }
        config.value("lxc.keyring.session").map(String::trim).filter(v -> v.equals("0"))
                .ifPresent(v -> plan.newSessionKeyring(false));
        config.value("lxc.no_new_privs").map(String::trim).filter(v -> v.equals("1"))
                .ifPresent(v -> plan.noNewPrivileges(true));
        config.value("lxc.arch").map(String::trim).filter(a -> !a.isEmpty()).ifPresent(a -> arch(a, plan));
        plan.process(process(config));
        plan.console(request.mode() == LaunchRequest.Mode.EXECUTE ? ConsoleKeys.execute() : ConsoleKeys.start(config));
    }

    private static void arch(String arch, LaunchPlan.Builder plan) {
        if (X86_32.contains(arch)) {
            plan.personality(PER_LINUX32);
        } else if (!X86_64.contains(arch)) {
            throw new UnsupportedFeatureException("Config key \"lxc.arch\" value \"" + arch
                    + "\" is not supported on this host");
        }
    }

    /** Only sysctls of a namespace the container has of its own: anything else would change the host. */
    static void requireNamespaced(String key, String name, LaunchPlan.Builder plan) {
        Optional<Namespace> ns = name.startsWith("net.") ? Optional.of(Namespace.NET)
                : IPC_SYSCTLS.contains(name) || name.startsWith("fs.mqueue.") ? Optional.of(Namespace.IPC)
                : name.equals("kernel.hostname") || name.equals("kernel.domainname") ? Optional.of(Namespace.UTS)
                : Optional.empty();
        if (ns.isEmpty()) {
            throw new UnsupportedFeatureException("Config key \"" + key
                    + "\" names a sysctl that is not namespaced; setting it would change the host");
        }
        boolean own = plan.cloneNamespaces().contains(ns.get())
                || plan.joins().stream().anyMatch(j -> j.namespace() == ns.get());
        if (!own) {
            throw new UnsupportedFeatureException("Config key \"" + key + "\" needs the container's own "
                    + ns.get().procName() + " namespace; setting it would change the host");
        }
    }

    ProcessSpec process(ContainerConfig config) {
        List<String> argv = argv(config);
        long uid = request.uid().orElse(id(config, "lxc.init.uid"));
        long gid = request.gid().orElse(id(config, "lxc.init.gid"));
        List<Long> groups = new ArrayList<>();
        for (String v : config.values("lxc.init.groups")) {
            for (String g : v.split("[,\\s]+")) {
                if (!g.isEmpty()) {
                    groups.add(Long.parseLong(g));
                }
            }
        }
        Path cwd = Path.of(config.value("lxc.init.cwd").map(String::trim).filter(s -> !s.isEmpty()).orElse("/"));
        return new ProcessSpec(argv, environment(config), uid, gid, groups, cwd, OptionalInt.empty());
    }

    private List<String> argv(ContainerConfig config) {
        if (!request.command().isEmpty()) {
            return request.command();
        }
        String key = request.mode() == LaunchRequest.Mode.START ? "lxc.init.cmd" : "lxc.execute.cmd";
        Optional<String> cmd = config.value(key).map(String::trim).filter(s -> !s.isEmpty());
        if (cmd.isEmpty() && request.mode() == LaunchRequest.Mode.EXECUTE) {
            throw new LxjException("No command given, and lxc.execute.cmd is not set");
        }
        return CommandLine.split(cmd.orElse(DEFAULT_INIT));
    }

    private static long id(ContainerConfig config, String key) {
        return config.value(key).map(String::trim).filter(s -> !s.isEmpty()).map(Long::parseLong).orElse(0L);
    }

    /** {@code container=lxc}, then {@code lxc.environment} and {@code lxc.environment.runtime} in order. */
    List<String> environment(ContainerConfig config) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("container", "lxc");
        for (ConfigEntry e : config.entries()) {
            if (!e.key().equals("lxc.environment") && !e.key().equals("lxc.environment.runtime")) {
                continue;
            }
            String v = e.value().trim();
            int eq = v.indexOf('=');
            if (eq > 0) {
                env.put(v.substring(0, eq), v.substring(eq + 1));
            } else if (!v.isEmpty() && request.hostEnv().containsKey(v)) {
                env.put(v, request.hostEnv().get(v));
            }
        }
        List<String> out = new ArrayList<>();
        env.forEach((k, v) -> out.add(k + "=" + v));
        if (!env.containsKey("PATH")) {
            out.add(DEFAULT_PATH);
        }
        return out;
    }
}
