package org.lxj.linux.netlink;

import org.lxj.api.LxjException;
import org.lxj.linux.Errno;

/** A netlink request the kernel refused: {@code Failed to create veth "vethAB12": EEXIST (File exists)}. */
public class NetlinkException extends LxjException {
    private static final long serialVersionUID = 1L;

    private final int errnoNumber;

    public NetlinkException(String what, int errnoNumber) {
        super("Failed to " + what + ": " + Errno.describe(errnoNumber));
        this.errnoNumber = errnoNumber;
    }

    /** The kernel's error number. */
    public int errnoNumber() {
        return errnoNumber;
    }

    /** Whether the error is {@code errno}. */
    public boolean is(Errno errno) {
        return errnoNumber == errno.number();
    }
}
