#!/usr/bin/env python3
"""Rebuild ui/src/map/luxembourg-communes.json, the map of the province of Luxembourg.

Source (open data, attribution required):
    Statistics Belgium (Statbel, Algemene Directie Statistiek), statistical sectors at
    1 January 2011 (scbel01012011_gen13), released under the « Licentie open data
    Algemene Directie Statistiek » of 22 October 2015 (reuse, derivation and commercial
    use allowed with the source and its date named; compatible with CC BY).
    Aggregated to communes and converted to WGS84 by BNOSAC in the R package
    BelgiumMaps.StatBel (CC BY 2.0), object BE_ADMIN_MUNTY:
        https://github.com/bnosac/BelgiumMaps.StatBel
        commit a8572644ae6f855259f56b365f69af0686ab9cb7, file data/BE_ADMIN_MUNTY.RData
        (git blob a1d89e84ed4984446cfaf2a247669293d7db9747)

The boundaries of the province's communes did not change between 2011 and 2024 (the
2019 mergers were all in Flanders; Bastogne and Bertogne merged only on 1 January 2025),
so the 44 communes of /work/shared/data/communes-luxembourg.csv are all there.

Usage:
    python3 tools/map/build_luxembourg_map.py BE_ADMIN_MUNTY.RData \
        [--out ui/src/map/luxembourg-communes.json]

Steps, all in this file and without third-party packages:
 1. read the RData file (xz-compressed R serialization, version 2 or 3);
 2. keep the communes whose NIS code starts with 81 to 85 (the province's five
    arrondissements);
 3. project lon/lat to plane coordinates with an equirectangular projection scaled by
    cos(latitude) at the province's middle latitude (distortion under 0.5 % over the
    province's 1.3 degrees of latitude), y pointing down as in SVG;
 4. simplify, keeping borders shared: a vertex where the set of communes touching it
    changes is kept, and each run of vertices between two kept ones is simplified with
    Douglas-Peucker in one canonical direction, so two neighbours get the very same line
    and no gap or overlap opens between them;
 5. add the communes merged since 2011 as the union of the communes they replace;
 6. round to whole units of a 1000-unit-wide drawing and write SVG path data per commune.
"""

from __future__ import annotations

import argparse
import json
import lzma
import math
import struct
import sys
from pathlib import Path

SOURCE = {
    "producer": "Statistics Belgium (Statbel), secteurs statistiques au 1er janvier 2011",
    "dataset": "scbel01012011_gen13",
    "via": "BelgiumMaps.StatBel (BNOSAC), objet BE_ADMIN_MUNTY",
    "url": "https://github.com/bnosac/BelgiumMaps.StatBel",
    "commit": "a8572644ae6f855259f56b365f69af0686ab9cb7",
    "licence": "Licence open data de la Direction générale Statistique - Statistics Belgium"
    " (22 octobre 2015), compatible CC BY ; paquet R sous CC BY 2.0",
}

WIDTH = 1000.0
# Douglas-Peucker tolerance, in output units (1000 units ~ 105 km, so 1 unit ~ 105 m).
TOLERANCE = 2.2
PROVINCE_PREFIXES = ("81", "82", "83", "84", "85")
# Statbel's 2011 labels that differ from the names the communes use themselves: the
# disambiguating arrondissement in brackets, a missing capital accent.
NAME_FIXES = {"Etalle": "Étalle"}


def clean_name(name: str) -> str:
    name = name.split(" (")[0].strip()
    return NAME_FIXES.get(name, name)


# --- 1. R serialization -------------------------------------------------------------

class RObject:
    """One R value: its SEXP type, its payload and its attributes (a dict)."""

    __slots__ = ("kind", "value", "attrs")

    def __init__(self, kind: int, value, attrs: dict | None = None):
        self.kind = kind
        self.value = value
        self.attrs = attrs or {}

    def attr(self, name: str):
        return self.attrs.get(name)


