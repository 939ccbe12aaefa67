#!/usr/bin/env python3
"""The jionlp baseline for `handover-bench detect`.

Reads the cells the bench wrote (JSON lines: {"text", "mobiles", "landlines", "ids"} with the true,
normalised values), runs jionlp's `extract_phone_number` and `extract_id_card` on every cell, as a user of
jionlp would to find phones and ID numbers, and prints one JSON object: cells per second (best of the
rounds) and recall / precision against the same ground truth our scanner is measured on.
"""
import json
import re
import sys
import time

import jionlp as jio


def digits(s):
    d = re.sub(r"\D", "", s.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    if d.startswith("0086"):
        d = d[4:]
    elif d.startswith("86") and len(d) == 13:
        d = d[2:]
    return d


def main(path, rounds=3):
    cells = [json.loads(line) for line in open(path, encoding="utf-8")]
    texts = [c["text"] for c in cells]
    best = None
    results = None
    for _ in range(rounds):
        start = time.perf_counter()
        out = [(jio.extract_phone_number(t), jio.extract_id_card(t)) for t in texts]
        secs = time.perf_counter() - start
        if best is None or secs < best:
            best, results = secs, out

    stats = {k: {"truth": 0, "found": 0, "reported": 0, "correct": 0} for k in ("mobile", "id_card")}
    for c, (phones, ids) in zip(cells, results):
        got_mobiles = {digits(p) for p in phones if len(digits(p)) == 11 and digits(p).startswith("1")}
        got_ids = {i.upper() for i in ids}
        for kind, truth, got in (("mobile", set(c["mobiles"]), got_mobiles), ("id_card", set(c["ids"]), got_ids)):
            s = stats[kind]
            s["truth"] += len(truth)
            s["found"] += len(truth & got)
            s["reported"] += len(got)
            s["correct"] += len(got & truth)
    report = {
        "tool": "jionlp " + jio.__version__,
        "cells": len(cells),
        "seconds": best,
        "cells_per_sec": len(cells) / best,
    }
    for kind, s in stats.items():
        report[kind + "_recall"] = s["found"] / s["truth"] if s["truth"] else None
        report[kind + "_precision"] = s["correct"] / s["reported"] if s["reported"] else None
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1])
