#!/usr/bin/env python3
"""Writes numpress_vectors.json: arrays encoded by OpenMS's MS-Numpress coder (pyopenms
MSNumpressCoder, the reference C++ implementation) with each scheme, with and without zlib, plus
what OpenMS decodes them back to. DrugCheck's own decoder must reproduce the decoded values.

  /work/shared/bench/.venv/bin/python Tests/DrugCheckIngestTests/Fixtures/mzml/make_numpress_vectors.py
"""
import json
import os

import pyopenms as oms

HERE = os.path.dirname(os.path.abspath(__file__))
C = oms.MSNumpressCoder
SCHEMES = {"linear": C.NumpressCompression.LINEAR, "pic": C.NumpressCompression.PIC,
           "slof": C.NumpressCompression.SLOF}
# m/z-like ascending values, intensity-like values (incl. a zero and a large one), retention times.
INPUTS = {
    "mz": [100.0, 100.0012, 150.0874, 188.1434, 281.2012, 337.2274, 337.2301, 1500.6543, 1999.9999],
    "intensity": [0.0, 1.0, 12.7, 155.5, 3021.0, 45000.25, 123456.0, 9.9e6, 2.5e7],
    "time": [0.5, 1.0, 1.5, 2.0, 2.5, 3.1, 3.6, 4.2],
}


def main():
    out = {"producer": f"pyopenms {oms.__version__} MSNumpressCoder.encodeNP/decodeNP", "vectors": []}
    for scheme, code in SCHEMES.items():
        for zlib in (False, True):
            for name, values in INPUTS.items():
                cfg = oms.NumpressConfig()
                cfg.np_compression = code
                cfg.estimate_fixed_point = True
                encoded = C().encodeNP(values, zlib, cfg)
                if not encoded:  # OpenMS refuses linear for 2.5e7 (fixed point overflow): no vector
                    continue
                decoded = []
                C().decodeNP(encoded, decoded, zlib, cfg)
                out["vectors"].append({"scheme": scheme, "zlib": zlib, "input": name, "values": values,
                                       "base64": str(encoded), "decoded": decoded})
    with open(os.path.join(HERE, "numpress_vectors.json"), "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")
    print(len(out["vectors"]), "vectors")


if __name__ == "__main__":
    main()
