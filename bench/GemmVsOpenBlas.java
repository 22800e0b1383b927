/*
 * yuefu's sgemm against OpenBLAS's in one process, interleaved: on a shared VM whose speed changes every few
 * seconds (this build machine's vCPUs switch between ~85 and ~48 GFLOP/s of fma throughput), only slots of a
 * few tens of milliseconds taken in turn compare two GEMMs fairly. OpenBLAS is called through the JDK's foreign
 * function API (cblas_sgemm on the same float data, copied once into native memory).
 *
 *   source bin/jdk.sh
 *   env -u OPENBLAS_CORETYPE $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
 *       -cp target/yuefu.jar bench/GemmVsOpenBlas.java M K N [nn|nt|tn|tt] [SECONDS] [LIBOPENBLAS]
 *
 * One thread on both sides (interleaving two multi-threaded libraries in one process would measure their
 * spinning workers stealing each other's cores; compare 2-thread speed with separate processes instead).
 * Variants, each slot in turn: OpenBLAS; yuefu with each of its tile models (VectorGemm.Tiles: 12 × L and
 * 12 × 2L, A packed in rows), each also with B packed beforehand (as the model's recurrent weights
 * are). Prints median and 90th percentile GFLOP/s of the slots after the first fifth (JIT warm-up).
 */
import io.github.yuefu.kernel.Gemm;
import io.github.yuefu.kernel.Parallel;
import io.github.yuefu.kernel.VectorGemm;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;

public class GemmVsOpenBlas {
    static final String[] LIBS = {"/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0",
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0", "/usr/lib/x86_64-linux-gnu/libopenblas.so.0"};
    static final long SLOT_NS = 25_000_000L;

    public static void main(String[] args) throws Throwable {
        if (args.length < 3) {
            System.err.println("usage: GemmVsOpenBlas M K N [nn|nt|tn|tt] [SECONDS] [LIBOPENBLAS]");
            System.exit(2);
        }
        int m = Integer.parseInt(args[0]), k = Integer.parseInt(args[1]), n = Integer.parseInt(args[2]);
        String tr = args.length > 3 ? args[3] : "nn";
        boolean ta = tr.charAt(0) == 't', tb = tr.charAt(1) == 't';
        double seconds = args.length > 4 ? Double.parseDouble(args[4]) : 10;
        String lib = args.length > 5 ? args[5] : null;
        for (String c : LIBS) if (lib == null && Files.exists(Path.of(c))) lib = c;
        if (lib == null || !Files.exists(Path.of(lib))) {
            System.err.println("GemmVsOpenBlas: no libopenblas.so.0 (apt-get install libopenblas0-openmp, or give its path)");
            System.exit(2);
        }
        Linker linker = Linker.nativeLinker();
        SymbolLookup blas = SymbolLookup.libraryLookup(Path.of(lib), Arena.global());
        MethodHandle sgemm = linker.downcallHandle(blas.find("cblas_sgemm").orElseThrow(), FunctionDescriptor.ofVoid(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_FLOAT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        MethodHandle setThreads = linker.downcallHandle(blas.find("openblas_set_num_threads").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
        setThreads.invokeExact(1);
        Parallel.setThreads(1);

        SplittableRandom rnd = new SplittableRandom(1);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextDouble(-1, 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextDouble(-1, 1);
        int lda = ta ? m : k, ldb = tb ? k : n;
        MemorySegment na = Arena.global().allocate(4L * a.length, 64), nb = Arena.global().allocate(4L * b.length, 64);
        MemorySegment nc = Arena.global().allocate(4L * c.length, 64);
        MemorySegment.copy(a, 0, na, ValueLayout.JAVA_FLOAT, 0, a.length);
        MemorySegment.copy(b, 0, nb, ValueLayout.JAVA_FLOAT, 0, b.length);

        // Every tile model, each plain and with B packed beforehand (as the model's recurrent weights are).
        VectorGemm.Tiles[] models = VectorGemm.Tiles.values();
        VectorGemm[] gs = new VectorGemm[models.length];
        Gemm.PackedB[] packs = new Gemm.PackedB[models.length];
        List<String> names = new ArrayList<>(List.of("openblas"));
        for (int t = 0; t < models.length; t++) {
            gs[t] = VectorGemm.of(FloatVector.SPECIES_PREFERRED, models[t]);
            packs[t] = gs[t].pack(tb, k, n, b, 0, ldb, null);
        }
        for (VectorGemm g : gs) names.add(g.toString());
        for (VectorGemm g : gs) names.add(g + ", B packed");
        List<List<Double>> rates = new ArrayList<>();
        for (String ignored : names) rates.add(new ArrayList<>());
        double flop = 2.0 * m * n * k;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        for (int round = 0; System.nanoTime() < end; round++) {
            for (int i = 0; i < names.size(); i++) {
                int v = (i + round) % names.size();   // rotate who goes first
                long t0 = System.nanoTime(), t;
                int reps = 0;
                do {
                    if (v == 0) {
                        sgemm.invokeExact(101, ta ? 112 : 111, tb ? 112 : 111, m, n, k, 1f, na, lda, nb, ldb, 0f, nc, n);
                    } else if (v <= gs.length) {
                        gs[v - 1].sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
                    } else {
                        int g = v - 1 - gs.length;
                        gs[g].sgemm(ta, m, n, k, 1f, a, 0, lda, packs[g], 0f, c, 0, n);
                    }
                    reps++;
                    t = System.nanoTime() - t0;
                } while (t < SLOT_NS);
                rates.get(v).add(flop * reps / t);
            }
        }
        System.out.printf("%d x %d x %d %s, 1 thread, %s, slots of %d ms in turn:%n", m, k, n, tr, lib, SLOT_NS / 1_000_000);
        for (int v = 0; v < names.size(); v++) {
            List<Double> r = rates.get(v);
            List<Double> s = new ArrayList<>(r.subList(r.size() / 5, r.size()));
            Collections.sort(s);
            System.out.printf("  %-32s median %6.1f  p90 %6.1f GFLOP/s  (%d slots)%n", names.get(v), s.get(s.size() / 2),
                    s.get(s.size() * 9 / 10), s.size());
        }
    }
}
