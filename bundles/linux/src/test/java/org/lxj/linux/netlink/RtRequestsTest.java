package org.lxj.linux.netlink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RtRequestsTest {

    @BeforeAll
    static void littleEndian() {
        Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
                "the expected bytes are written for a little-endian host");
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }

    @Test
    void deleteLinkIsByteExact() {
        byte[] got = RtRequests.deleteLink("lxjt0").build(7);
        assertArrayEquals(hex("2c000000 1100 0500 07000000 00000000"
                + "00 00 0000 00000000 00000000 00000000"
                + "0a00 0300 6c786a743000 0000"), got);
    }

    @Test
    void vethPairNestsThePeerWithItsOwnIfinfomsg() {
        byte[] got = RtRequests.newVeth("va", "vb").build(1);
        assertArrayEquals(hex("58000000 1000 0506 01000000 00000000"
                + "00 00 0000 00000000 00000000 00000000"
                + "0700 0300 766100 00"                       // IFLA_IFNAME "va"
                + "3000 1200"                                  // IFLA_LINKINFO, 48 bytes
                + "0900 0100 7665746800 000000"                // IFLA_INFO_KIND "veth"
                + "2000 0200"                                  // IFLA_INFO_DATA, 32 bytes
                + "1c00 0100"                                  // VETH_INFO_PEER, 28 bytes
                + "00 00 0000 00000000 00000000 00000000"      // the peer's ifinfomsg
                + "0700 0300 766200 00"), got);                // its IFLA_IFNAME "vb"
    }

    @Test
    void vethPeerMadeInAnotherNamespaceCarriesItsFd() {
        byte[] got = RtRequests.newVeth("va", "vb", 9).build(1);
        assertArrayEquals(hex("60000000 1000 0506 01000000 00000000"
                + "00 00 0000 00000000 00000000 00000000"
                + "0700 0300 766100 00"
                + "3800 1200"
                + "0900 0100 7665746800 000000"
                + "2800 0200"
                + "2400 0100"
                + "00 00 0000 00000000 00000000 00000000"
                + "0700 0300 766200 00"
                + "0800 1c00 09000000"), got);                // IFLA_NET_NS_FD 9 inside the peer
    }

    @Test
    void linkChangeSetsUpNameMasterAndNamespace() {
        byte[] got = new RtRequests.LinkChange(5, "x").name("eth0").mtu(1400).master(3).netnsFd(9).up(true)
                .build(2);
        assertArrayEquals(hex("44000000 1000 0500 02000000 00000000"
                + "00 00 0000 05000000 01000000 01000000"
                + "0900 0300 6574683000 000000"
                + "0800 0400 78050000"
                + "0800 0a00 03000000"
                + "0800 1c00 09000000"), got);
    }

    @Test
    void ipv4AddressCarriesLocalAddressAndBroadcast() throws Exception {
        byte[] got = RtRequests.addAddress(4, InetAddress.getByName("10.0.3.2"), 24,
                Optional.of(InetAddress.getByName("10.0.3.255"))).build(3);
        assertArrayEquals(hex("30000000 1400 0506 03000000 00000000"
                + "02 18 00 00 04000000"
                + "0800 0200 0a000302"
                + "0800 0100 0a000302"
                + "0800 0400 0a0003ff"), got);
    }

    @Test
    void ipv6AddressSkipsDuplicateDetection() throws Exception {
        byte[] got = RtRequests.addAddress(4, InetAddress.getByName("fd00::2"), 64, Optional.empty()).build(3);
        assertEquals(16 + 8 + 20 + 20, got.length);
        assertEquals(10, got[16]);
        assertEquals(64, got[17]);
        assertEquals(Rt.IFA_F_NODAD, got[18]);
    }

    @Test
    void defaultRouteViaGateway() throws Exception {
        byte[] got = RtRequests.addRoute(Rt.AF_INET, null, 0, InetAddress.getByName("10.0.3.1"), 4).build(9);
        assertArrayEquals(hex("2c000000 1800 0506 09000000 00000000"
                + "02 00 00 00 fe 03 00 01 00000000"
                + "0800 0500 0a000301"
                + "0800 0400 04000000"), got);
    }

    @Test
    void deviceRouteHasLinkScope() throws Exception {
        byte[] got = RtRequests.addRoute(Rt.AF_INET, InetAddress.getByName("10.0.4.0"), 24, null, 2).build(1);
        assertEquals((byte) Rt.RT_SCOPE_LINK, got[16 + 6]);
        assertEquals(24, got[17]);
    }

    @Test
    void parsesAnErrorReplyAndAnAck() {
        byte[] data = hex("24000000 0200 0000 05000000 00000000" + "efffffff" + "00000000000000000000000000000000"
                + "24000000 0200 0000 06000000 00000000" + "00000000" + "00000000000000000000000000000000");
        List<Message> ms = Message.parse(data, data.length);
        assertEquals(2, ms.size());
        assertEquals(17, ms.get(0).errno());
        assertEquals(5, ms.get(0).seq());
        assertEquals(0, ms.get(1).errno());
    }

    @Test
    void refusesALengthPastTheData() {
        byte[] data = hex("40000000 0200 0000 05000000 00000000 00000000");
        assertThrows(IllegalArgumentException.class, () -> Message.parse(data, data.length));
    }

    @Test
    void parsesNestedAttributes() {
        byte[] data = hex("0900 0100 7665746800 000000" + "0800 0400 dc050000");
        var attrs = Message.attributes(data, 0, data.length);
        assertEquals("veth", Message.string(attrs, 1).orElseThrow());
        assertEquals(1500, Message.u32(attrs, 4, 0));
    }

    @Test
    void macsRoundTrip() {
        assertEquals("00:16:3e:0a:bc:ff", Macs.format(Macs.parse("00:16:3E:0a:bc:ff")));
        assertThrows(IllegalArgumentException.class, () -> Macs.parse("00:16:3e:0a:bc"));
    }
}
