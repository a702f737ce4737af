package org.lxj.dist.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class GogoRunnerTest {

    /** Shaped like org.lxj.api.LxjException: the status is found by its public method, not its type. */
    static final class StatusException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        StatusException(String message, int status) {
            super(message);
            this.status = status;
        }

        public int exitStatus() {
            return status;
        }
    }

    @Test
    void exitStatusOfTheFailureOrACause() {
        assertEquals(2, GogoRunner.exitStatus(new StatusException("c1: not running", 2)));
        assertEquals(3, GogoRunner.exitStatus(new IllegalStateException("wrapped", new StatusException("x", 3))));
        assertNull(GogoRunner.exitStatus(new IllegalArgumentException("plain")));
    }

    @Test
    void exitVariableTakesNumbersAndNumericText() {
        assertEquals(2, GogoRunner.exitVariable(2));
        assertEquals(7, GogoRunner.exitVariable(7L));
        assertEquals(3, GogoRunner.exitVariable("3"));
        assertEquals(0, GogoRunner.exitVariable("three"));
        assertEquals(0, GogoRunner.exitVariable(null));
    }

    @Test
    void messageFallsBackToTheClassName() {
        assertEquals("boom", GogoRunner.message(new RuntimeException("boom")));
        assertEquals("java.lang.NullPointerException", GogoRunner.message(new NullPointerException()));
    }
}
