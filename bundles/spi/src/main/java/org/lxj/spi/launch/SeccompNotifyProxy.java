package org.lxj.spi.launch;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the monitor forwards the seccomp user notifications of a filter with {@code notify} rules
 * ({@code lxc.seccomp.notify.proxy}, {@code lxc.seccomp.notify.cookie}). The monitor connects a
 * {@code SOCK_SEQPACKET} socket to the proxy and sends LXC's {@code seccomp_notify_proxy_msg} for each
 * notification; a call the proxy does not answer fails with {@code ENOSYS}.
 *
 * @param address the proxy's socket: an absolute path, or {@code @name} for an abstract one (the value of
 *                {@code lxc.seccomp.notify.proxy} without its {@code unix:} prefix), at most
 *                {@link #MAX_ADDRESS} bytes
 * @param cookie  the bytes sent with every message, if any (no NUL)
 * @since 1.3
 */
public record SeccompNotifyProxy(String address, Optional<String> cookie) {

    /** {@code sizeof(sun_path) - 1}. */
    public static final int MAX_ADDRESS = 107;

    public SeccompNotifyProxy {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(cookie, "cookie");
        if (!(address.startsWith("/") || address.startsWith("@")) || address.length() < 2) {
            throw new PlanValidationException("seccomp notify proxy", address,
                    "must be an absolute path or @name");
        }
        if (address.getBytes(StandardCharsets.UTF_8).length > MAX_ADDRESS || address.indexOf('\0') >= 0) {
            throw new PlanValidationException("seccomp notify proxy", address,
                    "must be at most " + MAX_ADDRESS + " bytes without NUL");
        }
        if (cookie.isPresent() && cookie.get().indexOf('\0') >= 0) {
            throw new PlanValidationException("seccomp notify cookie", cookie.get(), "must not contain NUL");
        }
    }

    /**
     * @param value the configured {@code unix:PATH} or {@code unix:@NAME}
     * @param cookie the configured cookie, empty for none
     * @return the proxy
     */
    public static SeccompNotifyProxy parse(String value, String cookie) {
        if (!value.startsWith("unix:")) {
            throw new PlanValidationException("seccomp notify proxy", value, "expected unix:/path or unix:@name");
        }
        return new SeccompNotifyProxy(value.substring("unix:".length()),
                cookie.isEmpty() ? Optional.empty() : Optional.of(cookie));
    }
}
