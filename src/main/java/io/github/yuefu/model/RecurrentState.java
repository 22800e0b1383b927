package io.github.yuefu.model;

import java.util.Arrays;

/**
 * The hidden state of a stack of recurrent layers for a batch: h (and c for an LSTM) for every layer.
 * Passed into a forward pass as the initial state and overwritten there with the final state, so carrying
 * state across truncated-BPTT windows is just passing the same object again.
 */
public final class RecurrentState {
    public final int layers;
    public final int batch;
    public final int hidden;
    public final float[] h; // (L, B, H)
    public final float[] c; // (L, B, H) cell state, LSTM only; null otherwise

    public RecurrentState(int layers, int batch, int hidden, boolean hasCell) {
        this.layers = layers;
        this.batch = batch;
        this.hidden = hidden;
        this.h = new float[layers * batch * hidden];
        this.c = hasCell ? new float[layers * batch * hidden] : null;
    }

    /** Back to zeros (the start of an epoch, a new poem). */
    public void reset() {
        Arrays.fill(h, 0f);
        if (c != null) Arrays.fill(c, 0f);
    }

    public void copyFrom(RecurrentState o) {
        if (o.layers != layers || o.batch != batch || o.hidden != hidden || (o.c == null) != (c == null)) {
            throw new IllegalArgumentException("state shapes differ");
        }
        System.arraycopy(o.h, 0, h, 0, h.length);
        if (c != null) System.arraycopy(o.c, 0, c, 0, c.length);
    }

    /** Offset of (layer, b, 0) in h and c. */
    public int offset(int layer, int b) {
        return (layer * batch + b) * hidden;
    }
}
