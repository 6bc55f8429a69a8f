"""Peer run of datatrove's quality filters for `winnow filter`, to compare decisions.

Reads JSONL(.gz) documents and writes one line per document: {"id", "kept", "filter", "rule"}, the
first filter that drops it in FineWeb order (Gopher repetition, Gopher quality, C4, FineWeb), each
with datatrove's defaults. It only calls datatrove's public filter classes; run it with datatrove's
source on PYTHONPATH (e.g. a checkout of v0.10.0) and spaCy installed:

    PYTHONPATH=datatrove/src python bench/python/datatrove_peer.py OUT.jsonl IN.jsonl.gz...

Compare with `winnow filter --no-normalize --preset datatrove-0.10 --order fineweb` on the same
input (bench/python/compare_decisions.py).
"""

import gzip
import json
import sys
import time

from datatrove.data import Document
from datatrove.pipeline.filters import (
    C4QualityFilter,
    FineWebQualityFilter,
    GopherQualityFilter,
    GopherRepetitionFilter,
)

NAMES = ["gopher_repetition", "gopher_quality", "c4", "fineweb"]


def documents(paths):
    for path in paths:
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                yield d["id"], d["text"]


def main(out_path, inputs):
    filters = [GopherRepetitionFilter(), GopherQualityFilter(), C4QualityFilter(), FineWebQualityFilter()]
    n = 0
    t0 = time.process_time()
    with open(out_path, "w", encoding="utf-8") as out:
        for doc_id, text in documents(inputs):
            doc = Document(text=text, id=doc_id)
            decision = {"id": doc_id, "kept": True}
            for name, f in zip(NAMES, filters):
                result = f.filter(doc)
                ok, reason = (result, None) if isinstance(result, bool) else result
                if not ok:
                    decision = {"id": doc_id, "kept": False, "filter": name, "rule": reason}
                    break
            out.write(json.dumps(decision) + "\n")
            n += 1
    secs = time.process_time() - t0
    print(f"{n} documents, {n / secs:.0f} docs per CPU-second", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
