package io.github.yuefu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorMath}: the vector functions equal their scalar twins bit for bit at every lane width (which, the
 * twins using only IEEE-exact operations, is what makes them tier-independent), the twins are accurate against
 * Math in double, and the edges (±0, tiny, ±88.7, ±∞, NaN, subnormal results) behave like Math's.
 * Exhaustively over all 2^32 floats (a one-off run, too slow for the suite) the maxima were exp 1 ulp, tanh 1 ulp,
 * sigmoid 2 ulp; here a strided sweep over every magnitude checks ≤ 2.
 */
class VectorMathTest {
    static final List<VectorSpecies<Float>> SPECIES = List.of(
            FloatVector.SPECIES_64, FloatVector.SPECIES_128, FloatVector.SPECIES_256, FloatVector.SPECIES_512);

    /** Edge cases, a dense sweep over the range that matters, and random bit patterns (any magnitude). */
    static float[] inputs() {
        List<Float> xs = new ArrayList<>(List.of(0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-30f,
                -1e-30f, 1e-7f, 0.5499999f, 0.55f, -0.55f, 1f, -1f, 9f, 9.2f, -9.2f, 20f, 88.72283f, 88.7229f, 89f,
                -87.3f, -100f, -103.9f, -103.98f, -104f, -200f, Float.MAX_VALUE, -Float.MAX_VALUE,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN));
        for (int i = 0; i <= 20000; i++) xs.add(-110f + 205f * i / 20000);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 4000; i++) xs.add(Float.intBitsToFloat(r.nextInt()));
        for (int i = 0; i < 4000; i++) xs.add((float) r.nextDouble(-12, 12));
        float[] a = new float[xs.size()];
        for (int i = 0; i < a.length; i++) a[i] = xs.get(i);
        return a;
    }

    interface Scalar {
        float apply(float x);
    }

    static void twins(String name, UnaryOperator<FloatVector> vector, Scalar twin) {
        float[] x = inputs();
        for (VectorSpecies<Float> s : SPECIES) {
            int bound = s.loopBound(x.length);
            float[] y = new float[bound];
            for (int i = 0; i < bound; i += s.length()) vector.apply(FloatVector.fromArray(s, x, i)).intoArray(y, i);
            for (int i = 0; i < bound; i++) {
                float want = twin.apply(x[i]);
                if (Float.floatToIntBits(y[i]) != Float.floatToIntBits(want)) {
                    fail(name + " at " + s.vectorBitSize() + " bits, x = " + x[i] + ": vector " + y[i] + ", twin " + want);
                }
            }
        }
    }

    @Test
    void vectorFunctionsEqualTheirScalarTwinsBitForBitAtEveryWidth() {
        twins("exp", VectorMath::exp, VectorMath::exp);
        twins("tanh", VectorMath::tanh, VectorMath::tanh);
        twins("sigmoid", VectorMath::sigmoid, VectorMath::sigmoid);
    }

    @Test
    void laneSumEqualsItsTwinAndIsCloseToTheExactSum() {
        SplittableRandom r = new SplittableRandom(5);
        for (VectorSpecies<Float> s : SPECIES) {
            for (int t = 0; t < 500; t++) {
                float[] lanes = new float[s.length()];
                double exact = 0;
                for (int i = 0; i < lanes.length; i++) {
                    lanes[i] = (float) (r.nextDouble(-1, 1) * Math.pow(10, r.nextInt(-3, 4)));
                    exact += lanes[i];
                }
                float got = VectorMath.sum(FloatVector.fromArray(s, lanes, 0));
                float twin = VectorMath.sum(lanes.clone());
                assertEquals(Float.floatToIntBits(twin), Float.floatToIntBits(got), s + " lanes " + java.util.Arrays.toString(lanes));
                double mag = 0;
                for (float v : lanes) mag += Math.abs(v);
                assertTrue(Math.abs(got - exact) <= 4 * Math.ulp((float) mag), got + " vs " + exact);
            }
        }
        float[] order = {1f, 2f, 3f, 4f};   // ((1 + 3) + (2 + 4)): halves folded onto each other
        assertEquals(10f, VectorMath.sum(order));
    }

    static long ordered(float f) {
        int b = Float.floatToIntBits(f);
        return b < 0 ? (long) Integer.MIN_VALUE - b : b;
    }

    /** Distance in representable floats (+∞ is one past MAX_VALUE); NaN only matches NaN. */
    static long ulps(float a, float b) {
        if (Float.isNaN(a) || Float.isNaN(b)) return Float.isNaN(a) && Float.isNaN(b) ? 0 : Long.MAX_VALUE;
        return Math.abs(ordered(a) - ordered(b));
    }

    interface Reference {
        double apply(double x);
    }

    /** Max ulp error of f against ref (in double, rounded to float) over every 4099th float: all magnitudes. */
    static long maxUlps(Scalar f, Reference ref) {
        long worst = 0;
        for (long bits = 0; bits <= 0xFFFFFFFFL; bits += 4099) {
            float x = Float.intBitsToFloat((int) bits);
            worst = Math.max(worst, ulps(f.apply(x), (float) ref.apply(x)));
        }
        for (float x : inputs()) worst = Math.max(worst, ulps(f.apply(x), (float) ref.apply(x)));
        return worst;
    }

    @Test
    void twinsAreWithinTwoUlpsOfMathInDouble() {
        long exp = maxUlps(VectorMath::exp, Math::exp);
        long tanh = maxUlps(VectorMath::tanh, Math::tanh);
        long sigmoid = maxUlps(VectorMath::sigmoid, x -> 1 / (1 + Math.exp(-x)));
        System.out.printf("VectorMath max error vs Math in double: exp %d ulp, tanh %d ulp, sigmoid %d ulp%n",
                exp, tanh, sigmoid);
        assertTrue(exp <= 2 && tanh <= 2 && sigmoid <= 2, exp + " " + tanh + " " + sigmoid);
    }

    @Test
    void edgesBehaveLikeMath() {
        assertEquals(1f, VectorMath.exp(0f));
        assertEquals(1f, VectorMath.exp(-0f));
        assertEquals(1f, VectorMath.exp(1e-30f));
        assertEquals(0f, VectorMath.exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, VectorMath.exp(-104f));
        assertEquals(0f, VectorMath.exp(-Float.MAX_VALUE));
        assertEquals(Float.POSITIVE_INFINITY, VectorMath.exp(Float.POSITIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, VectorMath.exp(88.7229f));
        assertEquals((float) Math.exp(88.72283f), VectorMath.exp(88.72283f));        // the largest finite result
        assertTrue(ulps(VectorMath.exp(-103.9f), (float) Math.exp(-103.9f)) <= 1);  // subnormal, 2 bits left
        assertTrue(ulps(VectorMath.exp(-100f), (float) Math.exp(-100f)) <= 1);      // subnormal
        assertTrue(Float.isNaN(VectorMath.exp(Float.NaN)));

        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(VectorMath.tanh(-0f)));
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(VectorMath.tanh(0f)));
        assertEquals(Float.MIN_VALUE, VectorMath.tanh(Float.MIN_VALUE));
        assertEquals(-1e-30f, VectorMath.tanh(-1e-30f));
        assertEquals(1f, VectorMath.tanh(9.2f));
        assertEquals(-1f, VectorMath.tanh(Float.NEGATIVE_INFINITY));
        assertEquals(1f, VectorMath.tanh(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(VectorMath.tanh(Float.NaN)));

        assertEquals(0.5f, VectorMath.sigmoid(0f));
        assertEquals(0.5f, VectorMath.sigmoid(-0f));
        assertEquals(1f, VectorMath.sigmoid(Float.POSITIVE_INFINITY));
        assertEquals(0f, VectorMath.sigmoid(Float.NEGATIVE_INFINITY));
        assertTrue(ulps(VectorMath.sigmoid(-100f), (float) (1 / (1 + Math.exp(100)))) <= 2);  // tiny, not 1/∞
        assertTrue(Float.isNaN(VectorMath.sigmoid(Float.NaN)));
    }

    /** The elementwise kernels now give the same bits at every lane width, whatever the row length (tails). */
    @Test
    void elementwiseKernelsGiveTheSameBitsAtEveryWidth() {
        SplittableRandom r = new SplittableRandom(9);
        for (int h : new int[] {1, 5, 16, 17, 33, 100}) {
            int rows = 2;
            float[] gates = KernelsTest.random(r, rows * 4 * h, 6), cPrev = KernelsTest.random(r, rows * h, 2);
            float[] xg = KernelsTest.random(r, rows * 3 * h, 6), hg = KernelsTest.random(r, rows * 3 * h, 6);
            float[] logp = KernelsTest.random(r, 3 * h, 3);
            List<float[]> first = null;
            for (VectorSpecies<Float> s : SPECIES) {
                Kernels k = VectorKernels.ofBits(s.vectorBitSize());
                float[] g = gates.clone(), c = new float[rows * h], hh = new float[rows * h];
                k.lstmForward(g, 0, cPrev, 0, c, 0, hh, 0, rows, h);
                float[] x = xg.clone(), gh = new float[rows * h];
                k.gruForward(x, 0, hg, 0, cPrev, 0, gh, 0, rows, h);
                float[] rh = new float[3 * h];
                k.rnnForward(logp, 0, rh, 0, 3 * h);
                float[] lp = logp.clone(), sum = new float[3 * h];
                k.softmaxMinusOneHot(lp, 0, 3 * h, 1, 0.25f, sum, 0);
                List<float[]> got = List.of(g, c, hh, x, gh, rh, lp, sum);
                if (first == null) first = got;
                for (int a = 0; a < got.size(); a++) {
                    for (int i = 0; i < got.get(a).length; i++) {
                        assertEquals(Float.floatToIntBits(first.get(a)[i]), Float.floatToIntBits(got.get(a)[i]),
                                k.name() + " h " + h + " array " + a + " element " + i);
                    }
                }
            }
        }
    }
}
