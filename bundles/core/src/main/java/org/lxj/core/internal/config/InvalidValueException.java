package org.lxj.core.internal.config;

/**
 * A value rejected by a validator; the parser turns it into a {@link org.lxj.api.ConfigException} with the
 * file, line, key and value. Only the reason is carried here.
 */
final class InvalidValueException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidValueException(String reason) {
        super(reason, null, false, false);
    }
}