class RReader:
    NILVALUE, EMPTYENV, BASEENV, GLOBALENV, UNBOUND, MISSINGARG, BASENAMESPACE = (
        254, 242, 241, 253, 252, 251, 247)
    REFSXP, PERSISTSXP, PACKAGESXP, NAMESPACESXP = 255, 247, 250, 249
    ALTREP = 238
    ATTRLANG, ATTRLIST = 240, 239

    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0
        self.refs: list = []

    def take(self, n: int) -> bytes:
        chunk = self.data[self.pos:self.pos + n]
        if len(chunk) != n:
            raise ValueError("truncated R data")
        self.pos += n
        return chunk

    def int(self) -> int:
        return struct.unpack(">i", self.take(4))[0]

    def read_file(self):
        if self.take(5) not in (b"RDX2\n", b"RDX3\n"):
            raise ValueError("not an RData file (RDX2/RDX3)")
        if self.take(2) != b"X\n":
            raise ValueError("only the XDR format is read")
        version = self.int()
        self.int()  # R version that wrote it
        self.int()  # minimal R version to read it
        if version == 3:
            self.take(self.int())  # native encoding name
        return self.item()

    def string(self):
        length = self.int()
        if length == -1:
            return None
        return self.take(length).decode("utf-8", errors="replace")

    def item(self):
        flags = self.int()
        kind = flags & 0xFF
        has_attr = bool(flags & (1 << 9))
        has_tag = bool(flags & (1 << 10))
        if kind == self.NILVALUE:
            return None
        if kind in (self.EMPTYENV, self.BASEENV, self.GLOBALENV, self.UNBOUND,
                    self.MISSINGARG, self.BASENAMESPACE):
            return RObject(kind, None)
        if kind == self.REFSXP:
            index = flags >> 8
            if index == 0:
                index = self.int()
            return self.refs[index - 1]
        if kind in (self.PACKAGESXP, self.NAMESPACESXP, self.PERSISTSXP):
            self.int()  # 0
            names = [self.string_item() for _ in range(self.int())]
            obj = RObject(kind, names)
            self.refs.append(obj)
            return obj
        if kind == 1:  # SYMSXP
            obj = RObject(kind, self.item().value)
            self.refs.append(obj)
            return obj
        if kind == 4:  # ENVSXP
            self.int()  # locked
            obj = RObject(kind, {})
            self.refs.append(obj)
            enclos = self.item()
            frame = self.item()
            hashtab = self.item()
            attrs = self.item()
            obj.value = {"enclos": enclos, "frame": frame, "hashtab": hashtab}
            obj.attrs = self.pairlist_dict(attrs)
            return obj
        if kind in (2, 3, 5, 6, 17, self.ATTRLANG, self.ATTRLIST):  # pairlist-like
            attrs = self.item() if has_attr else None
            tag = self.item() if has_tag else None
            car = self.item()
            cdr = self.item()
            node = RObject(2, (tag.value if tag is not None else None, car, cdr))
            node.attrs = self.pairlist_dict(attrs)
            return node
        if kind == 9:  # CHARSXP
            length = self.int()
            value = None if length == -1 else self.take(length).decode("utf-8", "replace")
            return RObject(kind, value)
        if kind == 10 or kind == 13:  # LGLSXP, INTSXP
            n = self.int()
            value = list(struct.unpack(f">{n}i", self.take(4 * n)))
        elif kind == 14:  # REALSXP
            n = self.int()
            value = list(struct.unpack(f">{n}d", self.take(8 * n)))
        elif kind == 15:  # CPLXSXP
            n = self.int()
            value = list(struct.unpack(f">{2 * n}d", self.take(16 * n)))
        elif kind == 16:  # STRSXP
            n = self.int()
            value = [self.item().value for _ in range(n)]
        elif kind in (19, 20):  # VECSXP, EXPRSXP
            n = self.int()
            value = [self.item() for _ in range(n)]
        elif kind == 24:  # RAWSXP
            value = self.take(self.int())
        elif kind == 25:  # S4SXP
            value = None
        elif kind == self.ALTREP:
            info = self.item()
            state = self.item()
            attrs = self.item()
            obj = self.altrep(info, state)
            obj.attrs = self.pairlist_dict(attrs)
            return obj
        else:
            raise ValueError(f"unsupported R type {kind} at byte {self.pos}")
        obj = RObject(kind, value)
        if has_attr:
            obj.attrs = self.pairlist_dict(self.item())
        return obj

    def altrep(self, info, state):
        # Only the compact sequences and wrappers R writes for plain vectors.
        cls = info.value[1] if info is not None else None
        name = cls.value if isinstance(cls, RObject) else None
        car = state.value[1] if isinstance(state, RObject) and state.kind == 2 else state
        if name == "compact_intseq":
            n, start, step = (int(v) for v in state.value)
            return RObject(13, list(range(start, start + n * step, step)))
        if name in ("wrap_integer", "wrap_real", "wrap_string", "wrap_logical"):
            return car
        raise ValueError(f"unsupported ALTREP class {name}")

    def string_item(self):
        item = self.item()
        return item.value if isinstance(item, RObject) else None

    @staticmethod
    def pairlist_dict(node) -> dict:
        out = {}
        while isinstance(node, RObject) and node.kind == 2:
            tag, car, cdr = node.value
            out[tag] = car
            node = cdr
        return out


