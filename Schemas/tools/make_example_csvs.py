#!/usr/bin/env python3
"""Writes the example lab exports in Imports/ (one per CSV dialect DrugCheck reads).

The samples are invented but follow the pattern reported for Belgium in 2025-26: illegal vape
refills carrying nitazenes or fentanyl analogues, cocaine occasionally adulterated with fentanyl,
and many negatives. Deterministic (fixed seed): re-running gives the same bytes.
Run from the package root: python3 Schemas/tools/make_example_csvs.py
"""
import datetime as dt
import random

rng = random.Random(20261122)
HEADER = ["lab", "sample_id", "sample_type", "source", "sold_as", "description", "collected_on", "region",
          "technique", "instrument", "analysed_on", "substance", "detected", "concentration", "unit", "rt_min", "mz", "match_score"]

# ISO weeks 2026-W36 .. 2026-W47 (Mondays)
MONDAYS = [dt.date(2026, 8, 31) + dt.timedelta(weeks=i) for i in range(12)]

VAPE_OPIOIDS = [("metonitazene", 0.8), ("N-pyrrolidino etonitazene", 0.5), ("protonitazene", 0.6), ("fentanyl", 1.2),
                ("para-fluorofentanyl", 0.9), ("isotonitazene", 0.4)]
POWDER_PROFILES = [
    ("cocaine", [("cocaine", 62.0), ("levamisole", 8.0)]),
    ("cocaine", [("cocaine", 71.5), ("caffeine", 4.0)]),
    ("cocaine", [("cocaine", 55.0), ("fentanyl", 0.6), ("lidocaine", 12.0)]),
    ("heroin", [("heroin", 18.0), ("caffeine", 30.0), ("paracetamol", 25.0)]),
    ("heroin", [("heroin", 12.0), ("fentanyl", 1.5), ("xylazine", 6.0)]),
    ("ketamine", [("ketamine", 88.0)]),
    ("MDMA", [("MDMA", 74.0)]),
    ("speed", [("amphetamine", 22.0), ("caffeine", 40.0)]),
]
BRANDS = [("Cloud Nine", "mango", "yellow", "smiling cloud"), ("Ice Pod", "blue razz", "blue", "snowflake"),
          ("THC Gold", "lemon haze", "amber", "gold leaf"), ("Relax Max", "mint", "green", "palm tree")]
REGIONS = ["BE211", "BE100", "BE234", "BE251", "BE332"]


def date_in(monday):
    return monday + dt.timedelta(days=rng.randrange(7))


def samples(lab, prefix, n_per_week, source_choices, regions=REGIONS):
    rows = []
    counter = 1
    for monday in MONDAYS:
        for _ in range(n_per_week + rng.randrange(-1, 2)):
            sid = f"{prefix}-{monday.isocalendar()[1]:02d}{counter:03d}"
            counter += 1
            collected = date_in(monday)
            analysed = collected + dt.timedelta(days=rng.randrange(1, 4))
            region = rng.choice(regions)
            source = rng.choice(source_choices)
            kind = rng.random()
            if kind < 0.3:
                brand, flavour, colour, logo = rng.choice(BRANDS)
                sold = "THC vape" if brand == "THC Gold" else "e-liquid refill"
                found = []
                if rng.random() < 0.82:  # synthetic opioid in most seized refills
                    name, conc = rng.choice(VAPE_OPIOIDS)
                    found.append((name, round(conc * rng.uniform(0.5, 1.5), 2), "mg/mL"))
                if brand == "THC Gold" and rng.random() < 0.5:
                    found.append(("MDMB-4en-PINACA", round(rng.uniform(1, 5), 2), "mg/mL"))
                rows.append(dict(sample_id=sid, sample_type="vape_refill", source=source, sold_as=sold,
                                 description=f"{brand}; {flavour}; {colour}; logo: {logo}", collected_on=collected,
                                 region=region, technique="LC-HRMS", instrument="Orbitrap Exploris 120",
                                 analysed_on=analysed, found=found))
            else:
                sold, found = rng.choice(POWDER_PROFILES)
                found = [(n, round(c * rng.uniform(0.8, 1.2), 1), "%w/w") for n, c in found]
                stype = "tablet" if sold == "MDMA" and rng.random() < 0.6 else "powder"
                rows.append(dict(sample_id=sid, sample_type=stype, source=source, sold_as=sold, description="",
                                 collected_on=collected, region=region, technique="GC-MS", instrument="Agilent 8890/5977B",
                                 analysed_on=analysed, found=found))
    return rows


