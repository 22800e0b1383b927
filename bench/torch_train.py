#!/usr/bin/python3
"""PyTorch twin of a yuefu poem-mode training run, for the quality bar of issue 4.

Same data and split (exported from the yuefu run by bench/ExportSplit.java), same model (Embedding(V,E) ->
LSTM/GRU/RNN(E,H,layers) -> Linear(H,V), PyTorch's default init), same loss (mean NLL over non-pad targets),
same optimizer (Adam, lr, clip_grad_norm_), same batch size and number of steps, the same poem batching
(shuffle, bucket by length within windows of 32 batches, pad with 0). Prints held-out perplexity =
exp(sum NLL / count) over the whole validation split, and the wall time.

usage: torch_train.py SPLIT_DIR --steps N [--batch 64 --embed 128 --hidden 256 --layers 2 --cell lstm --lr 2e-3
                                          --clip 5 --threads 2 --seed 42 --eval-every 200 --log-every 20]
                                          [--start START_DIR]

--start START_DIR (written by bench/ExportStart.java) trains from yuefu's initial weights (init.safetensors) on
yuefu's exact batch sequence (batches.txt) instead of PyTorch's own seeded init and shuffle: with both fixed, a
remaining gap between the two comes from the arithmetic alone. --start-part weights|batches takes only one of
the two (the other from --seed), to tell their effects apart.
"""
import argparse, json, math, random, struct, time
import torch
from torch import nn


def read_ids(path):
    with open(path) as f:
        return [[int(x) for x in line.split()] for line in f if line.strip()]


class CharLM(nn.Module):
    def __init__(self, cell, V, E, H, L):
        super().__init__()
        self.embedding = nn.Embedding(V, E)
        self.rnn = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[cell](E, H, L, batch_first=True)
        self.output = nn.Linear(H, V)

    def forward(self, x):
        y, _ = self.rnn(self.embedding(x))
        return torch.log_softmax(self.output(y), dim=-1)


def load_safetensors(path):
    """The yuefu model file's tensors by name (safetensors parsed by hand: the pip package is not needed)."""
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    header.pop("__metadata__", None)
    data = raw[8 + n:]
    out = {}
    for name, t in header.items():
        begin, end = t["data_offsets"]
        out[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(t["shape"])
    return out


def read_batches(path):
    """yuefu's batch sequence: per batch "rows time", then rows input lines and rows target lines."""
    out = []
    with open(path) as f:
        while True:
            head = f.readline()
            if not head.strip():
                return out
            rows, _ = map(int, head.split())
            x = [[int(v) for v in f.readline().split()] for _ in range(rows)]
            y = [[int(v) for v in f.readline().split()] for _ in range(rows)]
            out.append((torch.tensor(x, dtype=torch.long), torch.tensor(y, dtype=torch.long)))


def batches(docs, B, rng, shuffle=True):
    """Poem batches like data.PoemBatches: shuffle, sort windows of 32·B documents by length, cut, shuffle batches."""
    idx = list(range(len(docs)))
    if shuffle:
        rng.shuffle(idx)
    out = []
    W = 32 * B
    for w in range(0, len(idx), W):
        chunk = sorted(idx[w:w + W], key=lambda i: len(docs[i]))
        local = [chunk[s:s + B] for s in range(0, len(chunk), B)]
        if shuffle:
            rng.shuffle(local)
        out.extend(local)
    return out


def tensors(docs, rows):
    T = max(len(docs[i]) for i in rows) - 1
    x = torch.zeros(len(rows), T, dtype=torch.long)
    y = torch.zeros(len(rows), T, dtype=torch.long)
    for r, i in enumerate(rows):
        d = docs[i]
        x[r, :len(d) - 1] = torch.tensor(d[:-1])
        y[r, :len(d) - 1] = torch.tensor(d[1:])
    return x, y


def evaluate(model, docs, B):
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for rows in batches(docs, B, None, shuffle=False):
            x, y = tensors(docs, rows)
            lp = model(x)
            total += nn.functional.nll_loss(lp.reshape(-1, lp.shape[-1]), y.reshape(-1), ignore_index=0, reduction="sum").item()
            count += int((y != 0).sum())
    model.train()
    return total / count, count


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("split")
    ap.add_argument("--steps", type=int, required=True)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--embed", type=int, default=128)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--cell", default="lstm")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--clip", type=float, default=5.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--eval-every", type=int, default=200)
    ap.add_argument("--log-every", type=int, default=20)
    ap.add_argument("--start", help="directory from bench/ExportStart.java: yuefu's init weights and batch order")
    ap.add_argument("--start-part", choices=["both", "weights", "batches"], default="both",
                    help="with --start: take only yuefu's initial weights, only its batch order, or both")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = random.Random(a.seed)
    train = read_ids(a.split + "/train.ids")
    val = read_ids(a.split + "/val.ids")
    V = len(json.load(open(a.split + "/vocab.json")))
    model = CharLM(a.cell, V, a.embed, a.hidden, a.layers)
    fixed = None
    if a.start and a.start_part in ("both", "weights"):
        model.load_state_dict({k: v for k, v in load_safetensors(a.start + "/init.safetensors").items()
                               if not k.startswith(("optim.", "state."))}, strict=True)
    if a.start and a.start_part in ("both", "batches"):
        fixed = read_batches(a.start + "/batches.txt")
        if len(fixed) < a.steps:
            raise SystemExit("%s/batches.txt has %d batches, --steps asks for %d" % (a.start, len(fixed), a.steps))
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    step, epoch, tokens, t0 = 0, 0, 0, time.time()
    train_time = 0.0
    evals = []
    while step < a.steps:
        for rows in (fixed if fixed else batches(train, a.batch, rng)):
            if step >= a.steps:
                break
            s0 = time.time()
            x, y = rows if fixed else tensors(train, rows)
            opt.zero_grad()
            lp = model(x)
            loss = nn.functional.nll_loss(lp.reshape(-1, V), y.reshape(-1), ignore_index=0)
            loss.backward()
            gnorm = nn.utils.clip_grad_norm_(model.parameters(), a.clip)
            opt.step()
            train_time += time.time() - s0
            step += 1
            tokens += int((y != 0).sum())
            if step % a.log_every == 0:
                print("step %d loss %.4f grad_norm %.4f tok/s %.0f" % (step, loss.item(), gnorm.item(), tokens / train_time), flush=True)
            if step % a.eval_every == 0 or step == a.steps:
                vl, n = evaluate(model, val, a.batch)
                evals.append({"step": step, "val_loss": vl, "val_ppl": math.exp(vl)})
                print("step %d val_loss %.4f val_ppl %.2f (%d tokens)" % (step, vl, math.exp(vl), n), flush=True)
        epoch += 1
    print(json.dumps({"torch": torch.__version__, "threads": a.threads, "steps": step, "tokens": tokens,
                      "train_seconds": round(train_time, 1), "wall_seconds": round(time.time() - t0, 1),
                      "tokens_per_s": round(tokens / train_time), "evals": evals}))


main()
