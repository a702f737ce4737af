package org.lxj.linux.check;

/** The outcome of one check line, with the word and colour lxc-checkconfig uses for it. */
public enum CheckStatus {
    /** Present: {@code enabled}, green. */
    ENABLED("enabled"),
    /** An optional feature is absent: {@code missing}, yellow. */
    MISSING("missing"),
    /** A mandatory kernel option is absent: {@code required}, red. */
    REQUIRED("required"),
    /** Something LXC relies on at runtime is absent (a cgroup v1 controller): {@code missing}, red. */
    FAILED("missing"),
    /** Neither a kernel configuration nor a probe could tell: {@code unknown}, yellow. */
    UNKNOWN("unknown"),
    /** A value, not a verdict: the line prints its detail ({@code Landlock ABI: 7}) or its items. */
    INFO(""),
    /** A sentence on its own line (the label), as lxc-checkconfig's warnings. */
    NOTE("");

    private final String word;

    CheckStatus(String word) {
        this.word = word;
    }

    /** What lxc-checkconfig prints for it; empty for {@link #INFO} and {@link #NOTE}. */
    public String word() {
        return word;
    }

    /** Whether the line is a verdict printed as {@code label: word}. */
    public boolean isVerdict() {
        return this != INFO && this != NOTE;
    }
}
