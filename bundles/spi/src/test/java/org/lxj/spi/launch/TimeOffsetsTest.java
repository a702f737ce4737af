package org.lxj.spi.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class TimeOffsetsTest {

    private static LaunchPlan.Builder minimal() {
        return LaunchPlan.builder().cloneNamespace(Namespace.MOUNT)
                .process(ProcessSpec.root(List.of("/sbin/init"), List.of()));
    }

    @Test
    void writesNegativeOffsetsWithPositiveNanoseconds() {
        TimeOffsets t = new TimeOffsets(Duration.ofMillis(-1500), Duration.ofSeconds(3600));
        assertEquals("monotonic -2 500000000\nboottime 3600 0\n", t.timensOffsetsText());
    }

    @Test
    void planCarriesOffsetsWithATimeNamespace() {
        TimeOffsets t = new TimeOffsets(Duration.ofSeconds(10), Duration.ZERO);
        LaunchPlan plan = minimal().cloneNamespace(Namespace.TIME).timeOffsets(t).build();
        assertEquals(Optional.of(t), plan.timeOffsets());
        assertTrue(TimeOffsets.NONE.isZero());
    }

    @Test
    void offsetsNeedATimeNamespace() {
        PlanValidationException e = assertThrows(PlanValidationException.class,
                () -> minimal().timeOffsets(new TimeOffsets(Duration.ofSeconds(10), Duration.ZERO)).build());
        assertEquals("Invalid time offsets \"monotonic 10 0, boottime 0 0\": need a new time namespace", e.getMessage());
    }

    @Test
    void rejectsOffsetsBeyondTheKernelRange() {
        assertThrows(PlanValidationException.class,
                () -> new TimeOffsets(Duration.ofSeconds(TimeOffsets.MAX_SECONDS), Duration.ZERO));
    }
}
