#!/usr/bin/env python3
"""Validate Sources/DrugCheckClassify/Resources/substances.json against the reference data.

The JSON is the curated source of truth. Each entry's `source` names the record its formula and InChIKey
come from, in one of three forms (the first one found is the primary record):

    refdata substances/<file>.csv row '<name>'
    MassBank <accession> (refdata spectra/massbank/<dir>/<file>.txt)
    structure SMILES <smiles>          (no refdata record: formula only, never an InChIKey)

This script re-reads every primary record under ../shared/refdata and checks that formula and InChIKey
agree with it, that every InChIKey agrees with all other refdata structure files (MassBank included),
that no two names collide after SubstanceName.key normalisation, and that class, role and id are valid.
Run with a Python that has RDKit (e.g. /work/shared/bench/.venv/bin/python) to also recompute the
formula of every "structure SMILES" entry.

    python3 Schemas/tools/build_catalogue.py           # exit 1 and list the problems, if any
    python3 Schemas/tools/build_catalogue.py --write   # also rewrite the file in canonical layout
"""
import csv
import json
import os
import re
import string
import sys
import unicodedata

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REFDATA = os.path.abspath(os.path.join(ROOT, "..", "shared", "refdata"))
OUT = os.path.join(ROOT, "Sources", "DrugCheckClassify", "Resources", "substances.json")

CLASSES = {"fentanyl_analogue", "nitazene", "other_nso", "classic_opioid", "xylazine_medetomidine",
           "synthetic_cannabinoid", "cannabinoid", "stimulant", "benzodiazepine", "dissociative",
           "psychedelic", "cutting_agent", "other"}
ROLES = {"active", "precursor", "metabolite", "cut"}

# Reference files: prefix -> (path under refdata, name column, formula column, InChIKey column).
TABLES = {
    "T": ("substances/target_compounds_reference.csv", "compound", "formula_rdkit", "inchikey_rdkit"),
    "D": ("substances/globalchem_dea_schedules_smiles.csv", "name", "formula_rdkit", "inchikey_rdkit"),
    "N": ("substances/benzimidazole_opioids_nitazenes_globalchem.csv", "name", "formula_rdkit", "inchikey_rdkit"),
    "H": ("substances/fentanyl_analogues_FentanylHunter_compounds.csv", "name", "formula_rdkit", "inchikey_rdkit"),
    "C": ("substances/fentanyl_singlemod_library_FentanylClassifier.csv", "name", "formula", "inchikey"),
    # SMILES unverified: used only for entries whose SMILES was checked by hand (their source says so).
    "E": ("substances/globalchem_eu_nps_drug_report_smiles_UNVERIFIED.csv", "name", "formula_rdkit", "inchikey_rdkit"),
}

# Port of SubstanceName.key (Sources/DrugCheckModel/SubstanceName.swift); keep in step with it.
SALT_WORDS = {
    "citrate", "citraat", "citrat", "hydrochloride", "hydrochlorid", "chlorhydrate", "chloorhydraat", "hcl",
    "hydrobromide", "bromhydrate", "hbr", "sulfate", "sulphate", "sulfaat", "sulfat", "phosphate", "fosfaat",
    "tartrate", "bitartrate", "tartraat", "mesylate", "maleate", "fumarate", "oxalate", "base", "freebase",
    "salt", "zout", "sel", "de", "d", "van", "free", "monohydrate", "dihydrate", "hydrate",
}


def name_key(name):
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    words, word = [], ""
    for c in folded:
        if c.isalpha() or c.isnumeric():
            word += c
        elif word:
            words.append(word)
            word = ""
    if word:
        words.append(word)
    kept = [w for w in words if w not in SALT_WORDS] if len(words) > 1 else words
    joined = "".join(kept or words)
    return "".join(c for c in joined if c.isascii() and c.isalnum())


def load_tables():
    tables = {}
    for prefix, (path, name_col, f_col, k_col) in TABLES.items():
        with open(os.path.join(REFDATA, path), newline="", encoding="utf-8") as fh:
            rows = {}
            for row in csv.DictReader(fh):
                rows.setdefault(row[name_col], (row[f_col], row[k_col]))
            tables[prefix] = (path, rows)
    return tables


