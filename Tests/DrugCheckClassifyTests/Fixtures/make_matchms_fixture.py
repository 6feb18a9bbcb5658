#!/usr/bin/env python3
"""Score 200 query/library pairs of real refdata spectra with matchms CosineGreedy.

    ../shared/bench/.venv/bin/python Tests/DrugCheckClassifyTests/Fixtures/make_matchms_fixture.py

Pairs are drawn (seed 4) from the ESI spectra of refdata spectra/esi_msp (Fentanyl-Hunter) and
spectra/massbank (fentanyl, norfentanyl, sufentanil, cocaine, codeine, morphine, tramadol folders),
with the three matchms parameter sets below. The peaks are written into the fixture, so the Swift
test compares scores only. Output: matchms_cosine_pairs.json next to this script.
"""
import glob
import json
import os
import random

import numpy as np
from matchms import Spectrum
from matchms.similarity import CosineGreedy
import matchms

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "shared", "refdata", "spectra"))
PARAMS = [dict(tolerance=0.01, mz_power=0.0, intensity_power=1.0),
          dict(tolerance=0.1, mz_power=0.0, intensity_power=0.5),
          dict(tolerance=0.02, mz_power=1.0, intensity_power=0.6)]


def msp(path):
    out, cur = [], None
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.strip()
        if line.startswith("Name:"):
            cur = {"id": line[5:].strip(), "peaks": []}
            out.append(cur)
        elif cur is not None and line and line[0].isdigit():
            mz, it = line.split()[:2]
            cur["peaks"].append((float(mz), float(it)))
    return out


def massbank(path):
    peaks, on, acc = [], False, os.path.basename(path)[:-4]
    for line in open(path, encoding="utf-8", errors="replace"):
        if line.startswith("PK$PEAK"):
            on = True
        elif on and line.startswith("  "):
            mz, it = line.split()[:2]
            peaks.append((float(mz), float(it)))
        else:
            on = False
    return {"id": acc, "peaks": peaks}


def main():
    spectra = msp(os.path.join(REF, "esi_msp", "FentanylHunter_Fentanyllibrary_noNIST.msp"))
    for folder in ["fentanyl", "norfentanyl", "sufentanil", "cocaine", "codeine", "morphine", "tramadol"]:
        spectra += [massbank(p) for p in sorted(glob.glob(os.path.join(REF, "massbank", folder, "*.txt")))]
    spectra = [s for s in spectra if s["peaks"]]
    for s in spectra:
        s["peaks"].sort()
    rng = random.Random(4)
    pairs = []
    while len(pairs) < 200:
        a, b = rng.sample(spectra, 2)
        p = PARAMS[len(pairs) % len(PARAMS)]
        ref = Spectrum(mz=np.array([x[0] for x in a["peaks"]]), intensities=np.array([x[1] for x in a["peaks"]]),
                       metadata={}, metadata_harmonization=False)
        qry = Spectrum(mz=np.array([x[0] for x in b["peaks"]]), intensities=np.array([x[1] for x in b["peaks"]]),
                       metadata={}, metadata_harmonization=False)
        r = CosineGreedy(**p).pair(ref, qry)
        if len(pairs) < 150 and float(r["score"]) == 0.0:
            continue  # mostly overlapping pairs; the last 50 may score 0
        pairs.append({"reference": a["id"], "query": b["id"], **p,
                      "reference_peaks": a["peaks"], "query_peaks": b["peaks"],
                      "score": float(r["score"]), "matches": int(r["matches"])})
    with open(os.path.join(HERE, "matchms_cosine_pairs.json"), "w") as fh:
        json.dump({"generator": "make_matchms_fixture.py", "matchms_version": matchms.__version__,
                   "pairs": pairs}, fh)
    print(len(pairs), "pairs, matchms", matchms.__version__)


if __name__ == "__main__":
    main()
