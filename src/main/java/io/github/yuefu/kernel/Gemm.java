package io.github.yuefu.kernel;

/**
 * Single-precision general matrix multiply on row-major arrays, BLAS semantics:
 *
 * <pre>
 *   C (m×n) = alpha · op(A) (m×k) · op(B) (k×n) + beta · C
 *   op(A) = A (m×k, leading dimension lda ≥ k)   or Aᵀ with A stored (k×m, lda ≥ m) when transA
 *   op(B) = B (k×n, ldb ≥ n)                      or Bᵀ with B stored (n×k, ldb ≥ k) when transB
 * </pre>
 *
 * beta == 0 means C is overwritten (its old contents, even NaN, are ignored), as in BLAS.
 * Forward passes use (N,N) and (N,T); backward passes use (N,N), (T,N) and (N,T).
 */
public interface Gemm {
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
               float[] a, int aOff, int lda,
               float[] b, int bOff, int ldb,
               float beta, float[] c, int cOff, int ldc);

    /**
     * A right-hand operand op(B) (k×n) laid out once for many products: a recurrent weight is multiplied at every
     * time step of a window while it does not change, so re-arranging it per step (what a plain sgemm must do)
     * is wasted work. The holder is opaque; it stays valid while the array it came from is not modified.
     */
    interface PackedB {
        int k();

        int n();
    }

    /**
     * Lays out op(B) for {@link #sgemm(boolean, int, int, int, float, float[], int, int, PackedB, float, float[], int, int)}.
     * {@code reuse}, a holder this GEMM returned before, is refilled in place when it has room (no allocation in
     * a training loop). This default keeps a reference to B and changes nothing: right for GEMMs that do not pack.
     */
    default PackedB pack(boolean transB, int k, int n, float[] b, int bOff, int ldb, PackedB reuse) {
        return new Unpacked(transB, k, n, b, bOff, ldb);
    }

    /** C (m×n) = alpha · op(A) · B + beta · C with B from {@link #pack}; the same result, bit for bit, as the plain call. */
    default void sgemm(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda, PackedB b,
                       float beta, float[] c, int cOff, int ldc) {
        Unpacked u = Unpacked.check(b, k, n);
        sgemm(transA, u.transB, m, n, k, alpha, a, aOff, lda, u.b, u.bOff, u.ldb, beta, c, cOff, ldc);
    }

    /**
     * Rows [r0, r1) of op(A) · B, bit for bit those rows of the whole call
     * {@code sgemm(transA, m, n, k, alpha, a, aOff, lda, b, beta, c, cOff, ldc)}: for a caller that computes a
     * product a block of rows at a time, to use each block while it is in cache or beside other work. A GEMM whose
     * way of computing an element depends on m (VectorGemm: matrix-vector dots for m ≤ 4, plain loops for tiny
     * shapes) chooses it from the whole m. This default suits GEMMs that compute every element the same way.
     */
    default void sgemmRows(boolean transA, int m, int r0, int r1, int n, int k, float alpha, float[] a, int aOff,
                           int lda, PackedB b, float beta, float[] c, int cOff, int ldc) {
        if (r0 < 0 || r1 > m || r0 > r1) throw new IllegalArgumentException("rows [" + r0 + ", " + r1 + ") of " + m);
        sgemm(transA, r1 - r0, n, k, alpha, a, aOff + (transA ? r0 : r0 * lda), lda, b, beta, c, cOff + r0 * ldc, ldc);
    }

    /** The default "packing": B where it lies. */
    record Unpacked(boolean transB, int k, int n, float[] b, int bOff, int ldb) implements PackedB {
        static Unpacked check(PackedB p, int k, int n) {
            if (!(p instanceof Unpacked u)) throw new IllegalArgumentException("operand packed by another GEMM: " + p);
            if (u.k != k || u.n != n) throw new IllegalArgumentException("packed operand is " + u.k + "x" + u.n + ", call wants " + k + "x" + n);
            return u;
        }
    }

    /**
     * y[r] = alpha · dot(W[r, :], x) + beta · y[r] for r in [0, rows), W stored (rows, k) with leading dimension ldw:
     * a matrix-vector product on the calling thread only, for a caller that splits the rows between threads itself
     * (the generation step, split by hidden units). It is the computation of
     * {@code sgemm(false, true, 1, n, k, alpha, x, xOff, k, W, wOff, ldw, beta, y, yOff, n)} for a block of rows:
     * in {@link ScalarGemm} and this plain default bit for bit for any block, in {@link VectorGemm} for a block
     * that starts at a multiple of 4 rows of the whole product (its dots go four rows at a time), unless the whole
     * product has fewer than 16 rows and k &lt; 16 (those it computes with plain loops).
     */
    default void gemvRows(int rows, int k, float alpha, float[] w, int wOff, int ldw, float[] x, int xOff,
                          float beta, float[] y, int yOff) {
        for (int r = 0; r < rows; r++) {
            float sum = 0f;
            for (int p = 0; p < k; p++) sum += x[xOff + p] * w[wOff + r * ldw + p];
            int i = yOff + r;
            y[i] = beta == 0f ? alpha * sum : alpha * sum + beta * y[i];
        }
    }

    /** Short name for logs and benchmarks ("scalar", "vector-512"…). */
    String name();
}
