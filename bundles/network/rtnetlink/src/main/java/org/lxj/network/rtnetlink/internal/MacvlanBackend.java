package org.lxj.network.rtnetlink.internal;

import java.util.Map;
import java.util.function.Consumer;

import org.lxj.linux.Syscalls;
import org.lxj.linux.netlink.MessageBuilder;
import org.lxj.linux.netlink.Rt;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.network.NetworkBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code lxc.net.N.type = macvlan} on parent {@code link}, {@code macvlan.mode} private (default), vepa, bridge, passthru. */
@Component(service = NetworkBackend.class, property = Backend.TYPE_PROPERTY + "=" + MacvlanBackend.TYPE)
public final class MacvlanBackend extends ParentedBackend {
    static final String TYPE = "macvlan";
    private static final Map<String, Integer> MODES = Map.of("private", 1, "vepa", 2, "bridge", 4, "passthru", 8);

    @Activate
    public MacvlanBackend(@Reference Syscalls sys) {
        super(sys);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    String kind() {
        return "macvlan";
    }

    @Override
    Consumer<MessageBuilder> data(NicSettings s) {
        String mode = s.value("macvlan.mode").orElse("private");
        Integer m = MODES.get(mode);
        if (m == null) {
            throw s.invalid("macvlan.mode", mode, "Invalid macvlan mode \"" + mode
                    + "\": expected private, vepa, bridge or passthru");
        }
        return b -> b.u32(Rt.IFLA_MACVLAN_MODE, m);
    }
}
