"""The publication kit's report.pdf, read back with pypdf: the example built with its kit (Chromium).

The example with ``[publication]`` 发布机构 and 发布日期 is built twice (``kit_support``): by the command
line, and again from inside a running asyncio loop; the PDFs must be the same bytes. Every other
build test builds with ``--no-kit``.
"""
from __future__ import annotations

import csv
import io
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))

from pdftext import page_texts  # noqa: E402
from kit_support import DATE, PUBLISHER  # noqa: E402
from test_site_support import UNIT, UNIT_NAME, build, copy_example  # noqa: E402

from disclosure.site.kit.pdf import stable  # noqa: E402
from disclosure.site.public_check import text_leaks  # noqa: E402
from disclosure.standard import load_table_set  # noqa: E402

pytestmark = pytest.mark.browser

A4 = (595.28, 841.89)  # 210 × 297 mm in points
PARTS = ("第一部分", "第二部分", "第三部分", "第四部分", "第五部分")


@pytest.fixture(scope="module")
def built(kit_sites: tuple[Path, Path]) -> tuple[Path, Path]:
    return kit_sites


def _pdf(site: Path, year: int = 2021) -> bytes:
    return (site / UNIT / str(year) / "kit" / "report.pdf").read_bytes()


@pytest.fixture(scope="module")
def texts(built) -> list[str]:
    """The text of each page of the 2021 PDF (extracted once: pypdf takes seconds over CJK pages)."""
    return page_texts(_pdf(built[0]))


def _reader(data: bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data))


def _titles() -> list[str]:
    return [f"{t.marker} {t.title}" for t in load_table_set("neimenggu-11") if t.published]


def test_each_year_has_its_pdf_and_the_report_page_links_it(built) -> None:
    site, _ = built
    for year in (2020, 2021):
        assert _pdf(site, year).startswith(b"%PDF-")
        page = (site / UNIT / str(year) / "index.html").read_text(encoding="utf-8")
        assert 'href="kit/report.pdf"' in page


def test_the_same_input_gives_the_same_pdf_even_when_built_inside_an_event_loop(built) -> None:
    first, second = built
    for year in (2020, 2021):
        assert _pdf(first, year) == _pdf(second, year), year


def test_a4_pages_numbered_on_each_with_the_total(built, texts) -> None:
    data = _pdf(built[0])
    reader = _reader(data)
    total = len(reader.pages)
    assert total >= 10
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(w - A4[0]) < 1.5 and abs(h - A4[1]) < 1.5, (w, h)
    assert len(texts) == total
    for number, text in enumerate(texts, 1):
        assert f"第{number}页 共{total}页" in text, number


def test_the_cover_names_the_unit_year_publisher_and_configured_date(built, texts) -> None:
    data = _pdf(built[0])
    cover = texts[0]
    assert UNIT_NAME in cover and "2021年度部门决算公开" in cover
    assert f"发布机构:{PUBLISHER}" in cover and f"发布日期:{DATE}" in cover  # NFKC folds the full-width colon
    info = _reader(data).metadata
    assert info["/CreationDate"] == info["/ModDate"] == "D:20220530000000+08'00'"  # not the clock


def test_every_table_title_and_every_figure_of_the_tables_is_text(built, texts) -> None:
    site = built[0]
    text = "".join(texts)
    for title in _titles():
        assert title in text, title
    folder = site / UNIT / "2021" / "tables"
    missing = []
    for csv_file in sorted(folder.glob("*.csv")):
        rows = list(csv.reader(io.StringIO(csv_file.read_text(encoding="utf-8-sig"))))
        for row in rows:
            for cell in row:
                value = cell.strip()
                if re.fullmatch(r"-?\d+(\.\d+)?", value.replace(",", "")) and "." in value:
                    shown = f"{Decimal(value.replace(',', '')):,.2f}"
                    if shown not in text:
                        missing.append(f"{csv_file.name}: {value}")
    assert not missing, missing[:20]


def test_every_figure_of_the_second_part_is_text(built, texts) -> None:
    site = built[0]
    page = (site / UNIT / "2021" / "index.html").read_text(encoding="utf-8")
    part = re.split(r'<h2 id="[^"]*">第三部分', re.split(r'<h2 id="[^"]*">第二部分', page)[1])[0]
    body = re.sub(r"<[^>]+>", "", part)
    figures = set(re.findall(r"\d[\d,]*\.\d{1,2}", body))
    assert len(figures) > 50
    text = "".join(texts)
    assert not [f for f in sorted(figures) if f not in text]


def _outline(reader) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((item.title, reader.get_destination_page_number(item)))

    walk(reader.outline)
    return found


def test_a_bookmark_for_each_part_and_each_table_on_its_page(built, texts) -> None:
    reader = _reader(_pdf(built[0]))
    marks = _outline(reader)
    titles = [t for t, _ in marks]
    for part in PARTS:
        assert len([t for t in titles if t.startswith(part)]) == 1, part
    for title in _titles():
        found = [(t, n) for t, n in marks if t == title]
        assert len(found) == 1, title
        assert title in texts[found[0][1]], title  # the bookmark opens the table's page


def test_nothing_internal_in_the_pdf_text(texts) -> None:
    text = "\n".join(texts)
    assert text_leaks(text, "report.pdf") == []
    assert "/tmp/" not in text and "tables/" not in text


def test_the_clock_is_replaced_in_place() -> None:
    raw = b"%PDF-1.4\n<</Creator (x) /CreationDate (D:20261207163745+00'00')\n/ModDate (D:20261207163745+00'00')>>\n"
    dated = stable(raw, "2022年5月30日")
    assert len(dated) == len(raw) and dated.count(b"D:20220530000000+08'00'") == 2
    blank = stable(raw, "")
    assert len(blank) == len(raw) and b"CreationDate" not in blank and b"ModDate" not in blank
    tagged = b"/ID (node00000439)>> /ID (node00000105)>> /ID (node00000439)>>"
    assert stable(tagged, "") == b"/ID (node00000002)>> /ID (node00000001)>> /ID (node00000002)>>"  # DOM numbers, in order


def test_no_kit_leaves_the_kit_and_its_link_out(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "p")
    out = tmp_path / "site"
    assert build(project, out, "--year", "2021", "-j", "1") == 0  # the helper passes --no-kit
    assert not (out / UNIT / "2021" / "kit").exists()
    assert "kit/report.pdf" not in (out / UNIT / "2021" / "index.html").read_text(encoding="utf-8")
