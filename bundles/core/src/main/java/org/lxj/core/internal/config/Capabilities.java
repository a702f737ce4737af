package org.lxj.core.internal.config;

import java.util.List;
import java.util.Locale;

/** Linux capability names as LXC writes them (lower case, no {@code CAP_} prefix), indexed by number. */
final class Capabilities {
    static final List<String> NAMES = List.of("chown", "dac_override", "dac_read_search", "fowner", "fsetid",
            "kill", "setgid", "setuid", "setpcap", "linux_immutable", "net_bind_service", "net_broadcast",
            "net_admin", "net_raw", "ipc_lock", "ipc_owner", "sys_module", "sys_rawio", "sys_chroot",
            "sys_ptrace", "sys_pacct", "sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time",
            "sys_tty_config", "mknod", "lease", "audit_write", "audit_control", "setfcap", "mac_override",
            "mac_admin", "syslog", "wake_alarm", "block_suspend", "audit_read", "perfmon", "bpf",
            "checkpoint_restore");

    private Capabilities() {
    }

    /** The number of a capability given by name (with or without {@code CAP_}, any case) or number. */
    static int parse(String token) throws InvalidValueException {
        if (Numbers.isDigits(token)) {
            int n = Numbers.parseInt(token, "a capability number");
            if (n >= NAMES.size()) {
                throw new InvalidValueException("Invalid capability " + token + ": expected a number 0.."
                        + (NAMES.size() - 1) + " or a name such as sys_admin");
            }
            return n;
        }
        String name = token.toLowerCase(Locale.ROOT);
        if (name.startsWith("cap_")) {
            name = name.substring(4);
        }
        int n = NAMES.indexOf(name);
        if (n < 0) {
            throw new InvalidValueException("Invalid capability \"" + token
                    + "\": expected a name such as sys_admin or net_raw, or a number");
        }
        return n;
    }
}
