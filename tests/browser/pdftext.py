"""Just enough PDF reading for print tests: the text of each page of a Chromium (Skia) PDF.

Skia writes each font subset with a ToUnicode CMap and draws text as hex strings in content
streams; code width comes from the CMap's codespace. Where a glyph is shared (a radical drawn
for 支, 门, 页 …) Skia wraps it in a span with its ActualText, which wins; what radicals remain
are folded back (NFKC plus a small table).
"""
from __future__ import annotations

import re
import unicodedata
import zlib

_RADICALS = str.maketrans({"⻔": "门", "⻚": "页", "⻋": "车", "⻅": "见", "⻓": "长", "⻛": "风", "⻜": "飞",
                           "⻝": "食", "⻢": "马", "⻄": "西", "⻩": "黄", "⻉": "贝", "⻆": "角", "⻥": "鱼",
                           "⻦": "鸟", "⻬": "齐", "⻰": "龙", "⻳": "龟", "⻘": "青", "⻙": "韦", "⻈": "讠",
                           "⻊": "足", "⻟": "饣", "⻤": "鬼", "⻨": "麦"})


_TOKENS = re.compile(
    r"/(?P<font>\w+)\s+[\d.]+\s+Tf"
    r"|/ActualText\s*<(?P<actual>[0-9A-Fa-f]*)>"
    r"|(?P<emc>\bEMC\b)"
    r"|<(?P<hex>[0-9A-Fa-f]*)>\s*Tj"
)


def _objects(data: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.S)}


def _stream(body: bytes) -> bytes:
    m = re.search(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S)
    if not m:
        return b""
    raw = m.group(1)
    return zlib.decompress(raw) if b"FlateDecode" in body[: m.start()] else raw


def _ref(body: bytes, key: bytes) -> int | None:
    m = re.search(rb"/" + key + rb"\s+(\d+) 0 R", body)
    return int(m.group(1)) if m else None


def _cmap(text: str) -> tuple[int, dict[int, str]]:
    space = re.search(r"begincodespacerange\s*<([0-9A-Fa-f]+)>", text)
    width = len(space.group(1)) if space else 4
    out: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for a, b in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(a, 16)] = bytes.fromhex(b).decode("utf-16-be", "replace")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for a, b, c in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for i, g in enumerate(range(int(a, 16), int(b, 16) + 1)):
                out[g] = chr(int(c, 16) + i)
    return width, out


def _fonts(objs: dict[int, bytes], page: bytes) -> dict[str, tuple[int, dict[int, str]]]:
    res_ref = _ref(page, b"Resources")
    res = objs[res_ref] if res_ref else page
    inline = re.search(rb"/Font\s*<<(.*?)>>", res, re.S)
    font_ref = None if inline else _ref(res, b"Font")
    table = inline.group(1) if inline else (objs[font_ref] if font_ref else b"")
    fonts = {}
    for name, n in re.findall(rb"/(\w+)\s+(\d+) 0 R", table):
        tu = _ref(objs[int(n)], b"ToUnicode")
        fonts[name.decode()] = _cmap(_stream(objs[tu]).decode("latin1")) if tu else (4, {})
    return fonts


def page_texts(pdf: bytes) -> list[str]:
    """Text of each page in order, radicals folded, whitespace kept as drawn."""
    objs = _objects(pdf)
    pages = sorted((n for n, b in objs.items() if re.search(rb"/Type\s*/Page\b", b)),
                   key=lambda n: pdf.index(b"\n%d 0 obj" % n))
    out = []
    for n in pages:
        fonts = _fonts(objs, objs[n])
        parts: list[str] = []
        for c in re.findall(rb"/Contents\s+(\d+) 0 R", objs[n]):
            width, cmap = 4, {}
            actual: str | None = None
            for tok in re.finditer(_TOKENS, _stream(objs[int(c)]).decode("latin1")):
                if tok.group("font"):
                    width, cmap = fonts.get(tok.group("font"), (4, {}))
                elif tok.group("actual") is not None:  # /Span <</ActualText <FEFF…>>> BDC: the real text
                    actual = bytes.fromhex(tok.group("actual")).decode("utf-16-be", "replace").lstrip("\ufeff")
                    parts.append(actual)
                elif tok.group("emc") is not None:
                    actual = None
                elif actual is None:
                    h = tok.group("hex")
                    parts.append("".join(cmap.get(int(h[k:k + width], 16), "") for k in range(0, len(h), width)))
        out.append(unicodedata.normalize("NFKC", "".join(parts)).translate(_RADICALS))
    return out
