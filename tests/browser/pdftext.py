"""The text of each page of a Chromium PDF, read back with pypdf.

Where Skia shares a glyph between characters it may be extracted as a Kangxi or CJK radical
(⽀ for 支, ⻔ for 门, ⻚ for 页 …): NFKC folds the Kangxi ones, a small table the rest.
"""
from __future__ import annotations

import io
import unicodedata

_RADICALS = str.maketrans({"⻔": "门", "⻚": "页", "⻋": "车", "⻅": "见", "⻓": "长", "⻛": "风", "⻜": "飞",
                           "⻝": "食", "⻢": "马", "⻄": "西", "⻩": "黄", "⻉": "贝", "⻆": "角", "⻥": "鱼",
                           "⻦": "鸟", "⻬": "齐", "⻰": "龙", "⻳": "龟", "⻘": "青", "⻙": "韦", "⻈": "讠",
                           "⻊": "足", "⻟": "饣", "⻤": "鬼", "⻨": "麦"})


def page_texts(pdf: bytes) -> list[str]:
    """Text of each page in order, its lines run together (as the old reader gave them), radicals folded."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return [unicodedata.normalize("NFKC", (page.extract_text() or "").replace("\n", "")).translate(_RADICALS)
            for page in reader.pages]
