#!/usr/bin/env python3
"""Build nuts-benelux.json: regions with names in four languages, and recodes (standard library only).

Run from anywhere:  python3 Sources/DrugCheckModel/Resources/regions/build.py
Input:  <package root>/../shared/refdata/regions/nuts.csv  (GISCO NUTS 2024, see README.md)
Output: nuts-benelux.json next to this script (read by RegionCatalogue.bundled).
Every assertion runs before anything is written.
"""
import csv, json, sys, unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
PKG_ROOT = HERE.parents[3]                      # regions -> Resources -> DrugCheckModel -> Sources -> root
SRC = PKG_ROOT / ".." / "shared" / "refdata" / "regions" / "nuts.csv"
COUNTRIES = ("BE", "NL", "LU")

# ---------------------------------------------------------------- names
# code: (name_en, name_nl, name_fr, name_de, [extra aliases])
# Sources per group: see README.md ("Sources").
N = {}
def put(code, en, nl, fr, de, aliases=()):
    assert code not in N, code
    N[code] = (en, nl, fr, de, list(aliases))

# --- Belgium: country, regions
put("BE", "Belgium", "België", "Belgique", "Belgien",
    ["Belgique/België", "Belgie", "Kingdom of Belgium", "Koninkrijk België", "Royaume de Belgique", "Königreich Belgien"])
put("BE1", "Brussels-Capital Region", "Brussels Hoofdstedelijk Gewest", "Région de Bruxelles-Capitale", "Region Brüssel-Hauptstadt",
    ["Brussels Region", "Région bruxelloise"])
# BE10 has the same territory and names as BE1; the bare city names go here (province level).
put("BE10", "Brussels-Capital Region", "Brussels Hoofdstedelijk Gewest", "Région de Bruxelles-Capitale", "Region Brüssel-Hauptstadt",
    ["Région de Bruxelles-Capitale/ Brussels Hoofdstedelijk Gewest",
     "Région de Bruxelles-Capitale/Brussels Hoofdstedelijk Gewest",
     "Brussels", "Bruxelles", "Brussel", "Brüssel", "Bruessel"])
put("BE100", "Brussels-Capital", "Brussel-Hoofdstad", "Bruxelles-Capitale", "Brüssel-Hauptstadt",
    ["Arr. de Bruxelles-Capitale/Arr. Brussel-Hoofdstad", "Arr. de Bruxelles-Capitale/Arr. van Brussel-Hoofdstad",
     "Bruxelles-Capitale/Brussel-Hoofdstad", "Arrondissement Brussel-Hoofdstad",
     "Arrondissement de Bruxelles-Capitale", "Bezirk Brüssel-Hauptstadt"])
put("BE2", "Flemish Region", "Vlaams Gewest", "Région flamande", "Flämische Region",
    ["Flanders", "Vlaanderen", "Flandre", "Flandern", "Het Vlaamse Gewest"])
put("BE3", "Walloon Region", "Waals Gewest", "Région wallonne", "Wallonische Region",
    ["Wallonia", "Wallonie", "Wallonië", "Wallonien", "Het Waalse Gewest"])

