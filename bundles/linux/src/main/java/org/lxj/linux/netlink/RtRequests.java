package org.lxj.linux.netlink;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.function.Consumer;

/** The rtnetlink requests LXJ sends, each built with its sequence number at send time. */
public final class RtRequests {
    private static final int CREATE = Rt.NLM_F_REQUEST | Rt.NLM_F_ACK | Rt.NLM_F_CREATE | Rt.NLM_F_EXCL;
    private static final int CHANGE = Rt.NLM_F_REQUEST | Rt.NLM_F_ACK;

    private RtRequests() {
    }

    private record Simple(String what, java.util.function.IntFunction<byte[]> body) implements RouteSocket.Request {
        @Override
        public byte[] build(int seq) {
            return body.apply(seq);
        }
    }

    /** A veth pair: {@code name} here and {@code peer}, both in this namespace. */
    public static RouteSocket.Request newVeth(String name, String peer) {
        return newVeth(name, peer, -1);
    }

    /**
     * A veth pair: {@code name} here and {@code peer} made directly in the network namespace open as
     * {@code peerNetnsFd} (-1: here). Making the peer there is much cheaper than moving it there afterwards.
     */
    public static RouteSocket.Request newVeth(String name, String peer, int peerNetnsFd) {
        return new Simple("create veth pair \"" + name + "\"/\"" + peer + "\"", seq -> {
            MessageBuilder b = new MessageBuilder(Rt.RTM_NEWLINK, CREATE, seq).ifinfo(Rt.AF_UNSPEC, 0, 0, 0)
                    .string(Rt.IFLA_IFNAME, name).begin(Rt.IFLA_LINKINFO).string(Rt.IFLA_INFO_KIND, "veth")
                    .begin(Rt.IFLA_INFO_DATA).begin(Rt.VETH_INFO_PEER).ifinfo(Rt.AF_UNSPEC, 0, 0, 0)
                    .string(Rt.IFLA_IFNAME, peer);
            if (peerNetnsFd >= 0) {
                b.u32(Rt.IFLA_NET_NS_FD, peerNetnsFd);
            }
            return b.end().end().end().build();
        });
    }

    /**
     * A link of {@code kind} ({@code macvlan}, {@code vlan}, {@code dummy}, {@code bridge}) named {@code name},
     * on parent {@code parentIndex} (0 for none), with {@code data} written inside {@code IFLA_INFO_DATA} (null
     * for none).
     */
    public static RouteSocket.Request newLink(String name, String kind, int parentIndex, Consumer<MessageBuilder> data) {
        return new Simple("create " + kind + " \"" + name + "\"", seq -> {
            MessageBuilder b = new MessageBuilder(Rt.RTM_NEWLINK, CREATE, seq).ifinfo(Rt.AF_UNSPEC, 0, 0, 0)
                    .string(Rt.IFLA_IFNAME, name);
            if (parentIndex > 0) {
                b.u32(Rt.IFLA_LINK, parentIndex);
            }
            b.begin(Rt.IFLA_LINKINFO).string(Rt.IFLA_INFO_KIND, kind);
            if (data != null) {
                b.begin(Rt.IFLA_INFO_DATA);
                data.accept(b);
                b.end();
            }
            return b.end().build();
        });
    }

    private static final int RTM_SETLINK = 19;
    private static final int IFLA_AF_SPEC = 26;
    private static final int IFLA_BRIDGE_VLAN_INFO = 2;
    private static final int BRIDGE_VLAN_INFO_PVID = 2;
    private static final int BRIDGE_VLAN_INFO_UNTAGGED = 4;

