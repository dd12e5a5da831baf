"""Bad input (issue 2 §4): every problem reported at once, in Chinese, with file, sheet and cell."""
from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

from disclosure.errors import InputError
from disclosure.load import load_accounts, read_tables
from disclosure.pipeline import run_unit_year
from disclosure.project import Project
from disclosure.standard import load_table_set

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "load"))
import load_workbooks as wbk  # noqa: E402

TS = load_table_set("neimenggu-11")
FILE = "tables/demo/2021.xlsx"


def problems(path: Path, year: int | None = 2021):
    with pytest.raises(InputError) as exc:
        read_tables(path, TS, display_path=FILE, year=year)
    return exc.value.problems


def only(path: Path, **kw):
    found = problems(path, **kw)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def test_text_where_a_number_belongs(tmp_path):
    path = wbk.write_canonical(tmp_path / "w.xlsx", patch={"expenditure": {"E9": "12,3O4.00"}})
    p = only(path)
    assert (p.file, p.sheet, p.cell) == (FILE, "支出决算表", "E9")
    assert "“12,3O4.00”不是数字，请改为数字" in p.message
    assert str(p).startswith("tables/demo/2021.xlsx，支出决算表!E9：“12,3O4.00”不是数字")


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    path = wbk.write_canonical(
        tmp_path / "w.xlsx",
        omit=("projects", "info"),
        patch={"income": {"C6": "abc"}, "three_public": {"G7": "三百"}},
    )
    found = problems(path)
    where = {(p.sheet, p.cell) for p in found}
    assert ("收入决算表", "C6") in where and ("财政拨款三公经费支出决算表", "G7") in where
    missing = [p for p in found if "缺少" in p.message]
    assert len(missing) == 1
    assert "公开05表 项目收入支出决算表" in missing[0].message
    assert "公开11表 机关运行经费支出、国有资产占用情况及政府采购支出信息表" in missing[0].message
    assert missing[0].file == FILE


def test_same_table_twice_names_both_sheets(tmp_path):
    path = wbk.write_canonical(tmp_path / "w.xlsx", duplicate="income")
    p = only(path)
    assert "收入决算表出现了两次" in p.message
    assert "“收入决算表”" in p.message and "“副本”" in p.message


def test_formula_without_stored_value(tmp_path):
    path = wbk.write_canonical(tmp_path / "w.xlsx", patch={"summary": {"C14": "=C6+C13"}})
    p = only(path)
    assert (p.sheet, p.cell) == ("收入支出决算总表", "C14")
    assert "公式" in p.message and "Excel 或 WPS 打开文件并保存" in p.message


def test_formula_with_stored_value_is_fine():
    # LibreOffice computed and stored every value when it converted the fixture
    loaded = read_tables(Path(__file__).parent / "fixtures" / "load" / "canonical-lo.xlsx", TS, display_path=FILE)
    assert str(loaded.tables["summary"].value("income.year_total", "amount")) == "5728.23"


def test_not_a_spreadsheet(tmp_path):
    path = tmp_path / "w.xlsx"
    path.write_text("编制单位,金额\n测试,1\n", encoding="utf-8")
    p = only(path)
    assert p.file == FILE and p.cell is None
    assert "不是电子表格文件" in p.message


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "w.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert "不是电子表格文件" in only(path).message


