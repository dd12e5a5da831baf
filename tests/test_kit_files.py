"""The rest of the publication kit: the CMS fragment, the 政务公开 metadata and the zip of the kit.

Built with the example's kit (``kit_support``: ``[publication]`` sets 发布机构 and 发布日期 only).
"""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

import nh3
import pytest
from kit_support import DATE, PUBLISHER
from test_site_support import UNIT, UNIT_NAME

from disclosure.site.kit.metadata import metadata_json, metadata_xml
from disclosure.project import load_project
from disclosure.site.public_check import page_leaks
from disclosure.standard import load_table_set

pytestmark = pytest.mark.browser  # the kit is built with its PDF
ZIP = f"{UNIT_NAME}2021年度部门决算公开.zip"


def _kit(site: Path, year: int = 2021) -> Path:
    return site / UNIT / str(year) / "kit"


def _titles() -> list[str]:
    return [f"{t.marker} {t.title}" for t in load_table_set("neimenggu-11") if t.published]


def test_the_fragment_is_plain_markup_that_nh3_leaves_unchanged(kit_sites) -> None:
    html = (_kit(kit_sites[0]) / "fragment.html").read_text(encoding="utf-8")
    assert nh3.clean(html) == html
    for word in ("<script", "<style", "class=", "id=", "href=", "src=", "<a ", "<svg", "<!--"):
        assert word not in html, word
    assert page_leaks(html, "fragment.html") == []
    assert re.findall(r"<h2>(.*?)</h2>", html)[0].startswith("第一部分")
    for title in _titles():
        assert f"<h3>{title}</h3>" in html, title
    assert 'colspan="6"' in html and 'rowspan="' in html  # the 三公 table's merged header
    assert '<td align="right">5,728.23</td>' in html and "（单位：万元）</caption>" in html


def test_the_fragment_holds_every_figure_of_the_second_part(kit_sites) -> None:
    site = kit_sites[0]
    page = (site / UNIT / "2021" / "index.html").read_text(encoding="utf-8")
    part = re.split(r'<h2 id="[^"]*">第三部分', re.split(r'<h2 id="[^"]*">第二部分', page)[1])[0]
    figures = set(re.findall(r"\d[\d,]*\.\d{1,2}", re.sub(r"<[^>]+>", "", part)))
    text = re.sub(r"<[^>]+>", "", (_kit(site) / "fragment.html").read_text(encoding="utf-8"))
    assert figures and not [f for f in sorted(figures) if f not in text]


def test_the_metadata_has_exactly_the_configured_fields(kit_sites) -> None:
    kit = _kit(kit_sites[0])
    assert json.loads((kit / "metadata.json").read_text(encoding="utf-8")) == {"发布机构": PUBLISHER, "发布日期": DATE}
    root = ElementTree.fromstring((kit / "metadata.xml").read_bytes())
    assert root.tag == "政府信息公开" and [(e.tag, e.text) for e in root] == [("发布机构", PUBLISHER), ("发布日期", DATE)]


def test_a_unit_toml_field_wins_and_an_unset_one_is_absent(tmp_path: Path) -> None:
    (tmp_path / "disclosure.toml").write_text('[publication]\ntopic = "财政"\nindex_no = "A-1"\n', encoding="utf-8")
    fields = load_project(tmp_path).publication_fields({"index_no": "B-2", "document_no": "巴财〔2022〕1号"})
    assert json.loads(metadata_json(fields)) == {"索引号": "B-2", "主题分类": "财政", "文号": "巴财〔2022〕1号"}
    assert [e.tag for e in ElementTree.fromstring(metadata_xml(fields).encode())] == ["索引号", "主题分类", "文号"]
    assert json.loads(metadata_json({})) == {}


def test_the_zip_holds_the_kit_the_tables_and_the_workbook_as_published(kit_sites) -> None:
    folder = kit_sites[0] / UNIT / "2021"
    path = folder / "kit" / ZIP
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        base = f"{UNIT_NAME}2021年度部门决算"
        assert names[:5] == [f"{base}.pdf", f"{base}.docx", "门户正文.html", "政务公开信息.json", "政务公开信息.xml"]
        assert z.read(f"{base}.pdf") == (folder / "kit" / "report.pdf").read_bytes()
        assert z.read(f"{base}.docx") == (folder / "kit" / "report.docx").read_bytes()
        assert z.read("门户正文.html") == (folder / "kit" / "fragment.html").read_bytes()
        csvs = [n for n in names if n.endswith(".csv")]
        assert [n.removeprefix("公开表/").removesuffix(".csv") for n in csvs] == _titles()
        by_title = {f"{t.marker} {t.title}": t.key for t in load_table_set("neimenggu-11") if t.published}
        for name in csvs:
            key = by_title[name.removeprefix("公开表/").removesuffix(".csv")]
            assert z.read(name) == (folder / "tables" / f"{key}.csv").read_bytes(), name
        assert z.read("公开表/全部公开表.xlsx") == (folder / "tables" / "source" / "2021.xlsx").read_bytes()
        guide = z.read("说明.txt").decode("utf-8-sig")
        for name in (f"{base}.pdf", f"{base}.docx", "门户正文.html", "政务公开信息.json", "公开表/"):
            assert name in guide, name
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in z.infolist())
    assert path.read_bytes() == (kit_sites[1] / UNIT / "2021" / "kit" / ZIP).read_bytes()


def test_the_report_page_links_each_kit_file_it_offers(kit_sites) -> None:
    folder = kit_sites[0] / UNIT / "2021"
    page = (folder / "index.html").read_text(encoding="utf-8")
    links = [unquote(h) for h in re.findall(r'href="(kit/[^"]+)"', page)]
    assert links == ["kit/report.pdf", "kit/report.docx", f"kit/{ZIP}"]
    assert all((folder / link).is_file() for link in links)
    assert page_leaks(page, "index.html") == []
