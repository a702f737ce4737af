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

/**
 * {@code lxc.net.N.type = ipvlan} on parent {@code link}: {@code ipvlan.mode} l3 (default), l3s, l2 and
 * {@code ipvlan.isolation} bridge (default), private, vepa.
 */
@Component(service = NetworkBackend.class, property = Backend.TYPE_PROPERTY + "=" + IpvlanBackend.TYPE)
public final class IpvlanBackend extends ParentedBackend {
    static final String TYPE = "ipvlan";
    private static final Map<String, Integer> MODES = Map.of("l2", 0, "l3", 1, "l3s", 2);
    private static final Map<String, Integer> ISOLATION = Map.of("bridge", 0, "private", 1, "vepa", 2);

    @Activate
    public IpvlanBackend(@Reference Syscalls sys) {
        super(sys);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    String kind() {
        return "ipvlan";
    }

    @Override
    Consumer<MessageBuilder> data(NicSettings s) {
        String mode = s.value("ipvlan.mode").orElse("l3");
        String iso = s.value("ipvlan.isolation").orElse("bridge");
        Integer m = MODES.get(mode);
        if (m == null) {
            throw s.invalid("ipvlan.mode", mode, "Invalid ipvlan mode \"" + mode + "\": expected l3, l3s or l2");
        }
        Integer i = ISOLATION.get(iso);
        if (i == null) {
            throw s.invalid("ipvlan.isolation", iso, "Invalid ipvlan isolation \"" + iso
                    + "\": expected bridge, private or vepa");
        }
        return b -> b.u16(Rt.IFLA_IPVLAN_MODE, m).u16(Rt.IFLA_IPVLAN_FLAGS, i);
    }
}
