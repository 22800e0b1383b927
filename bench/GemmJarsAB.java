/*
 * Two (or more) builds of yuefu's sgemm against each other in one process, interleaved: each jar is loaded in a
 * class loader of its own, and 50 ms slots of each are taken in turn, so that a VM whose speed changes every few
 * seconds slows every build alike. This is how a kernel change is measured before it lands (docs/engine.md):
 *
 *   source bin/jdk.sh
 *   cp target/yuefu.jar /tmp/before.jar        # build, change, build again, then
 *   $JAVA_HOME/bin/java [-Dpre=true] --add-modules jdk.incubator.vector bench/GemmJarsAB.java \
 *       /tmp/before.jar target/yuefu.jar M,K,N[,tA,tB] THREADS SECONDS
 *
 * tA/tB: "t" for a transposed operand. -Dpre=true packs B once beforehand (Gemm.pack), as the model's recurrent
 * weights are. Each jar's Gemms.best() and its own Parallel pool at THREADS threads (two multi-threaded builds
 * interleaved share the cores between their pools' spinning workers, so trust one-thread figures most). Prints
 * median and 90th percentile GFLOP/s of the slots after two warm-up rounds.
 */
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

public class GemmJarsAB {
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: GemmJarsAB JAR... M,K,N[,tA,tB] THREADS SECONDS");
            System.exit(2);
        }
        int jars = args.length - 3;
        String[] shape = args[jars].split(",");
        int m = Integer.parseInt(shape[0]), k = Integer.parseInt(shape[1]), n = Integer.parseInt(shape[2]);
        boolean ta = shape.length > 3 && shape[3].equals("t"), tb = shape.length > 4 && shape[4].equals("t");
        int threads = Integer.parseInt(args[jars + 1]);
        double seconds = Double.parseDouble(args[jars + 2]);
        boolean pre = Boolean.getBoolean("pre");

        Object[] gemms = new Object[jars], packed = new Object[jars];
        Method[] plain = new Method[jars], prepacked = new Method[jars];
        Random rnd = new Random(1);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = rnd.nextFloat() - 0.5f;
        int lda = ta ? m : k, ldb = tb ? k : n;
        for (int i = 0; i < jars; i++) {
            URLClassLoader cl = new URLClassLoader(new URL[] {Path.of(args[i]).toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            cl.loadClass("io.github.yuefu.kernel.Parallel").getMethod("setThreads", int.class).invoke(null, threads);
            gemms[i] = cl.loadClass("io.github.yuefu.kernel.Gemms").getMethod("best").invoke(null);
            Class<?> gemm = cl.loadClass("io.github.yuefu.kernel.Gemm");
            Class<?> packedB = cl.loadClass("io.github.yuefu.kernel.Gemm$PackedB");
            plain[i] = gemm.getMethod("sgemm", boolean.class, boolean.class, int.class, int.class, int.class,
                    float.class, float[].class, int.class, int.class, float[].class, int.class, int.class,
                    float.class, float[].class, int.class, int.class);
            prepacked[i] = gemm.getMethod("sgemm", boolean.class, int.class, int.class, int.class, float.class,
                    float[].class, int.class, int.class, packedB, float.class, float[].class, int.class, int.class);
            if (pre) {
                packed[i] = gemm.getMethod("pack", boolean.class, int.class, int.class, float[].class, int.class,
                        int.class, packedB).invoke(gemms[i], tb, k, n, b, 0, ldb, null);
            }
        }

        double flop = 2.0 * m * n * k;
        List<List<Double>> slots = new ArrayList<>();
        for (int i = 0; i < jars; i++) slots.add(new ArrayList<>());
        long end = System.nanoTime() + (long) (seconds * 1e9);
        for (int round = 0; System.nanoTime() < end || round < 4; round++) {
            for (int turn = 0; turn < jars; turn++) {
                int j = (turn + round) % jars;      // who goes first rotates
                long t0 = System.nanoTime();
                int calls = 0;
                do {
                    if (pre) prepacked[j].invoke(gemms[j], ta, m, n, k, 1f, a, 0, lda, packed[j], 0f, c, 0, n);
                    else plain[j].invoke(gemms[j], ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
                    calls++;
                } while (System.nanoTime() - t0 < 50_000_000L);
                if (round >= 2) slots.get(j).add(flop * calls / (System.nanoTime() - t0));
            }
        }
        System.out.printf("%d x %d x %d %s%s, %d thread(s)%s, 50 ms slots in turn:%n", m, k, n, ta ? "t" : "n",
                tb ? "t" : "n", threads, pre ? ", B pre-packed" : "");
        for (int i = 0; i < jars; i++) {
            List<Double> x = slots.get(i);
            Collections.sort(x);
            System.out.printf("  %-40s median %6.1f  p90 %6.1f GFLOP/s  (%d slots)%n", args[i],
                    x.get(x.size() / 2), x.get((int) (x.size() * 0.9)), x.size());
        }
    }
}
