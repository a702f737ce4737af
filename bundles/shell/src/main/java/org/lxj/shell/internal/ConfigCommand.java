package org.lxj.shell.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.config.SystemConfig;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code lxc-config}: the system configuration's keys ({@code -l}) and values. Like LXC's, it takes no
 * options beyond {@code -l} and {@code -h}, and answers on standard output.
 */
@Component(service = org.apache.felix.service.command.Function.class,
        property = { "osgi.command.scope=lxc", "osgi.command.function=config" })
public final class ConfigCommand extends LxcCommand {

    static final String HELP = """
            Usage: lxc-config -l: list all available configuration items
                   lxc-config item: print configuration item
            """;

    /** The keys in {@code lxc-config -l}'s order, each with how to read it from the system configuration. */
    private static final Map<String, Function<SystemConfig, String>> KEYS = keys();

    private final ContainerRuntime runtime;

    @Activate
    public ConfigCommand(@Reference ContainerRuntime runtime) {
        super("lxc-config");
        this.runtime = runtime;
    }

    /** Here for {@code help lxc:config}; Gogo calls {@link #execute} with the raw arguments. */
    @Descriptor(HELP)
    public Object config(CommandSession session, @Descriptor("-l or a configuration item") String... args) {
        return execute(session, List.of((Object[]) args));
    }

    @Override
    public int run(CommandIo io, List<String> args) {
        if (args.isEmpty() || List.of("-h", "--help", "--").contains(args.get(0))) {
            io.out().print(HELP);
            return 0;
        }
        String item = args.get(0);
        if (item.equals("-l")) {
            KEYS.keySet().forEach(k -> io.out().print(k + "\n"));
            return 0;
        }
        Function<SystemConfig, String> reader = KEYS.get(item);
        if (reader == null) {
            io.out().print("Unknown configuration item: " + item + "\n");
            return 1;
        }
        String value = Objects.toString(reader.apply(runtime.systemConfig()), "");
        io.out().print(value.isEmpty() ? item + " is not set.\n" : value + "\n");
        return 0;
    }

    private static Map<String, Function<SystemConfig, String>> keys() {
        Map<String, Function<SystemConfig, String>> keys = new LinkedHashMap<>();
        keys.put("lxc.default_config", c -> c.defaultConfig().map(Object::toString).orElse(""));
        keys.put("lxc.lxcpath", c -> c.lxcpath().toString());
        keys.put("lxc.bdev.lvm.vg", SystemConfig::lvmVg);
        keys.put("lxc.bdev.lvm.thin_pool", SystemConfig::lvmThinPool);
        keys.put("lxc.bdev.zfs.root", SystemConfig::zfsRoot);
        keys.put("lxc.cgroup.use", SystemConfig::cgroupUse);
        keys.put("lxc.cgroup.pattern", SystemConfig::cgroupPattern);
        return Collections.unmodifiableMap(keys);
    }
}
