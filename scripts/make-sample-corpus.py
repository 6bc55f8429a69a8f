#!/usr/bin/env python3
"""Builds the demo's sample corpus (jobs/src/main/resources/winnow/sample-corpus.jsonl.gz) from ../shared/corpora.

A fixed-seed draw of real documents mixing clean and noisy genres, plus planted exact duplicates: copies of kept-quality
documents under new ids, some byte-identical and some differing only in whitespace and Unicode composition (so that
normalization makes them identical). Each planted copy says what it copies in meta.planted_duplicate_of.
Run from the project root: python3 scripts/make-sample-corpus.py
"""
import gzip, json, random, unicodedata, os

SHARED = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpora")
OUT = os.path.join(os.path.dirname(__file__), "..", "jobs", "src", "main", "resources", "winnow", "sample-corpus.jsonl.gz")
DRAW = {"news": 1000, "web": 1200, "reviews": 300, "prose": 150, "speeches": 20, "udhr": 30}

rng = random.Random(20261123)
docs = []
for name, n in DRAW.items():
    with gzip.open(os.path.join(SHARED, name + ".jsonl.gz"), "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    docs += rng.sample(rows, min(n, len(rows)))

originals = [d for d in docs if d["id"].split("-")[0] in ("news", "prose") and len(d["text"].split()) >= 80]
planted = []
for i, d in enumerate(rng.sample(originals, 150)):
    text = d["text"]
    if i % 3 == 2:  # same after normalization: NFD accents, doubled spaces, CRLF line ends, trailing blanks
        text = unicodedata.normalize("NFD", text).replace(" ", "  ", 3).replace("\n", "\r\n") + "  \n\n"
    planted.append({"id": f"{d['id']}-copy{i}", "text": text, "source": d.get("source"),
                    "meta": {"planted_duplicate_of": d["id"]}})
docs += planted
rng.shuffle(docs)
# a planted copy must come after its original, so "first occurrence kept" keeps the original
pos = {d["id"]: k for k, d in enumerate(docs)}
for p in planted:
    o, c = pos[p["meta"]["planted_duplicate_of"]], pos[p["id"]]
    if c < o:
        docs[o], docs[c] = docs[c], docs[o]
        pos[docs[o]["id"]], pos[docs[c]["id"]] = o, c
with gzip.open(OUT, "wt", encoding="utf-8") as f:
    for d in docs:
        f.write(json.dumps(d, ensure_ascii=False) + "\n")
print(f"{len(docs)} documents ({len(planted)} planted duplicates) -> {OUT}")
