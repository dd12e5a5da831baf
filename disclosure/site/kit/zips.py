"""Zip files whose bytes follow their content only: fixed dates, fixed modes, the given order."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold


def zip_entries(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of (name, bytes) in the given order, deflated, every entry dated 1980-01-01, mode 0644;
    names are stored as UTF-8 (Windows' own unzip and WPS read them)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3  # permissions are read as Unix modes
            z.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()


def stable_zip(data: bytes) -> bytes:
    """A zip (an .docx) written again with fixed dates, its entries in their order."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return zip_entries((info.filename, z.read(info)) for info in z.infolist())