# --- Belgian provinces: (code, en, nl, fr, de, French "Province de/du/d'" form, extra aliases)
PROV = [
    ("BE21", "Antwerp", "Antwerpen", "Anvers", "Antwerpen", "Province d'Anvers", []),
    ("BE22", "Limburg", "Limburg", "Limbourg", "Limburg", None,
     ["Limburg (BE)", "Belgisch Limburg", "Belgian Limburg", "Limbourg belge", "Provincie Limburg (BE)"]),
    ("BE23", "East Flanders", "Oost-Vlaanderen", "Flandre-Orientale", "Ostflandern", "Province de Flandre-Orientale",
     ["Flandre orientale", "Oost Vlaanderen"]),
    ("BE24", "Flemish Brabant", "Vlaams-Brabant", "Brabant flamand", "Flämisch-Brabant", "Province du Brabant flamand",
     ["Vlaams Brabant"]),
    ("BE25", "West Flanders", "West-Vlaanderen", "Flandre-Occidentale", "Westflandern", "Province de Flandre-Occidentale",
     ["Flandre occidentale", "West Vlaanderen"]),
    ("BE31", "Walloon Brabant", "Waals-Brabant", "Brabant wallon", "Wallonisch-Brabant", "Province du Brabant wallon",
     ["Waals Brabant", "Prov. Brabant Wallon"]),
    ("BE32", "Hainaut", "Henegouwen", "Hainaut", "Hennegau", "Province de Hainaut", []),
    ("BE33", "Liège", "Luik", "Liège", "Lüttich", "Province de Liège", []),
    ("BE34", "Luxembourg", "Luxemburg", "Luxembourg", "Luxemburg", "Province de Luxembourg",
     ["Luxembourg (BE)", "Belgian Luxembourg", "Luxembourg belge", "Belgisch Luxemburg"]),
    ("BE35", "Namur", "Namen", "Namur", "Namur", "Province de Namur", []),
]
for code, en, nl, fr, de, fr_prov, extra in PROV:
    al = list(extra)
    if code != "BE22":   # "Provincie/Provinz Limburg" is also the official name of NL42 -> only qualified forms
        al += [f"Provincie {nl}", f"Prov. {nl}", f"Provinz {de}", f"Province of {en}", f"{en} Province", f"Prov. {fr}"]
    if fr_prov:
        al.append(fr_prov)
    put(code, en, nl, fr, de, al)

# --- Belgian arrondissements: (code, en, nl, fr, de, extra aliases)
ARR = [
    ("BE211", "Antwerp", "Antwerpen", "Anvers", "Antwerpen", []),
    ("BE212", "Mechelen", "Mechelen", "Malines", "Mecheln", []),
    ("BE213", "Turnhout", "Turnhout", "Turnhout", "Turnhout", []),
    ("BE223", "Tongeren", "Tongeren", "Tongres", "Tongern", []),
    ("BE224", "Hasselt", "Hasselt", "Hasselt", "Hasselt", []),
    ("BE225", "Maaseik", "Maaseik", "Maaseik", "Maaseik", []),
    ("BE231", "Aalst", "Aalst", "Alost", "Aalst", []),
    ("BE232", "Dendermonde", "Dendermonde", "Termonde", "Dendermonde", []),
    ("BE233", "Eeklo", "Eeklo", "Eeklo", "Eeklo", []),
    ("BE234", "Ghent", "Gent", "Gand", "Gent", []),
    ("BE235", "Oudenaarde", "Oudenaarde", "Audenarde", "Oudenaarde", []),
    ("BE236", "Sint-Niklaas", "Sint-Niklaas", "Saint-Nicolas", "Sint-Niklaas", []),
    ("BE241", "Halle-Vilvoorde", "Halle-Vilvoorde", "Hal-Vilvorde", "Halle-Vilvoorde", []),
    ("BE242", "Leuven", "Leuven", "Louvain", "Löwen", []),
    ("BE251", "Bruges", "Brugge", "Bruges", "Brügge", []),
    ("BE252", "Diksmuide", "Diksmuide", "Dixmude", "Diksmuide", []),
    ("BE253", "Ypres", "Ieper", "Ypres", "Ypern", []),
    ("BE254", "Kortrijk", "Kortrijk", "Courtrai", "Kortrijk", []),
    ("BE255", "Ostend", "Oostende", "Ostende", "Ostende", []),
    ("BE256", "Roeselare", "Roeselare", "Roulers", "Roeselare", []),
    ("BE257", "Tielt", "Tielt", "Tielt", "Tielt", []),
    ("BE258", "Veurne", "Veurne", "Furnes", "Veurne", []),
    ("BE310", "Nivelles", "Nijvel", "Nivelles", "Nivelles", []),
    ("BE323", "Mons", "Bergen", "Mons", "Mons", []),
    ("BE328", "Tournai-Mouscron", "Doornik-Moeskroen", "Tournai-Mouscron", "Tournai-Mouscron", []),
    ("BE329", "La Louvière", "La Louvière", "La Louvière", "La Louvière", []),
    ("BE32A", "Ath", "Aat", "Ath", "Ath", []),
    ("BE32B", "Charleroi", "Charleroi", "Charleroi", "Charleroi", []),
    ("BE32C", "Soignies", "Zinnik", "Soignies", "Soignies", []),
    ("BE32D", "Thuin", "Thuin", "Thuin", "Thuin", []),
    ("BE331", "Huy", "Hoei", "Huy", "Huy", []),
    ("BE332", "Liège", "Luik", "Liège", "Lüttich", []),
    ("BE334", "Waremme", "Borgworm", "Waremme", "Waremme", []),
    ("BE335", "Verviers — French-speaking communes", "Verviers — Franstalige gemeenten",
     "Verviers — communes francophones", "Verviers — französischsprachige Gemeinden",
     ["Verviers - communes francophones", "Arr. Verviers - communes francophones"]),
    ("BE336", "Verviers — German-speaking Community", "Verviers — Duitstalige Gemeenschap",
     "Verviers — Communauté germanophone", "Verviers — Deutschsprachige Gemeinschaft",
     ["Bezirk Verviers — Deutschsprachige Gemeinschaft", "Bezirk Verviers - Deutschsprachige Gemeinschaft",
      "Verviers - Deutschsprachige Gemeinschaft", "Deutschsprachige Gemeinschaft", "Deutschsprachige Gemeinschaft Belgiens",
      "German-speaking Community of Belgium", "Communauté germanophone", "Duitstalige Gemeenschap", "Ostbelgien"]),
    ("BE341", "Arlon", "Aarlen", "Arlon", "Arlon", ["Arel"]),
    ("BE342", "Bastogne", "Bastenaken", "Bastogne", "Bastogne", []),
    ("BE343", "Marche-en-Famenne", "Marche-en-Famenne", "Marche-en-Famenne", "Marche-en-Famenne", []),
    ("BE344", "Neufchâteau", "Neufchâteau", "Neufchâteau", "Neufchâteau", []),
    ("BE345", "Virton", "Virton", "Virton", "Virton", []),
    ("BE351", "Dinant", "Dinant", "Dinant", "Dinant", []),
    ("BE352", "Namur", "Namen", "Namur", "Namur", []),
    ("BE353", "Philippeville", "Philippeville", "Philippeville", "Philippeville", []),
]
def fr_arr(fr):
    return ("Arrondissement d'" if fr[0] in "AEIOUYÉ" else "Arrondissement de ") + fr