def flatten(lab, rows):
    out = []
    for r in rows:
        base = [lab, r["sample_id"], r["sample_type"], r["source"], r["sold_as"], r["description"], r["collected_on"],
                r["region"], r["technique"], r["instrument"], r["analysed_on"]]
        if not r["found"]:
            out.append(base + ["", False, None, "", None, None, None])
        for name, conc, unit in r["found"]:
            rt = round(rng.uniform(3, 15), 2)
            out.append(base + [name, True, conc, unit, rt, None, round(rng.uniform(0.85, 0.99), 3)])
    return out


def quote(value, sep):
    s = str(value)
    if any(c in s for c in (sep, '"', "\n", "\r")):
        return '"' + s.replace('"', '""') + '"'
    return s


def write(path, header, rows, sep=",", newline="\n", encoding="utf-8", bom=False, fmt=lambda c, v: v):
    lines = [sep.join(quote(h, sep) for h in header)]
    for row in rows:
        lines.append(sep.join(quote(fmt(i, v), sep) for i, v in enumerate(row)))
    data = newline.join(lines) + newline
    raw = data.encode(encoding)
    with open(path, "wb") as f:
        f.write((b"\xef\xbb\xbf" if bom else b"") + raw)


def none_empty(v):
    return "" if v is None else v


# 1. Comma, decimal point, ISO dates, true/false, UTF-8, LF: a Belgian drug-checking service.
rows = flatten("BE-DCA", samples("BE-DCA", "DCA", 5, ["drug_checking"]))
write("Imports/be-dca-drugchecking.csv", HEADER, rows,
      fmt=lambda i, v: ("true" if v else "false") if isinstance(v, bool) else none_empty(v))

# 2. Semicolon, decimal comma, dd/mm/yyyy, ja/nee, UTF-8 with BOM, CRLF: a forensic institute's LIMS.
def be_format(i, v):
    if isinstance(v, bool):
        return "ja" if v else "nee"
    if isinstance(v, dt.date):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, float):
        return str(v).replace(".", ",")
    return none_empty(v)

rows = flatten("BE-NICC", samples("BE-NICC", "NICC", 4, ["police_seizure", "customs_seizure"]))
write("Imports/be-nicc-seizures.csv", HEADER, rows, sep=";", newline="\r\n", bom=True, fmt=be_format)

# 3. Tab separated, extra lab column kept as an attribute, yes/no: a Dutch lab.
rows = flatten("NL-DIMS", samples("NL-DIMS", "DIMS", 3, ["drug_checking"], regions=["NL329", "NL33C", "NL414"]))
rows = [r + [f"B{1000 + i // 3}"] for i, r in enumerate(rows)]
write("Imports/nl-dims-export.tsv", HEADER + ["batch_ref"], rows, sep="\t",
      fmt=lambda i, v: ("yes" if v else "no") if isinstance(v, bool) else none_empty(v))

# 4. Windows-1252, semicolon, decimal comma, French oui/non, quoted fields with ; and line breaks: a Liège lab.
def fr_format(i, v):
    if isinstance(v, bool):
        return "oui" if v else "non"
    if isinstance(v, dt.date):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, float):
        return str(v).replace(".", ",")
    if v == "cocaine":
        return "cocaïne"
    if v == "heroin":
        return "héroïne"
    return none_empty(v)

rows = flatten("BE-LGE", samples("BE-LGE", "LGE", 2, ["police_seizure", "drug_checking"]))
for r in rows:
    if r[4] == "cocaine":
        r[5] = 'sachet "Cristal"; logo étoile\nremis à la police'
        r[7] = "Liège"
write("Imports/be-lge-export-cp1252.csv", HEADER, rows, sep=";", newline="\r\n", encoding="cp1252", fmt=fr_format)
