package org.lxj.network.rtnetlink.internal;

import java.util.function.Consumer;

import org.lxj.linux.Syscalls;
import org.lxj.linux.netlink.MessageBuilder;
import org.lxj.linux.netlink.Rt;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.network.NetworkBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code lxc.net.N.type = vlan}: an 802.1Q device with {@code vlan.id} (0 to 4094) on parent {@code link}. */
@Component(service = NetworkBackend.class, property = Backend.TYPE_PROPERTY + "=" + VlanBackend.TYPE)
public final class VlanBackend extends ParentedBackend {
    static final String TYPE = "vlan";

    @Activate
    public VlanBackend(@Reference Syscalls sys) {
        super(sys);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    String kind() {
        return "vlan";
    }

    @Override
    Consumer<MessageBuilder> data(NicSettings s) {
        String v = s.value("vlan.id").orElseThrow(() -> s.invalid("vlan.id", "", "Network interface "
                + s.nic().index() + " of type \"vlan\" needs lxc.net." + s.nic().index() + ".vlan.id"));
        int id;
        try {
            id = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            id = -1;
        }
        if (id < 0 || id > 4094) {
            throw s.invalid("vlan.id", v, "Invalid VLAN id \"" + v + "\": expected 0 to 4094");
        }
        int vid = id;
        return b -> b.u16(Rt.IFLA_VLAN_ID, vid);
    }
}
