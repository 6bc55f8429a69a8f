"""Peer benchmark: Hugging Face transformers scoring on the CPU, the usual way.

For each model directory and batch x length shape: `model(ids).logits`, `log_softmax(logits.float())`,
gather the next-token log-probabilities; random token ids; torch threads set to --threads; the mean of
--reps calls after --warmup warm-up calls. Prints one JSON line per (model, dtype, shape) and writes them
all to --out, which `MatrixBackendBenchmark -Dpeer=...` puts beside the Java figures.

    python3 -m venv /tmp/hfenv && /tmp/hfenv/bin/pip install torch transformers
    /tmp/hfenv/bin/python bench/peers/hf_scoring.py --models ../shared/models/proxy-mini,../shared/models/proxy-small
"""
import argparse
import json
import platform
import time

import torch
import transformers
from transformers import AutoModelForCausalLM


def score(model, ids):
    with torch.inference_mode():
        logits = model(ids).logits
        lp = torch.log_softmax(logits[:, :-1].float(), dim=-1)
        return lp.gather(-1, ids[:, 1:].unsqueeze(-1)).squeeze(-1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--models", required=True, help="comma-separated model directories (HF layout)")
    p.add_argument("--shapes", default="1x512,4x1024")
    p.add_argument("--dtypes", default="float32,bfloat16")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--out", default="/tmp/hf-peer.jsonl")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    lines = [json.dumps({"torch": torch.__version__, "transformers": transformers.__version__,
                         "python": platform.python_version(), "threads": a.threads})]
    print(lines[0], flush=True)
    for path in a.models.split(","):
        for dtype in a.dtypes.split(","):
            model = AutoModelForCausalLM.from_pretrained(path, dtype=getattr(torch, dtype)).eval()
            vocab = model.config.vocab_size
            for shape in a.shapes.split(","):
                batch, length = (int(x) for x in shape.split("x"))
                length = min(length, model.config.max_position_embeddings)
                ids = torch.randint(0, vocab, (batch, length), generator=torch.Generator().manual_seed(42))
                for _ in range(a.warmup):
                    score(model, ids)
                t0 = time.perf_counter()
                for _ in range(a.reps):
                    score(model, ids)
                per_batch = (time.perf_counter() - t0) / a.reps
                line = json.dumps({"model": path.rstrip("/").split("/")[-1], "dtype": dtype,
                                   "shape": f"{batch}x{length}", "tokens_per_s": round(batch * length / per_batch),
                                   "ms_per_batch": round(per_batch * 1000, 1)})
                print(line, flush=True)
                lines.append(line)
    with open(a.out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
