"""The publication kit's report.docx, read back with python-docx (and converted by LibreOffice).

Built with the example's kit (``kit_support``): headings in Word's heading styles at the report
page's levels, every 公开表 as a bordered table with its merged header cells and right-aligned
figures under 单位：万元, 第N页 共M页 as fields, the configured date, the same bytes twice.
"""
from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from kit_support import DATE, PUBLISHER
from test_site_support import UNIT, UNIT_NAME

from disclosure.site.public_check import text_leaks
from disclosure.standard import load_table_set

pytestmark = pytest.mark.browser  # the kit is built with its PDF
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NUMBER = re.compile(r"-?[\d,]+\.\d{2}")


def _path(site: Path, year: int = 2021) -> Path:
    return site / UNIT / str(year) / "kit" / "report.docx"


@pytest.fixture(scope="module")
def doc(kit_sites: tuple[Path, Path]):
    import docx

    return docx.Document(str(_path(kit_sites[0])))


def _titles() -> list[str]:
    return [f"{t.marker} {t.title}" for t in load_table_set("neimenggu-11") if t.published]


def _headings(doc, style: str) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == style]


def _page_headings(site: Path, level: int) -> list[str]:
    """The report page's headings of one level, as text (the print copy of the tables included)."""
    page = (site / UNIT / "2021" / "index.html").read_text(encoding="utf-8")
    main = page.split('<nav class="dc-toc"', 1)[1].split("</nav>", 1)[1]
    return [re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(rf"<h{level}\b[^>]*>(.*?)</h{level}>", main, re.S)]


def test_same_bytes_twice_and_both_years(kit_sites) -> None:
    first, second = kit_sites
    for year in (2020, 2021):
        assert _path(first, year).read_bytes() == _path(second, year).read_bytes(), year


def test_headings_are_word_heading_styles_at_the_report_pages_levels(doc, kit_sites) -> None:
    site = kit_sites[0]
    assert _headings(doc, "Title") == [f"{UNIT_NAME}2021年度部门决算"]
    assert _headings(doc, "Heading 1") == _page_headings(site, 2)  # 第一部分 … 第五部分
    assert [h[:4] for h in _headings(doc, "Heading 1")] == ["第一部分", "第二部分", "第三部分", "第四部分", "第五部分"]
    assert _headings(doc, "Heading 2") == _page_headings(site, 3)  # 一、二、三、…, 决算情况图示, each 公开表
    assert _headings(doc, "Heading 3") == _page_headings(site, 4)
    for title in _titles():
        assert title in _headings(doc, "Heading 2"), title


def _tables_after(doc) -> dict[str, list]:
    """Each 公开表 title → the tables that follow its heading (before the next heading)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out: dict[str, list] = {}
    current = None
    for child in doc.element.body.iterchildren():
        if child.tag == f"{W}p":
            p = Paragraph(child, doc)
            if p.style.name.startswith("Heading"):
                current = p.text if p.text in _titles() else None
                if current:
                    out[current] = []
            elif current and p.text.strip():
                out[current].append(p.text)
        elif child.tag == f"{W}tbl" and current:
            out[current].append(Table(child, doc))
    return out


def test_every_table_has_its_unit_line_borders_and_every_csv_figure_right_aligned(doc, kit_sites) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.table import Table

    site = kit_sites[0]
    blocks = _tables_after(doc)
    assert set(blocks) == set(_titles())
    style = doc.styles["Table Grid"].element.xml
    assert "w:tblBorders" in style and 'w:val="single"' in style  # every cell bordered
    by_key = {f"{t.marker} {t.title}": t.key for t in load_table_set("neimenggu-11") if t.published}
    for title, items in blocks.items():
        assert f"编制单位：{UNIT_NAME}\t单位：万元" in items, title
        tables = [t for t in items if isinstance(t, Table)]
        assert tables, title
        cells = {}
        for table in tables:
            assert table.style.name == "Table Grid"
            for row in table.rows:
                for cell in row.cells:
                    text = cell.text.strip()
                    if NUMBER.fullmatch(text):
                        cells[text] = cell.paragraphs[0].alignment
        assert all(a == WD_ALIGN_PARAGRAPH.RIGHT for a in cells.values()), title
        csv_path = site / UNIT / "2021" / "tables" / f"{by_key[title]}.csv"
        for row in csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))):
            for value in row:
                v = value.strip().replace(",", "")
                if re.fullmatch(r"-?\d+\.\d+", v):
                    assert f"{Decimal(v):,.2f}" in cells, (title, value)


def test_merged_header_cells_as_in_the_report(doc) -> None:
    """公开10表's header: 预算数 and 决算数 each over six columns, 项目 over the header's rows."""
    table = next(t for t in _tables_after(doc)["公开10表 财政拨款“三公”经费支出决算表"] if not isinstance(t, str))
    xml = table._tbl.xml
    spans = [int(s) for s in re.findall(r'<w:gridSpan w:val="(\d+)"/>', xml)]
    assert spans.count(6) == 2, spans
    assert '<w:vMerge w:val="restart"/>' in xml
    head = [c.text for c in table.rows[0].cells]
    assert head.count("预算数") == 6 and head.count("决算数") == 6  # python-docx repeats a merged cell
    assert all("<w:tblHeader" in r._tr.xml for r in table.rows[:2])  # repeated on every page


def test_footer_numbers_pages_with_fields_and_the_cover_and_dates_are_configured(doc) -> None:
    footer = doc.sections[0].footer.paragraphs[0]
    xml = footer._p.xml
    assert " PAGE " in xml and " NUMPAGES " in xml and footer.text.startswith("第") and "页 共" in footer.text
    assert all(s.footer.is_linked_to_previous for s in doc.sections[1:])  # one footer for every page
    assert all(round(s.page_width.mm) in (210, 297) and round(s.page_height.mm) in (210, 297) for s in doc.sections)
    cover = [p.text for p in doc.paragraphs[:30] if p.text]
    assert cover[:4] == [UNIT_NAME, "2021年度部门决算公开", f"发布机构：{PUBLISHER}", f"发布日期：{DATE}"]
    assert doc.core_properties.created == doc.core_properties.modified == datetime(2022, 5, 30, tzinfo=timezone.utc)
    assert doc.core_properties.author == PUBLISHER


def test_nothing_internal_in_the_document(doc) -> None:
    texts = [p.text for p in doc.paragraphs]
    texts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert text_leaks("\n".join(texts), "report.docx") == []


@pytest.mark.libreoffice
def test_libreoffice_converts_it_to_pdf(kit_sites, tmp_path: Path) -> None:
    from pypdf import PdfReader

    soffice = shutil.which("soffice")
    assert soffice, "需要 LibreOffice（Debian 的 libreoffice-writer-nogui）：请先运行 bash .ci/install"
    run = subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                          "--convert-to", "pdf", "--outdir", str(tmp_path), str(_path(kit_sites[0]))],
                         capture_output=True, text=True, timeout=300)
    pdf = tmp_path / "report.pdf"
    assert run.returncode == 0 and pdf.is_file(), run.stdout + run.stderr
    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 10
    text = "".join(page.extract_text() or "" for page in reader.pages)
    assert "第五部分" in text and "5,728.23" in text
