#!/usr/bin/env python3
"""Rebuild DrugCheck's default reference library from the real spectra in ../shared/refdata.

    python3 Schemas/tools/build_library.py [--refdata ../shared/refdata]

Writes Sources/DrugCheckImport/Resources/library/{*.msp, LICENSES.md, VERSION}.
Only records whose licence allows redistribution are shipped (CC BY, CC BY-SA, CC0,
dl-de/by-2-0, MIT, US-government works). CC BY-NC* records and the Fentanyl-Hunter entries
taken from HighResNPS/MoNA (upstream terms not stated per record) stay out: tests read them from
refdata directly. Every record keeps its source and licence (`Source:`, `License:` fields) and
the class from compound_classes.csv (MassBank folders) or its library's scope.
"""
import argparse
import csv
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(ROOT, "Sources", "DrugCheckImport", "Resources", "library")
ALLOWED = {"CC BY", "CC BY-SA", "CC0", "dl-de/by-2-0", "MIT"}
VERSION = "2026.11.0"


def massbank(path):
    rec = {"peaks": []}
    in_peaks = False
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("//"):
                break
            if line.startswith("  ") and in_peaks:
                mz, inten = line.split()[:2]
                rec["peaks"].append((mz, inten))
                continue
            in_peaks = line.startswith("PK$PEAK:")
            if ": " not in line:
                continue
            tag, value = line.split(": ", 1)
            sub, _, rest = value.partition(" ")
            if tag == "ACCESSION":
                rec["id"] = value
            elif tag == "CH$NAME" and "name" not in rec:
                rec["name"] = value
            elif tag == "CH$FORMULA":
                rec["formula"] = value
            elif tag == "CH$LINK" and sub == "INCHIKEY":
                rec["inchikey"] = rest
            elif tag == "LICENSE":
                rec["licence"] = value
            elif tag == "AC$INSTRUMENT_TYPE":
                rec["instrument_type"] = value
            elif tag == "AC$MASS_SPECTROMETRY" and sub == "ION_MODE":
                rec["ion_mode"] = rest
            elif tag == "AC$MASS_SPECTROMETRY" and sub == "IONIZATION":
                rec["ionization"] = rest
            elif tag == "AC$MASS_SPECTROMETRY" and sub == "COLLISION_ENERGY":
                rec["collision_energy"] = rest
            elif tag == "MS$FOCUSED_ION" and sub == "PRECURSOR_M/Z":
                rec["precursor"] = re.split(r"[/ ]", rest)[0]
            elif tag == "MS$FOCUSED_ION" and sub == "PRECURSOR_TYPE":
                rec["precursor_type"] = rest
    return rec


def msp_blocks(path):
    blocks, block = [], None
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            line = line.strip()
            if line.startswith("Name:"):
                block = {"Name": line[5:].strip(), "peaks": []}
                blocks.append(block)
            elif not line or block is None:
                continue
            elif re.match(r"^[0-9.]+\s", line):
                block["peaks"].append(tuple(line.split()[:2]))
            elif ":" in line:
                key, value = line.split(":", 1)
                block[key.strip()] = value.strip()
    return blocks


