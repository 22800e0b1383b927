package io.github.yuefu.kernel;

/**
 * The reference kernels: one plain loop per equation, single thread, float storage. Transcendentals go
 * through {@link Math} in double and are rounded once. This is "SIMD off": {@link VectorKernels} must agree
 * with it to float rounding, and it is what -Dyuefu.simd=off runs.
 */
public final class ScalarKernels implements Kernels {

    @Override
    public String name() {
        return "scalar";
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    static float tanh(float x) {
        return (float) Math.tanh(x);
    }

    @Override
    public void addBiasRows(float[] y, int yOff, int rows, int n, float[] bias, int biasOff) {
        for (int r = 0; r < rows; r++) {
            int o = yOff + r * n;
            for (int j = 0; j < n; j++) y[o + j] += bias[biasOff + j];
        }
    }

    @Override
    public void fillRows(float[] y, int yOff, int rows, int n, float[] a, int aOff, float[] b, int bOff) {
        for (int r = 0; r < rows; r++) {
            int o = yOff + r * n;
            for (int j = 0; j < n; j++) y[o + j] = b == null ? a[aOff + j] : a[aOff + j] + b[bOff + j];
        }
    }

    @Override
    public void sumRowsInto(float[] x, int xOff, int rows, int n, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int o = xOff + r * n;
            for (int j = 0; j < n; j++) out[outOff + j] += x[o + j];
        }
    }