    /**
     * Adds ({@code add}) or removes VLAN {@code vid} on bridge port {@code portIndex} (bridge VLAN filtering, as
     * {@code bridge vlan add|del dev PORT vid VID [pvid untagged]}); {@code pvidUntagged} makes it the port's
     * untagged PVID.
     */
    public static RouteSocket.Request bridgeVlan(int portIndex, int vid, boolean pvidUntagged, boolean add) {
        return new Simple((add ? "add" : "remove") + " VLAN " + vid + (pvidUntagged ? " (PVID, untagged)" : "")
                + (add ? " to" : " from") + " bridge port " + portIndex, seq -> {
                    int flags = pvidUntagged ? BRIDGE_VLAN_INFO_PVID | BRIDGE_VLAN_INFO_UNTAGGED : 0;
                    byte[] info = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder())
                            .putShort((short) flags).putShort((short) vid).array();
                    return new MessageBuilder(add ? RTM_SETLINK : Rt.RTM_DELLINK, CHANGE, seq)
                            .ifinfo(Rt.AF_BRIDGE, portIndex, 0, 0).begin(IFLA_AF_SPEC)
                            .attr(IFLA_BRIDGE_VLAN_INFO, info).end().build();
                });
    }

    /** Deletes the interface {@code name} (a veth's peer goes with it). */
    public static RouteSocket.Request deleteLink(String name) {
        return new Simple("delete interface \"" + name + "\"",
                seq -> new MessageBuilder(Rt.RTM_DELLINK, CHANGE, seq).ifinfo(Rt.AF_UNSPEC, 0, 0, 0)
                        .string(Rt.IFLA_IFNAME, name).build());
    }

    /** Changes of one interface; unset fields stay as they are. */
    public static final class LinkChange implements RouteSocket.Request {
        private final int index;
        private final String label;
        private String newName;
        private int mtu;
        private byte[] mac;
        private int master = -1;
        private int netnsFd = -1;
        private Boolean up;

        /** Changes interface {@code index}, called {@code label} in errors. */
        public LinkChange(int index, String label) {
            this.index = index;
            this.label = label;
        }

        public LinkChange name(String value) {
            newName = value;
            return this;
        }

        public LinkChange mtu(int value) {
            mtu = value;
            return this;
        }

        public LinkChange mac(byte[] value) {
            mac = value.clone();
            return this;
        }

        /** Enslaves to bridge {@code bridgeIndex}; 0 releases. */
        public LinkChange master(int bridgeIndex) {
            master = bridgeIndex;
            return this;
        }

        /** Moves into the network namespace open as {@code fd}. */
        public LinkChange netnsFd(int fd) {
            netnsFd = fd;
            return this;
        }

        public LinkChange up(boolean value) {
            up = value;
            return this;
        }

        @Override
        public String what() {
            StringBuilder s = new StringBuilder("set");
            if (newName != null) {
                s.append(" name \"").append(newName).append('"');
            }
            if (mtu > 0) {
                s.append(" mtu ").append(mtu);
            }
            if (mac != null) {
                s.append(" address ").append(Macs.format(mac));
            }
            if (master >= 0) {
                s.append(" master ").append(master);
            }
            if (netnsFd >= 0) {
                s.append(" network namespace");
            }
            if (up != null) {
                s.append(up ? " up" : " down");
            }
            return s.append(" of \"").append(label).append('"').toString();
        }

        @Override
        public byte[] build(int seq) {
            int flags = up == null || !up ? 0 : Rt.IFF_UP;
            int change = up == null ? 0 : Rt.IFF_UP;
            MessageBuilder b = new MessageBuilder(Rt.RTM_NEWLINK, CHANGE, seq).ifinfo(Rt.AF_UNSPEC, index, flags, change);
            if (newName != null) {
                b.string(Rt.IFLA_IFNAME, newName);
            }
            if (mtu > 0) {
                b.u32(Rt.IFLA_MTU, mtu);
            }
            if (mac != null) {
                b.attr(Rt.IFLA_ADDRESS, mac);
            }
            if (master >= 0) {
                b.u32(Rt.IFLA_MASTER, master);
            }
            if (netnsFd >= 0) {
                b.u32(Rt.IFLA_NET_NS_FD, netnsFd);
            }
            return b.build();
        }
    }

    /**
     * Adds {@code address}/{@code prefixLength} to interface {@code index}, with an IPv4 {@code broadcast}. IPv6
     * addresses skip duplicate address detection, so they are usable at once.
     */
    public static RouteSocket.Request addAddress(int index, InetAddress address, int prefixLength,
            Optional<InetAddress> broadcast) {
        boolean v4 = address instanceof Inet4Address;
        return new Simple("add address " + address.getHostAddress() + "/" + prefixLength + " to interface " + index,
                seq -> {
                    MessageBuilder b = new MessageBuilder(Rt.RTM_NEWADDR, CREATE, seq).ifaddr(family(address),
                            prefixLength, v4 ? 0 : Rt.IFA_F_NODAD, Rt.RT_SCOPE_UNIVERSE, index)
                            .attr(Rt.IFA_LOCAL, address.getAddress()).attr(Rt.IFA_ADDRESS, address.getAddress());
                    broadcast.ifPresent(bc -> b.attr(Rt.IFA_BROADCAST, bc.getAddress()));
                    return b.build();
                });
    }

    /**
     * A route in the main table to {@code destination}/{@code prefixLength} (null destination: the default route)
     * via {@code gateway} (null: directly on the link) out of interface {@code index}.
     */
    public static RouteSocket.Request addRoute(int family, InetAddress destination, int prefixLength,
            InetAddress gateway, int index) {
        String dst = destination == null ? "default" : destination.getHostAddress() + "/" + prefixLength;
        return new Simple("add route " + dst + (gateway == null ? "" : " via " + gateway.getHostAddress())
                + " on interface " + index, seq -> {
                    MessageBuilder b = new MessageBuilder(Rt.RTM_NEWROUTE, CREATE, seq).rtmsg(family,
                            destination == null ? 0 : prefixLength, Rt.RT_TABLE_MAIN, Rt.RTPROT_BOOT,
                            gateway == null ? Rt.RT_SCOPE_LINK : Rt.RT_SCOPE_UNIVERSE, Rt.RTN_UNICAST);
                    if (destination != null) {
                        b.attr(Rt.RTA_DST, destination.getAddress());
                    }
                    if (gateway != null) {
                        b.attr(Rt.RTA_GATEWAY, gateway.getAddress());
                    }
                    return b.u32(Rt.RTA_OIF, index).build();
                });
    }

    /** A proxy neighbour entry: interface {@code index} answers ARP/NDP for {@code address} ({@code l2proxy}). */
    public static RouteSocket.Request addProxyNeighbour(int index, InetAddress address) {
        return new Simple("add proxy neighbour " + address.getHostAddress() + " on interface " + index,
                seq -> new MessageBuilder(Rt.RTM_NEWNEIGH, CREATE, seq)
                        .ndmsg(family(address), index, Rt.NUD_PERMANENT, Rt.NTF_PROXY, 0)
                        .attr(Rt.NDA_DST, address.getAddress()).build());
    }

    /** {@code AF_INET} or {@code AF_INET6}. */
    public static int family(InetAddress a) {
        return a instanceof Inet6Address ? Rt.AF_INET6 : Rt.AF_INET;
    }
}