def test_truncated_file(tmp_path):
    full = wbk.write_canonical(tmp_path / "full.xlsx").read_bytes()
    path = tmp_path / "w.xlsx"
    path.write_bytes(full[: len(full) // 2])
    p = only(path)
    assert "损坏或不完整" in p.message and p.file == FILE


def test_corrupt_member_of_the_zip(tmp_path):
    src = wbk.write_canonical(tmp_path / "full.xlsx")
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + 40
    data[start : start + 200] = b"\x00" * 200
    path = tmp_path / "w.xlsx"
    path.write_bytes(bytes(data))
    assert "损坏" in only(path).message


def test_encrypted_workbook(tmp_path):
    # an encrypted .xlsx is an OLE2 compound file holding an EncryptedPackage stream
    header = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504
    directory = "EncryptedPackage".encode("utf-16-le") + b"\x00" * 32 + "EncryptionInfo".encode("utf-16-le")
    path = tmp_path / "w.xlsx"
    path.write_bytes(header + b"\x00" * 512 + directory + b"\x00" * 1024)
    p = only(path)
    assert "加密" in p.message and "取消密码" in p.message


def test_xml_entity_declarations_are_refused(tmp_path):
    src = wbk.write_canonical(tmp_path / "full.xlsx")
    path = tmp_path / "w.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"<worksheet", b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><worksheet', 1)
            zout.writestr(item, data)
    p = only(path)
    assert "DTD" in p.message and "xl/worksheets/sheet2.xml" in p.message
    assert "拒绝读取" in p.message


def test_no_unit_line(tmp_path):
    path = wbk.write_canonical(tmp_path / "w.xlsx", unit_line=None, omit=tuple(k for k in [s.key for s in wbk.canonical_sheets()] if k != "income"))
    found = [p for p in problems(path) if "缺少" not in p.message]
    assert len(found) == 1
    assert (found[0].sheet, found[0].cell) == ("收入决算表", "A1")
    assert "没有写金额单位" in found[0].message and "单位：万元" in found[0].message


def test_unknown_unit(tmp_path):
    path = wbk.write_canonical(tmp_path / "w.xlsx", patch={"basic": {"I3": "单位：千元"}})
    p = only(path)
    assert (p.sheet, p.cell) == ("一般公共预算财政拨款基本支出决算明细表", "I3")
    assert "金额单位“千元”无法识别" in p.message


def test_year_other_than_the_path(tmp_path):
    path = wbk.write_canonical(tmp_path / "w.xlsx", patch={"income": {"E2": "2020年度"}})
    p = only(path)
    assert (p.sheet, p.cell) == ("收入决算表", "E2")
    assert "表上写的是2020年度" in p.message and "2021年" in p.message


def test_missing_required_column(tmp_path):
    path = wbk.write_canonical(tmp_path / "w.xlsx", patch={"expenditure": {"D4": "基本支出数额"}})
    p = only(path)
    assert p.sheet == "支出决算表" and p.cell == "A4"
    assert "支出决算表找不到“基本支出”列" in p.message


def test_missing_required_item_row(tmp_path):
    path = wbk.write_canonical(tmp_path / "w.xlsx", patch={"summary": {"A14": "收入小计"}})
    found = problems(path)
    messages = " ".join(p.message for p in found)
    assert "缺少“本年收入合计”行" in messages
    assert any(p.cell == "A14" and "“收入小计”不是本表的项目" in p.message for p in found)


def test_code_of_wrong_length(tmp_path):
    path = wbk.write_canonical(tmp_path / "w.xlsx", patch={"general_budget": {"A8": "20402011"}})
    p = only(path)
    assert (p.sheet, p.cell) == ("一般公共预算财政拨款支出决算表", "A8")
    assert "科目编码“20402011”位数不对" in p.message


def test_duplicate_code_row(tmp_path):
    path = wbk.write_canonical(tmp_path / "w.xlsx", patch={"general_budget": {"A10": "2040201"}})
    p = only(path)
    assert (p.sheet, p.cell) == ("一般公共预算财政拨款支出决算表", "B10")
    assert "另见第9行" in p.message
    assert "出现了两次" in p.message


def _project(tmp_path: Path, name: str) -> Project:
    (tmp_path / "tables" / "demo").mkdir(parents=True)
    (tmp_path / "content" / "demo").mkdir(parents=True)
    (tmp_path / "content" / "demo" / "unit.toml").write_text(f'name = "{name}"\n', encoding="utf-8")
    return Project(root=tmp_path)


def test_unit_name_other_than_content(tmp_path):
    """The name the texts state is read by the pipeline and handed to load, which compares it."""
    project = _project(tmp_path, "另一个单位")
    wbk.write_canonical(tmp_path / "tables" / "demo" / "2021.xlsx")
    with pytest.raises(InputError) as exc:
        run_unit_year(project, "demo", 2021, narrative=False)
    (p,) = exc.value.problems
    assert (p.file, p.sheet, p.cell) == ("tables/demo/2021.xlsx", "收入支出决算总表", "A2")
    assert f"编制单位写的是“{wbk.NAME}”" in p.message and "“另一个单位”不一致" in p.message


def test_problems_of_the_prior_year_are_reported_too(tmp_path):
    project = _project(tmp_path, wbk.NAME)
    wbk.write_canonical(tmp_path / "tables" / "demo" / "2021.xlsx", patch={"income": {"C6": "x"}})
    wbk.write_canonical(tmp_path / "tables" / "demo" / "2020.xlsx", year=2020, patch={"income": {"D6": "y"}})
    with pytest.raises(InputError) as exc:
        load_accounts(project, "demo", 2021)
    assert {(p.file, p.cell) for p in exc.value.problems} == {("tables/demo/2021.xlsx", "C6"), ("tables/demo/2020.xlsx", "D6")}


def test_missing_source(tmp_path):
    project = _project(tmp_path, wbk.NAME)
    with pytest.raises(InputError) as exc:
        load_accounts(project, "demo", 2021)
    assert "找不到2021年的公开表" in exc.value.problems[0].message
    assert "tables/demo/2021.xlsx" in exc.value.problems[0].message


def test_cli_message_format(tmp_path):
    path = wbk.write_canonical(tmp_path / "w.xlsx", patch={"expenditure": {"E9": "12,3O4.00"}})
    with pytest.raises(InputError) as exc:
        read_tables(path, TS, display_path=FILE, year=2021)
    buf = io.StringIO()
    for p in exc.value.problems:
        print(p, file=buf)
    assert buf.getvalue() == "tables/demo/2021.xlsx，支出决算表!E9：“12,3O4.00”不是数字，请改为数字（空白、“-”或“—”表示0）。\n"
    assert exc.value.exit_code == 2


def test_figures_on_a_row_without_code_in_a_coded_table(tmp_path):
    path = wbk.write_canonical(tmp_path / "w.xlsx", patch={"expenditure": {"A8": None, "B8": "行政运行费"}})
    p = only(path)
    assert (p.sheet, p.cell) == ("支出决算表", "B8")
    assert "“行政运行费”不是本表的项目，也没有科目编码" in p.message


def test_figures_on_a_row_without_any_label(tmp_path):
    path = wbk.write_canonical(tmp_path / "w.xlsx", patch={"income": {"A8": None, "B8": None}})
    p = only(path)
    assert (p.sheet, p.cell) == ("收入决算表", "B8")
    assert "这一行有数字，但没有项目名称或科目编码" in p.message


@pytest.mark.parametrize("name", ["canonical.xlsx", "canonical-lo.xlsx", "canonical.xls", "canonical.ods"])
def test_damaged_copies_of_every_format_give_messages_not_crashes(tmp_path, name):
    """Truncated and byte-flipped copies: a Chinese message (or a clean load), never another error.
    (Some damaged .xls files once made calamine abort the process or print a Rust backtrace.)"""
    import random

    data = (Path(__file__).parent / "fixtures" / "load" / name).read_bytes()
    rng = random.Random(name)
    outcomes = set()
    for i in range(8):
        damaged = bytearray(data)
        if i % 2:
            damaged = damaged[: rng.randrange(len(damaged))]
        else:
            for _ in range(rng.randint(1, 20)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        path = tmp_path / f"{i}{Path(name).suffix}"
        path.write_bytes(bytes(damaged))
        try:
            read_tables(path, TS, display_path=FILE, year=2021)
            outcomes.add("loaded")
        except InputError as exc:
            assert all(p.message and p.file == FILE for p in exc.problems)
            outcomes.add("message")
    assert "message" in outcomes


def test_truncated_xls(tmp_path):
    data = (Path(__file__).parent / "fixtures" / "load" / "canonical.xls").read_bytes()
    path = tmp_path / "w.xls"
    path.write_bytes(data[:6000])
    p = only(path)
    assert "损坏" in p.message and p.file == FILE


def test_folder_without_spreadsheets(tmp_path):
    folder = tmp_path / "2021"
    folder.mkdir()
    (folder / "说明.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_tables(folder, TS, display_path="tables/demo/2021", year=2021)
    (p,) = exc.value.problems
    assert p.file == "tables/demo/2021" and "文件夹里没有电子表格文件" in p.message


def test_folder_with_one_broken_file_names_it_and_the_tables_it_should_hold(tmp_path):
    folder = tmp_path / "2021"
    folder.mkdir()
    for i, sheet in enumerate(wbk.canonical_sheets()):
        wbk.write_sheets(folder / f"{i + 1:02d}.xlsx", [sheet])
    (folder / "05.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(InputError) as exc:
        read_tables(folder, TS, display_path="tables/demo/2021", year=2021)
    broken, missing = exc.value.problems
    assert broken.file == "tables/demo/2021/05.xlsx" and "不是电子表格文件" in broken.message
    assert "缺少1张公开表：公开05表 项目收入支出决算表" in missing.message


def test_load_is_handed_the_stated_name_and_reads_no_texts(tmp_path):
    """Data flows one way: load compares the 编制单位 with the name it is handed, and neither it nor
    anything it imports reads ``content/`` (the pipeline reads the texts once)."""
    project = _project(tmp_path, "另一个单位")
    wbk.write_canonical(tmp_path / "tables" / "demo" / "2021.xlsx")
    assert load_accounts(project, "demo", 2021).unit_name == wbk.NAME  # no name handed: none compared
    with pytest.raises(InputError) as exc:
        load_accounts(project, "demo", 2021, stated_names={2021: "另一个单位"})
    (p,) = exc.value.problems
    assert (p.file, p.sheet, p.cell) == ("tables/demo/2021.xlsx", "收入支出决算总表", "A2")
    import subprocess

    code = ("import sys, disclosure.load; "
            "print(sorted(m for m in sys.modules if m.startswith(('disclosure.content', 'disclosure.pipeline'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    package = Path(__file__).parent.parent / "disclosure" / "load"
    for module in package.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert "disclosure.content" not in text and "content_dir" not in text, module.name