def write(fh, fields, peaks):
    for key, value in fields:
        if value not in (None, "", "nan", "NA"):
            fh.write(f"{key}: {value}\n")
    fh.write(f"Num Peaks: {len(peaks)}\n")
    for mz, inten in peaks:
        fh.write(f"{mz} {inten}\n")
    fh.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--refdata", default=os.path.join(ROOT, "..", "shared", "refdata"))
    args = ap.parse_args()
    spectra = os.path.join(args.refdata, "spectra")
    classes = {r["folder"]: r["class"] for r in csv.DictReader(open(os.path.join(OUT, "compound_classes.csv")))}
    counts = {}

    with open(os.path.join(OUT, "massbank.msp"), "w") as fh:
        for row in csv.DictReader(open(os.path.join(spectra, "INDEX.csv"))):
            if not row["file"].startswith("spectra/massbank/"):
                continue
            rec = massbank(os.path.join(args.refdata, row["file"]))
            if rec.get("licence") not in ALLOWED or not rec["peaks"]:
                continue
            folder = row["file"].split("/")[2]
            write(fh, [("Name", rec.get("name")), ("ID", rec["id"]), ("Formula", rec.get("formula")),
                       ("InChIKey", rec.get("inchikey")), ("PrecursorMZ", rec.get("precursor")),
                       ("Precursor_type", rec.get("precursor_type")), ("Ion_mode", rec.get("ion_mode")),
                       ("Instrument_type", rec.get("instrument_type")), ("Ionization", rec.get("ionization")),
                       ("Collision_energy", rec.get("collision_energy")), ("Class", classes[folder]),
                       ("License", rec["licence"]),
                       ("Source", f"MassBank {rec['id']} (MassBank/MassBank-data@13484d41)")], rec["peaks"])
            counts[("MassBank", rec["licence"])] = counts.get(("MassBank", rec["licence"]), 0) + 1

    with open(os.path.join(OUT, "fentanyl_ei_nist.msp"), "w") as fh:
        for n, b in enumerate(msp_blocks(os.path.join(spectra, "ei_msp",
                                                      "FentanylClassifier_SingleModFentanylLibrary_EI.msp")), 1):
            write(fh, [("Name", b["Name"]), ("ID", f"NIST-FC-EI-{n:03d}"), ("Formula", b.get("Formula")),
                       ("InChIKey", b.get("InChIKey")), ("Ionization", "EI"),
                       ("Instrument_type", "GC-EI-MS"), ("Class", "fentanyl_analogue"),
                       ("License", "US-Gov work (17 USC 105), NIST"),
                       ("Source", "NIST FentanylClassifier SingleModFentanylLibrary (asm3-nist/FentanylClassifier@cf612c9)")],
                  b["peaks"])
            counts[("NIST FentanylClassifier EI", "US-Gov")] = n

    with open(os.path.join(OUT, "fentanyl_esi_fentanylhunter.msp"), "w") as fh:
        n = 0
        for b in msp_blocks(os.path.join(spectra, "esi_msp", "FentanylHunter_Fentanyllibrary_noNIST.msp")):
            if b.get("Source") != "std":
                continue
            n += 1
            write(fh, [("Name", b["Name"]), ("ID", f"FH-{b.get('ID')}"), ("Formula", b.get("Formula")),
                       ("InChIKey", b.get("InChIKey")), ("PrecursorMZ", b.get("PrecursorMZ")),
                       ("Precursor_type", b.get("Precursor_type")), ("Ion_mode", b.get("Ion_mode")),
                       ("Ionization", "ESI"), ("Class", "fentanyl_analogue"), ("License", "MIT"),
                       ("Source", "Fentanyl-Hunter in-house standard (FangLabNTU/Fentanyl-Hunter@e57ad86)")], b["peaks"])
        counts[("Fentanyl-Hunter std", "MIT")] = n

    with open(os.path.join(OUT, "nitazene_esi_decisiontree.msp"), "w") as fh:
        for name in ["S02", "S03", "S38"]:
            peaks, precursor = [], None
            for line in open(os.path.join(spectra, "nitazene_esi_csv", name + ".csv")):
                m = re.search(r"\(([0-9.]+)\[z=1\] ->", line)
                if m:
                    precursor = m.group(1)
                if line.startswith("#"):
                    continue
                cols = line.strip().split(",")
                peaks.append((cols[-2], cols[-1]))
            write(fh, [("Name", f"Nitazene example {name} (identity not stated)"), ("ID", f"NDT-{name}"),
                       ("PrecursorMZ", precursor), ("Ion_mode", "P"), ("Ionization", "ESI"),
                       ("Class", "nitazene"), ("License", "MIT"),
                       ("Source", f"Nitazene Decision Tree App ExampleData/{name}.csv (asm3-trentU/Nitazene_DecisionTree_App)")],
                  peaks)
        counts[("Nitazene Decision Tree App", "MIT")] = 3

    with open(os.path.join(OUT, "VERSION"), "w") as fh:
        fh.write(VERSION + "\n")
    with open(os.path.join(OUT, "LICENSES.md"), "w") as fh:
        fh.write("# Licences of the default reference library\n\nGenerated by `Schemas/tools/build_library.py`; "
                 "each record also carries `License:` and `Source:`.\n\n| source | licence | records |\n|---|---|---|\n")
        for (source, licence), n in sorted(counts.items()):
            fh.write(f"| {source} | {licence} | {n} |\n")
        fh.write("\nExcluded: MassBank CC BY-NC / CC BY-NC-SA / CC BY-NC-ND records; Fentanyl-Hunter entries "
                 "from HighResNPS and MoNA (upstream terms not stated per record). These are used in tests only.\n"
                 "\nCC BY / CC BY-SA / dl-de/by-2-0: attribution is the `Source:` record id (MassBank accession, "
                 "authors listed in the MassBank record). CC BY-SA records remain under CC BY-SA.\n")
    print(sum(counts.values()), "records", counts)


if __name__ == "__main__":
    main()
