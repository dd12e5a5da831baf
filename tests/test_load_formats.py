"""The same workbook as .xlsx (openpyxl, inline strings), .xlsx (LibreOffice, shared strings), .xls
and .ods loads to identical tables, values and cell addresses; and the example department loads."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from disclosure.load import load_accounts, read_tables
from disclosure.project import load_project
from disclosure.standard import load_table_set

FIXTURES = Path(__file__).parent / "fixtures" / "load"
sys.path.insert(0, str(FIXTURES))
import load_workbooks as wbk  # noqa: E402

TS = load_table_set("neimenggu-11")
REPO = Path(__file__).resolve().parent.parent


def dump(path: Path) -> dict:
    """Everything a later stage can see of the loaded tables, file name aside."""
    loaded = read_tables(path, TS, display_path="tables/demo/2021.xlsx", year=2021)
    out = {"unit_name": loaded.unit_name, "notices": loaded.notices}
    for key, t in loaded.tables.items():
        out[key] = {
            "sheet": t.sheet,
            "empty": t.empty,
            "unit": t.source_unit,
            "title": str(t.title_cell),
            "rows": [
                (r.key, r.label, r.code, r.level, r.block, r.unit, dict(r.values), {c: ref.cell for c, ref in r.cells.items()})
                for r in t.rows
            ],
        }
    return out


@pytest.fixture(scope="module")
def reference() -> dict:
    return dump(FIXTURES / "canonical.xlsx")


@pytest.mark.parametrize("name", ["canonical-lo.xlsx", "canonical.xls", "canonical.ods"])
def test_same_workbook_in_every_format_loads_identically(reference, name):
    assert dump(FIXTURES / name) == reference


def test_libreoffice_files_use_shared_strings_and_xls_and_ods_are_what_they_claim():
    import zipfile

    with zipfile.ZipFile(FIXTURES / "canonical-lo.xlsx") as zf:
        assert "xl/sharedStrings.xml" in zf.namelist()
    with zipfile.ZipFile(FIXTURES / "canonical.xlsx") as zf:
        assert "xl/sharedStrings.xml" not in zf.namelist()
    assert (FIXTURES / "canonical.xls").read_bytes()[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    with zipfile.ZipFile(FIXTURES / "canonical.ods") as zf:
        assert zf.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"


def test_committed_fixture_matches_the_builder(tmp_path, reference):
    assert dump(wbk.write_canonical(tmp_path / "canonical.xlsx")) == reference


def test_reference_figures_survive_every_format(reference):
    rows = {r[0]: r for r in reference["summary"]["rows"]}
    assert str(rows["income.year_total"][6]["amount"]) == "5728.23"
    assert rows["income.year_total"][7] == {"amount": "C14"}
    assert reference["gov_fund"]["empty"] is True and reference["state_capital"]["empty"] is False


EXAMPLE = REPO / "tables" / "bayannur-jiaoguan"


def test_example_department_loads_with_every_table_and_its_prior_year():
    project = load_project(REPO)
    acc = load_accounts(project, "bayannur-jiaoguan", 2021)
    required = {s.key for s in load_table_set(project.table_set) if s.required}
    assert required <= set(acc.tables)
    assert acc.unit_name == "巴彦淖尔市公安局交通管理支队"
    assert all(t.file == "tables/bayannur-jiaoguan/2021.xlsx" for t in acc.tables.values())
    assert acc.prior is not None and acc.prior.year == 2020
    assert required <= set(acc.prior.tables)


def test_merged_ranges_are_read_from_every_format():
    """calamine gives merges for .xlsx and .xls but none for .ods; those come from content.xml."""
    from disclosure.load.workbook import read_book

    def merges(name: str) -> dict[str, set]:
        return {s.name: set(s.merges) for s in read_book(FIXTURES / name, name)}

    xlsx = merges("canonical.xlsx")
    assert (3, 0, 3, 2) in xlsx["收入支出决算总表"]  # 收入 over A4:C4
    assert (10, 3, 10, 7) in xlsx["一般公共预算财政拨款基本支出决算明细表"]  # 公用经费合计 over D11:H11
    assert merges("canonical.xls") == xlsx
    assert merges("canonical.ods") == xlsx
