#!/usr/bin/env bash
# Runs yuefu's char-LM benchmark and the PyTorch peer (../shared/bench/torch_charlm.py) alternately on the same
# configuration and prints, per pair, both tokens/s and the ratio yuefu/PyTorch, then the medians.
#
#   bench/compare.sh CONFIG [PAIRS] [more options for both, e.g. --steps 50 --threads 2]
#   CONFIG: A|B|C|D|E (../shared/bench/README.md); PAIRS default 3.
#
# The order inside a pair alternates (torch first, then yuefu first, ...) so that drift in the machine's load
# does not favour one side. All JSON lines go to bench/results/compare-CONFIG-<time>.jsonl.
# The peer runs as its README says: system python3, OpenBLAS with its own choice of kernels (AVX-512 where the CPU
# has it; OPENBLAS_CORETYPE unset), OMP_WAIT_POLICY=ACTIVE.
# Generation warm-up: yuefu's JIT needs a few thousand tokens before the step path is compiled (bench --gen-warmup,
# default 5000), so the peer is run from a copy whose only change is the same warm-up (its gen(20) → gen(5000)):
# both sides warm up alike. YUEFU_GEN_WARMUP sets it for both.
# Training warm-up: the peer's 5 steps, except config D, whose steps are so short (~33 ms) that 5 of them end
# while C2 is still compiling on the same two cores. Forward + backward of D, medians of 20 steps: 45-48 ms for
# steps 0-19, 32-34 ms for 20-99, 32 ms from 100 on; `yuefu bench --config D`, five alternations: median step 33.7 ms
# after 5 warm-up steps, 32.4 ms after 80; PyTorch the same after 5 or 60. Both sides get 100 steps (~3 s, as A's 5
# or B's 5 take 2-5 s) unless --warmup is given.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cfg=${1:?usage: bench/compare.sh A|B|C|D|E [PAIRS] [options...]}
pairs=${2:-3}
shift; [ $# -gt 0 ] && shift
cfg_warmup=
case "$cfg" in
  A) args=(--cell lstm --layers 2 --embed 128 --hidden 256 --batch 64 --seq 64) ;;
  B) args=(--cell lstm --layers 2 --embed 256 --hidden 512 --batch 64 --seq 64) ;;
  C) args=(--cell gru --layers 2 --embed 128 --hidden 256 --batch 64 --seq 64) ;;
  D) args=(--cell rnn --layers 1 --embed 64 --hidden 128 --batch 32 --seq 32); cfg_warmup=100 ;;
  E) args=(--cell lstm --layers 3 --embed 512 --hidden 1024 --batch 32 --seq 64) ;;
  *) echo "compare.sh: unknown config '$cfg': use A, B, C, D or E" >&2; exit 2 ;;
esac
args+=(--vocab 6000)
if [ -n "$cfg_warmup" ]; then
  given=0
  for a in "$@"; do case "$a" in --warmup|--warmup=*) given=1 ;; esac; done
  ((given)) || args+=(--warmup "$cfg_warmup")
fi
# A small young generation keeps the JVM's resident set near what the engine needs (measured on config D: peak RSS
# 280 MB instead of 580 MB, same speed); override with YUEFU_JAVA_OPTS.
export YUEFU_JAVA_OPTS="${YUEFU_JAVA_OPTS:--Xmn64m}"
peer=${YUEFU_PEER:-$root/../shared/bench/torch_charlm.py}
[ -f "$peer" ] || { echo "compare.sh: peer benchmark not found at $peer (set YUEFU_PEER)" >&2; exit 2; }
poems=$(dirname "$peer")/../data/poems.txt
yargs=()
[ -f "$poems" ] && yargs=(--data "$poems")
gen_warmup=${YUEFU_GEN_WARMUP:-5000}
peer_copy=$(mktemp --suffix=.py)
trap 'rm -f "$peer_copy"' EXIT
# The copy reads its data where the original does (POEMS is relative to the script's own folder).
peer_dir=$(cd "$(dirname "$peer")" && pwd)
sed -e "s/^        gen(20)  # warm-up\$/        gen($gen_warmup)  # warm-up (compare.sh: the same as yuefu's)/" \
    -e "s|os.path.dirname(os.path.abspath(__file__))|\"$peer_dir\"|" "$peer" > "$peer_copy"
