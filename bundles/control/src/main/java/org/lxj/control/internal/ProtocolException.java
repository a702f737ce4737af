package org.lxj.control.internal;

/** A client sent something the control protocol does not allow; the message is sent back to it. */
final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    ProtocolException(String message) {
        super(message);
    }
}
