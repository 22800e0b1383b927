package io.github.yuefu.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.config.ConfigException;
import org.junit.jupiter.api.Test;

class LrScheduleTest {

    @Test
    void stepDecayAndCosine() {
        LrSchedule step = new LrSchedule(LrSchedule.Kind.STEP, 0.1, 0.5, 10, 100, 0, 1);
        assertEquals(0.1, step.lr(0), 1e-15);
        assertEquals(0.1, step.lr(9), 1e-15);
        assertEquals(0.05, step.lr(10), 1e-15);
        assertEquals(0.025, step.lr(25), 1e-15);
        LrSchedule cos = new LrSchedule(LrSchedule.Kind.COSINE, 0.1, 1, 1, 100, 0.001, 1);
        assertEquals(0.1, cos.lr(0), 1e-15);
        assertEquals(0.0505, cos.lr(50), 1e-12);
        assertEquals(0.001, cos.lr(100), 1e-15);
        assertEquals(0.001, cos.lr(500), 1e-15);
    }

    @Test
    void plateauCutsAfterPatienceAndStateRestores() {
        LrSchedule s = new LrSchedule(LrSchedule.Kind.PLATEAU, 0.01, 0.5, 1, 1, 0, 2);
        assertFalse(s.onValidation(3.0));
        assertFalse(s.onValidation(3.1));
        assertFalse(s.onValidation(3.0)); // equal is no improvement, 2 bad so far
        assertTrue(s.onValidation(3.2));  // third bad evaluation > patience 2
        assertEquals(0.005, s.lr(0), 1e-15);
        LrSchedule t = new LrSchedule(LrSchedule.Kind.PLATEAU, 0.01, 0.5, 1, 1, 0, 2);
        t.restore(s.state());
        assertEquals(s.lr(7), t.lr(7), 0);
        assertEquals(s.state(), t.state());
    }

    @Test
    void badValuesAreConfigErrors() {
        assertThrows(ConfigException.class, () -> LrSchedule.Kind.parse("linear"));
        assertThrows(ConfigException.class, () -> LrSchedule.constant(-1));
        assertThrows(ConfigException.class, () -> new LrSchedule(LrSchedule.Kind.STEP, 0.1, 0.5, 0, 1, 0, 1));
    }
}