for code, en, nl, fr, de, extra in ARR:
    al = list(extra)
    if code not in ("BE335", "BE336"):
        al += [f"Arr. {nl}", f"Arr. {fr}", f"Arrondissement {nl}", fr_arr(fr), f"Bezirk {de}", f"Arrondissement of {en}"]
    put(code, en, nl, fr, de, al)

# --- Netherlands
put("NL", "Netherlands", "Nederland", "Pays-Bas", "Niederlande",
    ["The Netherlands", "Kingdom of the Netherlands", "Koninkrijk der Nederlanden", "Holland"])
# NUTS 1 "landsdelen": English per CBS English usage (not retrieved); no FR/DE translation -> Dutch name kept
put("NL1", "North Netherlands", "Noord-Nederland", "Noord-Nederland", "Noord-Nederland", ["Landsdeel Noord"])
put("NL2", "East Netherlands", "Oost-Nederland", "Oost-Nederland", "Oost-Nederland", ["Landsdeel Oost"])
put("NL3", "West Netherlands", "West-Nederland", "West-Nederland", "West-Nederland", ["Landsdeel West"])
put("NL4", "South Netherlands", "Zuid-Nederland", "Zuid-Nederland", "Zuid-Nederland", ["Landsdeel Zuid"])
NLPROV = [
    ("NL11", "Groningen", "Groningen", "Groningue", "Groningen", []),
    ("NL12", "Friesland", "Friesland", "Frise", "Friesland", ["Fryslân", "Friesland (NL)"]),
    ("NL13", "Drenthe", "Drenthe", "Drenthe", "Drenthe", ["Drente"]),
    ("NL21", "Overijssel", "Overijssel", "Overijssel", "Overijssel", []),
    ("NL22", "Gelderland", "Gelderland", "Gueldre", "Gelderland", []),
    ("NL23", "Flevoland", "Flevoland", "Flevoland", "Flevoland", []),
    ("NL32", "North Holland", "Noord-Holland", "Hollande-Septentrionale", "Nordholland", ["Noord Holland", "Nord-Holland"]),
    ("NL34", "Zeeland", "Zeeland", "Zélande", "Zeeland", []),
    ("NL35", "Utrecht", "Utrecht", "Utrecht", "Utrecht", []),
    ("NL36", "South Holland", "Zuid-Holland", "Hollande-Méridionale", "Südholland", ["Zuid Holland", "Süd-Holland"]),
    ("NL41", "North Brabant", "Noord-Brabant", "Brabant-Septentrional", "Nordbrabant", ["Noord Brabant", "Nord-Brabant"]),
    ("NL42", "Limburg", "Limburg", "Limbourg", "Limburg",
     ["Limburg (NL)", "Nederlands Limburg", "Dutch Limburg", "Limbourg néerlandais", "Provincie Limburg (NL)"]),
]
for code, en, nl, fr, de, extra in NLPROV:
    al = list(extra)
    if code not in ("NL42", "NL35", "NL23"):  # province==COROP name (Utrecht, Flevoland) or shared with BE22
        al += [f"Provincie {nl}", f"Province of {en}", f"Provinz {de}", f"Province de {fr}" if fr[0] not in "AEIOUYÉ" else f"Province d'{fr}"]
    put(code, en, nl, fr, de, al)

