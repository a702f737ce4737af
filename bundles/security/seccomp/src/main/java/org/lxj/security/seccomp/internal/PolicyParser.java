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

    /** Like {@link #parse(String, Optional)}, flattening a Docker/Moby profile for {@code docker}. */
    static Policy parse(String text, Optional<Path> source, DockerTarget docker) {
        if (OciPolicyParser.looksLikeJson(text)) {
            return OciPolicyParser.parse(text, source, docker);
        }
        return LxcPolicyParser.parse(text, source);
    }
}