def read_rdata(path: Path) -> dict:
    raw = path.read_bytes()
    if raw[:6] == b"\xfd7zXZ\x00":
        raw = lzma.decompress(raw)
    elif raw[:2] == b"\x1f\x8b":
        import gzip
        raw = gzip.decompress(raw)
    top = RReader(raw).read_file()
    return RReader.pairlist_dict(top)


def column(frame: RObject, name: str) -> list:
    names = frame.attr("names").value
    return frame.value[names.index(name)].value


# --- 2. the province's communes -------------------------------------------------------

def communes(munty: RObject) -> list[dict]:
    """[{nis, name, rings: [[(lon, lat), ...], ...]}] for the province, holes included."""
    frame = munty.attr("data")
    nis_codes = [str(c) for c in column(frame, "CD_MUNTY_REFNIS")]
    names = column(frame, "TX_MUNTY_DESCR_FR")
    polygons = munty.attr("polygons").value
    out = []
    for nis, name, polys in zip(nis_codes, names, polygons):
        if not nis.startswith(PROVINCE_PREFIXES):
            continue
        rings = []
        for poly in polys.attr("Polygons").value:
            coords = poly.attr("coords")
            values = coords.value
            n = coords.attr("dim").value[0]
            rings.append([(values[i], values[n + i]) for i in range(n)])
        out.append({"nis": nis, "name": clean_name(name), "rings": rings})
    return sorted(out, key=lambda c: c["nis"])


# --- 3. projection --------------------------------------------------------------------

def projector(all_points):
    lons = [p[0] for p in all_points]
    lats = [p[1] for p in all_points]
    lon0, lat_min, lat_max = min(lons), min(lats), max(lats)
    k = math.cos(math.radians((lat_min + lat_max) / 2))
    scale = WIDTH / ((max(lons) - lon0) * k)

    def project(point):
        lon, lat = point
        return ((lon - lon0) * k * scale, (lat_max - lat) * scale)

    height = (lat_max - lat_min) * scale
    return project, height


# --- 4. simplification keeping shared borders ----------------------------------------

def douglas_peucker(points, tolerance):
    if len(points) < 3:
        return list(points)
    (ax, ay), (bx, by) = points[0], points[-1]
    dx, dy = bx - ax, by - ay
    norm = math.hypot(dx, dy)
    best, index = -1.0, 0
    for i in range(1, len(points) - 1):
        px, py = points[i]
        if norm == 0:
            dist = math.hypot(px - ax, py - ay)
        else:
            dist = abs(dy * px - dx * py + bx * ay - by * ax) / norm
        if dist > best:
            best, index = dist, i
    if best <= tolerance:
        return [points[0], points[-1]]
    left = douglas_peucker(points[:index + 1], tolerance)
    return left[:-1] + douglas_peucker(points[index:], tolerance)