# COROP regions (NUTS 3): the Dutch name in all four columns (no established translations);
# extra spellings and the main town names as aliases.
COROP_ALIASES = {
    "NL112": ["Delfzijl"], "NL226": ["Arnhem", "Nijmegen", "Arnhem-Nijmegen", "Arnhem en Nijmegen"],
    "NL32A": ["Haarlem", "Agglomeratie Haarlem en omgeving"], "NL32B": ["Amsterdam", "Greater Amsterdam", "Groot Amsterdam"],
    "NL328": ["Alkmaar"], "NL325": ["Zaandam", "Zaanstad"], "NL327": ["Het Gooi", "Gooi en Vechtstreek"],
    "NL361": ["Agglomeratie 's-Gravenhage", "Agglomeratie Den Haag", "Den Haag", "'s-Gravenhage", "The Hague", "La Haye"],
    "NL362": ["Delft", "Westland"], "NL363": ["Leiden", "Bollenstreek"], "NL366": ["Rotterdam", "Rijnmond", "Groot Rijnmond"],
    "NL341": ["Zeelandic Flanders", "Flandre zélandaise", "Zeeuws-Vlaanderen"],
}
# COROP regions whose name equals their province's (NL230 Flevoland, NL350 Utrecht) are filled from nuts.csv below.

# --- Luxembourg (4 identical territories). Local-language aliases on the country row only.
put("LU", "Luxembourg", "Luxemburg", "Luxembourg", "Luxemburg",
    ["Lëtzebuerg", "Grand Duchy of Luxembourg", "Grand-Duché de Luxembourg", "Großherzogtum Luxemburg",
     "Groothertogdom Luxemburg"])
for c in ("LU0", "LU00", "LU000"):
    put(c, "Luxembourg", "Luxemburg", "Luxembourg", "Luxemburg", [])

