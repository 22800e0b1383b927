package io.github.yuefu.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.config.ConfigException;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdditionProblemsTest {

    @Test
    void sumsAreRightInBothOrders() {
        for (DigitOrder order : DigitOrder.values()) {
            AdditionProblems.Batch p = AdditionProblems.training(new SplittableRandom(5), 6, 200, order);
            int t = p.positions();
            assertEquals(7, t);
            for (int r = 0; r < p.batch(); r++) {
                BigInteger a = new BigInteger(AdditionProblems.toNumber(p.a(), r, t, order));
                BigInteger b = new BigInteger(AdditionProblems.toNumber(p.b(), r, t, order));
                assertEquals(a.add(b).toString(), AdditionProblems.toNumber(p.sum(), r, t, order), order + " row " + r);
            }
        }
    }

    @Test
    void parseLaysOutLsbFirstOrAsWritten() {
        AdditionProblems.Batch lsb = AdditionProblems.parse("12345+678", DigitOrder.LSB);
        assertEquals(6, lsb.positions());
        assertEquals("[5, 4, 3, 2, 1, 0]", java.util.Arrays.toString(lsb.a()));
        assertEquals("[8, 7, 6, 0, 0, 0]", java.util.Arrays.toString(lsb.b()));
        assertEquals("13023", AdditionProblems.toNumber(lsb.sum(), 0, 6, DigitOrder.LSB));
        AdditionProblems.Batch msb = AdditionProblems.parse(" 999 + 1 ", DigitOrder.MSB);
        assertEquals("[0, 9, 9, 9]", java.util.Arrays.toString(msb.a()));
        assertEquals("[1, 0, 0, 0]", java.util.Arrays.toString(msb.sum()));
        assertThrows(ConfigException.class, () -> AdditionProblems.parse("12-3", DigitOrder.LSB));
        assertThrows(ConfigException.class, () -> AdditionProblems.parse("1+2+3", DigitOrder.LSB));
    }

    @Test
    void heldOutPairsAreNeverTrainedOnAndAboutOneInEight() {
        SplittableRandom rnd = new SplittableRandom(9);
        AdditionProblems.Batch train = AdditionProblems.training(rnd, 2, 5000, DigitOrder.LSB);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int r = 0; r < train.batch(); r++) {
            seen.add(AdditionProblems.toNumber(train.a(), r, 3, DigitOrder.LSB) + "+"
                    + AdditionProblems.toNumber(train.b(), r, 3, DigitOrder.LSB));
        }
        AdditionProblems.Batch held = AdditionProblems.heldOut(rnd, 2, 2000, DigitOrder.LSB);
        for (int r = 0; r < held.batch(); r++) {
            String k = AdditionProblems.toNumber(held.a(), r, 3, DigitOrder.LSB) + "+"
                    + AdditionProblems.toNumber(held.b(), r, 3, DigitOrder.LSB);
            assertFalse(seen.contains(k), k + " is in both sets");
        }
        int heldCount = 0;
        int[] x = new int[3], y = new int[3];
        for (int a = 0; a < 100; a++) {
            for (int b = 0; b < 100; b++) {
                x[0] = a % 10; x[1] = a / 10; y[0] = b % 10; y[1] = b / 10;
                if (AdditionProblems.isHeldOut(x, y)) heldCount++;
            }
        }
        assertTrue(heldCount > 1000 && heldCount < 1500, "held out " + heldCount + " of 10000");
        // The rule ignores padding, so the same pair is held out at any length.
        int[] x5 = {3, 2, 0, 0, 0, 0}, y5 = {7, 0, 0, 0, 0, 0};
        assertEquals(AdditionProblems.isHeldOut(new int[] {3, 2, 0}, new int[] {7, 0, 0}), AdditionProblems.isHeldOut(x5, y5));
    }

    @Test
    void carriesInFollowTheSchoolAlgorithm() {
        AdditionProblems.Batch p = AdditionProblems.parse("95+17", DigitOrder.MSB); // 5+7 = 12 → carry into tens; 9+1+1 = 11 → final carry
        boolean[] c = AdditionProblems.carriesIn(p, DigitOrder.MSB);
        assertEquals("[false, true, true]", java.util.Arrays.toString(c));
    }
}
