package org.lxj.cgroup.v2.internal;

/**
 * One {@code lxc.cgroup2.devices.allow} or {@code .deny} line: {@code a} alone (a global rule: allow makes the list
 * a denylist, deny an allowlist), or {@code TYPE MAJOR:MINOR ACCESS} with type {@code a}, {@code b} or {@code c},
 * {@code *} for any major or minor and access a subset of {@code rwm}.
 *
 * @param allow  whether a match is allowed
 * @param global whether this is the global {@code a} rule
 * @param type   {@code a} (any), {@code b} or {@code c}
 * @param major  the major number, -1 for any
 * @param minor  the minor number, -1 for any
 * @param access {@link #READ}, {@link #WRITE}, {@link #MKNOD} bits, as the kernel's {@code bpf_cgroup_dev_ctx} has them
 */
record DeviceRule(boolean allow, boolean global, char type, long major, long minor, int access) {
    static final int MKNOD = 1;
    static final int READ = 2;
    static final int WRITE = 4;
    static final int ALL = MKNOD | READ | WRITE;

    /**
     * Parses a rule as LXC does.
     *
     * @throws IllegalArgumentException naming the key and the value when the rule is malformed
     */
    static DeviceRule parse(String key, String value, boolean allow) {
        String v = value.trim();
        if (v.equals("a")) {
            return new DeviceRule(allow, true, 'a', -1, -1, ALL);
        }
        String[] f = v.split("\\s+");
        if (f.length < 2 || f.length > 3 || f[0].length() != 1 || "abc".indexOf(f[0].charAt(0)) < 0) {
            throw invalid(key, value);
        }
        String[] mm = f[1].split(":", -1);
        if (mm.length != 2) {
            throw invalid(key, value);
        }
        long major = number(mm[0], key, value);
        long minor = number(mm[1], key, value);
        int access = 0;
        String acc = f.length == 3 ? f[2] : "";
        if (acc.length() > 3) {
            throw invalid(key, value);
        }
        for (char c : acc.toCharArray()) {
            switch (c) {
                case 'r' -> access |= READ;
                case 'w' -> access |= WRITE;
                case 'm' -> access |= MKNOD;
                default -> throw invalid(key, value);
            }
        }
        return new DeviceRule(allow, false, f[0].charAt(0), major, minor, access);
    }

    private static long number(String s, String key, String value) {
        if (s.equals("*")) {
            return -1;
        }
        if (!s.matches("\\d{1,9}")) {
            throw invalid(key, value);
        }
        return Long.parseLong(s);
    }

    private static IllegalArgumentException invalid(String key, String value) {
        return new IllegalArgumentException("Invalid device rule \"" + value + "\" in \"" + key
                + "\": expected \"a\" or \"TYPE MAJOR:MINOR ACCESS\", as in \"c 1:3 rwm\"");
    }

    /** Whether this local rule names the same devices and access as {@code o} (then the later one's verdict counts). */
    boolean sameDevices(DeviceRule o) {
        return type == o.type && major == o.major && minor == o.minor && access == o.access;
    }
}