def simplify(items, tolerance):
    # Which communes touch each source vertex (exact coordinates: neighbours were cut
    # from the same statistical sectors, so their common vertices are identical).
    owners: dict = {}
    for item in items:
        for ring in item["rings"]:
            for point in ring:
                owners.setdefault(point, set()).add(item["nis"])

    for item in items:
        simplified = []
        for ring in item["rings"]:
            pts = ring[:-1] if ring[0] == ring[-1] else ring[:]
            n = len(pts)
            fixed = [i for i in range(n)
                     if owners[pts[i]] != owners[pts[i - 1]]
                     or owners[pts[i]] != owners[pts[(i + 1) % n]]
                     or len(owners[pts[i]]) > 2]
            if len(fixed) < 2:
                # A ring with one neighbour all round (or none): anchor it on two points.
                fixed = sorted({min(range(n), key=lambda i: pts[i]),
                                max(range(n), key=lambda i: pts[i])})
            out = []
            for a, b in zip(fixed, fixed[1:] + [fixed[0] + n]):
                run = [pts[i % n] for i in range(a, b + 1)]
                # One direction for both neighbours: the same line on each side.
                if run[0] > run[-1] or (run[0] == run[-1] and len(run) > 1 and run[1] > run[-2]):
                    kept = douglas_peucker(run[::-1], tolerance)[::-1]
                else:
                    kept = douglas_peucker(run, tolerance)
                out.extend(kept[:-1])
            if len(out) >= 3:
                simplified.append(out)
        item["rings"] = simplified
    return items


# --- 5. mergers since the source's date ---------------------------------------------

# Communes merged after 2011, drawn as the union of the communes they replace (their outer
# border is exactly the old communes' outer border): Bastogne (82003) and Bertogne (82005)
# became Bastogne (82039) on 1 January 2025. The old codes stay, for the history.
MERGERS = [{"nis": "82039", "name": "Bastogne", "from": ["82003", "82005"]}]


def merge(items, merger) -> dict:
    """The union of simplified communes that share their common border vertex for vertex."""
    parts = [i for i in items if i["nis"] in merger["from"]]
    if len(parts) != len(merger["from"]):
        raise SystemExit(f"merger {merger['nis']}: a former commune is missing")
    edges = []
    for part in parts:
        for ring in part["rings"]:
            edges.extend(zip(ring, ring[1:] + ring[:1]))
    present = set(edges)
    # A border between two of the former communes is walked once each way: drop both.
    outer = [e for e in edges if (e[1], e[0]) not in present]
    following = {}
    for a, b in outer:
        if a in following:
            raise SystemExit(f"merger {merger['nis']}: the border touches itself at {a}")
        following[a] = b
    rings = []
    while following:
        start, nxt = next(iter(following.items()))
        ring = [start]
        del following[start]
        while nxt != start:
            ring.append(nxt)
            nxt = following.pop(nxt)
        rings.append(ring)
    return {"nis": merger["nis"], "name": merger["name"], "rings": rings,
            "replaces": merger["from"]}


# --- 6. output -----------------------------------------------------------------------

def path_data(rings) -> str:
    parts = []
    for ring in rings:
        pts = []
        for x, y in ring:
            p = (round(x), round(y))
            if not pts or pts[-1] != p:
                pts.append(p)
        if len(pts) > 1 and pts[0] == pts[-1]:
            pts.pop()
        if len(pts) < 3:
            continue
        head, *rest = pts
        parts.append(f"M{head[0]} {head[1]}" + "".join(f"L{x} {y}" for x, y in rest) + "Z")
    return "".join(parts)


def build(rdata: Path) -> dict:
    objects = read_rdata(rdata)
    items = communes(objects["BE_ADMIN_MUNTY"])
    project, height = projector([p for c in items for r in c["rings"] for p in r])
    for item in items:
        item["rings"] = [[project(p) for p in ring] for ring in item["rings"]]
    # Shared vertices are found on the projected points: the projection is the same pure
    # function for every commune, so equal inputs stay equal.
    simplify(items, TOLERANCE)
    items.extend(merge(items, m) for m in MERGERS)
    return {
        "source": SOURCE,
        "projection": "équirectangulaire, échelle cos(latitude moyenne de la province)",
        "width": round(WIDTH),
        "height": math.ceil(height),
        "communes": [
            {"nis": c["nis"], "name": c["name"], "d": path_data(c["rings"]),
             **({"replaces": c["replaces"]} if "replaces" in c else {})}
            for c in items
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rdata", type=Path, help="data/BE_ADMIN_MUNTY.RData of the source")
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parents[2]
                        / "ui" / "src" / "map" / "luxembourg-communes.json")
    args = parser.parse_args()
    result = build(args.rdata)
    text = json.dumps(result, ensure_ascii=False, indent=1) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    points = sum(c["d"].count("L") + c["d"].count("M") for c in result["communes"])
    print(f"{len(result['communes'])} communes, {points} points, {len(text)} bytes -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
