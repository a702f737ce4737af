package org.lxj.core.internal.config;

/** Validates one non-empty value of a key. */
@FunctionalInterface
interface ValueCheck {

    /**
     * @param key   the canonical key (with its index or subkey)
     * @param value the value, trimmed and dequoted, never empty
     */
    void check(String key, String value) throws InvalidValueException;

    ValueCheck ANY = (k, v) -> { };
}