# ---------------------------------------------------------------- recodes
# (old_code, new_code, valid_until, note). Sources: JRC NUTS converter matrices
# (ropensci/nuts data-raw/_JRC_NUTSconverter_Matrices_rel.2025.08) and Eurostat code lists
# (datumorphism/dataset-eu-nuts). See README.md.
RECODES = [
    # NUTS 2021 -> 2024 (codes also used in NUTS 2016); one target region each in n2/n3_cm_v2021_v2024
    ("NL111", "NL114", "2023-12-31", "Oost-Groningen; code change in NUTS 2024, whole region maps to NL114"),
    ("NL113", "NL115", "2023-12-31", "Overig Groningen; code change in NUTS 2024, whole region maps to NL115"),
    ("NL124", "NL127", "2023-12-31", "Noord-Friesland; code change in NUTS 2024, whole region maps to NL127"),
    ("NL125", "NL128", "2023-12-31", "Zuidwest-Friesland; code change in NUTS 2024, whole region maps to NL128"),
    ("NL31", "NL35", "2023-12-31", "Utrecht (NUTS 2); code change in NUTS 2024"),
    ("NL310", "NL350", "2023-12-31", "Utrecht (NUTS 3); code change in NUTS 2024. Data coded to NUTS 2016 boundaries: NL350 also contains part of old NL33A (Vijfheerenlanden)"),
    ("NL324", "NL32A", "2023-12-31", "Agglomeratie Haarlem; code change in NUTS 2024. Under NUTS 2016 boundaries a small part (~21 km2, ~6k inh.) lies in NL32B"),
    ("NL329", "NL32B", "2023-12-31", "Groot-Amsterdam; code change in NUTS 2024, whole region maps to NL32B"),
    ("NL33", "NL36", "2023-12-31", "Zuid-Holland (NUTS 2); code change in NUTS 2024"),
    ("NL332", "NL361", "2023-12-31", "Agglomeratie 's-Gravenhage; code change in NUTS 2024"),
    ("NL333", "NL362", "2023-12-31", "Delft en Westland; code change in NUTS 2024"),
    ("NL337", "NL363", "2023-12-31", "Agglomeratie Leiden en Bollenstreek; code change in NUTS 2024"),
    ("NL33A", "NL364", "2023-12-31", "Zuidoost-Zuid-Holland; code change in NUTS 2024. Under NUTS 2016 boundaries ~111 km2 (~36k inh.) lies in NL350 (Utrecht)"),
    ("NL33B", "NL365", "2023-12-31", "Oost-Zuid-Holland; code change in NUTS 2024"),
    ("NL33C", "NL366", "2023-12-31", "Groot-Rijnmond; code change in NUTS 2024"),
    ("NL412", "NL415", "2023-12-31", "Midden-Noord-Brabant; code change in NUTS 2024"),
    ("NL413", "NL416", "2023-12-31", "Noordoost-Noord-Brabant; code change in NUTS 2024. Under NUTS 2016 boundaries ~27 km2 (~7k inh.) lies in NL415"),
    # NUTS 2016 -> 2021 (unchanged in 2024); n3_cm_v2016_v2024
    ("BE221", "BE22", "2020-12-31", "Arr. Hasselt, split in NUTS 2021: ~97% (area and population) to BE224 Hasselt, the rest (Opglabbeek, now Oudsbergen) to BE225 Maaseik; mapped to the province"),
    ("BE222", "BE225", "2020-12-31", "Arr. Maaseik, wholly contained in BE225 (which also gained part of old BE221)"),
    ("BE321", "BE32A", "2020-12-31", "Arr. Ath, wholly contained in BE32A (which also gained Enghien, Lessines, Silly from old BE325)"),
    ("BE322", "BE32", "2020-12-31", "Arr. Charleroi, split in NUTS 2021: most to BE32B Charleroi, ~83 km2 (Manage, Seneffe) to BE32C Soignies; mapped to the province"),
    ("BE324", "BE328", "2020-12-31", "Arr. Mouscron, merged into BE328 Tournai-Mouscron"),
    ("BE325", "BE32", "2020-12-31", "Arr. Soignies, split in NUTS 2021 between BE329 La Louvière, BE32A Ath and BE32C Soignies; mapped to the province"),
    ("BE326", "BE32", "2020-12-31", "Arr. Thuin, split in NUTS 2021 between BE32D Thuin and BE329 La Louvière (Binche, Estinnes, Morlanwelz); mapped to the province"),
    ("BE327", "BE328", "2020-12-31", "Arr. Tournai, merged into BE328 Tournai-Mouscron"),
    # NUTS 2003 -> 2006
    ("BE333", "BE33", "2007-12-31", "Arr. Verviers (NUTS 2003), split in NUTS 2006 into BE335 (French-speaking communes) and BE336 (German-speaking Community); mapped to the province"),
]

