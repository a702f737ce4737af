package org.lxj.api;

/**
 * The configuration asks for a mechanism this runtime does not provide (no bundle implements it, or the
 * host lacks it). Names the key and what is missing.
 */
public class UnsupportedFeatureException extends LxjException {
    private static final long serialVersionUID = 1L;

    public UnsupportedFeatureException(String message) {
        super(message);
    }
}
