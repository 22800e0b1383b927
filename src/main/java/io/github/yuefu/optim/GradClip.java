package io.github.yuefu.optim;

/**
 * Global-norm gradient clipping as {@code torch.nn.utils.clip_grad_norm_}: the L2 norm over every gradient is
 * taken as if they were one vector; when it exceeds {@code maxNorm} every gradient is scaled by
 * {@code maxNorm / (norm + 1e-6)}.
 */
public final class GradClip {
    private GradClip() {}

    /**
     * L2 norm of {@code g}, accumulated in double in index order (one thread: the order is fixed, so the norm is
     * bit-identical run to run). NaN or infinite when any gradient is.
     */
    public static double norm(float[] g) {
        double s = 0;
        for (float x : g) s += (double) x * x;
        return Math.sqrt(s);
    }

    /**
     * Clips in place and returns the norm before clipping (what logs show). {@code maxNorm <= 0} disables
     * clipping; a non-finite norm leaves the gradient as it is (the caller's NaN guard deals with it).
     */
    public static double clip(float[] g, double maxNorm) {
        double norm = norm(g);
        if (maxNorm > 0 && Double.isFinite(norm)) {
            double coef = maxNorm / (norm + 1e-6);
            if (coef < 1) {
                float c = (float) coef;
                for (int i = 0; i < g.length; i++) g[i] *= c;
            }
        }
        return norm;
    }
}
