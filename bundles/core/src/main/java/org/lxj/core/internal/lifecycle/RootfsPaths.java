package org.lxj.core.internal.lifecycle;

/** Reading the path out of an {@code lxc.rootfs.path} value without knowing its backend. */
final class RootfsPaths {

    private RootfsPaths() {
    }

    /**
     * The first filesystem path in a value: {@code /x} and {@code type:/x} give {@code /x};
     * {@code type:/a:/b} gives {@code /a}.
     */
    static String firstPath(String value) {
        String v = value.startsWith("/") ? value : value.substring(value.indexOf(':') + 1);
        int colon = v.indexOf(':');
        return colon < 0 ? v : v.substring(0, colon);
    }
}
