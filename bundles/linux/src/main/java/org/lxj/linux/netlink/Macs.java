package org.lxj.linux.netlink;

import java.util.HexFormat;

/** MAC addresses as text ({@code 00:16:3e:ab:cd:ef}) and bytes. */
public final class Macs {
    private Macs() {
    }

    /** Colon-separated lower-case hex, empty for null. */
    public static String format(byte[] mac) {
        return mac == null ? "" : HexFormat.ofDelimiter(":").formatHex(mac);
    }

    /**
     * The 6 bytes of {@code text}.
     *
     * @throws IllegalArgumentException when it is not six colon-separated hex bytes
     */
    public static byte[] parse(String text) {
        String[] parts = text.trim().split(":");
        if (parts.length != 6) {
            throw new IllegalArgumentException("Invalid MAC address \"" + text + "\"");
        }
        byte[] out = new byte[6];
        for (int i = 0; i < 6; i++) {
            if (parts[i].length() != 2) {
                throw new IllegalArgumentException("Invalid MAC address \"" + text + "\"");
            }
            try {
                out[i] = (byte) Integer.parseInt(parts[i], 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid MAC address \"" + text + "\"", e);
            }
        }
        return out;
    }
}