grep -q "gen($gen_warmup)  # warm-up (compare.sh" "$peer_copy" \
  || { echo "compare.sh: could not set the peer's generation warm-up (no 'gen(20)  # warm-up' line in $peer)" >&2; exit 2; }
mkdir -p "$root/bench/results"
out="$root/bench/results/compare-$cfg-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
"$root/bin/yuefu" --version >/dev/null   # build first, outside the timed runs

# share_of_peak against this machine's measured sgemm peak: OpenBLAS (the peer's BLAS) at the run's thread count,
# best over bench/openblas_gemm.py's shapes, measured once here (the machines change; a fixed figure would not fit).
# The peer's interpreter as its README runs it (OpenBLAS's own kernels, active OpenMP waits), for both scripts.
peer_python() {
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=ACTIVE /usr/bin/python3 "$@"
}
threads=2
prev=
for a in "$@"; do
  [ "$prev" = --threads ] && threads=$a
  case "$a" in --threads=*) threads=${a#--threads=} ;; esac
  prev=$a
done
peak=$(peer_python "$root/bench/openblas_gemm.py" "$threads" | awk '{g = $(NF-1); if (g > m) m = g} END {print m}')
[ -n "$peak" ] || { echo "compare.sh: could not measure the OpenBLAS sgemm peak (bench/openblas_gemm.py)" >&2; exit 2; }
echo "sgemm peak (OpenBLAS, $threads threads, bench/openblas_gemm.py): $peak GFLOP/s"

run_torch() {
  peer_python "$peer_copy" "${args[@]}" --label "torch-$cfg" "$@" | tail -1
}
run_yuefu() {
  "$root/bin/yuefu" bench "${args[@]}" "${yargs[@]}" --gen-warmup "$gen_warmup" --peak-gflops "$peak" --label "yuefu-$cfg" "$@" | tail -1
}

echo "config $cfg: ${args[*]} $*  ($pairs pairs; JSON in $out)"
for ((i = 1; i <= pairs; i++)); do
  if ((i % 2 == 1)); then t=$(run_torch "$@"); y=$(run_yuefu "$@"); else y=$(run_yuefu "$@"); t=$(run_torch "$@"); fi
  echo "$t" >> "$out"; echo "$y" >> "$out"
  /usr/bin/python3 - "$i" "$t" "$y" <<'PY'
import json, sys
i, t, y = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
print("pair %s: train tok/s torch %.0f yuefu %.0f ratio %.2f | gen tok/s torch %.0f yuefu %.0f ratio %.2f | "
      "peak RSS MB torch %.0f yuefu %.0f | yuefu %.1f GFLOP/s (%.0f%% of peak)" % (
      i, t["train_tokens_per_s"], y["train_tokens_per_s"], y["train_tokens_per_s"] / t["train_tokens_per_s"],
      t["gen_tokens_per_s"], y["gen_tokens_per_s"], y["gen_tokens_per_s"] / t["gen_tokens_per_s"],
      t["peak_rss_mb"], y["peak_rss_mb"], y["achieved_gflops"], 100 * y["share_of_peak"]))
PY
done
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
t = [r for r in rows if r["label"].startswith("torch")][-len(rows)//2:]
y = [r for r in rows if r["label"].startswith("yuefu")][-len(rows)//2:]
tr = [b["train_tokens_per_s"] / a["train_tokens_per_s"] for a, b in zip(t, y)]
gr = [b["gen_tokens_per_s"] / a["gen_tokens_per_s"] for a, b in zip(t, y)]
med = statistics.median
print("median: train torch %.0f yuefu %.0f tok/s, ratio %.2f (pairs %s) | gen torch %.0f yuefu %.0f tok/s, ratio %.2f | "
      "peak RSS MB torch %.0f yuefu %.0f | yuefu %.1f GFLOP/s, %.0f%% of peak" % (
      med([a["train_tokens_per_s"] for a in t]), med([b["train_tokens_per_s"] for b in y]), med(tr),
      " ".join("%.2f" % r for r in tr), med([a["gen_tokens_per_s"] for a in t]), med([b["gen_tokens_per_s"] for b in y]),
      med(gr), med([a["peak_rss_mb"] for a in t]), med([b["peak_rss_mb"] for b in y]),
      med([b["achieved_gflops"] for b in y]), 100 * med([b["share_of_peak"] for b in y])))
PY
