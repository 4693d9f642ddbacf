package dev.journey.worker.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SplitStepTest {
    private final SplitStep split = new SplitStep("ab", List.of(new SplitStep.Arm("A", 20, "a"), new SplitStep.Arm("B", 80, "b")));

    @Test
    void aUserAlwaysGetsTheSameArm() {
        for (int i = 0; i < 100; i++) {
            assertEquals(split.armFor("j1", "user" + i), split.armFor("j1", "user" + i));
        }
    }

    @Test
    void armsFollowThePercentages() {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            counts.merge(split.armFor("j1", "user" + i).name(), 1, Integer::sum);
        }
        double a = counts.get("A") / 20_000.0;
        assertTrue(a > 0.18 && a < 0.22, "A got " + a);
    }

    @Test
    void zeroPercentArmsGetNobody() {
        SplitStep off = new SplitStep("s", List.of(new SplitStep.Arm("A", 0, "a"), new SplitStep.Arm("B", 100, "b")));
        for (int i = 0; i < 1000; i++) {
            assertEquals("B", off.armFor("j", "u" + i).name());
        }
    }
}
