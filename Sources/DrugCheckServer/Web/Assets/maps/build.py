#!/usr/bin/env python3
"""Builds nuts-benelux.json: NUTS 2024 outlines of BE, NL and LU (levels 1-3) for inline SVG maps.

Standard library only; the same input gives the same bytes. Run from anywhere:

    python3 Sources/DrugCheckServer/Web/Assets/maps/build.py

Input: GISCO NUTS 2024 1:20M in EPSG:3035 (ETRS89-LAEA, metres, equal-area), read from
`../shared/refdata/regions/NUTS_RG_20M_2024_3035.geojson` relative to the repository root.

Per country, coordinates are moved into one frame: x = (E - minE) / scale, y = (maxN - N) / scale
(y flipped for SVG), rounded to integers, where `scale` fits the country's longer side into
FRAME units. Every level of a country shares the frame, so levels overlay exactly.

Simplification is Douglas-Peucker with TOLERANCE frame units, done per shared border (arc), not
per ring: a border between two regions is simplified once and used by both, so neighbours keep
meeting without gaps or overlaps. A ring is cut into arcs at the vertices where the set of
regions sharing the vertex changes.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", ".."))
SOURCE = os.path.normpath(os.path.join(REPO, "..", "shared", "refdata", "regions", "NUTS_RG_20M_2024_3035.geojson"))
OUTPUT = os.path.join(HERE, "nuts-benelux.json")

COUNTRIES = ("BE", "NL", "LU")
LEVELS = (1, 2, 3)
FRAME = 1000          # the longer side of each country's frame, in SVG units
TOLERANCE = 1.5       # Douglas-Peucker tolerance in frame units (BE: 1 unit is about 290 m)
MAX_BYTES = 250_000


def rings_of(geometry):
    """The rings of a Polygon or MultiPolygon, outer and holes alike (drawn with even-odd fill)."""
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    raise ValueError("unexpected geometry " + geometry["type"])


def open_ring(ring):
    """The ring without its closing point and without repeated consecutive points."""
    points = [tuple(p) for p in ring]
    if len(points) > 1 and points[0] == points[-1]:
        points = points[:-1]
    out = []
    for p in points:
        if not out or out[-1] != p:
            out.append(p)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def distance_to_segment(p, a, b):
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return ((px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2) ** 0.5


def douglas_peucker(points, tolerance):
    """Keeps both ends; iterative, so long arcs do not hit the recursion limit."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            d = distance_to_segment(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep) if k]


def simplify_arc(arc, cache, tolerance):
    """One result per border whichever ring walks it, and in whichever direction."""
    forward = tuple(arc)
    backward = tuple(reversed(arc))
    key = min(forward, backward)
    if key not in cache:
        cache[key] = douglas_peucker(list(key), tolerance)
    simplified = cache[key]
    return simplified if key == forward else list(reversed(simplified))


def simplify_rings(rings, tolerance):
    """Topology-preserving simplification of `rings` (lists of open rings in frame units)."""
    owners = {}
    for ring_id, ring in enumerate(rings):
        for p in ring:
            owners.setdefault(p, set()).add(ring_id)
    cache = {}
    result = []
    for ring in rings:
        n = len(ring)
        nodes = [i for i in range(n)
                 if owners[ring[i]] != owners[ring[i - 1]] or owners[ring[i]] != owners[ring[(i + 1) % n]]]
        if not nodes:
            # A ring no border change cuts: cut it at its smallest point and the point farthest
            # from it, both chosen by value so every ring walking it cuts it the same way.
            start = min(range(n), key=lambda i: ring[i])
            far = max(range(n), key=lambda i: ((ring[i][0] - ring[start][0]) ** 2 + (ring[i][1] - ring[start][1]) ** 2, ring[i]))
            nodes = sorted({start, far})
        out = []
        for k, node in enumerate(nodes):
            end = nodes[(k + 1) % len(nodes)]
            arc = [ring[i % n] for i in range(node, end + (n if end <= node else 0) + 1)]
            out.extend(simplify_arc(arc, cache, tolerance)[:-1])
        result.append(out if len(out) >= 3 else ring)
    return result


def main():
    if not os.path.exists(SOURCE):
        sys.exit("missing input: " + SOURCE)
    with open(SOURCE, encoding="utf-8") as f:
        features = json.load(f)["features"]

    frames, regions = {}, []
    for country in COUNTRIES:
        mine = [f for f in features if f["properties"]["CNTR_CODE"] == country]
        outline = [p for f in mine if f["properties"]["LEVL_CODE"] == 0 for r in rings_of(f["geometry"]) for p in r]
        min_e, max_e = min(p[0] for p in outline), max(p[0] for p in outline)
        min_n, max_n = min(p[1] for p in outline), max(p[1] for p in outline)
        scale = max(max_e - min_e, max_n - min_n) / FRAME   # metres per frame unit
        frames[country] = {
            "width": round((max_e - min_e) / scale), "height": round((max_n - min_n) / scale),
            "metres_per_unit": round(scale, 3), "origin_easting": min_e, "origin_northing": max_n,
        }

        def project(p):
            return (round((p[0] - min_e) / scale), round((max_n - p[1]) / scale))

        for level in LEVELS:
            chosen = sorted((f for f in mine if f["properties"]["LEVL_CODE"] == level), key=lambda f: f["properties"]["NUTS_ID"])
            rings, owner = [], []
            for f in chosen:
                for ring in rings_of(f["geometry"]):
                    projected = open_ring([project(p) for p in ring])
                    if len(projected) >= 3:
                        rings.append(projected)
                        owner.append(f["properties"]["NUTS_ID"])
            simplified = simplify_rings(rings, TOLERANCE)
            for f in chosen:
                code = f["properties"]["NUTS_ID"]
                mine_rings = [r for r, o in zip(simplified, owner) if o == code]
                regions.append({
                    "code": code, "level": level, "country": country,
                    "name": f["properties"]["NAME_LATN"].strip(),
                    "rings": [[c for p in r for c in p] for r in mine_rings],
                })

    document = {
        "source": "Eurostat GISCO, NUTS 2024, 1:20 million, EPSG:3035 (NUTS_RG_20M_2024_3035.geojson)",
        "attribution": "© EuroGeographics for the administrative boundaries",
        "simplification": "Douglas-Peucker per shared border, tolerance %s frame units" % TOLERANCE,
        "frames": frames,
        "regions": regions,
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        sys.exit("output is %d bytes, over %d: raise TOLERANCE" % (size, MAX_BYTES))
    with open(OUTPUT, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    points = sum(len(r["rings"][i]) // 2 for r in regions for i in range(len(r["rings"])))
    print("wrote %s: %d regions, %d points, %d bytes" % (OUTPUT, len(regions), points, size))


if __name__ == "__main__":
    main()
