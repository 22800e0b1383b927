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

    /** Short name for logs and benchmarks ("scalar", "vector-512"…). */
    String name();
}
