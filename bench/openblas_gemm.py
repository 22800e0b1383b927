#!/usr/bin/python3
"""OpenBLAS sgemm GFLOP/s through torch.mm, the peer's BLAS, for comparison with `yuefu bench --gemm`.

usage: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=ACTIVE /usr/bin/python3 bench/openblas_gemm.py THREADS
Prints, per shape (M, K, N; C = A·B, no transposes), the best of 5 rounds of ~0.3 s each.
"""
import sys, time
import torch

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
for (m, k, n) in [(2048, 2048, 2048), (2048, 512, 2048), (64, 512, 2048), (2048, 256, 6000)]:
    a, b = torch.randn(m, k), torch.randn(k, n)
    for _ in range(3):
        a @ b
    best = 0.0
    for _ in range(5):
        reps = max(1, int(0.3 / (2 * m * n * k / 100e9)))
        t = time.perf_counter()
        for _ in range(reps):
            torch.mm(a, b)
        best = max(best, 2 * m * n * k * reps / (time.perf_counter() - t) / 1e9)
    print("openblas %d,%d,%d threads %d: best %.1f GFLOP/s" % (m, k, n, torch.get_num_threads(), best), flush=True)
