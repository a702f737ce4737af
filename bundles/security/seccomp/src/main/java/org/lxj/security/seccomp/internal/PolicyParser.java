package org.lxj.security.seccomp.internal;

import java.nio.file.Path;
import java.util.Optional;

/** Reads a policy in whichever format its content shows: OCI JSON when it starts with {@code {}, else LXC. */
final class PolicyParser {

    private PolicyParser() {
    }

    static Policy parse(String text, Optional<Path> source) {
        if (OciPolicyParser.looksLikeJson(text)) {
            return OciPolicyParser.parse(text, source);
        }
        return LxcPolicyParser.parse(text, source);
    }
}
