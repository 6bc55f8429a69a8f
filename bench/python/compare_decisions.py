"""Agreement of two decision files: `winnow filter` output (meta.winnow.quality) and
datatrove_peer.py output, by document id: keep/drop agreement and first-reason agreement, overall
and per corpus (the id's prefix), plus the most common disagreements."""

import collections
import gzip
import json
import sys


def read_winnow(path):
    opener = gzip.open if path.endswith(".gz") else open
    out = {}
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            q = d["meta"]["winnow"]["quality"]
            out[d["id"]] = (q["kept"], q.get("filter"), q.get("rule"))
    return out


def read_peer(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            out[d["id"]] = (d["kept"], d.get("filter"), d.get("rule"))
    return out


def main(winnow_path, peer_path):
    w, p = read_winnow(winnow_path), read_peer(peer_path)
    ids = sorted(set(w) & set(p))
    by = collections.defaultdict(lambda: [0, 0, 0])
    diffs = collections.Counter()
    for i in ids:
        corpus = i.split("-")[0]
        same_keep = w[i][0] == p[i][0]
        same_reason = w[i] == p[i]
        for key in (corpus, "all"):
            by[key][0] += 1
            by[key][1] += same_keep
            by[key][2] += same_reason
        if not same_reason:
            diffs[(w[i][2] or "kept", p[i][2] or "kept")] += 1
    for key, (n, k, r) in sorted(by.items()):
        print(f"{key}: {n} documents, keep/drop equal {k / n:.4%}, first reason equal {r / n:.4%}")
    print("most common (winnow, datatrove) differences:", diffs.most_common(12))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
