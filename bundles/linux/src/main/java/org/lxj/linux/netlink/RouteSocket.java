package org.lxj.linux.netlink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.lxj.linux.Errno;
import org.lxj.linux.ReceivedMessage;
import org.lxj.linux.SocketFlags;
import org.lxj.linux.Syscalls;

/**
 * A {@code NETLINK_ROUTE} socket in the network namespace of the thread that opened it. Requests are sent to the
 * kernel and acknowledged one at a time; an error reply becomes a {@link NetlinkException} naming the request.
 * Not thread-safe: one socket per task.
 */
public final class RouteSocket implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;

    private final Syscalls sys;
    private final int fd;
    private final byte[] buffer = new byte[BUFFER];
    private int seq;

    /** Opens a route socket in the calling thread's network namespace. */
    public RouteSocket(Syscalls sys) {
        this.sys = sys;
        this.fd = sys.socket(Rt.AF_NETLINK, Rt.SOCK_RAW | SocketFlags.SOCK_CLOEXEC, Rt.NETLINK_ROUTE);
    }

    /** The next sequence number for a request built by a caller. */
    public int nextSeq() {
        return ++seq;
    }

    /**
     * Sends {@code request} (built with {@code NLM_F_ACK}) and waits for its acknowledgement.
     *
     * @param what what the request does, for the error ({@code create veth "vethAB"})
     * @throws NetlinkException when the kernel answers with an error
     */
    public void request(byte[] request, String what) {
        exchange(request, what);
    }

    /** Sends a dump request and collects every reply message until {@code NLMSG_DONE}. */
    public List<Message> dump(byte[] request, String what) {
        return exchange(request, what);
    }

    private List<Message> exchange(byte[] request, String what) {
        int mySeq = ByteBuffer.wrap(request).order(ByteOrder.nativeOrder()).getInt(8);
        sys.sendmsg(fd, request, request.length, new int[0], 0);
        List<Message> replies = new ArrayList<>();
        while (true) {
            ReceivedMessage got = sys.recvmsg(fd, buffer, 0, 0);
            for (Message m : Message.parse(buffer, Math.min(got.length(), buffer.length))) {
                if (m.seq() != mySeq) {
                    continue;
                }
                if (m.type() == Rt.NLMSG_ERROR) {
                    int errno = m.errno();
                    if (errno != 0) {
                        throw new NetlinkException(what, errno);
                    }
                    return replies;
                }
                if (m.type() == Rt.NLMSG_DONE) {
                    return replies;
                }
                replies.add(m);
            }
        }
    }

    /** The interface named {@code name}, if it exists. */
    public Optional<LinkInfo> link(String name) {
        byte[] req = new MessageBuilder(Rt.RTM_GETLINK, Rt.NLM_F_REQUEST | Rt.NLM_F_ACK, nextSeq()).ifinfo(Rt.AF_UNSPEC, 0, 0, 0)
                .string(Rt.IFLA_IFNAME, name).build();
        try {
            List<Message> r = exchange(req, "find interface \"" + name + "\"");
            return r.isEmpty() ? Optional.empty() : Optional.of(linkInfo(r.get(0)));
        } catch (NetlinkException e) {
            if (e.is(Errno.ENODEV)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The interface named {@code name}. @throws NetlinkException with ENODEV when it does not exist */
    public LinkInfo require(String name) {
        return link(name).orElseThrow(() -> new NetlinkException("find interface \"" + name + "\"",
                Errno.ENODEV.number()));
    }

    /** Every interface of this namespace. */
    public List<LinkInfo> links() {
        byte[] req = new MessageBuilder(Rt.RTM_GETLINK, Rt.NLM_F_REQUEST | Rt.NLM_F_DUMP, nextSeq())
                .ifinfo(Rt.AF_UNSPEC, 0, 0, 0).build();
        return dump(req, "list interfaces").stream().filter(m -> m.type() == Rt.RTM_NEWLINK)
                .map(RouteSocket::linkInfo).toList();
    }

    /** Every address of {@code family} ({@code AF_UNSPEC} for all) on interface {@code index} (0 for all). */
    public List<AddressInfo> addresses(int family, int index) {
        byte[] req = new MessageBuilder(Rt.RTM_GETADDR, Rt.NLM_F_REQUEST | Rt.NLM_F_DUMP, nextSeq())
                .ifaddr(family, 0, 0, 0, 0).build();
        List<AddressInfo> out = new ArrayList<>();
        for (Message m : dump(req, "list addresses")) {
            if (m.type() != Rt.RTM_NEWADDR) {
                continue;
            }
            ByteBuffer b = ByteBuffer.wrap(m.payload()).order(ByteOrder.nativeOrder());
            int ifindex = b.getInt(4);
            if (index != 0 && ifindex != index) {
                continue;
            }
            Map<Integer, byte[]> a = m.attributes(Rt.IFADDRMSG_LEN);
            byte[] raw = a.containsKey(Rt.IFA_LOCAL) ? a.get(Rt.IFA_LOCAL) : a.get(Rt.IFA_ADDRESS);
            if (raw == null) {
                continue;
            }
            try {
                out.add(new AddressInfo(ifindex, InetAddress.getByAddress(raw), m.payload()[1] & 0xff,
                        m.payload()[3] & 0xff));
            } catch (UnknownHostException e) {
                // a length other than 4 or 16: not an IP address
            }
        }
        return out;
    }

    /** Sends a request made by {@link RtRequests} and waits for its acknowledgement. */
    public void apply(Request r) {
        request(r.build(nextSeq()), r.what());
    }

    static LinkInfo linkInfo(Message m) {
        ByteBuffer b = ByteBuffer.wrap(m.payload()).order(ByteOrder.nativeOrder());
        int index = b.getInt(4);
        int flags = b.getInt(8);
        Map<Integer, byte[]> a = m.attributes(Rt.IFINFOMSG_LEN);
        String kind = "";
        byte[] info = a.get(Rt.IFLA_LINKINFO);
        if (info != null) {
            kind = Message.string(Message.attributes(info, 0, info.length), Rt.IFLA_INFO_KIND).orElse("");
        }
        long rx = 0;
        long tx = 0;
        byte[] stats = a.get(Rt.IFLA_STATS64);
        if (stats != null && stats.length >= 32) {
            ByteBuffer s = ByteBuffer.wrap(stats).order(ByteOrder.nativeOrder());
            rx = s.getLong(16);
            tx = s.getLong(24);
        }
        return new LinkInfo(index, Message.string(a, Rt.IFLA_IFNAME).orElse(""), kind, flags,
                Message.u32(a, Rt.IFLA_MTU, 0), Macs.format(a.get(Rt.IFLA_ADDRESS)), Message.u32(a, Rt.IFLA_MASTER, 0),
                rx, tx);
    }

    @Override
    public void close() {
        sys.close(fd);
    }

    /** A request that is built with its sequence number at send time. */
    public interface Request {
        byte[] build(int seq);

        String what();
    }
}
