#!/usr/bin/env python3
"""Writes expected.json: what an independent reader (pyopenms, i.e. C++ OpenMS) finds in every
mzML of ../shared/refdata/mzml (main set and twins/). Cross-checked with pyteomics where it can
read the file (pyteomics has no numpress decoder here).

Run from the package root:
  /work/shared/bench/.venv/bin/python Tests/DrugCheckIngestTests/Fixtures/mzml/make_expected.py
"""
import glob
import json
import os

import numpy as np
import pyopenms as oms

HERE = os.path.dirname(os.path.abspath(__file__))
REFDATA = os.path.normpath(os.path.join(HERE, "../../../../../shared/refdata/mzml"))


def with_openms(path):
    exp = oms.MSExperiment()
    oms.MzMLFile().load(path, exp)
    spectra = []
    for s in exp.getSpectra():
        mz, it = s.get_peaks()
        spectra.append({"id": s.getNativeID(), "msLevel": s.getMSLevel(), "peaks": int(len(mz)),
                        "sumMZ": float(np.sum(mz, dtype=np.float64)),
                        "sumIntensity": float(np.sum(it, dtype=np.float64))})
    chromatograms = []
    for c in exp.getChromatograms():
        rt, it = c.get_peaks()
        chromatograms.append({"id": c.getNativeID(), "points": int(len(rt)),
                              "sumTime": float(np.sum(rt, dtype=np.float64)),
                              "sumIntensity": float(np.sum(it, dtype=np.float64))})
    return spectra, chromatograms


def with_pyteomics(path):
    from pyteomics import mzml
    try:
        with mzml.read(path) as r:
            return [(len(s["m/z array"]), float(np.sum(s["intensity array"], dtype=np.float64))) for s in r]
    except Exception as e:  # noqa: BLE001  pyteomics cannot read every file (numpress)
        return repr(e)


def main():
    files = sorted(glob.glob(os.path.join(REFDATA, "*.mzML")) + glob.glob(os.path.join(REFDATA, "twins", "*.mzML")))
    out = {"producer": f"pyopenms {oms.__version__} MzMLFile().load; cross-check pyteomics mzml.read",
           "files": {}}
    for path in files:
        rel = os.path.relpath(path, REFDATA)
        spectra, chromatograms = with_openms(path)
        entry = {"spectra": len(spectra), "peaks": sum(s["peaks"] for s in spectra),
                 "sumIntensity": sum(s["sumIntensity"] for s in spectra),
                 "sumMZ": sum(s["sumMZ"] for s in spectra),
                 "chromatograms": chromatograms, "perSpectrum": spectra}
        pt = with_pyteomics(path)
        if isinstance(pt, list):
            agree = len(pt) == len(spectra) and all(p[0] == s["peaks"] and abs(p[1] - s["sumIntensity"]) <= 1e-6 * max(1, abs(p[1]))
                                                      for p, s in zip(pt, spectra))
            entry["pyteomicsAgrees"] = agree
        else:
            entry["pyteomicsAgrees"] = pt
        out["files"][rel] = entry
        print(rel, entry["spectra"], entry["peaks"], len(chromatograms), entry["pyteomicsAgrees"])
    with open(os.path.join(HERE, "expected.json"), "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