def massbank(path):
    formula = key = None
    with open(os.path.join(REFDATA, path), encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("CH$FORMULA:"):
                formula = line.split(":", 1)[1].strip()
            elif line.startswith("CH$LINK: INCHIKEY"):
                key = line.split()[-1]
    return formula, key


def all_structures(tables):
    """Every (InChIKey, formula, where) in the refdata structure files, MassBank records included."""
    out = []
    for prefix, (path, rows) in tables.items():
        for name, (formula, key) in rows.items():
            if key and formula:
                out.append((key, formula, f"{path} '{name}'"))
    mb = os.path.join(REFDATA, "spectra", "massbank")
    for folder in sorted(os.listdir(mb)):
        for rec in sorted(os.listdir(os.path.join(mb, folder))):
            formula, key = massbank(os.path.join("spectra", "massbank", folder, rec))
            if key and formula:
                out.append((key, formula, f"MassBank {rec[:-4]}"))
    return out


def same_structure(a, b):
    # First block (connectivity, formula) and protonation flag; stereo may differ between sources.
    return a.split("-")[0] == b.split("-")[0] and a[-1] == b[-1]


def rdkit_formula(smiles):
    try:
        from rdkit import Chem
        from rdkit.Chem.rdMolDescriptors import CalcMolFormula
    except ImportError:
        return None
    mol = Chem.MolFromSmiles(smiles)
    return CalcMolFormula(mol) if mol else "INVALID"


RECORD = re.compile(r"refdata (substances/[^ ]+\.csv) row '([^']*)'"
                    r"|MassBank (\S+) \(refdata (spectra/massbank/[^)]+)\)"
                    r"|structure SMILES (\S+)")


def primary_record(source, tables):
    """(formula, inchikey, smiles) of the first record named in `source`, or None."""
    match = RECORD.search(source)
    if not match:
        return None
    path, row, _, mb_path, smiles = match.groups()
    if smiles:
        return None, None, smiles
    if mb_path:
        return (*massbank(mb_path), None)
    prefix = next(p for p, spec in TABLES.items() if spec[0] == path)
    found = tables[prefix][1].get(row)
    return (found[0], found[1], None) if found else ("missing row", None, None)


def validate(catalogue):
    tables = load_tables()
    structures = all_structures(tables)
    problems, keys, ids = [], {}, set()
    for e in catalogue["substances"]:
        sid, formula, inchikey = e["id"], e["formula"], e.get("inchikey")
        if sid in ids:
            problems.append(f"{sid}: duplicate id")
        ids.add(sid)
        if e["class"] not in CLASSES or e["role"] not in ROLES:
            problems.append(f"{sid}: bad class/role")
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", sid):
            problems.append(f"{sid}: id must be lowercase and hyphenated")
        if ("relative_potency" in e) != ("potency_source" in e):
            problems.append(f"{sid}: relative_potency needs potency_source and vice versa")
        record = primary_record(e["source"], tables)
        if record is None:
            problems.append(f"{sid}: source names no record")
            continue
        ref_formula, ref_key, smiles = record
        if smiles:
            if inchikey:
                problems.append(f"{sid}: an InChIKey must come from a refdata record, not an own structure")
            computed = rdkit_formula(smiles)
            if computed is not None and computed != formula:
                problems.append(f"{sid}: RDKit formula {computed} of its SMILES != {formula}")
        else:
            if ref_formula != formula:
                problems.append(f"{sid}: formula {formula} but its record says {ref_formula}")
            if inchikey and inchikey != ref_key:
                problems.append(f"{sid}: InChIKey {inchikey} but its record says {ref_key}")
        if inchikey:
            for key, other_formula, where in structures:
                if same_structure(key, inchikey) and other_formula != formula:
                    problems.append(f"{sid}: {formula} but {where} has {other_formula} for {key}")
        for n in [sid, e["name"]] + e["synonyms"]:
            k = name_key(n)
            if not k:
                problems.append(f"{sid}: name '{n}' normalises to nothing")
            elif keys.get(k, sid) != sid:
                problems.append(f"{sid}: name '{n}' (key {k}) also names {keys[k]}")
            keys[k] = sid
    return problems


def render(catalogue):
    lines = [json.dumps(s, ensure_ascii=False) for s in catalogue["substances"]]
    return '{\n  "version": "%s",\n  "substances": [\n    %s\n  ]\n}\n' % (
        catalogue["version"], ",\n    ".join(lines))


def main():
    with open(OUT, encoding="utf-8") as fh:
        catalogue = json.load(fh)
    problems = validate(catalogue)
    for p in problems:
        print("error:", p, file=sys.stderr)
    if problems:
        return 1
    if "--write" in sys.argv:
        with open(OUT, "w", encoding="utf-8") as fh:
            fh.write(render(catalogue))
    counts = {}
    for s in catalogue["substances"]:
        counts[s["class"]] = counts.get(s["class"], 0) + 1
    print(f"{len(catalogue['substances'])} substances:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
