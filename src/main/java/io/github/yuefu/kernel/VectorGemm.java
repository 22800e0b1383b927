package io.github.yuefu.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast sgemm: packed B, cache-blocked, register-tiled, Vector API, split over the {@link Parallel} pool.
 *
 * <p>Dimensions: M rows of C, N columns of C, K the reduction. L = lanes of the species (16 for AVX-512 floats),
 * MR × NR the register tile, KC the depth of one block, NC the width of one packed B panel.
 *
 * <p>Tile models ({@link Tiles}); all give the same bits, only their speed depends on the machine:
 * <ul>
 *   <li><b>Rows, 12 × 2L</b> (32 vector registers: AVX-512, the default there): 24 accumulators, two B vectors,
 *       a broadcast — 14 loads per 24 fmas; A packed per task into rows KC floats apart, which the kernel reads
 *       with constant strides off one index register. On a Sapphire-Rapids-class core it runs at 90-94 % of
 *       OpenBLAS on the output layer's products, against 72-75 % for the 8 × 2L tile that read A in place, the
 *       engine's AVX-512 tile until 2026-12 (its 8 row offsets did not fit the general registers: C2 kept three
 *       in vector registers and moved them back every step, on an fma port).
 *   <li><b>Rows, 12 × L</b> (16 vector registers: AVX2): B packed in L-wide slivers; a row tile (12 or 8 rows)
 *       takes the slivers two at a time, 4 rows per kernel call ({@link #kernel4x2}: 8 accumulators, two B
 *       vectors, a broadcast — 6 loads per 8 fmas, 11 registers). Until 2026-12 one 12 × L kernel (13 loads per
 *       12 fmas, 66-73 GFLOP/s from L1 on a Zen 3 core against 87-89) and an 8 × L one for the bottom tiles,
 *       which C2 compiled with an accumulator on the stack (25 GFLOP/s). The 8 × 2L tile needs 19 registers and
 *       C2 spilled accumulators every step (28 GFLOP/s per Zen 3 core against OpenBLAS's 75).
 * </ul>
 * Both row models put 8-row tiles at the bottom of a block ({@link #rowTileHeight}: 64 = 4·12 + 2·8):
 *
 * <pre>
 *   B packed whole (row splits; pre-packed operands)        otherwise (column splits, small products)
 *   for jc in N step NC:                                   for jc in N step NC:
 *     for ic in M step 48 (384 if A is transposed):          for pc in K step KC: pack the B panel
 *       for pc in K step KC: pack A rows ic.., KC apart       for tiles of the rows (A packed by the caller)
 *         for tiles: for slivers: micro-kernel                    for slivers: micro-kernel
 * </pre>
 *
 * KC blocks inside a chunk of rows read a row-major A as long sequential runs and keep the chunk's C in L2; a
 * transposed A is packed from strips of 16 stored rows walked left to right. The model is chosen from the
 * preferred species (512 bits: 32 registers) and the architecture; {@code -Dyuefu.gemm.registers=16|32} or
 * {@code -Dyuefu.gemm.tiles=12x2L|12xL} overrides it, and tests run every model on any machine.
 *
 * <p>Determinism: every element of C is computed by exactly one thread, over k in the same order (KC blocks in
 * sequence, k ascending inside), and its tile is stored with the same arithmetic (fma(sum, alpha, beta·C)) in
 * full and edge tiles alike, whatever the thread count and the register file — so results are bit-identical run
 * to run, across thread counts, and between the tile models. The work splits over M (tiles of 12 rows) unless there
 * are few rows or B is large for a small M (then over N, tiles of NR columns: see {@link #run}), into up to 4 tasks
 * per thread that threads claim dynamically ({@link Parallel#forTasks}); which thread runs a
 * task does not change its result.
 *
 * <p>Other paths: tiny products (all of M, N, K below 16) use a plain loop (packing would cost more than the
 * product); M ≤ {@value #SMALL_M} without transposed A (generation at batch 1: a matrix-vector product) reads B
 * once without packing: dot products along K when B is transposed (PyTorch weights), row AXPYs otherwise.
 *
 * <p>Allocation: none per call after warm-up. Pack buffers are thread-local and grow once; the work descriptor
 * handed to the pool is a per-calling-thread object, not a capturing lambda.
 */
public abstract sealed class VectorGemm implements Gemm
        permits VectorGemm.W64, VectorGemm.W128, VectorGemm.W256, VectorGemm.W512 {
    /**
     * Rows of the row models' tiles (12 × L, 12 × 2L). Rows left at the bottom of a block go to 8-row tiles
     * ({@link #rowTileHeight}).
     */
    static final int MR_ROWS = 12;
    /** The shorter tile of the row models. */
    static final int MR_ROWS_SHORT = 8;
    /** Largest op(B) (floats, 2 MB) that every task of a row split reads whole on the row path. */
    static final long SMALL_B_ROWS = 1L << 19;
    /** Depth of a block: MR×KC of A is 8 KiB, well inside L1; a KC × NR B sliver 32 KiB. */
    static final int KC = 256;
    /**
     * Below this many multiply-adds (~4 µs on one core) the pool hand-off costs more than it saves. Measured on
     * config D's recurrent step (32 × 128 × 128, 524K multiply-adds, 64 calls per training step): split over two
     * threads it took 60 µs a call inside the step against 8.7 µs on one (alone in a loop the split had paid off,
     * 6 against 8 µs); with the threshold at 1M instead of 256K TrainStepTiming's D step went from 29.7-32.7 to
     * 26.8-27.5 ms (the bench's D step ~1.5 %, within its noise).
     */
    static final long PARALLEL_MIN_MACS = 1L << 20;
    /**
     * The same for the memory-bound matrix-vector path (generation): split from 64K multiply-adds (a 256×256
     * product, ~10 µs). Measured on config A at batch 1, quiet machine, 3 × 3,000 greedy tokens alternating:
     * 5.0-5.4k tokens/s with this threshold, 3.6-4.3k with 1M (only the output layer split); the pool's workers
     * spin between the calls of one token, so a hand-off costs about a microsecond.
     */
    static final long PARALLEL_MIN_MACS_SMALL_M = Parallel.MIN_MATVEC_MACS;
    /** Largest op(B) (floats) packed once and shared by all tasks of a row-split call (32 MB). */
    static final long SHARED_B_MAX = 1L << 23;
    /** Smallest operand (floats, 1 MB) that {@link #pack} lays out on all threads. */
    static final long PARALLEL_PACK_MIN = 1L << 18;
    /** Largest op(A) (floats) packed once and shared by all tasks of a column-split call. */
    static final long SHARED_A_MAX = 1L << 20;
    /** Largest M served by the unpacked matrix-vector path. */
    static final int SMALL_M = 4;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final int lanes;
    private final int nr;          // NR: 2 vectors (12 × 2L) or 1 (12 × L)
    private final int nc;          // NC, a multiple of NR
    private final Tiles tiles;
    private final boolean wide;    // two vectors per tile row (12 × 2L)
    private final int chunkRows = 48;    // rows of A per chunk on the row path (a multiple of 12)
    private final int chunkTRows = 384;  // the same for a transposed A (stored rows read 1.5 KiB at a time)

    private final ThreadLocal<Job> jobs = ThreadLocal.withInitial(() -> new Job(this));

    /** The preferred (widest) species of this machine. */
    public static VectorGemm create() {
        return of(FloatVector.SPECIES_PREFERRED);
    }

    /** A given lane width (tests run 64- to 512-bit species; production uses the preferred one). */
    public static VectorGemm of(VectorSpecies<Float> species) {
        return of(species, vectorRegisters());
    }

    /**
     * A given lane width with the register tiles of a machine with {@code registers} (16 or 32) vector registers.
     * Both paths give the same bits (tests run both on any machine); only their speed depends on the machine.
     */
    public static VectorGemm of(VectorSpecies<Float> species, int registers) {
        if (registers != 16 && registers != 32) throw new IllegalArgumentException("registers must be 16 or 32, not " + registers);
        String forced = System.getProperty("yuefu.gemm.tiles");
        if (forced != null) return of(species, Tiles.of(forced));
        return of(species, registers == 16 ? Tiles.ROWS_12XL : Tiles.ROWS_12X2L);
    }

    /** A given lane width with the given register tiles. */
    public static VectorGemm of(VectorSpecies<Float> species, Tiles tiles) {
        return switch (species.vectorBitSize()) {
            case 64 -> new W64(tiles);
            case 128 -> new W128(tiles);
            case 256 -> new W256(tiles);
            case 512 -> new W512(tiles);
            default -> throw new IllegalArgumentException("no VectorGemm for " + species);
        };
    }

    private VectorGemm(Tiles tiles) {
        this.lanes = species().length();
        this.tiles = tiles;
        this.wide = tiles == Tiles.ROWS_12X2L;
        this.nr = wide ? 2 * lanes : lanes;
        // NC: a KC × NC panel of 512 KB (two-vector tiles) or 256 KB (12 × L tiles: half of a Zen 3 L2, so
        // that the row tiles of a column split find the task's panel still there).
        this.nc = Math.max(nr, (wide ? 512 : 256) / nr * nr);
    }

    /** The register tiles of a VectorGemm; all give the same bits, only their speed depends on the machine. */
    public enum Tiles {
        /** 12-row tiles (8 at the bottom) over pairs of L-wide slivers in 4 × 2 kernels, A packed in rows (16 vector registers, AVX2). */
        ROWS_12XL("12xL"),
        /** 12 × 2L (8 × 2L at the bottom), A packed in rows: 24 accumulators (32 vector registers). */
        ROWS_12X2L("12x2L");

        final String label;

        Tiles(String label) {
            this.label = label;
        }

        static Tiles of(String label) {
            for (Tiles t : values()) if (t.label.equalsIgnoreCase(label.trim())) return t;
            throw new IllegalArgumentException("yuefu.gemm.tiles must be 12xL or 12x2L, not " + label);
        }
    }

    /**
     * Architectural vector registers: 32 on AArch64 and on x86 with AVX-512 (the preferred species is then 512
     * bits wide), 16 on x86 without it (AVX2, AVX, SSE).
     */
    static int vectorRegisters() {
        String forced = System.getProperty("yuefu.gemm.registers");
        if (forced != null) return Integer.parseInt(forced.trim());
        String arch = System.getProperty("os.arch", "");
        if (arch.equals("aarch64") || arch.startsWith("riscv")) return 32;
        return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512 ? 32 : 16;
    }

    /**
     * The row models' tile heights, top to bottom: 12 rows while that leaves no awkward rest, 8 rows for
     * the last 13-16 rows (64 = 4·12 + 2·8: no wasted rows at batch 64) and for a last block of at most 8; 9-11
     * rows go in a part-filled 12-row tile (whose extra rows read packed rows past the last and are discarded).
     */
    static int rowTileHeight(int rowsLeft) {
        if (rowsLeft >= 17 || rowsLeft == MR_ROWS) return MR_ROWS;
        if (rowsLeft >= 13) return MR_ROWS_SHORT;
        return rowsLeft > MR_ROWS_SHORT ? MR_ROWS : MR_ROWS_SHORT;
    }

    /** Rows [0, m) padded to the end of the last tile of the row partition (the packed height of A). */
    static int paddedRows(int m) {
        int r = 0;
        while (r < m) r += rowTileHeight(m - r);
        return r;
    }

    /**
     * The species, as a constant. The Vector API only compiles to vector instructions when the species is a
     * JIT-time constant; an instance field is not one (measured: 100× slower, allocating). Each width is a tiny
     * subclass returning a static final, and since a process uses one width the call is monomorphic and inlined.
     */
    abstract VectorSpecies<Float> species();

    static final class W64 extends VectorGemm {
        W64(Tiles tiles) {
            super(tiles);
        }

        private static final VectorSpecies<Float> S = FloatVector.SPECIES_64;

        @Override
        VectorSpecies<Float> species() {
            return S;
        }
    }

    static final class W128 extends VectorGemm {
        W128(Tiles tiles) {
            super(tiles);
        }

        private static final VectorSpecies<Float> S = FloatVector.SPECIES_128;
        private static final VectorShuffle<Float> X2 = swap(S, 2), X1 = swap(S, 1);
        private static final VectorMask<Float> M2 = bit(S, 2), M1 = bit(S, 1);

        @Override
        VectorSpecies<Float> species() {
            return S;
        }

        @Override
        void sum4(FloatVector s0, FloatVector s1, FloatVector s2, FloatVector s3, float[] out) {
            FloatVector w01 = s0.blend(s1, M2).add(s1.blend(s0, M2).rearrange(X2));
            FloatVector w23 = s2.blend(s3, M2).add(s3.blend(s2, M2).rearrange(X2));
            w01.blend(w23, M1).add(w23.blend(w01, M1).rearrange(X1)).intoArray(out, 0);
            float a = out[1];            // lanes hold the sums of s0, s2, s1, s3
            out[1] = out[2];
            out[2] = a;
        }
    }

    static final class W256 extends VectorGemm {
        W256(Tiles tiles) {
            super(tiles);
        }

        private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
        private static final VectorShuffle<Float> X4 = swap(S, 4), X2 = swap(S, 2), X1 = swap(S, 1);
        private static final VectorMask<Float> M4 = bit(S, 4), M2 = bit(S, 2), M1 = bit(S, 1);

        @Override
        VectorSpecies<Float> species() {
            return S;
        }

        @Override
        boolean transposes() {
            return true;
        }

        @Override
        void transposeBlock(float[] src, int sOff, int lds, float[] dst, int dOff, int ldd) {
            FloatVector v0 = FloatVector.fromArray(S, src, sOff), v1 = FloatVector.fromArray(S, src, sOff + lds);
            FloatVector v2 = FloatVector.fromArray(S, src, sOff + 2 * lds), v3 = FloatVector.fromArray(S, src, sOff + 3 * lds);
            FloatVector v4 = FloatVector.fromArray(S, src, sOff + 4 * lds), v5 = FloatVector.fromArray(S, src, sOff + 5 * lds);
            FloatVector v6 = FloatVector.fromArray(S, src, sOff + 6 * lds), v7 = FloatVector.fromArray(S, src, sOff + 7 * lds);
            FloatVector t;
            t = v0; v0 = t.blend(v4.rearrange(X4), M4); v4 = t.rearrange(X4).blend(v4, M4);
            t = v1; v1 = t.blend(v5.rearrange(X4), M4); v5 = t.rearrange(X4).blend(v5, M4);
            t = v2; v2 = t.blend(v6.rearrange(X4), M4); v6 = t.rearrange(X4).blend(v6, M4);
            t = v3; v3 = t.blend(v7.rearrange(X4), M4); v7 = t.rearrange(X4).blend(v7, M4);
            t = v0; v0 = t.blend(v2.rearrange(X2), M2); v2 = t.rearrange(X2).blend(v2, M2);
            t = v1; v1 = t.blend(v3.rearrange(X2), M2); v3 = t.rearrange(X2).blend(v3, M2);
            t = v4; v4 = t.blend(v6.rearrange(X2), M2); v6 = t.rearrange(X2).blend(v6, M2);
            t = v5; v5 = t.blend(v7.rearrange(X2), M2); v7 = t.rearrange(X2).blend(v7, M2);
            t = v0; v0 = t.blend(v1.rearrange(X1), M1); v1 = t.rearrange(X1).blend(v1, M1);
            t = v2; v2 = t.blend(v3.rearrange(X1), M1); v3 = t.rearrange(X1).blend(v3, M1);
            t = v4; v4 = t.blend(v5.rearrange(X1), M1); v5 = t.rearrange(X1).blend(v5, M1);
            t = v6; v6 = t.blend(v7.rearrange(X1), M1); v7 = t.rearrange(X1).blend(v7, M1);
            v0.intoArray(dst, dOff);
            v1.intoArray(dst, dOff + ldd);
            v2.intoArray(dst, dOff + 2 * ldd);
            v3.intoArray(dst, dOff + 3 * ldd);
            v4.intoArray(dst, dOff + 4 * ldd);
            v5.intoArray(dst, dOff + 5 * ldd);
            v6.intoArray(dst, dOff + 6 * ldd);
            v7.intoArray(dst, dOff + 7 * ldd);
        }

        @Override
        void sum4(FloatVector s0, FloatVector s1, FloatVector s2, FloatVector s3, float[] out) {
            FloatVector w01 = s0.blend(s1, M4).add(s1.blend(s0, M4).rearrange(X4));
            FloatVector w23 = s2.blend(s3, M4).add(s3.blend(s2, M4).rearrange(X4));
            FloatVector z = w01.blend(w23, M2).add(w23.blend(w01, M2).rearrange(X2));
            z.add(z.rearrange(X1)).intoArray(out, 0);
            float a = out[2], b = out[4], c = out[6];   // lanes 0, 2, 4, 6: sums of s0, s2, s1, s3
            out[1] = b;
            out[2] = a;
            out[3] = c;
        }
    }

    static final class W512 extends VectorGemm {
        W512(Tiles tiles) {
            super(tiles);
        }

        private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
        private static final VectorShuffle<Float> X8 = swap(S, 8), X4 = swap(S, 4), X2 = swap(S, 2), X1 = swap(S, 1);
        private static final VectorMask<Float> M8 = bit(S, 8), M4 = bit(S, 4), M2 = bit(S, 2), M1 = bit(S, 1);

        @Override
        VectorSpecies<Float> species() {
            return S;
        }

        @Override
        boolean transposes() {
            return true;
        }

        @Override
        void transposeBlock(float[] src, int sOff, int lds, float[] dst, int dOff, int ldd) {
            FloatVector v0 = FloatVector.fromArray(S, src, sOff), v1 = FloatVector.fromArray(S, src, sOff + lds);
            FloatVector v2 = FloatVector.fromArray(S, src, sOff + 2 * lds), v3 = FloatVector.fromArray(S, src, sOff + 3 * lds);
            FloatVector v4 = FloatVector.fromArray(S, src, sOff + 4 * lds), v5 = FloatVector.fromArray(S, src, sOff + 5 * lds);
            FloatVector v6 = FloatVector.fromArray(S, src, sOff + 6 * lds), v7 = FloatVector.fromArray(S, src, sOff + 7 * lds);
            FloatVector v8 = FloatVector.fromArray(S, src, sOff + 8 * lds), v9 = FloatVector.fromArray(S, src, sOff + 9 * lds);
            FloatVector va = FloatVector.fromArray(S, src, sOff + 10 * lds), vb = FloatVector.fromArray(S, src, sOff + 11 * lds);
            FloatVector vc = FloatVector.fromArray(S, src, sOff + 12 * lds), vd = FloatVector.fromArray(S, src, sOff + 13 * lds);
            FloatVector ve = FloatVector.fromArray(S, src, sOff + 14 * lds), vf = FloatVector.fromArray(S, src, sOff + 15 * lds);
            FloatVector t;
            // Stage d swaps the off-diagonal d × d blocks of every 2d × 2d block: rows r and r + d exchange the
            // lanes with bit d set in r's row and clear in r + d's (see VectorGemm.transposeBlock).
            t = v0; v0 = t.blend(v8.rearrange(X8), M8); v8 = t.rearrange(X8).blend(v8, M8);
            t = v1; v1 = t.blend(v9.rearrange(X8), M8); v9 = t.rearrange(X8).blend(v9, M8);
            t = v2; v2 = t.blend(va.rearrange(X8), M8); va = t.rearrange(X8).blend(va, M8);
            t = v3; v3 = t.blend(vb.rearrange(X8), M8); vb = t.rearrange(X8).blend(vb, M8);
            t = v4; v4 = t.blend(vc.rearrange(X8), M8); vc = t.rearrange(X8).blend(vc, M8);
            t = v5; v5 = t.blend(vd.rearrange(X8), M8); vd = t.rearrange(X8).blend(vd, M8);
            t = v6; v6 = t.blend(ve.rearrange(X8), M8); ve = t.rearrange(X8).blend(ve, M8);
            t = v7; v7 = t.blend(vf.rearrange(X8), M8); vf = t.rearrange(X8).blend(vf, M8);
            t = v0; v0 = t.blend(v4.rearrange(X4), M4); v4 = t.rearrange(X4).blend(v4, M4);
            t = v1; v1 = t.blend(v5.rearrange(X4), M4); v5 = t.rearrange(X4).blend(v5, M4);
            t = v2; v2 = t.blend(v6.rearrange(X4), M4); v6 = t.rearrange(X4).blend(v6, M4);
            t = v3; v3 = t.blend(v7.rearrange(X4), M4); v7 = t.rearrange(X4).blend(v7, M4);
            t = v8; v8 = t.blend(vc.rearrange(X4), M4); vc = t.rearrange(X4).blend(vc, M4);
            t = v9; v9 = t.blend(vd.rearrange(X4), M4); vd = t.rearrange(X4).blend(vd, M4);
            t = va; va = t.blend(ve.rearrange(X4), M4); ve = t.rearrange(X4).blend(ve, M4);
            t = vb; vb = t.blend(vf.rearrange(X4), M4); vf = t.rearrange(X4).blend(vf, M4);
            t = v0; v0 = t.blend(v2.rearrange(X2), M2); v2 = t.rearrange(X2).blend(v2, M2);
            t = v1; v1 = t.blend(v3.rearrange(X2), M2); v3 = t.rearrange(X2).blend(v3, M2);
            t = v4; v4 = t.blend(v6.rearrange(X2), M2); v6 = t.rearrange(X2).blend(v6, M2);
            t = v5; v5 = t.blend(v7.rearrange(X2), M2); v7 = t.rearrange(X2).blend(v7, M2);
            t = v8; v8 = t.blend(va.rearrange(X2), M2); va = t.rearrange(X2).blend(va, M2);
            t = v9; v9 = t.blend(vb.rearrange(X2), M2); vb = t.rearrange(X2).blend(vb, M2);
            t = vc; vc = t.blend(ve.rearrange(X2), M2); ve = t.rearrange(X2).blend(ve, M2);
            t = vd; vd = t.blend(vf.rearrange(X2), M2); vf = t.rearrange(X2).blend(vf, M2);
            t = v0; v0 = t.blend(v1.rearrange(X1), M1); v1 = t.rearrange(X1).blend(v1, M1);
            t = v2; v2 = t.blend(v3.rearrange(X1), M1); v3 = t.rearrange(X1).blend(v3, M1);
            t = v4; v4 = t.blend(v5.rearrange(X1), M1); v5 = t.rearrange(X1).blend(v5, M1);
            t = v6; v6 = t.blend(v7.rearrange(X1), M1); v7 = t.rearrange(X1).blend(v7, M1);
            t = v8; v8 = t.blend(v9.rearrange(X1), M1); v9 = t.rearrange(X1).blend(v9, M1);
            t = va; va = t.blend(vb.rearrange(X1), M1); vb = t.rearrange(X1).blend(vb, M1);
            t = vc; vc = t.blend(vd.rearrange(X1), M1); vd = t.rearrange(X1).blend(vd, M1);
            t = ve; ve = t.blend(vf.rearrange(X1), M1); vf = t.rearrange(X1).blend(vf, M1);
            v0.intoArray(dst, dOff);
            v1.intoArray(dst, dOff + ldd);
            v2.intoArray(dst, dOff + 2 * ldd);
            v3.intoArray(dst, dOff + 3 * ldd);
            v4.intoArray(dst, dOff + 4 * ldd);
            v5.intoArray(dst, dOff + 5 * ldd);
            v6.intoArray(dst, dOff + 6 * ldd);
            v7.intoArray(dst, dOff + 7 * ldd);
            v8.intoArray(dst, dOff + 8 * ldd);
            v9.intoArray(dst, dOff + 9 * ldd);
            va.intoArray(dst, dOff + 10 * ldd);
            vb.intoArray(dst, dOff + 11 * ldd);
            vc.intoArray(dst, dOff + 12 * ldd);
            vd.intoArray(dst, dOff + 13 * ldd);
            ve.intoArray(dst, dOff + 14 * ldd);
            vf.intoArray(dst, dOff + 15 * ldd);
        }

        @Override
        void sum4(FloatVector s0, FloatVector s1, FloatVector s2, FloatVector s3, float[] out) {
            FloatVector w01 = s0.blend(s1, M8).add(s1.blend(s0, M8).rearrange(X8));
            FloatVector w23 = s2.blend(s3, M8).add(s3.blend(s2, M8).rearrange(X8));
            FloatVector z = w01.blend(w23, M4).add(w23.blend(w01, M4).rearrange(X4));
            z = z.add(z.rearrange(X2));
            z.add(z.rearrange(X1)).intoArray(out, 0);
            float a = out[4], b = out[8], c = out[12];  // lanes 0, 4, 8, 12: sums of s0, s2, s1, s3
            out[1] = b;
            out[2] = a;
            out[3] = c;
        }
    }

    /**
     * out[0..4) = the lane sums of s0..s3 (out has room for max(L, 4) floats; it is scratch too). This default
     * sums each vector on its own; the 128- to 512-bit subclasses fold the four together instead — halves of
     * (s0, s1) and of (s2, s3) added into one vector each, quarters of those two into one, then the lanes left
     * in each quarter — a fixed order of exact lane moves and adds (the same bits in every JIT tier), about a
     * quarter of the instructions. Per subclass, with its own constant shuffles, so the call is monomorphic and
     * small enough to inline: vectors passed to a method that is not inlined are boxed, measured 4× slower.
     */
    void sum4(FloatVector s0, FloatVector s1, FloatVector s2, FloatVector s3, float[] out) {
        float d0 = sumLanes(s0, out), d1 = sumLanes(s1, out), d2 = sumLanes(s2, out), d3 = sumLanes(s3, out);
        out[0] = d0;
        out[1] = d1;
        out[2] = d2;
        out[3] = d3;
    }

    /**
     * dst[dOff + i·ldd + p] = src[sOff + p·lds + i] for i, p in [0, L): one L × L block transposed in registers
     * (L loads, log2 L stages of lane swaps between row pairs, L stores), for the packings of a transposed operand.
     * Stage d pairs rows r and r + d (bit d of r clear): r keeps its lanes without bit d and takes r + d's lanes
     * shifted up by d; r + d takes r's lanes with bit d, shifted down, and keeps its own — the off-diagonal d × d
     * blocks of each 2d × 2d block swap, and after every stage the whole block is transposed. A copy, so the bits
     * are the scalar loop's. (Scalar, 1 load and 1 strided store per float, the packing of dW = dYᵀ·X's A took a
     * quarter of that product's time.) Per subclass with its constant shuffles, spelled out stage by stage as
     * {@link #sum4} is: vectors passed to or returned from a method that is not inlined are boxed. Only where
     * {@link #transposes()}; the 64- and 128-bit species copy one float at a time.
     */
    void transposeBlock(float[] src, int sOff, int lds, float[] dst, int dOff, int ldd) {
        throw new UnsupportedOperationException(name() + " has no register transpose");
    }

    /** Whether {@link #transposeBlock} is available (256- and 512-bit species). */
    boolean transposes() {
        return false;
    }

    /** Lane i takes lane i XOR d: swaps neighbouring blocks of d lanes. */
    static VectorShuffle<Float> swap(VectorSpecies<Float> s, int d) {
        return VectorShuffle.fromOp(s, i -> i ^ d);
    }

    /** The lanes whose index has bit d set. */
    static VectorMask<Float> bit(VectorSpecies<Float> s, int d) {
        boolean[] bits = new boolean[s.length()];
        for (int i = 0; i < bits.length; i++) bits[i] = (i & d) != 0;
        return VectorMask.fromArray(s, bits, 0);
    }

    @Override
    public String name() {
        return "vector-" + species().vectorBitSize();
    }

    /** The name and the register tiles in use, e.g. "vector-256 (12xL tiles)". */
    @Override
    public String toString() {
        return name() + " (" + tiles.label + " tiles)";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        multiply(transA, transB, m, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, null, 0);
    }

    /**
     * Both public forms: degenerate and tiny shapes first (B where it lies), else the packed or matrix-vector path,
     * reading B from {@code prepacked} (pc·nPad layout, see {@link #pack}) when it is not null. The path is chosen
     * from mWhole, the rows of the product these m rows belong to ({@link #sgemmRows}): an element's bits depend
     * on the path (dots on the matrix-vector path, fma chains on the packed one), never on the rows beside it.
     */
    private void multiply(boolean transA, boolean transB, int mWhole, int m, int n, int k, float alpha,
                          float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float beta, float[] c, int cOff, int ldc, float[] prepacked, int nPad) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("negative gemm size " + m + "x" + n + "x" + k);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            scaleC(m, n, beta, c, cOff, ldc);
            return;
        }
        if (mWhole < 16 && n < 16 && k < 16) {
            tiny(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        Job job = jobs.get();
        job.set(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        job.prepacked = prepacked;
        job.nPad = nPad;
        job.mWhole = mWhole;
        run(job);
    }

    /**
     * Packs op(B) whole, KC block by KC block: block pc at pc·nPad, and inside it the NR-wide sliver of columns
     * [q, q+NR) at q·kcb — the layout {@link #packB} gives one panel, so the micro-kernel reads the same numbers in
     * the same order and results are bit-identical to the plain call. Small products that never pack (tiny,
     * matrix-vector) read B where it lies, so the holder also keeps the original reference.
     */
    @Override
    public PackedB pack(boolean transB, int k, int n, float[] b, int bOff, int ldb, PackedB reuse) {
        if (k < 0 || n < 0) throw new IllegalArgumentException("negative packed size " + k + "x" + n);
        int nPad = (n + nr - 1) / nr * nr;
        Packed p = reuse instanceof Packed q && q.owner == this && q.data.length >= (long) k * nPad ? q
                : new Packed(this, new float[Math.multiplyExact(k, nPad)]);
        p.set(transB, k, n, nPad, b, bOff, ldb);
        if ((long) k * nPad < PARALLEL_PACK_MIN || Parallel.threads() == 1) {
            for (int pc = 0; pc < k; pc += KC) packB(transB, b, bOff, ldb, p.data, pc * nPad, pc, Math.min(KC, k - pc), 0, n);
            return p;
        }
        // A large operand (the output layer's 6000 × 128 weight, packed once per training step: 3 MB) in the
        // units and layout of a row-split call's shared copy, on all threads.
        Job job = jobs.get();
        job.set(false, transB, 0, n, k, 1f, null, 0, 0, b, bOff, ldb, 0f, null, 0, 0);
        job.prepacked = p.data;
        job.nPad = nPad;
        packWholeB(job);
        job.clear();
        return p;
    }

    @Override
    public void sgemm(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda, PackedB b,
                      float beta, float[] c, int cOff, int ldc) {
        sgemmRows(transA, m, 0, m, n, k, alpha, a, aOff, lda, b, beta, c, cOff, ldc);
    }

    @Override
    public void sgemmRows(boolean transA, int m, int r0, int r1, int n, int k, float alpha, float[] a, int aOff, int lda,
                          PackedB b, float beta, float[] c, int cOff, int ldc) {
        if (!(b instanceof Packed p) || p.owner != this) throw new IllegalArgumentException("operand packed by another GEMM: " + b);
        if (p.k != k || p.n != n) throw new IllegalArgumentException("packed operand is " + p.k + "x" + p.n + ", call wants " + k + "x" + n);
        if (r0 < 0 || r1 > m || r0 > r1) throw new IllegalArgumentException("rows [" + r0 + ", " + r1 + ") of " + m);
        multiply(transA, p.transB, m, r1 - r0, n, k, alpha, a, aOff + (transA ? r0 : r0 * lda), lda, p.b, p.bOff, p.ldb,
                beta, c, cOff + r0 * ldc, ldc, p.data, p.nPad);
    }

    /**
     * The matrix-vector path of {@link #multiply} on this thread, rows [0, rows) of it: the same dots, four rows at a
     * time from the block's first row, so a block starting at a multiple of 4 gets the bits of the whole call.
     */
    @Override
    public void gemvRows(int rows, int k, float alpha, float[] w, int wOff, int ldw, float[] x, int xOff,
                         float beta, float[] y, int yOff) {
        if (rows <= 0) return;
        if (k == 0 || alpha == 0f) {
            scaleC(1, rows, beta, y, yOff, rows);
            return;
        }
        Job job = jobs.get();
        job.set(false, true, 1, rows, k, alpha, x, xOff, k, w, wOff, ldw, beta, y, yOff, rows);
        smallMDots(job, 0, rows);
        job.clear();
    }

    /** Chooses the path and the split for a call whose arguments are in {@code job}, runs it, clears the job. */
    private void run(Job job) {
        int m = job.m, n = job.n, k = job.k;
        long macs = (long) m * n * k;
        boolean small = job.mWhole <= SMALL_M && !job.transA;
        // (The matrix-vector threshold is the lower one; it used to be and-ed with the other, so it never applied.)
        // Inside a pool job (a block of a product that the caller splits itself) the tasks would run one after
        // another on this thread: one task then, which packs a transposed A in long strips.
        boolean big = macs >= (small ? PARALLEL_MIN_MACS_SMALL_M : PARALLEL_MIN_MACS) && Parallel.threads() > 1
                && !Parallel.busy();
        int units;
        if (small) {
            job.mode = Job.SMALL_M_COLUMNS;
            units = (n + lanes - 1) / lanes;
        } else {
            // A is packed per task: a column split would pack all of A in every task (at M = 64, K = 1024 that
            // cost half as much as the product). Rows, then, unless there is not a 12-row tile for every thread;
            // every task reads the one packed B. A large B with few rows (the recurrent step of a big model: W_hh
            // of config E is 16 MB) is split over columns anyway, so that it is read from memory once rather than
            // once per task.
            boolean fewRows = m < MR_ROWS * Parallel.threads() || (m < 256 && (long) k * n > SMALL_B_ROWS);
            job.mode = fewRows ? Job.PACKED_COLUMNS : Job.PACKED_ROWS;
            units = fewRows ? (n + nr - 1) / nr : (m + MR_ROWS - 1) / MR_ROWS;
        }
        // Several tasks per thread, claimed dynamically: on a shared machine a preempted thread would otherwise
        // hold the call up. Each task repacks its own panels, so not too many: 4 per thread.
        job.units = units;
        // A matrix-vector product is one contiguous stream per thread instead (no repacking to amortise, and
        // each task claim costs a hand-off): config A generation 6.1-6.7k → 6.2-7.0k tok/s, 5 of 5 alternations.
        job.tasks = big ? Math.min(units, (job.mode == Job.SMALL_M_COLUMNS ? 1 : 4) * Parallel.threads()) : 1;
        job.evenRows = false;
        job.bigTasks = job.tasks;
        job.bigUnits = units;
        int slivers = (n + nr - 1) / nr;
        // Not for a transposed A under 12 × 2L tiles: each tail task transposes all of the tail's A again for its
        // columns, and on a Zen 4 (AVX-512, two threads, two jars interleaved, median GFLOP/s with → without the
        // tail) that cost more than the wait it saves: 6000 × 1024 × 128 145 → 161, 6000 × 4096 × 256 177 → 184,
        // 6000 × 4096 × 512 194 → 196, 2048 × 4096 × 512 188 → 193, 1024 × 4096 × 256 170 → 178, 4096 × 2048 ×
        // 1024 193 → 196. On the Zen 3 (12 × L) the tail had measured faster for those shapes, so it stays there.
        boolean tailCut = !(wide && job.transA);
        if (big && tailCut && job.mode == Job.PACKED_ROWS && units >= 8 * Parallel.threads() && slivers >= 2 * Parallel.threads()) {
            // A tail cut across: the last eighth of the rows goes in 2 tasks per thread over columns, after 4 tasks
            // per thread over the other rows. Tasks are claimed in order, so the thread that finishes first waits
            // for at most one short tail task of the other (measured in the pool: the caller of config D's and
            // B's training steps had spent 6 % and 4 % of its GEMM time waiting for the other thread's last
            // task). Columns, not more row tasks: every row task reads all of B, and a transposed A's packing
            // wants many rows.
            job.bigUnits = units - Math.max(1, units / 8);
            job.tasks = job.bigTasks + 2 * Parallel.threads();
        }
        if (big && job.mode == Job.PACKED_ROWS && units < 4 * Parallel.threads()) {
            // Few row tiles (the recurrent step: M = 64, or 32): one task per thread with equal numbers of rows
            // (32 + 32 = 12 + 12 + 8 each; 16 + 16 = 8 + 8), not whole 12-row units (36 + 28, or 12 + 20).
            job.tasks = job.bigTasks = Parallel.threads();
            job.evenRows = true;
        }
        if (job.mode == Job.PACKED_COLUMNS && (job.tasks > 1 || n > nc) && (long) m * k <= SHARED_A_MAX) {
            // Small M split over columns: every task and every NC panel would read the same A; pack it once here
            // instead (the kernels read A packed; columns are split only for few rows, M < 12 per thread, or a
            // large B, where A is small). KC block pc at pc·mPad, rows KC apart (so the last, shorter block
            // takes mPad·KC as well).
            int mPad = paddedRows(m);
            float[] shared = SCRATCH.get().shared(mPad * ((k + KC - 1) / KC * KC));
            job.sharedA = shared;
            job.mPad = mPad;
            // KC blocks packed in parallel when there are several: the recurrent step's dH = dGates·W_hh (M = 64,
            // K = 2048) packs 512 KB, which one thread copying while the other waited cost 5-8 % of the product.
            job.packABlocks = (k + KC - 1) / KC;
            job.packATasks = big ? Math.min(job.packABlocks, Parallel.threads()) : 1;
            if (job.packATasks > 1) Parallel.forTasks(job.packATasks, job.packABody);
            else packSharedA(job, 0, job.packABlocks);
        }
        if (job.prepacked == null && job.mode == Job.PACKED_ROWS && (job.tasks > 1 || m > chunkRows)
                && (long) k * ((n + nr - 1) / nr * nr) <= SHARED_B_MAX) {
            // Split over rows, every task would pack all of B for itself (8 tasks: 8 copies of the output layer's
            // 6 MB weight per product). Pack it once, in parallel, and let every task read the one copy.
            // One task with more rows than a chunk gains from it too, even at one KC block: without a whole B, the
            // task packs A at its full height once per NC panel (1024 × 128 for the logits of config D: 512 KB,
            // 24 times, read back from L3), with it A goes in chunks that stay in L1. One thread, interleaved with
            // the old rule (k > KC only), median GFLOP/s on a Zen 3: 1024 × 128 × 6000 (B transposed) 50.9 → 59.6,
            // 2048 × 256 × 6000 65.6 → 72.5, 4096 × 256 × 6000 (B transposed) 67.6 → 71.7.
            int nPad = (n + nr - 1) / nr * nr;
            job.prepacked = SCRATCH.get().sharedB(k * nPad);
            job.nPad = nPad;
            packWholeB(job);
        }
        if (job.tasks == 1) job.run(0, 1);
        else Parallel.forTasks(job.tasks, job);
        job.clear();
    }

    /** All of op(B) into job.prepacked (KC block pc at pc·nPad), in (KC block, NC panel) units on all threads. */
    private void packWholeB(Job job) {
        job.packUnits = ((job.k + KC - 1) / KC) * ((job.n + nc - 1) / nc);
        job.packTasks = Math.min(job.packUnits, 4 * Parallel.threads());
        Parallel.forTasks(job.packTasks, job.packBody);
    }

    /** KC blocks [from, to) of the whole A into job.sharedA (block pc at pc·mPad). */
    private void packSharedA(Job j, int from, int to) {
        for (int pc = from * KC; pc < Math.min(j.k, to * KC); pc += KC) {
            int kcb = Math.min(KC, j.k - pc);
            packRows(j, j.sharedA, pc * j.mPad, 0, j.m, pc, kcb);
        }
    }

    /** Pack units [from, to) of the whole B into job.prepacked: unit u = (KC block u / panels, NC panel u % panels). */
    private void packShared(Job j, int from, int to) {
        int panels = (j.n + nc - 1) / nc;
        for (int u = from; u < to; u++) {
            int pc = (u / panels) * KC, jc = (u % panels) * nc, kcb = Math.min(KC, j.k - pc);
            packB(j.transB, j.b, j.bOff, j.ldb, j.prepacked, pc * j.nPad + jc * kcb, pc, kcb, jc, Math.min(nc, j.n - jc));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Packed path

    /**
     * C[r0:r1, c0:c1] on this thread. With B packed whole (row splits, or a pre-packed
     * operand) the rows go in chunks of {@code chunkRows} and each chunk runs through every KC block before the
     * next: the A rows of a chunk are then read as long sequential runs (one KC segment after the other), its
     * C rows stay in L2 across the KC blocks, and the B panel of each block comes from the packed copy. (KC
     * blocks outermost, as the 8 × 2L path had them, read A in 1 KiB pieces per row per block: a 4096 × 6000
     * operand from DRAM stalled the packing for a quarter of the time.) Without a whole B (column splits, small
     * products) each KC block packs its panel and runs all rows, A coming from the caller's shared copy.
     */
    private void packed(Job j, int r0, int r1, int c0, int c1) {
        Scratch s = SCRATCH.get();
        float[] tile = s.tile(MR_ROWS * 2 * lanes);   // 12 rows × 2L, or 12 rows × two L-wide slivers
        boolean whole = j.prepacked != null;
        float[] pb = whole ? j.prepacked : s.b(KC * nc);
        // Chunks (KC blocks inside) for A not transposed; a transposed A is packed a whole KC block of the task's
        // rows at a time, its stored rows being contiguous over those rows.
        int step = whole && j.sharedA == null ? (j.transA ? chunkTRows : chunkRows) : r1 - r0;
        float[] chunkA = j.sharedA == null ? s.a((Math.min(step, r1 - r0) + MR_ROWS) * KC) : null;
        // (Row layout: rows past the chunk's last are read by a part-filled tile and discarded; the buffer has them.)
        for (int jc = c0; jc < c1; jc += nc) {
            int ncb = Math.min(nc, c1 - jc);
            for (int ic = r0; ic < r1; ic += step) {
                int icEnd = Math.min(r1, ic + step);
                for (int pc = 0; pc < j.k; pc += KC) {
                    int kcb = Math.min(KC, j.k - pc);
                    int bBase;
                    if (whole) {
                        bBase = pc * j.nPad + jc * kcb;
                    } else {
                        packB(j.transB, j.b, j.bOff, j.ldb, pb, 0, pc, kcb, jc, ncb);
                        bBase = 0;
                    }
                    float[] aBuf;
                    int aBase;
                    if (chunkA == null) {      // packed once by the caller (column splits start at row 0)
                        aBuf = j.sharedA;
                        aBase = pc * j.mPad;
                    } else {
                        aBuf = chunkA;
                        aBase = -ic * KC;
                        packRows(j, chunkA, 0, ic, icEnd, pc, kcb);
                    }
                    blockRows(j, ic, icEnd, jc, ncb, kcb, aBuf, aBase, pb, bBase, pc == 0 ? j.beta : 1f, tile);
                }
            }
        }
    }

    /**
     * Rows [r0, r1) × one B panel × one KC block: each row tile of A (12 or 8 rows × KC, ≤ 12 KiB; row r at
     * aBase + r·KC in aBuf) stays in L1 while the tile walks the panel's slivers (KC × NR each; the one-vector
     * model two L-wide slivers at a time, {@link #sliverPairs}), which stream from the panel in L2.
     */
    private void blockRows(Job j, int r0, int r1, int jc, int ncb, int kcb, float[] aBuf, int aBase, float[] pb,
                         int bBase, float betaEff, float[] tile) {
        for (int ir = r0; ir < r1; ) {
            int h = rowTileHeight(r1 - ir), rows = Math.min(h, r1 - ir), aIdx = aBase + ir * KC;
            int cRow = j.cOff + ir * j.ldc + jc;
            if (wide) {
                for (int jr = 0; jr < ncb; jr += nr) {
                    int bIdx = bBase + jr * kcb;
                    if (h == MR_ROWS) kernel12x2(kcb, aBuf, aIdx, pb, bIdx, tile);
                    else kernel8x2(kcb, aBuf, aIdx, pb, bIdx, tile);
                    store(tile, 0, h, rows, Math.min(nr, ncb - jr), j.alpha, betaEff, j.c, cRow + jr, j.ldc);
                }
            } else {
                sliverPairs(j, h, rows, ncb, kcb, aBuf, aIdx, pb, bBase, betaEff, tile, cRow);
            }
            ir += h;
        }
    }

    /**
     * One row tile (12 or 8 rows) of the one-vector model against a panel, two slivers at a time, in 4-row
     * kernels ({@link #kernel4x2}): sliver jr's sums go to tile rows 0-11, sliver jr + 1's to rows 12-23. A lone
     * last sliver pairs with itself (the second copy is not stored). The first 4 rows bring the sliver pair into
     * L1 (16 KiB, next to the 12 KiB A tile); the other rows of the tile read it there.
     * <p>Why (one Zen 3 core, whose fma peak is 90-93 GFLOP/s; kernels from L1 in turn, then whole products): a
     * 4 × 2-sliver kernel runs at 87-89 GFLOP/s where the 12 × L kernel it replaced ran at 66-73 (13 loads per 12
     * fmas against 6 per 8), and the 8 × L kernel of the bottom tiles at 25 (C2 hoisted its 8 broadcasts, spilled
     * an accumulator and ran that fma chain through the stack). Whole products, one thread, interleaved: the
     * recurrent step's 64 × 2048 × 512 (B pre-packed) 45 → 73-77 GFLOP/s, 2048 × 512 × 2048 61-64 → 64-71,
     * dW 2048 × 4096 × 512 (A transposed) 60-64 → 65-71. Tried and slower: 6 × 2 slivers (12 accumulators), which
     * runs at 86-91 alone but spills one or two accumulators once inlined here (31-34 in the products); 4 × 2
     * unrolled over two steps of p (56-64).
     */
    private void sliverPairs(Job j, int h, int rows, int ncb, int kcb, float[] aBuf, int aIdx, float[] pb, int bBase,
                             float betaEff, float[] tile, int cRow) {
        int slivers = (ncb + nr - 1) / nr, second = MR_ROWS * nr;
        for (int sv = 0; sv < slivers; sv += 2) {
            int jr = sv * nr, bIdx = bBase + jr * kcb;
            boolean pair = sv + 1 < slivers;
            int bIdx2 = pair ? bIdx + nr * kcb : bIdx;
            for (int r = 0; r < h; r += 4) kernel4x2(kcb, aBuf, aIdx + r * KC, pb, bIdx, bIdx2, tile, r);
            store(tile, 0, h, rows, Math.min(nr, ncb - jr), j.alpha, betaEff, j.c, cRow + jr, j.ldc);
            if (pair) store(tile, second, h, rows, Math.min(nr, ncb - jr - nr), j.alpha, betaEff, j.c, cRow + jr + nr, j.ldc);
        }
    }

    /** A tile's sums into C: whole tiles with vectors, a tile cut by the block's last row or column element-wise. */
    private void store(float[] tile, int tOff, int h, int rows, int nrb, float alpha, float beta, float[] c, int cIdx,
                       int ldc) {
        if (rows == h && nrb == nr) storeTile(tile, tOff, h, alpha, beta, c, cIdx, ldc);
        else storeEdge(tile, tOff, rows, nrb, alpha, beta, c, cIdx, ldc);
    }

    /**
     * Rows [r0, r1) of op(A), KC block at pc, into the row path's layout: row r at dst[dOff + (r - r0)·KC],
     * its kcb floats contiguous (KC apart whatever kcb, so the kernels' strides are constants). A row-major A is
     * copied row by row; a transposed A (stored (K, M)) is read in strips of 16 stored rows walked left to right,
     * so 16 sequential read streams feed the destination lines in turn (row by row over all KC stored rows it read
     * one line per stored row, 24 KB apart: a third of dW = dYᵀ·X's time went into the packing). Inside a strip,
     * L × L blocks are transposed in registers ({@link #transposeBlock}); one float at a time, the packing was
     * still 27 % of the execution samples of dW = dYᵀ·H for config D's output layer (6000 × 1024 × 128, one
     * thread, JFR), with the blocks it does not show: 80 → 90 GFLOP/s for that product. Rows past r1 that a
     * part-filled tile reads are left as they are: their sums are discarded.
     */
    private void packRows(Job j, float[] dst, int dOff, int r0, int r1, int pc, int kcb) {
        float[] a = j.a;
        if (!j.transA) {
            for (int r = r0; r < r1; r++) System.arraycopy(a, j.aOff + r * j.lda + pc, dst, dOff + (r - r0) * KC, kcb);
            return;
        }
        // L × L blocks in registers where the strip and the rows have them whole; the rest one float at a time.
        int l = lanes, iDone = transposes() ? r0 + (r1 - r0) / l * l : r0;
        for (int p0 = 0; p0 < kcb; p0 += PACK_STRIP) {
            int p1 = Math.min(kcb, p0 + PACK_STRIP), pDone = iDone > r0 ? p0 + (p1 - p0) / l * l : p0;
            for (int q0 = p0; q0 < pDone; q0 += l) {
                for (int i = r0; i < iDone; i += l) {
                    transposeBlock(a, j.aOff + (pc + q0) * j.lda + i, j.lda, dst, dOff + (i - r0) * KC + q0, KC);
                }
            }
            // One float at a time: rows from iDone on where the blocks ran, every row from pDone on.
            for (int i0 = r0; i0 < r1; i0 += MR_ROWS) {
                int i1 = Math.min(r1, i0 + MR_ROWS);
                for (int p = p0; p < p1; p++) {
                    int src = j.aOff + (pc + p) * j.lda, d = dOff + p - r0 * KC;
                    for (int i = p < pDone ? Math.max(i0, iDone) : i0; i < i1; i++) dst[d + i * KC] = a[src + i];
                }
            }
        }
    }

    /** Stored rows per strip when packing a transposed A. */
    private static final int PACK_STRIP = 16;

    /**
     * The one-vector model's micro-kernel (16 registers): four rows × two slivers. Rows 0-3 of the A tile (row i
     * at a[aIdx + i·KC], contiguous over p: {@link #packRows}) against the packed (KC, L) slivers at bIdx and
     * bIdx2, over kc steps; sums into tile rows tRow.. (first sliver) and tRow + 12.. (second), L apart. 8
     * accumulators, two B vectors and a broadcast: 6 loads per 8 fmas, 11 registers, no spills. Every index is
     * (constant) · p + (loop invariant), the lane count taken from the constant species and the row stride being
     * the constant KC: only then does C2 hoist the range checks out of the loop. Each element gets the same fma
     * chain, from zero over p ascending, as in every other tile.
     */
    private void kernel4x2(int kc, float[] a, int aIdx, float[] b, int bIdx, int bIdx2, float[] tile, int tRow) {
        VectorSpecies<Float> s = species();
        int l = s.length();
        FloatVector c00 = FloatVector.zero(s), c01 = FloatVector.zero(s), c10 = FloatVector.zero(s), c11 = FloatVector.zero(s);
        FloatVector c20 = FloatVector.zero(s), c21 = FloatVector.zero(s), c30 = FloatVector.zero(s), c31 = FloatVector.zero(s);
        for (int p = 0; p < kc; p++) {
            int ai = aIdx + p, bi = bIdx + p * l, bj = bIdx2 + p * l;
            FloatVector b0 = FloatVector.fromArray(s, b, bi), b1 = FloatVector.fromArray(s, b, bj);
            FloatVector av = FloatVector.broadcast(s, a[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(s, a[ai + KC]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(s, a[ai + 2 * KC]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(s, a[ai + 3 * KC]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        int t0 = tRow * l, t1 = (tRow + MR_ROWS) * l;
        c00.intoArray(tile, t0);
        c10.intoArray(tile, t0 + l);
        c20.intoArray(tile, t0 + 2 * l);
        c30.intoArray(tile, t0 + 3 * l);
        c01.intoArray(tile, t1);
        c11.intoArray(tile, t1 + l);
        c21.intoArray(tile, t1 + 2 * l);
        c31.intoArray(tile, t1 + 3 * l);
    }

    /**
     * The two-vector row-layout micro-kernel (32 registers): tile[12 × 2L] = Σ_p a_rows[0..12)[p] ⊗ b[p][0..2L);
     * A as for {@link #kernel4x2}, b a packed (KC, 2L) sliver. 24 accumulators, two B vectors and a broadcast: 14
     * loads per 24 fmas (the 8 × 2L tile: 10 per 16), and one index register for the 12 rows of A where the 8 × 2L
     * kernel that read A in place (until 2026-12) kept 8 row offsets, some of them in vector registers (moves that
     * take an fma port).
     */
    private void kernel12x2(int kc, float[] a, int aIdx, float[] b, int bIdx, float[] tile) {
        VectorSpecies<Float> s = species();
        int l = s.length();
        FloatVector c00 = FloatVector.zero(s), c01 = FloatVector.zero(s), c10 = FloatVector.zero(s), c11 = FloatVector.zero(s);
        FloatVector c20 = FloatVector.zero(s), c21 = FloatVector.zero(s), c30 = FloatVector.zero(s), c31 = FloatVector.zero(s);
        FloatVector c40 = FloatVector.zero(s), c41 = FloatVector.zero(s), c50 = FloatVector.zero(s), c51 = FloatVector.zero(s);
        FloatVector c60 = FloatVector.zero(s), c61 = FloatVector.zero(s), c70 = FloatVector.zero(s), c71 = FloatVector.zero(s);
        FloatVector c80 = FloatVector.zero(s), c81 = FloatVector.zero(s), c90 = FloatVector.zero(s), c91 = FloatVector.zero(s);
        FloatVector c100 = FloatVector.zero(s), c101 = FloatVector.zero(s), c110 = FloatVector.zero(s), c111 = FloatVector.zero(s);
        for (int p = 0; p < kc; p++) {
            int ai = aIdx + p, bi = bIdx + 2 * p * l;
            FloatVector b0 = FloatVector.fromArray(s, b, bi), b1 = FloatVector.fromArray(s, b, bi + l);
            FloatVector av = FloatVector.broadcast(s, a[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(s, a[ai + 1 * KC]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(s, a[ai + 2 * KC]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(s, a[ai + 3 * KC]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(s, a[ai + 4 * KC]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(s, a[ai + 5 * KC]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(s, a[ai + 6 * KC]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(s, a[ai + 7 * KC]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
            av = FloatVector.broadcast(s, a[ai + 8 * KC]);
            c80 = av.fma(b0, c80);
            c81 = av.fma(b1, c81);
            av = FloatVector.broadcast(s, a[ai + 9 * KC]);
            c90 = av.fma(b0, c90);
            c91 = av.fma(b1, c91);
            av = FloatVector.broadcast(s, a[ai + 10 * KC]);
            c100 = av.fma(b0, c100);
            c101 = av.fma(b1, c101);
            av = FloatVector.broadcast(s, a[ai + 11 * KC]);
            c110 = av.fma(b0, c110);
            c111 = av.fma(b1, c111);
        }
        c00.intoArray(tile, 0 * l);
        c01.intoArray(tile, 1 * l);
        c10.intoArray(tile, 2 * l);
        c11.intoArray(tile, 3 * l);
        c20.intoArray(tile, 4 * l);
        c21.intoArray(tile, 5 * l);
        c30.intoArray(tile, 6 * l);
        c31.intoArray(tile, 7 * l);
        c40.intoArray(tile, 8 * l);
        c41.intoArray(tile, 9 * l);
        c50.intoArray(tile, 10 * l);
        c51.intoArray(tile, 11 * l);
        c60.intoArray(tile, 12 * l);
        c61.intoArray(tile, 13 * l);
        c70.intoArray(tile, 14 * l);
        c71.intoArray(tile, 15 * l);
        c80.intoArray(tile, 16 * l);
        c81.intoArray(tile, 17 * l);
        c90.intoArray(tile, 18 * l);
        c91.intoArray(tile, 19 * l);
        c100.intoArray(tile, 20 * l);
        c101.intoArray(tile, 21 * l);
        c110.intoArray(tile, 22 * l);
        c111.intoArray(tile, 23 * l);
    }

    /** {@link #kernel12x2} for 8 rows: the bottom tiles of a block. */
    private void kernel8x2(int kc, float[] a, int aIdx, float[] b, int bIdx, float[] tile) {
        VectorSpecies<Float> s = species();
        int l = s.length();
        FloatVector c00 = FloatVector.zero(s), c01 = FloatVector.zero(s), c10 = FloatVector.zero(s), c11 = FloatVector.zero(s);
        FloatVector c20 = FloatVector.zero(s), c21 = FloatVector.zero(s), c30 = FloatVector.zero(s), c31 = FloatVector.zero(s);
        FloatVector c40 = FloatVector.zero(s), c41 = FloatVector.zero(s), c50 = FloatVector.zero(s), c51 = FloatVector.zero(s);
        FloatVector c60 = FloatVector.zero(s), c61 = FloatVector.zero(s), c70 = FloatVector.zero(s), c71 = FloatVector.zero(s);
        for (int p = 0; p < kc; p++) {
            int ai = aIdx + p, bi = bIdx + 2 * p * l;
            FloatVector b0 = FloatVector.fromArray(s, b, bi), b1 = FloatVector.fromArray(s, b, bi + l);
            FloatVector av = FloatVector.broadcast(s, a[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(s, a[ai + 1 * KC]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(s, a[ai + 2 * KC]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(s, a[ai + 3 * KC]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(s, a[ai + 4 * KC]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(s, a[ai + 5 * KC]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(s, a[ai + 6 * KC]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(s, a[ai + 7 * KC]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        c00.intoArray(tile, 0 * l);
        c01.intoArray(tile, 1 * l);
        c10.intoArray(tile, 2 * l);
        c11.intoArray(tile, 3 * l);
        c20.intoArray(tile, 4 * l);
        c21.intoArray(tile, 5 * l);
        c30.intoArray(tile, 6 * l);
        c31.intoArray(tile, 7 * l);
        c40.intoArray(tile, 8 * l);
        c41.intoArray(tile, 9 * l);
        c50.intoArray(tile, 10 * l);
        c51.intoArray(tile, 11 * l);
        c60.intoArray(tile, 12 * l);
        c61.intoArray(tile, 13 * l);
        c70.intoArray(tile, 14 * l);
        c71.intoArray(tile, 15 * l);
    }

    /** C[h × NR] at cIdx = alpha · tile + beta · C (beta == 0: C not read); tile rows NR apart from tOff. */
    private void storeTile(float[] tile, int tOff, int h, float alpha, float beta, float[] c, int cIdx, int ldc) {
        VectorSpecies<Float> s = species();
        int l = s.length(), perRow = wide ? 2 : 1;
        FloatVector va = FloatVector.broadcast(s, alpha);
        for (int r = 0; r < h; r++) {
            for (int v = 0; v < perRow; v++) {
                int ci = cIdx + r * ldc + v * l;
                FloatVector acc = FloatVector.fromArray(s, tile, tOff + r * nr + v * l);
                if (beta == 0f) acc.mul(va).intoArray(c, ci);
                else if (beta == 1f) acc.fma(va, FloatVector.fromArray(s, c, ci)).intoArray(c, ci);
                else acc.fma(va, FloatVector.fromArray(s, c, ci).mul(beta)).intoArray(c, ci);
            }
        }
    }

    /** Writes the valid rows × nrb corner of a full tile (tile holds the raw sums, row stride NR). */
    private void storeEdge(float[] tile, int tOff, int rows, int nrb, float alpha, float beta, float[] c, int cIdx, int ldc) {
        for (int r = 0; r < rows; r++) {
            int t = tOff + r * nr, ci = cIdx + r * ldc;
            if (beta == 0f) {
                for (int q = 0; q < nrb; q++) c[ci + q] = alpha * tile[t + q];
            } else {
                // The full tiles' arithmetic, fma(sum, alpha, beta·C), so that an element's bits do not depend on
                // whether it fell in an edge tile (on the row path that depends on where a task starts).
                for (int q = 0; q < nrb; q++) c[ci + q] = Math.fma(tile[t + q], alpha, c[ci + q] * beta);
            }
        }
    }

    /**
     * The B panel at dOff: sliver s at dst[dOff + s·kcb·NR], dst[dOff + (s·kcb + p)·NR + q] =
     * op(B)[pc + p, jc + s·NR + q], pad zero.
     */
    private void packB(boolean transB, float[] b, int bOff, int ldb, float[] dst, int dOff, int pc, int kcb, int jc, int ncb) {
        if (!transB) {
            // Row by row of B (one sequential read stream, NC/NR write streams): walking sliver by sliver
            // instead reads 256 rows 128 bytes at a time, which measured 30% slower at M = 64.
            int full = ncb / nr * nr;
            for (int p = 0; p < kcb; p++) {
                int src = bOff + (pc + p) * ldb + jc;
                // arraycopy, not vectors: this runs too rarely to get C2-compiled early, and the Vector API
                // in the interpreter or C1 is 50× slower; arraycopy is an intrinsic at every tier.
                for (int s0 = 0; s0 < full; s0 += nr) System.arraycopy(b, src + s0, dst, dOff + s0 * kcb + p * nr, nr);
                if (full < ncb) {
                    int w = ncb - full, d = dOff + full * kcb + p * nr;
                    for (int q = 0; q < w; q++) dst[d + q] = b[src + full + q];
                    for (int q = w; q < nr; q++) dst[d + q] = 0f;
                }
            }
            return;
        }
        for (int s0 = 0; s0 < ncb; s0 += nr) {
            int w = Math.min(nr, ncb - s0), base = dOff + s0 * kcb;
            // B stored (N, K): column q of the sliver is a contiguous row of B. L × L blocks in registers where
            // the sliver has them whole; else 4 rows at a time keep the strided writes in few cache lines.
            int q = 0;
            if (w == nr && transposes() && kcb >= lanes) {
                int l = lanes, src0 = bOff + (jc + s0) * ldb + pc, pBlocks = kcb / l * l;
                for (int q0 = 0; q0 < nr; q0 += l) {
                    for (int p0 = 0; p0 < pBlocks; p0 += l) {
                        transposeBlock(b, src0 + q0 * ldb + p0, ldb, dst, base + p0 * nr + q0, nr);
                    }
                }
                for (int qq = 0; qq < nr; qq++) {
                    int src = src0 + qq * ldb;
                    for (int p = pBlocks, d = base + pBlocks * nr + qq; p < kcb; p++, d += nr) dst[d] = b[src + p];
                }
                continue;
            }
            for (; q + 4 <= w; q += 4) {
                int r0 = bOff + (jc + s0 + q) * ldb + pc, r1 = r0 + ldb, r2 = r1 + ldb, r3 = r2 + ldb;
                for (int p = 0, d = base + q; p < kcb; p++, d += nr) {
                    dst[d] = b[r0 + p];
                    dst[d + 1] = b[r1 + p];
                    dst[d + 2] = b[r2 + p];
                    dst[d + 3] = b[r3 + p];
                }
            }
            for (; q < w; q++) {
                int src = bOff + (jc + s0 + q) * ldb + pc;
                for (int p = 0, d = base + q; p < kcb; p++, d += nr) dst[d] = b[src + p];
            }
            if (w < nr) {
                for (int p = 0; p < kcb; p++) {
                    for (int z = w; z < nr; z++) dst[base + p * nr + z] = 0f;
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Small-M path (M ≤ SMALL_M, A not transposed): matrix-vector products, B streamed once, no packing.

    /** Columns [c0, c1) of C for every row. */
    private void smallM(Job j, int c0, int c1) {
        if (j.transB) {
            smallMDots(j, c0, c1);
        } else {
            for (int i = 0; i < j.m; i++) smallMAxpy(j, i, c0, c1);
        }
    }

    /**
     * B stored (N, K): C[i, q] = alpha · dot(A[i, :], B[q, :]) + beta · C[i, q], eight columns at a time, then four,
     * then one. Eight rows of B streamed at once keep more loads in flight: a 6000×256 matrix-vector product from
     * L3 went from 45 to 60 GB/s on one core (16 at once: no better). A column's sum does not depend on how many
     * are folded with it ({@link #sum4} adds the same lanes in the same tree for every slot), so the eights give the
     * bits the fours gave; only the last n % 4 columns, summed alone, differ — as they always did.
     */
    private void smallMDots(Job j, int c0, int c1) {
        VectorSpecies<Float> s = species();
        float[] tmp = SCRATCH.get().tile(Math.max(4, lanes));
        float[] a = j.a, b = j.b;
        int k = j.k, kv = k - k % lanes;
        int q = c0;
        for (; q + 8 <= c1; q += 8) {
            int b0 = j.bOff + q * j.ldb, b1 = b0 + j.ldb, b2 = b1 + j.ldb, b3 = b2 + j.ldb;
            int b4 = b3 + j.ldb, b5 = b4 + j.ldb, b6 = b5 + j.ldb, b7 = b6 + j.ldb;
            for (int i = 0; i < j.m; i++) {
                int ai = j.aOff + i * j.lda;
                FloatVector s0 = FloatVector.zero(s), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
                for (int p = 0; p < kv; p += lanes) {
                    FloatVector av = FloatVector.fromArray(s, a, ai + p);
                    s0 = av.fma(FloatVector.fromArray(s, b, b0 + p), s0);
                    s1 = av.fma(FloatVector.fromArray(s, b, b1 + p), s1);
                    s2 = av.fma(FloatVector.fromArray(s, b, b2 + p), s2);
                    s3 = av.fma(FloatVector.fromArray(s, b, b3 + p), s3);
                    s4 = av.fma(FloatVector.fromArray(s, b, b4 + p), s4);
                    s5 = av.fma(FloatVector.fromArray(s, b, b5 + p), s5);
                    s6 = av.fma(FloatVector.fromArray(s, b, b6 + p), s6);
                    s7 = av.fma(FloatVector.fromArray(s, b, b7 + p), s7);
                }
                sum4(s0, s1, s2, s3, tmp);
                float d0 = tmp[0], d1 = tmp[1], d2 = tmp[2], d3 = tmp[3];
                sum4(s4, s5, s6, s7, tmp);
                float d4 = tmp[0], d5 = tmp[1], d6 = tmp[2], d7 = tmp[3];
                for (int p = kv; p < k; p++) {
                    float av = a[ai + p];
                    d0 += av * b[b0 + p];
                    d1 += av * b[b1 + p];
                    d2 += av * b[b2 + p];
                    d3 += av * b[b3 + p];
                    d4 += av * b[b4 + p];
                    d5 += av * b[b5 + p];
                    d6 += av * b[b6 + p];
                    d7 += av * b[b7 + p];
                }
                int ci = j.cOff + i * j.ldc + q;
                store(j, ci, d0);
                store(j, ci + 1, d1);
                store(j, ci + 2, d2);
                store(j, ci + 3, d3);
                store(j, ci + 4, d4);
                store(j, ci + 5, d5);
                store(j, ci + 6, d6);
                store(j, ci + 7, d7);
            }
        }
        for (; q + 4 <= c1; q += 4) {
            int b0 = j.bOff + q * j.ldb, b1 = b0 + j.ldb, b2 = b1 + j.ldb, b3 = b2 + j.ldb;
            for (int i = 0; i < j.m; i++) {
                int ai = j.aOff + i * j.lda;
                FloatVector s0 = FloatVector.zero(s), s1 = FloatVector.zero(s);
                FloatVector s2 = FloatVector.zero(s), s3 = FloatVector.zero(s);
                for (int p = 0; p < kv; p += lanes) {
                    FloatVector av = FloatVector.fromArray(s, a, ai + p);
                    s0 = av.fma(FloatVector.fromArray(s, b, b0 + p), s0);
                    s1 = av.fma(FloatVector.fromArray(s, b, b1 + p), s1);
                    s2 = av.fma(FloatVector.fromArray(s, b, b2 + p), s2);
                    s3 = av.fma(FloatVector.fromArray(s, b, b3 + p), s3);
                }
                sum4(s0, s1, s2, s3, tmp);
                float d0 = tmp[0], d1 = tmp[1], d2 = tmp[2], d3 = tmp[3];
                for (int p = kv; p < k; p++) {
                    float av = a[ai + p];
                    d0 += av * b[b0 + p];
                    d1 += av * b[b1 + p];
                    d2 += av * b[b2 + p];
                    d3 += av * b[b3 + p];
                }
                int ci = j.cOff + i * j.ldc + q;
                store(j, ci, d0);
                store(j, ci + 1, d1);
                store(j, ci + 2, d2);
                store(j, ci + 3, d3);
            }
        }
        for (; q < c1; q++) {
            int bq = j.bOff + q * j.ldb;
            for (int i = 0; i < j.m; i++) {
                int ai = j.aOff + i * j.lda;
                FloatVector s0 = FloatVector.zero(s);
                for (int p = 0; p < kv; p += lanes) {
                    s0 = FloatVector.fromArray(s, a, ai + p).fma(FloatVector.fromArray(s, b, bq + p), s0);
                }
                float d = sumLanes(s0, tmp);
                for (int p = kv; p < k; p++) d += a[ai + p] * b[bq + p];
                store(j, j.cOff + i * j.ldc + q, d);
            }
        }
    }

    /**
     * Σ lanes, left to right. Not reduceLanes(ADD): its order is unspecified and differs between the C2 intrinsic
     * and the interpreter's fallback, so results would depend on JIT state (seen as a flaky bit-identity test).
     */
    private float sumLanes(FloatVector v, float[] tmp) {
        v.intoArray(tmp, 0);
        float sum = 0f;
        for (int i = 0; i < lanes; i++) sum += tmp[i];
        return sum;
    }

    private static void store(Job j, int ci, float sum) {
        j.c[ci] = j.beta == 0f ? j.alpha * sum : j.alpha * sum + j.beta * j.c[ci];
    }

    /** B stored (K, N): C[i, c0:c1] = alpha · Σ_p A[i, p] · B[p, c0:c1] + beta · C, 4 vectors of columns at a time. */
    private void smallMAxpy(Job j, int i, int c0, int c1) {
        VectorSpecies<Float> s = species();
        float[] a = j.a, b = j.b, c = j.c;
        int l = lanes, ai = j.aOff + i * j.lda, ci = j.cOff + i * j.ldc;
        FloatVector va = FloatVector.broadcast(s, j.alpha), vb = FloatVector.broadcast(s, j.beta);
        int q = c0;
        for (; q + 4 * l <= c1; q += 4 * l) {
            FloatVector s0 = FloatVector.zero(s), s1 = FloatVector.zero(s);
            FloatVector s2 = FloatVector.zero(s), s3 = FloatVector.zero(s);
            for (int p = 0, bi = j.bOff + q; p < j.k; p++, bi += j.ldb) {
                FloatVector av = FloatVector.broadcast(s, a[ai + p]);
                s0 = av.fma(FloatVector.fromArray(s, b, bi), s0);
                s1 = av.fma(FloatVector.fromArray(s, b, bi + l), s1);
                s2 = av.fma(FloatVector.fromArray(s, b, bi + 2 * l), s2);
                s3 = av.fma(FloatVector.fromArray(s, b, bi + 3 * l), s3);
            }
            smallStore(s0, va, vb, j.beta, c, ci + q);
            smallStore(s1, va, vb, j.beta, c, ci + q + l);
            smallStore(s2, va, vb, j.beta, c, ci + q + 2 * l);
            smallStore(s3, va, vb, j.beta, c, ci + q + 3 * l);
        }
        for (; q + l <= c1; q += l) {
            FloatVector s0 = FloatVector.zero(s);
            for (int p = 0, bi = j.bOff + q; p < j.k; p++, bi += j.ldb) {
                s0 = FloatVector.broadcast(s, a[ai + p]).fma(FloatVector.fromArray(s, b, bi), s0);
            }
            smallStore(s0, va, vb, j.beta, c, ci + q);
        }
        for (; q < c1; q++) {
            float sum = 0f;
            for (int p = 0, bi = j.bOff + q; p < j.k; p++, bi += j.ldb) sum += a[ai + p] * b[bi];
            store(j, ci + q, sum);
        }
    }

    private void smallStore(FloatVector acc, FloatVector va, FloatVector vb, float beta, float[] c, int i) {
        if (beta == 0f) acc.mul(va).intoArray(c, i);
        else acc.fma(va, FloatVector.fromArray(species(), c, i).mul(vb)).intoArray(c, i);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Degenerate and tiny shapes

    /** C = beta · C (k == 0 or alpha == 0); beta == 0 writes zeros without reading C. */
    static void scaleC(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int q = 0; q < n; q++) c[ci + q] = beta == 0f ? 0f : beta * c[ci + q];
        }
    }

    /** Plain loops for products too small to pack (all dimensions below 16). */
    static void tiny(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int q = 0; q < n; q++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + q * ldb + p] : b[bOff + p * ldb + q];
                    sum += av * bv;
                }
                int ci = cOff + i * ldc + q;
                c[ci] = beta == 0f ? alpha * sum : alpha * sum + beta * c[ci];
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The arguments of one call, handed to the pool as a RangeBody over tiles (reused: no lambda per call). */
    private static final class Job implements Parallel.RangeBody {
        static final int PACKED_COLUMNS = 0, PACKED_ROWS = 1, SMALL_M_COLUMNS = 2;
        final VectorGemm g;
        int mode, units, tasks, mPad;
        int bigTasks, bigUnits;  // tasks [0, bigTasks) cover units [0, bigUnits); the rest, if any, a row split's
                                 // remaining rows, each over a range of the NR-wide column slivers
        boolean evenRows;  // rows split into `tasks` equal ranges instead of ranges of whole MR-row units
        float[] sharedA;   // all of op(A) packed, KC block pc at pc·mPad, or null: each task packs its own
        float[] prepacked; // all of op(B) packed (by pack() or once per call), KC block pc at pc·nPad, or null
        int nPad, packUnits, packTasks;
        int mWhole;        // rows of the whole product (sgemmRows), which choose the path; else m
        /** Packs units of the shared B: task t of packTasks covers pack units [packUnits·t/packTasks, …). */
        final Parallel.RangeBody packBody;
        /** Packs the shared A: task t of packATasks covers KC blocks [packABlocks·t/packATasks, …). */
        final Parallel.RangeBody packABody;
        int packATasks, packABlocks;
        boolean transA, transB;
        int m, n, k, aOff, lda, bOff, ldb, cOff, ldc;
        float alpha, beta;
        float[] a, b, c;

        Job(VectorGemm g) {
            this.g = g;
            this.packBody = (t, tEnd) ->
                    g.packShared(this, (int) ((long) packUnits * t / packTasks), (int) ((long) packUnits * tEnd / packTasks));
            this.packABody = (t, tEnd) ->
                    g.packSharedA(this, packABlocks * t / packATasks, packABlocks * tEnd / packATasks);
        }

        void set(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                 float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.beta = beta;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
        }

        void clear() {
            a = b = c = sharedA = prepacked = null;   // do not keep the caller's arrays alive
        }

        /** Task t &lt; bigTasks covers units [bigUnits·t/bigTasks, …) (tiles of NR columns or MR rows); a tail task its columns of the last rows. */
        @Override
        public void run(int task, int taskEnd) {
            if (task >= bigTasks) {
                int tail = tasks - bigTasks, t = task - bigTasks, slivers = (n + g.nr - 1) / g.nr;
                int c0 = (int) ((long) slivers * t / tail) * g.nr, c1 = Math.min(n, (int) ((long) slivers * (t + 1) / tail) * g.nr);
                g.packed(this, bigUnits * MR_ROWS, m, c0, c1);
                return;
            }
            int from = (int) ((long) bigUnits * task / bigTasks), to = (int) ((long) bigUnits * taskEnd / bigTasks);
            switch (mode) {
                case PACKED_COLUMNS -> g.packed(this, 0, m, from * g.nr, Math.min(n, to * g.nr));
                case PACKED_ROWS -> {
                    if (evenRows) g.packed(this, (int) ((long) m * task / tasks), (int) ((long) m * taskEnd / tasks), 0, n);
                    else g.packed(this, from * MR_ROWS, Math.min(m, to * MR_ROWS), 0, n);
                }
                default -> g.smallM(this, from * g.lanes, Math.min(n, to * g.lanes));
            }
        }
    }

    /** op(B) packed whole by {@link #pack}, plus where it came from (for the paths that do not pack). */
    private static final class Packed implements PackedB {
        final VectorGemm owner;
        final float[] data;
        boolean transB;
        int k, n, nPad, bOff, ldb;
        float[] b;

        Packed(VectorGemm owner, float[] data) {
            this.owner = owner;
            this.data = data;
        }

        void set(boolean transB, int k, int n, int nPad, float[] b, int bOff, int ldb) {
            this.transB = transB;
            this.k = k;
            this.n = n;
            this.nPad = nPad;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
        }

        @Override
        public int k() {
            return k;
        }

        @Override
        public int n() {
            return n;
        }
    }

    /** Per-thread pack buffers, grown on first use and then reused by every call on that thread. */
    private static final class Scratch {
        float[] b = new float[0], tile = new float[0], shared = new float[0];

        float[] sharedB = new float[0];

        float[] sharedB(int size) {
            if (sharedB.length < size) sharedB = new float[size];
            return sharedB;
        }

        float[] shared(int size) {
            if (shared.length < size) shared = new float[size];
            return shared;
        }

        float[] b(int size) {
            if (b.length < size) b = new float[size];
            return b;
        }

        float[] a = new float[0];

        float[] a(int size) {
            if (a.length < size) a = new float[size];
            return a;
        }

        float[] tile(int size) {
            if (tile.length < size) tile = new float[size];
            return tile;
        }
    }
}