    @Override
    public void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i] * b[bOff + i];
    }

    @Override
    public void rnnForward(float[] a, int aOff, float[] h, int hOff, int n) {
        for (int i = 0; i < n; i++) h[hOff + i] = tanh(a[aOff + i]);
    }

    @Override
    public void rnnBackward(float[] h, int hOff, float[] dOut, int dOutOff, float[] dRec, int dRecOff,
                            float[] dA, int dAOff, int n) {
        for (int i = 0; i < n; i++) {
            float hv = h[hOff + i];
            dA[dAOff + i] = (dOut[dOutOff + i] + dRec[dRecOff + i]) * (1f - hv * hv);
        }
    }

    @Override
    public void lstmForward(float[] gates, int gOff, float[] cPrev, int cpOff, float[] c, int cOff,
                            float[] h, int hOff, int rows, int hidden) {
        int H = hidden;
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * 4 * H, s = r * H;
            for (int j = 0; j < H; j++) {
                float i = sigmoid(gates[g + j]);
                float f = sigmoid(gates[g + H + j]);
                float gg = tanh(gates[g + 2 * H + j]);
                float o = sigmoid(gates[g + 3 * H + j]);
                gates[g + j] = i;
                gates[g + H + j] = f;
                gates[g + 2 * H + j] = gg;
                gates[g + 3 * H + j] = o;
                float cv = f * cPrev[cpOff + s + j] + i * gg;
                c[cOff + s + j] = cv;
                h[hOff + s + j] = o * tanh(cv);
            }
        }
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = tanh(x[xOff + i]);
    }

    @Override
    public void lstmBackward(float[] gates, int gOff, float[] cPrev, int cpOff, float[] tanhC, int tcOff,
                             float[] dOut, int dOutOff, float[] dRec, int dRecOff, float[] dc, int dcOff,
                             float[] dGates, int dgOff, int rows, int hidden) {
        int H = hidden;
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * 4 * H, dg = dgOff + r * 4 * H, s = r * H;
            for (int j = 0; j < H; j++) {
                float i = gates[g + j], f = gates[g + H + j], gg = gates[g + 2 * H + j], o = gates[g + 3 * H + j];
                float dh = dOut[dOutOff + s + j] + dRec[dRecOff + s + j];
                float tc = tanhC[tcOff + s + j];
                float dcv = dc[dcOff + s + j] + dh * o * (1f - tc * tc);
                dGates[dg + j] = dcv * gg * i * (1f - i);
                dGates[dg + H + j] = dcv * cPrev[cpOff + s + j] * f * (1f - f);
                dGates[dg + 2 * H + j] = dcv * i * (1f - gg * gg);
                dGates[dg + 3 * H + j] = dh * tc * o * (1f - o);
                dc[dcOff + s + j] = dcv * f;
            }
        }
    }

    @Override
    public void gruForward(float[] xg, int xgOff, float[] hg, int hgOff, float[] hPrev, int hpOff,
                           float[] h, int hOff, int rows, int hidden) {
        int H = hidden;
        for (int r = 0; r < rows; r++) {
            int x = xgOff + r * 3 * H, hh = hgOff + r * 3 * H, s = r * H;
            for (int j = 0; j < H; j++) {
                float rv = sigmoid(xg[x + j] + hg[hh + j]);
                float z = sigmoid(xg[x + H + j] + hg[hh + H + j]);
                float n = tanh(xg[x + 2 * H + j] + rv * hg[hh + 2 * H + j]);
                xg[x + j] = rv;
                xg[x + H + j] = z;
                xg[x + 2 * H + j] = n;
                h[hOff + s + j] = (1f - z) * n + z * hPrev[hpOff + s + j];
            }
        }
    }

    @Override
    public void gruBackward(float[] xg, int xgOff, float[] hg, int hgOff, float[] hPrev, int hpOff,
                            float[] dOut, int dOutOff, float[] dh, int dhOff,
                            float[] dXg, int dxOff, float[] dHg, int dhgOff, int rows, int hidden) {
        int H = hidden;
        for (int r = 0; r < rows; r++) {
            int x = xgOff + r * 3 * H, hh = hgOff + r * 3 * H, dx = dxOff + r * 3 * H, dhg = dhgOff + r * 3 * H;
            int s = r * H;
            for (int j = 0; j < H; j++) {
                float rv = xg[x + j], z = xg[x + H + j], n = xg[x + 2 * H + j];
                float d = dOut[dOutOff + s + j] + dh[dhOff + s + j];
                float dAn = d * (1f - z) * (1f - n * n);
                float dAr = dAn * hg[hh + 2 * H + j] * rv * (1f - rv);
                float dAz = d * (hPrev[hpOff + s + j] - n) * z * (1f - z);
                dXg[dx + j] = dAr;
                dXg[dx + H + j] = dAz;
                dXg[dx + 2 * H + j] = dAn;
                dHg[dhg + j] = dAr;
                dHg[dhg + H + j] = dAz;
                dHg[dhg + 2 * H + j] = dAn * rv;
                dh[dhOff + s + j] = d * z;
            }
        }
    }

    @Override
    public float logSoftmax(float[] x, int off, int n, float[] bias, int bOff) {
        if (bias != null) for (int i = 0; i < n; i++) x[off + i] += bias[bOff + i];
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, x[off + i]);
        float sum = 0f;
        for (int i = 0; i < n; i++) sum += (float) Math.exp(x[off + i] - max);
        float lse = max + (float) Math.log(sum);
        for (int i = 0; i < n; i++) x[off + i] -= lse;
        return lse;
    }

    @Override
    public void softmaxMinusOneHot(float[] x, int off, int n, int target, float scale, float[] sum, int sOff) {
        for (int i = 0; i < n; i++) x[off + i] = scale * (float) Math.exp(x[off + i]);
        x[off + target] -= scale;
        if (sum != null) for (int i = 0; i < n; i++) sum[sOff + i] += x[off + i];
    }

    @Override
    public float logSoftmaxGrad(float[] x, int off, int n, float[] bias, int bOff, int target, float scale,
                                float[] sum, int sOff) {
        if (bias != null) for (int i = 0; i < n; i++) x[off + i] += bias[bOff + i];
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, x[off + i]);
        float zTarget = x[off + target];
        float total = 0f;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            total += e;
        }
        float lse = max + (float) Math.log(total);
        float f = scale / total;
        for (int i = 0; i < n; i++) x[off + i] *= f;
        if (sum != null) {
            for (int i = 0; i < n; i++) sum[sOff + i] += x[off + i];
            sum[sOff + target] -= scale;
        }
        x[off + target] -= scale;
        return -(zTarget - lse);
    }

    @Override
    public int argmax(float[] x, int off, int n) {
        int best = -1;
        float bestValue = Float.NaN;
        for (int i = 0; i < n; i++) {
            float v = x[off + i];
            if (v == v && (best < 0 || v > bestValue)) {
                best = i;
                bestValue = v;
            }
        }
        return best;
    }
}
