package org.lxj.core.internal.hook;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.lxj.api.ConfigException;
import org.lxj.api.config.ConfigEntry;
import org.lxj.api.config.ContainerConfig;
import org.lxj.spi.launch.Hook;

/**
 * A container's {@code lxc.hook.*} programs with LXC's calling convention, fully computed: the configured value is
 * run as LXC runs it ({@code sh -c "exec VALUE ARGS"}, or directly when it is a plain absolute command line), with
 * the container name, section {@code lxc} and hook type as arguments under {@code lxc.hook.version = 0} and as
 * {@code LXC_HOOK_TYPE}/{@code LXC_HOOK_SECTION} variables under version 1. Every hook also gets LXC's variables
 * ({@code LXC_NAME}, {@code LXC_CONFIG_FILE}, {@code LXC_ROOTFS_MOUNT}, {@code LXC_ROOTFS_PATH},
 * {@code LXC_HOOK_VERSION}, {@code LXC_CGNS_AWARE}, {@code LXC_LOG_LEVEL}, {@code LXC_CONSOLE*} when set) on top of
 * the runtime's environment; stop hooks get {@code LXC_TARGET=stop}, and their namespace references are added by
 * the monitor that holds the namespaces.
 *
 * @param name       the container
 * @param version    {@code lxc.hook.version}
 * @param hooks      the hooks of every stage, in config order
 */
public record ContainerHooks(String name, int version, List<Hook> hooks) {
    /** The section argument LXC passes to container hooks. */
    public static final String SECTION = "lxc";
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=,+@%-]+( +[A-Za-z0-9_./:=,+@%-]+)*");
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public ContainerHooks {
        hooks = List.copyOf(hooks);
    }

    /**
     * The hooks of {@code config}.
     *
     * @param configFile   the config file ({@code LXC_CONFIG_FILE})
     * @param rootfsMount  where the rootfs is mounted on the host ({@code LXC_ROOTFS_MOUNT})
     * @param hostEnv      the runtime's environment, which LXC's hooks inherit
     * @throws ConfigException for an {@code lxc.hook.version} other than 0 or 1
     */
    public static ContainerHooks of(String name, ContainerConfig config, Path configFile, Path rootfsMount,
            Map<String, String> hostEnv) {
        int version = version(config);
        Map<String, String> common = new LinkedHashMap<>(hostEnv);
        common.putIfAbsent("PATH", DEFAULT_PATH);
        common.put("LXC_NAME", name);
        common.put("LXC_CONFIG_FILE", configFile.toString());
        common.put("LXC_ROOTFS_MOUNT", rootfsMount.toString());
        config.rootfsPath().map(String::trim).filter(s -> !s.isEmpty()).ifPresent(p -> common.put("LXC_ROOTFS_PATH", p));
        config.value("lxc.console.path").map(String::trim).filter(s -> !s.isEmpty() && !s.equals("none"))
                .ifPresent(p -> common.put("LXC_CONSOLE", p));
        config.value("lxc.console.logfile").map(String::trim).filter(s -> !s.isEmpty())
                .ifPresent(p -> common.put("LXC_CONSOLE_LOGPATH", p));
        common.put("LXC_CGNS_AWARE", "1");
        common.put("LXC_LOG_LEVEL", config.value("lxc.log.level").map(String::trim).filter(s -> !s.isEmpty())
                .map(ContainerHooks::levelName).orElse("ERROR"));
        common.put("LXC_HOOK_VERSION", Integer.toString(version));
        List<Hook> hooks = new ArrayList<>();
        for (ConfigEntry e : config.entries()) {
            if (!e.key().startsWith("lxc.hook.") || e.key().equals("lxc.hook.version")) {
                continue;
            }
            Optional<Hook.Stage> stage = Hook.Stage.find(e.key().substring("lxc.hook.".length()));
            String value = e.value().trim();
            if (stage.isEmpty() || value.isEmpty()) {
                continue;
            }
            hooks.add(hook(name, version, stage.get(), value, common));
        }
        return new ContainerHooks(name, version, hooks);
    }

    /** The hooks of one stage, in config order. */
    public List<Hook> of(Hook.Stage stage) {
        return hooks.stream().filter(h -> h.stage() == stage).toList();
    }

    /** How a hook is named in messages: its configured value. */
    public static String label(Hook hook) {
        List<String> a = hook.argv();
        return a.size() >= 4 && a.get(1).equals("-c") ? a.get(3) : a.get(0);
    }

    static Hook hook(String name, int version, Hook.Stage stage, String value, Map<String, String> common) {
        List<String> extra = version == 0 ? List.of(name, SECTION, stage.key()) : List.of();
        List<String> argv = new ArrayList<>();
        if (value.startsWith("/") && PLAIN.matcher(value).matches()) {
            argv.addAll(List.of(value.split(" +")));
        } else {
            // what LXC does for every hook: the shell reads the value, "$@" keeps the arguments intact
            argv.addAll(List.of("/bin/sh", "-c", "exec " + value + " \"$@\"", value));
        }
        argv.addAll(extra);
        Map<String, String> env = new LinkedHashMap<>(common);
        if (version == 1) {
            env.put("LXC_HOOK_TYPE", stage.key());
            env.put("LXC_HOOK_SECTION", SECTION);
        }
        if (stage == Hook.Stage.STOP) {
            env.put("LXC_TARGET", "stop");
        }
        List<String> envList = env.entrySet().stream().filter(x -> !x.getKey().isEmpty() && !x.getKey().contains("="))
                .map(x -> x.getKey() + "=" + x.getValue()).toList();
        return new Hook(stage, argv, envList);
    }

    static int version(ContainerConfig config) {
        String v = config.value("lxc.hook.version").map(String::trim).orElse("0");
        if (v.isEmpty() || v.equals("0")) {
            return 0;
        }
        if (v.equals("1")) {
            return 1;
        }
        ConfigEntry e = config.entries().stream().filter(x -> x.key().equals("lxc.hook.version"))
                .reduce((a, b) -> b).orElseThrow();
        throw new ConfigException(e.file(), e.line(), e.key(), v, "must be 0 or 1");
    }

    private static String levelName(String level) {
        String[] names = {"TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "ERROR", "CRIT", "ALERT", "FATAL"};
        if (level.chars().allMatch(Character::isDigit) && level.length() < 3) {
            int n = Integer.parseInt(level);
            return n < names.length ? names[n] : "ERROR";
        }
        return level.toUpperCase(java.util.Locale.ROOT);
    }
}
