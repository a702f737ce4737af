package org.lxj.linux.internal;

/**
 * What a runtime probe found.
 *
 * @param answer whether the feature is there, or that the probe cannot tell
 * @param text   what was seen ({@code /proc/self/ns/pid exists})
 */
record Evidence(Answer answer, String text) {
    enum Answer { PRESENT, ABSENT, UNKNOWN }

    static Evidence present(String text) {
        return new Evidence(Answer.PRESENT, text);
    }

    static Evidence absent(String text) {
        return new Evidence(Answer.ABSENT, text);
    }

    static Evidence unknown(String text) {
        return new Evidence(Answer.UNKNOWN, text);
    }

    boolean isPresent() {
        return answer == Answer.PRESENT;
    }
}