# ---------------------------------------------------------------- helpers
def norm(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.replace("’", "'").replace("—", "-").replace("–", "-")
    return " ".join(s.casefold().split())

def de_umlaut(s):
    return s.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("Ü", "Ue").replace("Ö", "Oe").replace("Ä", "Ae")

def fail(msg):
    sys.exit("ASSERTION FAILED: " + msg)

# ---------------------------------------------------------------- build
def main():
    with open(SRC, encoding="utf-8", newline="") as f:
        src = [r for r in csv.DictReader(f) if r["country"] in COUNTRIES]
    src_by = {r["code"]: r for r in src}
    if len(src_by) != len(src):
        fail("duplicate codes in nuts.csv")

    # NL COROP rows not listed explicitly: Dutch (GISCO) name in all four columns
    for r in src:
        c = r["code"]
        if c.startswith("NL") and r["level"] == "3" and c not in N:
            name = r["name_latin"]
            al = list(COROP_ALIASES.get(c, []))
            if "’" in name:
                al.append(name.replace("’", "'"))
            if c in ("NL230", "NL350"):
                al = []          # name identical to the province's; no extra aliases
            N[c] = (name, name, name, name, al)

    rows, alias_owner, name_owner = [], {}, {}
    for r in sorted(src, key=lambda r: (COUNTRIES.index(r["country"]), r["code"])):
        c = r["code"]
        if c not in N:
            fail(f"no names for {c}")
        en, nl, fr, de, extra = N[c]
        names = [en, nl, fr, de]
        aliases = []
        gisco = r["name_latin"]
        cand = list(extra)
        if gisco not in names and c != "BE1":     # BE1's GISCO string equals BE10's; it is an alias of BE10 only
            cand.insert(0, gisco)                  # GISCO source string verbatim
        for a in list(cand) + names:
            plain = "".join(ch for ch in unicodedata.normalize("NFKD", a) if not unicodedata.combining(ch))
            if plain != a:
                cand.append(plain)                 # accent-free spelling (Liege, Luttich)
            if de_umlaut(a) != a:
                cand.append(de_umlaut(a))          # Luettich, Loewen
        seen = {n.casefold() for n in names}     # keep literal variants (Liege, 's-) even if they normalise to a name
        for a in cand:
            if a.casefold() not in seen:
                seen.add(a.casefold())
                aliases.append(a)
        for n in names:   # a name and its transliterations (ü->ue) are name forms of the region
            name_owner.setdefault(norm(n), set()).add(c)
            name_owner.setdefault(norm(de_umlaut(n)), set()).add(c)
        for a in aliases:
            alias_owner.setdefault(norm(a), set()).add(c)
        rows.append({"code": c, "level": r["level"], "country": r["country"], "parent": r["parent"],
                     "name_en": en, "name_nl": nl, "name_fr": fr, "name_de": de, "aliases": "|".join(aliases)})

    # ---- checks
    codes = [r["code"] for r in rows]
    if sorted(codes) != sorted(src_by) or len(set(codes)) != len(codes):
        fail("BE/NL/LU codes differ from nuts.csv or are duplicated")
    extra_names = set(N) - set(src_by)
    if extra_names:
        fail(f"names given for codes not in NUTS 2024: {sorted(extra_names)}")
    for r in rows:
        s = src_by[r["code"]]
        if r["level"] != s["level"] or r["parent"] != s["parent"] or r["country"] != s["country"]:
            fail(f"level/parent/country mismatch for {r['code']}")
        for k in ("name_en", "name_nl", "name_fr", "name_de"):
            v = r[k]
            if not v.strip() or v != v.strip():
                fail(f"empty/unstripped {k} for {r['code']}")
            if v.startswith(("Prov. ", "Arr. ", "Bezirk ")) or "(BE)" in v or "(NL)" in v:
                fail(f"prefix/qualifier left in {k} of {r['code']}: {v}")
        for a in r["aliases"].split("|") if r["aliases"] else []:
            if not a.strip() or "|" in a or a != a.strip():
                fail(f"bad alias {a!r} in {r['code']}")
    counts = {c: sum(1 for r in rows if r["country"] == c) for c in COUNTRIES}
    nl_src = sum(1 for r in src if r["country"] == "NL")
    if counts["BE"] != 59 or counts["LU"] != 4 or counts["NL"] != nl_src:
        fail(f"row counts {counts}")
    # alias ambiguity: a normalised string used by >1 region must be a *name* of every such region
    ambiguous = []
    for key, owners in alias_owner.items():
        all_owners = owners | name_owner.get(key, set())
        if len(all_owners) > 1:
            not_named = [o for o in all_owners if o not in name_owner.get(key, set())]
            if not_named:
                ambiguous.append((key, sorted(all_owners), sorted(not_named)))
    if ambiguous:
        fail("ambiguous aliases: " + "; ".join(f"{k} -> {o} (alias only in {n})" for k, o, n in ambiguous))
    by = {r["code"]: r for r in rows}
    spot = [("BE33", "name_nl", "Luik"), ("BE21", "name_fr", "Anvers"), ("BE332", "name_de", "Lüttich"),
            ("BE32", "name_de", "Hennegau"), ("BE100", "name_de", "Brüssel-Hauptstadt"), ("BE241", "name_fr", "Hal-Vilvorde"),
            ("BE32C", "name_nl", "Zinnik"), ("NL32", "name_fr", "Hollande-Septentrionale"), ("NL32", "name_de", "Nordholland")]
    for code, col, want in spot:
        if by[code][col] != want:
            fail(f"spot check {code}.{col} = {by[code][col]!r}, want {want!r}")
    for must in ("NL32B", "NL32A", "LU000"):
        if must not in by:
            fail(f"{must} missing")
    for gone in ("NL329", "NL324"):
        if gone in by:
            fail(f"{gone} must not be a NUTS 2024 row")
    # recodes: old codes absent from NUTS 2024, new codes present, unique old codes
    olds = [o for o, *_ in RECODES]
    if len(set(olds)) != len(olds):
        fail("duplicate old_code in recodes")
    for o, n, v, note in RECODES:
        if o in by:
            fail(f"recode old code {o} still exists in NUTS 2024")
        if n not in by:
            fail(f"recode target {n} not in NUTS 2024")
        if o[:2] != n[:2] or not note:
            fail(f"recode {o}->{n} bad country/note")
    if ("NL329", "NL32B") not in {(o, n) for o, n, *_ in RECODES} or ("NL324", "NL32A") not in {(o, n) for o, n, *_ in RECODES}:
        fail("NL329->NL32B / NL324->NL32A missing")

    # shared names report (same normalised name on >1 region)
    shared = {}
    for r in rows:
        for n in {norm(r[k]) for k in ("name_en", "name_nl", "name_fr", "name_de")}:
            shared.setdefault(n, set()).add(r["code"])
    shared = {k: sorted(v) for k, v in shared.items() if len(v) > 1}

    # ---- write (one JSON file: the only copy the app reads; RegionCatalogue.load decodes it)
    table = {
        "source": "Eurostat GISCO NUTS 2024 (© EuroGeographics for the administrative boundaries); names and recodes: see README.md",
        "regions": [{"code": r["code"], "level": int(r["level"]), "country": r["country"], "parent": r["parent"],
                     "names": {"en": r["name_en"], "nl": r["name_nl"], "fr": r["name_fr"], "de": r["name_de"]},
                     "aliases": r["aliases"].split("|") if r["aliases"] else []} for r in rows],
        "recodes": {o: n for o, n, _, _ in RECODES},
        "recode_notes": {o: {"valid_until": v, "note": note} for o, _, v, note in RECODES},
    }
    (HERE / "nuts-benelux.json").write_text(json.dumps(table, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    print(f"nuts-benelux.json: {len(rows)} regions {counts}, {len(RECODES)} recodes")
    print("shared names (normalised name -> regions):")
    for k in sorted(shared):
        print(f"  {k}: {', '.join(shared[k])}")

if __name__ == "__main__":
    main()
