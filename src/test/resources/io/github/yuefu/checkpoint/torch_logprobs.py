#!/usr/bin/python3
"""Loads a yuefu model file into PyTorch and compares log-probs with yuefu's.

usage: torch_logprobs.py MODEL.safetensors CASE.json
CASE.json: {"batch": B, "time": T, "inputs": [B*T ids], "logprobs": [B*T*V floats]} written by the Java test.
Parses safetensors by hand (struct + torch.frombuffer): the safetensors pip package is not needed.
Prints the max absolute difference; exits 1 when it exceeds 1e-4.
"""
import json, struct, sys
import torch
from torch import nn


def load_safetensors(path):
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    data = raw[8 + n:]
    tensors = {}
    for name, t in header.items():
        assert t["dtype"] == "F32", t["dtype"]
        begin, end = t["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(t["shape"])
    return tensors, meta


class CharLM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        V, H, L = cfg["vocab"], cfg["hidden"], cfg["layers"]
        self.onehot = cfg["input"] == "onehot"
        if not self.onehot:
            self.embedding = nn.Embedding(V, cfg["embed"])
        rnn = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[cfg["cell"]]
        self.rnn = rnn(V if self.onehot else cfg["embed"], H, L, batch_first=True)
        self.output = nn.Linear(H, V)
        self.V = V

    def forward(self, ids):
        x = nn.functional.one_hot(ids, self.V).float() if self.onehot else self.embedding(ids)
        y, _ = self.rnn(x)
        return torch.log_softmax(self.output(y), dim=-1)


def main():
    tensors, meta = load_safetensors(sys.argv[1])
    cfg = json.loads(meta["config"])
    model = CharLM(cfg)
    weights = {k: v for k, v in tensors.items() if not k.startswith(("optim.", "state."))}
    model.load_state_dict(weights, strict=True)
    model.eval()
    case = json.load(open(sys.argv[2]))
    B, T = case["batch"], case["time"]
    ids = torch.tensor(case["inputs"], dtype=torch.long).reshape(B, T)
    with torch.no_grad():
        lp = model(ids).reshape(-1)
    ref = torch.tensor(case["logprobs"], dtype=torch.float32)
    diff = (lp - ref).abs().max().item()
    print("%s %s layers=%d: max |log-prob difference| = %.3g over %d values"
          % (cfg["cell"], cfg["input"], cfg["layers"], diff, ref.numel()))
    sys.exit(0 if diff <= 1e-4 else 1)


main()
