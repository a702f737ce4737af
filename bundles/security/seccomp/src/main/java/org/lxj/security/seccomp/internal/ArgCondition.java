package org.lxj.security.seccomp.internal;

/**
 * One argument comparison, as libseccomp's {@code struct scmp_arg_cmp}: for {@link Op#MASKED_EQ}
 * {@code (arg & datumA) == datumB}, for the others {@code arg <op> datumA}.
 *
 * @param index  the argument, 0 to 5
 * @param op     the comparison
 * @param datumA the value compared with, or the mask
 * @param datumB the masked value ({@link Op#MASKED_EQ} only)
 */
record ArgCondition(int index, Op op, long datumA, long datumB) {

    /** {@code enum scmp_compare}, in libseccomp's numbering. */
    enum Op {
        NE(1), LT(2), LE(3), EQ(4), GE(5), GT(6), MASKED_EQ(7);

        final int code;

        Op(int code) {
            this.code = code;
        }
    }

    ArgCondition {
        if (index < 0 || index > 5) {
            throw new IllegalArgumentException("Invalid argument index " + index);
        }
    }

    /** Whether a 64-bit argument value satisfies this condition (unsigned comparisons, as the kernel's). */
    boolean test(long arg) {
        return switch (op) {
            case NE -> arg != datumA;
            case LT -> Long.compareUnsigned(arg, datumA) < 0;
            case LE -> Long.compareUnsigned(arg, datumA) <= 0;
            case EQ -> arg == datumA;
            case GE -> Long.compareUnsigned(arg, datumA) >= 0;
            case GT -> Long.compareUnsigned(arg, datumA) > 0;
            case MASKED_EQ -> (arg & datumA) == datumB;
        };
    }
}
