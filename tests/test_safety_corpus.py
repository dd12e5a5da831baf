"""A corpus of bad inputs and bad options, one case per kind (issue 20 and issue 15 points 5–6).

Every case starts from the example project with its site already built, breaks one thing, runs
``disclosure build`` and asserts the exit code, the message, that no traceback is printed, and that
the input folders and the published site are byte-identical afterwards (both trees hashed before and
after; a link or FIFO is hashed by what it is, never read).
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import stat
import zipfile
from pathlib import Path

import openpyxl
import pytest

from disclosure.cli import main
from test_site_support import UNIT, copy_example, set_cell, workbook

STATE = ".site-build-state"
STRERRORS = [os.strerror(n) for n in errno.errorcode]  # the system's English texts ('No such file or directory')


def tree_digest(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Relative path → a digest of what is there: a regular file's bytes, a link's target, a
    folder, or the kind of a special file (never opened: it may be a FIFO or a device)."""
    out: dict[str, str] = {}
    if not folder.exists():
        return out
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if rel.split("/")[0] in skip:
            continue
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            out[rel] = "link:" + os.readlink(path)
        elif stat.S_ISDIR(info.st_mode):
            out[rel] = "dir"
        elif stat.S_ISREG(info.st_mode):
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[rel] = f"special:{stat.S_IFMT(info.st_mode)}"
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project with its site built once (copied for each case)."""
    root = tmp_path_factory.mktemp("corpus")
    project = copy_example(root / "p")
    assert main(["build", "--no-kit", str(project), "--jobs", "1"]) == 0
    return project


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "p"
    shutil.copytree(built, dest, symlinks=True)
    return dest


def run(project: Path, capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str]:
    """Build, returning the exit code and everything printed; asserts no traceback was printed."""
    capsys.readouterr()
    code = main(["build", "--no-kit", str(project), "--jobs", "1", *args])
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "Traceback" not in text and "Error:" not in text, text
    return code, text


def inputs(project: Path) -> dict[str, str]:
    return tree_digest(project, skip=("site", STATE))


def site(project: Path) -> dict[str, str]:
    return tree_digest(project / "site")


def refused_unchanged(project: Path, capsys, *args: str, code: int = 2) -> str:
    """Run a build that must fail; both trees byte-identical afterwards. Returns the output."""
    before_inputs, before_site = inputs(project), site(project)
    got, text = run(project, capsys, *args)
    assert got == code, text
    assert inputs(project) == before_inputs
    assert site(project) == before_site
    return text


# -- --out: never over the inputs, never at a file --------------------------------------------------

@pytest.mark.parametrize("out, says", [
    ("content", "就是项目的 content/ 文件夹"),
    ("tables", "就是项目的 tables/ 文件夹"),
    (f"tables/{UNIT}", "在项目的 tables/ 文件夹里"),
    ("theme", "就是项目的 theme/ 文件夹"),
    (".", "就是项目文件夹本身"),
    ("..", "包含了项目文件夹"),
    ("disclosure.toml", "是一个已有的文件"),
    ("content/glossary.md", "是一个已有的文件"),
])
def test_an_out_over_the_inputs_or_at_a_file_is_refused(project, capsys, monkeypatch, out, says):
    (project / "theme" / "assets").mkdir(parents=True)
    (project / "theme" / "assets" / "extra.css").write_text("p{}\n", encoding="utf-8")
    monkeypatch.chdir(project)
    text = refused_unchanged(project, capsys, "--out", out)
    assert says in text and "已拒绝生成，没有写入或删除任何文件" in text


def test_out_tables_with_one_folder_per_year_keeps_the_workbooks(project, capsys):
    year_dir = project / "tables" / UNIT / "2021"
    year_dir.mkdir()
    shutil.move(str(workbook(project, 2021)), year_dir / "2021.xlsx")
    text = refused_unchanged(project, capsys, "--out", str(project / "tables"))
    assert "就是项目的 tables/ 文件夹" in text
    assert (year_dir / "2021.xlsx").is_file()


def test_an_out_folder_of_other_files_is_refused(project, tmp_path, capsys):
    other = tmp_path / "documents"
    other.mkdir()
    (other / "report.docx").write_bytes(b"mine")
    text = refused_unchanged(project, capsys, "--out", str(other))
    assert "不是本工具生成的网站" in text
    assert (other / "report.docx").read_bytes() == b"mine" and len(list(other.iterdir())) == 1


# -- nothing the user did not write is deleted ------------------------------------------------------

def test_a_folder_named_like_a_workbook_is_an_error_not_a_deletion(project, capsys):
    book = workbook(project, 2021)
    book.unlink()
    book.mkdir()
    text = refused_unchanged(project, capsys)
    assert f"tables/{UNIT}/2021.xlsx：是一个文件夹，不是工作簿文件" in text and "请把文件夹改名为 2021（不带扩展名）" in text
    assert "请把各张公开表放进这个文件夹" not in text  # not taken for a year's folder of tables
    assert (project / "site" / UNIT / "2021" / "index.html").is_file()


def test_a_workbook_without_read_permission_says_so_in_chinese(project, capsys, monkeypatch):
    """Mode 000 does not stop root, so the refusal is the operating system's, injected."""
    import builtins

    book = workbook(project, 2021)
    real = builtins.open

    def denied(path, *args, **kwargs):
        if isinstance(path, (str, os.PathLike)) and Path(path) == book:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", denied)
    text = refused_unchanged(project, capsys, "--force")
    assert f"tables/{UNIT}/2021.xlsx：没有读取权限，无法读取。请检查文件的权限设置。" in text
    assert "Permission denied" not in text


def test_a_content_folder_that_cannot_be_listed_is_an_error_not_skipped(project, capsys, monkeypatch):
    """content/<unit>/2021/ unreadable: its texts were skipped without a word and the next file was
    reported as 没有写入权限; now the folder is named as unreadable and the year keeps its pages."""
    folder = project / "content" / UNIT / "2021"
    real = os.listdir

    def denied(path="."):
        if Path(path) == folder:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "listdir", denied)
    text = refused_unchanged(project, capsys, "--force")
    assert f"content/{UNIT}/2021：没有权限读取这个文件夹" in text and "写入" not in text


def test_an_input_that_cannot_be_read_while_planning_is_not_called_unwritable(project, capsys, monkeypatch):
    """An operating-system error on one of the inputs (here while the build decides what changed) names
    that input as unreadable; it was said as 没有写入权限 of the site."""
    contact = project / "content" / UNIT / "2021" / "contact.md"

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(contact))

    monkeypatch.setattr("disclosure.batch.runner.unit_year_digest", denied)
    text = refused_unchanged(project, capsys)
    assert f"content/{UNIT}/2021/contact.md：没有读取权限" in text and "写入" not in text


def test_a_unit_folder_that_cannot_be_listed_is_an_error_not_a_deletion(project, capsys, monkeypatch):
    from disclosure.project import Project

    real = Project.year_sources

    def unreadable(self, unit, listing=None):
        if unit == UNIT:
            raise PermissionError(errno.EACCES, "Permission denied", str(self.tables_dir / unit))
        return real(self, unit, listing)

    monkeypatch.setattr(Project, "year_sources", unreadable)
    text = refused_unchanged(project, capsys)
    assert f"tables/{UNIT}：没有权限读取这个文件夹" in text and "已发布的页面保持不变" in text
    assert "Permission denied" not in text


def test_a_tables_folder_that_cannot_be_listed_says_so_in_chinese(project, capsys, monkeypatch):
    from disclosure.project import Project

    def unreadable(self):
        raise PermissionError(errno.EACCES, "Permission denied", str(self.tables_dir))

    monkeypatch.setattr(Project, "unit_folders", unreadable)
    text = refused_unchanged(project, capsys)
    assert "tables：没有权限读取这个文件夹" in text and "Permission denied" not in text


def test_a_workbook_renamed_to_another_year_changes_no_published_page(project, capsys):
    """Issue 15 point 5: 2021.xlsx renamed 2022.xlsx (its tables still say 2021)."""
    workbook(project, 2021).rename(project / "tables" / UNIT / "2022.xlsx")
    text = refused_unchanged(project, capsys)
    assert "表上写的是2021年度，但文件放在2022年的位置" in text
    assert "2021 年度的公开表已不在 tables/ 中，但已发布的页面未删除" in text
    assert "2020 年度已生成但未替换已发布的页面" in text
    assert "删除" not in text.split("汇总：")[1].split("\n")[0]


def test_a_removed_workbook_removes_its_pages_when_the_rest_of_the_unit_reads(project, capsys):
    workbook(project, 2021).unlink()
    code, text = run(project, capsys)
    assert code == 0, text
    assert "删除 1 个已不存在的" in text
    assert not (project / "site" / UNIT / "2021").exists()
    assert (project / "site" / UNIT / "2020" / "index.html").is_file()


def test_a_build_removes_only_files_it_wrote(project, capsys):
    mine = project / "site" / UNIT / "2021" / "说明.txt"
    mine.write_text("用户自己放的文件\n", encoding="utf-8")
    set_cell(workbook(project, 2021), "收入支出决算总表", "A1", "收入支出决算总表")  # touch: rebuilt
    code, text = run(project, capsys, "--force")
    assert code == 0, text
    assert mine.read_text(encoding="utf-8") == "用户自己放的文件\n"  # kept through the swap
    workbook(project, 2021).unlink()
    code, text = run(project, capsys)
    assert code == 0 and "删除 1 个已不存在的" in text
    assert mine.is_file() and sorted(p.name for p in mine.parent.iterdir()) == ["说明.txt"]


def test_a_chinese_unit_folder_fails_alone(project, capsys):
    """Issue 15 point 6: the valid unit is built; the message names only folders that exist."""
    bad = project / "tables" / "交警支队"
    bad.mkdir()
    shutil.copyfile(workbook(project, 2021), bad / "2021.xlsx")
    contact = project / "content" / UNIT / "2021" / "contact.md"  # a change the valid unit's pages show
    contact.write_text(contact.read_text(encoding="utf-8") + "\n工作时间：周一至周五。\n", encoding="utf-8")
    before = site(project)
    code, text = run(project, capsys)
    assert code == 1, text
    assert "文件夹名“交警支队”不能用作单位代号" in text and "请把 tables/交警支队 改名" in text
    assert "content/交警支队" not in text
    assert f"完成 {UNIT}/2021" in text
    assert site(project) != before and not (project / "site" / "交警支队").exists()


# -- no traceback, no hang, no abort -----------------------------------------------------------------

def _xlsx(path: Path, sheet_xml: str) -> None:
    """A minimal .xlsx with one sheet whose XML is given."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="收入支出决算总表" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + sheet_xml + "</worksheet>")


def test_a_single_cell_at_xfd1048576_is_refused_before_reading(project, capsys):
    _xlsx(workbook(project, 2021), '<sheetData><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    text = refused_unchanged(project, capsys)
    assert f"tables/{UNIT}/2021.xlsx：工作表“收入支出决算总表”的内容一直延伸到 XFD1048576" in text


def test_a_million_extra_rows_are_refused_quickly(project, capsys):
    import time

    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x</t></is></c></row>' for r in range(1, 1_000_001))
    _xlsx(workbook(project, 2021), f"<sheetData>{rows}</sheetData>")
    started = time.perf_counter()
    text = refused_unchanged(project, capsys)
    assert time.perf_counter() - started < 60
    assert "（1000000 行 × 1 列）" in text
    assert text.count("延伸到") == 1  # said once: in the list of errors, not also on the progress line


def test_an_ods_row_repeated_a_million_times_is_refused(project, capsys):
    ods = project / "tables" / UNIT / "2021.ods"
    workbook(project, 2021).unlink()
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="S"><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>')
    text = refused_unchanged(project, capsys)
    assert "2021.ods：工作表“S”的内容一直延伸到 XFD1048576" in text


def test_a_part_that_unpacks_to_a_huge_size_is_refused(project, capsys):
    book = workbook(project, 2021)
    with zipfile.ZipFile(book, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/padding.xml", b"0" * (129 * 1024 * 1024))
    text = refused_unchanged(project, capsys)
    assert "文件解压后过大" in text and "xl/media/padding.xml" in text


def test_an_xls_with_a_far_cell_is_refused_before_the_reader_opens_it(project, capsys, monkeypatch):
    """tests/fixtures/load/far-cell-IV65536.xls: the example's 2021 workbook with a 1 at 支出决算表!IV65536
    (the last cell an .xls can hold), saved as .xls by LibreOffice. The reader builds every grid of an .xls
    as it opens it (about 1.2 GB for this 44 KB file), so the extent is read from the cell records first
    and the reader is never called."""
    import disclosure.load.workbook as reader

    workbook(project, 2021).unlink()
    shutil.copyfile(Path(__file__).parent / "fixtures" / "load" / "far-cell-IV65536.xls", project / "tables" / UNIT / "2021.xls")
    opened = []
    real = reader.CalamineWorkbook

    class Recording:
        @staticmethod
        def from_path(path, *args, **kwargs):
            opened.append(Path(path).name)
            return real.from_path(path, *args, **kwargs)

    monkeypatch.setattr(reader, "CalamineWorkbook", Recording)
    monkeypatch.setattr(reader, "_survives_reading", lambda path: opened.append(Path(path).name) or True)
    text = refused_unchanged(project, capsys)
    assert f"tables/{UNIT}/2021.xls：工作表“支出决算表”的内容一直延伸到 IV65536（65536 行 × 256 列）" in text
    assert "2021.xls" not in opened and text.count("延伸到") == 1


def test_a_grid_of_more_cells_than_any_table_is_refused_before_the_reader_opens_it(project, capsys, monkeypatch):
    """40,000 rows × 30 columns of numbers below 支出决算表: rows and columns each under their cap, 1.2 million
    cells in all (the largest real table has a few hundred thousand). The reader is never called."""
    import disclosure.load.workbook as reader
    from openpyxl.utils import get_column_letter

    book = workbook(project, 2021)
    with zipfile.ZipFile(book) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    assert openpyxl.load_workbook(book, read_only=True).sheetnames[2] == "支出决算表"
    sheet = "xl/worksheets/sheet3.xml"
    letters = [get_column_letter(c) for c in range(1, 31)]
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{col}{r}"><v>1</v></c>' for col in letters) + "</row>"
                   for r in range(100, 40_100))
    parts[sheet] = parts[sheet].replace(b"</sheetData>", rows.encode() + b"</sheetData>", 1)
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    opened = []
    real = reader.CalamineWorkbook

    class Recording:
        @staticmethod
        def from_path(path, *args, **kwargs):
            opened.append(Path(path).name)
            return real.from_path(path, *args, **kwargs)

    monkeypatch.setattr(reader, "CalamineWorkbook", Recording)
    text = refused_unchanged(project, capsys)
    assert f"tables/{UNIT}/2021.xlsx：工作表“支出决算表”的内容一直延伸到" in text and "共 100 万个单元格" in text
    assert text.count("延伸到") == 1 and "2021.xlsx" not in opened


def test_the_xls_extent_read_from_its_records_is_the_readers(project):
    """Every .xls among the fixtures: the extent read from the records is the reader's own (so no
    workbook the reader could read is refused, and none it would blow up on passes)."""
    from python_calamine import CalamineWorkbook

    from disclosure.load.guard import _ole_stream, xls_extents

    files = sorted(Path(__file__).parent.glob("fixtures/**/*.xls"))
    far = Path(__file__).parent / "fixtures" / "load" / "far-cell-IV65536.xls"  # the reader would take 1.2 GB
    assert ("支出决算表", 65536, 256) in xls_extents(_ole_stream(far.read_bytes()))
    files.remove(far)
    assert len(files) >= 8
    for path in files:
        book = CalamineWorkbook.from_path(str(path))
        ends = [book.get_sheet_by_name(n).end for n in book.sheet_names]
        mine = xls_extents(_ole_stream(path.read_bytes()))
        assert [(r, c) for _, r, c in mine] == [(e[0] + 1, e[1] + 1) if e else (0, 0) for e in ends], path
        assert [n for n, _, _ in mine] == book.sheet_names, path


@pytest.mark.parametrize("value, shown", [(1e26, "100000000000000004764729344"), ("1E+26", "1E+26"), ("-1.5e30", "-1.5e30")])
def test_an_amount_of_1e26_says_too_large(project, capsys, value, shown):
    """A number cell or a text cell holding a number as a spreadsheet shows it (1E+26)."""
    set_cell(workbook(project, 2021), "支出决算表", "C8", value)
    text = refused_unchanged(project, capsys)
    assert f"支出决算表!C8：“{shown}”数值过大" in text
    assert "InvalidOperation" not in text and "内部错误" not in text and "不是数字" not in text


@pytest.mark.parametrize("value, says", [(103.5, "不是整数"), (-5, "是负数"), (1e25, "数值过大")])
def test_a_count_is_whole_and_not_negative(project, capsys, value, says):
    set_cell(workbook(project, 2021), "机关运行经费支出、国有资产占用情况及政府采购支出信息表", "C12", value)
    text = refused_unchanged(project, capsys)
    assert "机关运行经费支出、国有资产占用情况及政府采购支出信息表!C12" in text and says in text


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom"])
def test_a_workbook_linked_to_a_device_is_refused(project, capsys, target):
    book = workbook(project, 2021)
    book.unlink()
    book.symlink_to(target)
    text = refused_unchanged(project, capsys)
    assert f"tables/{UNIT}/2021.xlsx：是一个设备文件，不是普通文件" in text and text.count("是一个设备文件") == 1
    assert f"{project}/tables" not in text  # named where it sits in the project, not by an absolute path


def test_organization_md_linked_to_urandom_is_refused(project, capsys):
    org = project / "content" / UNIT / "2021" / "organization.md"  # the example's 2021 text
    org.unlink(missing_ok=True)
    org.symlink_to("/dev/urandom")
    text = refused_unchanged(project, capsys)
    assert f"content/{UNIT}/2021/organization.md：是一个指向项目文件夹之外的链接" in text


def test_contact_md_linked_to_etc_passwd_is_not_published(project, capsys):
    contact = project / "content" / UNIT / "2021" / "contact.md"
    contact.unlink(missing_ok=True)
    contact.symlink_to("/etc/passwd")
    text = refused_unchanged(project, capsys)
    assert f"content/{UNIT}/2021/contact.md：是一个指向项目文件夹之外的链接" in text
    passwd = Path("/etc/passwd").read_bytes().splitlines()[0]
    assert not any(passwd in p.read_bytes() for p in (project / "site").rglob("*") if p.is_file())


def test_a_link_inside_the_project_is_read(project, capsys):
    shared = project / "content" / "shared-contact.md"
    contact = project / "content" / UNIT / "2021" / "contact.md"
    shared.write_text(contact.read_text(encoding="utf-8") + "\n共享的联系方式。\n", encoding="utf-8")
    contact.unlink()
    contact.symlink_to(shared)
    code, text = run(project, capsys)
    assert code == 0, text


@pytest.mark.parametrize("name", ["tables/{unit}/2021.xlsx", "content/{unit}/unit.toml"])
def test_a_fifo_in_place_of_a_file_does_not_hang(project, capsys, name):
    path = project / name.format(unit=UNIT)
    path.unlink()
    os.mkfifo(path)
    text = refused_unchanged(project, capsys)
    assert f"{name.format(unit=UNIT)}：是一个管道（FIFO），不是普通文件" in text


# -- a full disk ---------------------------------------------------------------------------------------

def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_on_a_rebuild_says_so_and_keeps_the_site(project, capsys, monkeypatch):
    monkeypatch.setattr("disclosure.site.output._open_temp", _enospc)
    text = refused_unchanged(project, capsys, "--force")
    assert "磁盘已满" in text and "内部错误" not in text


def test_a_full_disk_while_writing_assets_leaves_no_partial_file(tmp_path, capsys, monkeypatch):
    project = copy_example(tmp_path / "p")
    import disclosure.site.output as output

    real = output.shutil.copyfileobj

    def half_then_full(src, dst, length=0):
        dst.write(src.read(1000))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.shutil, "copyfileobj", half_then_full)
    code, text = run(project, capsys)
    assert code == 2 and "磁盘已满" in text
    site_dir = project / "site"
    leftovers = [p for p in site_dir.rglob("*") if p.is_file() and (".dc-tmp-" in p.name or p.parent.name == "assets")]
    assert leftovers == []
    assert not list((project / STATE).glob("*.tmp"))
    monkeypatch.setattr(output.shutil, "copyfileobj", real)
    code, text = run(project, capsys)
    assert code == 0, text
    assert (site_dir / "index.html").is_file() and (site_dir / "assets" / "dc.css").stat().st_size > 1_000


@pytest.mark.parametrize("args", [("--force",), ()], ids=["force", "nothing-changed"])
def test_stale_temporary_files_of_a_killed_build_are_cleaned(project, capsys, args):
    """Also by a build with nothing to rebuild (the portal step, which writes beside the assets, does not run).
    A build marks the state folder while it writes the site (``writing``); the next build looks for
    leftovers when the mark is there (or with --force), not on every no-change rebuild."""
    leftovers = [project / STATE / "state.json.99999.tmp", project / STATE / "results" / UNIT / ".2021.pickle.99999.tmp",
                 project / "site" / "assets" / f".dc.css.dc-tmp-99999", project / "site" / f".index.html.dc-tmp-99999"]
    for path in leftovers:
        path.write_bytes(b"half")
    (project / "site" / UNIT / ".2021.old-99999").mkdir()
    (project / STATE / "writing").touch()  # what a build killed while it wrote the site leaves beside them
    code, text = run(project, capsys, *args)
    assert code == 0, text
    assert not any(p.exists() for p in leftovers)
    assert not (project / STATE / "writing").exists()
    assert not (project / "site" / UNIT / ".2021.old-99999").exists()


# -- permissions ---------------------------------------------------------------------------------------

def test_published_files_are_world_readable_under_umask_077(tmp_path, capsys):
    project = copy_example(tmp_path / "p")
    old = os.umask(0o077)
    try:
        code, text = run(project, capsys)
    finally:
        os.umask(old)
    assert code == 0, text
    modes = {oct(p.stat().st_mode & 0o777) for p in (project / "site").rglob("*")}
    assert modes == {"0o644", "0o755"}


# -- nothing ignored without a word --------------------------------------------------------------------

def test_an_upper_case_extension_is_read(project, capsys):
    workbook(project, 2021).rename(project / "tables" / UNIT / "2021.XLSX")
    code, text = run(project, capsys, "--force")
    assert code == 0, text
    assert f"完成 {UNIT}/2021" in text


def test_two_workbooks_for_one_year_say_which_was_used(project, capsys):
    shutil.copyfile(workbook(project, 2021), project / "tables" / UNIT / "2021.xls")
    code, text = run(project, capsys)
    assert code == 0, text
    assert f"提示：tables/{UNIT}/2021.xls：未读取，2021年度用的是 2021.xlsx" in text


def test_hidden_folders_and_misnamed_content_files_are_named(project, capsys):
    for hidden in ("..a", ".git"):
        (project / "tables" / hidden).mkdir()
    (project / "content" / UNIT / "overview .md").write_text("# 概况\n", encoding="utf-8")
    (project / "tables" / UNIT / "2021 .xlsx").write_bytes(b"")
    code, text = run(project, capsys)
    assert code == 0, text
    assert "提示：tables/..a：名称以“.”开头的文件夹是隐藏的，未读取" in text
    assert "提示：tables/.git：名称以“.”开头的文件夹是隐藏的，未读取" in text
    assert f"提示：content/{UNIT}/overview .md：未使用，文件名里有多余的空格" in text
    assert f"提示：tables/{UNIT}/2021 .xlsx：未读取，文件名里有多余的空格" in text


def test_check_names_what_it_does_not_read_as_build_does(project, capsys):
    """``check`` says which of two workbooks of one year it used, and the hidden folders and misnamed
    texts it skipped (it used to say nothing), in the text report and, beside the JSON, on stderr."""
    shutil.copyfile(workbook(project, 2021), project / "tables" / UNIT / "2021.xls")
    for hidden in ("..a", ".git"):
        shutil.copytree(project / "tables" / UNIT, project / "tables" / hidden)
    (project / "content" / UNIT / "overview .md").write_text("# 概况\n", encoding="utf-8")
    before = inputs(project)
    said = [f"提示：tables/{UNIT}/2021.xls：未读取，2021年度用的是 2021.xlsx",
            "提示：tables/..a：名称以“.”开头的文件夹是隐藏的，未读取", "提示：tables/.git：名称以“.”开头的文件夹是隐藏的，未读取",
            f"提示：content/{UNIT}/overview .md：未使用，文件名里有多余的空格"]
    for args in ([], ["--format", "json"]):
        capsys.readouterr()
        code = main(["check", str(project), *args])
        out, err = capsys.readouterr()
        assert code == 0 and "Traceback" not in out + err, out + err
        for line in said:
            assert (out if not args else err).count(line) == 1, (line, out, err)
    assert inputs(project) == before


def test_a_misnamed_shared_text_is_named_once_however_many_units(project, capsys):
    """content/ holds every unit's folder beside the shared texts: it is looked at once per build."""
    shutil.copytree(project / "tables" / UNIT, project / "tables" / "second")
    shutil.copytree(project / "content" / UNIT, project / "content" / "second")
    (project / "content" / "glossary .md").write_text("# 名词解释\n", encoding="utf-8")
    (project / "content" / "second" / "2021" / "duties.MD").write_text("# 职责\n", encoding="utf-8")
    code, text = run(project, capsys)
    assert text.count("提示：content/glossary .md：未使用，文件名里有多余的空格") == 1, text
    assert text.count("提示：content/second/2021/duties.MD：未使用") == 1
    assert f"content/{UNIT}/2021/duties.MD" not in text


def test_repeated_errors_in_one_column_are_said_once(project, capsys):
    wb = openpyxl.load_workbook(workbook(project, 2021))
    ws = wb["支出决算表"]
    first = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 3).value or "").replace(".", "").isdigit())
    for r in range(first, first + 8):
        ws.cell(r, 3).value = "一百"
    wb.save(workbook(project, 2021))
    text = refused_unchanged(project, capsys)
    listed = text.split("未能生成的单位年度")[1]
    assert listed.count("“一百”不是数字") == 1 and "共 8 处" in listed


def test_an_out_over_the_builtin_theme_is_refused(project, capsys):
    from disclosure.batch.digest import builtin_theme_dir

    theme = builtin_theme_dir()
    before = tree_digest(theme)
    text = refused_unchanged(project, capsys, "--out", str(theme / "assets"))
    assert "与本工具的内置主题文件夹重叠" in text
    assert tree_digest(theme) == before


# -- a path that is there but is not what it should be: an error naming it, never taken for absent ----

def _break(path: Path, how: str) -> None:
    """Put something else where ``path`` was: a file, a link that leads nowhere, a link to itself, a
    folder, a FIFO."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    if how == "file":
        path.write_text("x\n", encoding="utf-8")
    elif how == "dangling":
        path.symlink_to("/nonexistent/place")
    elif how == "loop":
        path.symlink_to(path.name)
    elif how == "folder":
        path.mkdir()
    elif how == "fifo":
        os.mkfifo(path)


@pytest.mark.parametrize("name, how, says", [
    (f"tables/{UNIT}", "file", "是一个文件，不是文件夹"),
    (f"tables/{UNIT}", "dangling", "是一个链接，但它指向的“/nonexistent/place”不存在"),
    (f"tables/{UNIT}", "loop", "是一个循环的符号链接"),
    (f"tables/{UNIT}/2021", "dangling", "是一个链接，但它指向的“/nonexistent/place”不存在"),
    (f"content/{UNIT}", "file", "是一个文件，不是文件夹"),
    (f"content/{UNIT}", "dangling", "是一个链接，但它指向的“/nonexistent/place”不存在"),
    (f"content/{UNIT}", "loop", "是一个循环的符号链接"),
    (f"content/{UNIT}/2021", "file", "是一个文件，不是文件夹"),
    (f"content/{UNIT}/2021", "dangling", "是一个链接，但它指向的“/nonexistent/place”不存在"),
    ("tables", "file", "是一个文件，不是文件夹"),
    ("tables", "dangling", "是一个链接，但它指向的“/nonexistent/place”不存在"),
    ("tables", "loop", "是一个循环的符号链接"),
    ("content", "file", "是一个文件，不是文件夹"),
    ("content", "loop", "是一个循环的符号链接"),
    ("theme", "file", "是一个文件，不是文件夹"),
    ("theme", "dangling", "是一个链接，但它指向的“/nonexistent/place”不存在"),
    ("theme", "loop", "是一个循环的符号链接"),
    ("disclosure.toml", "folder", "是一个文件夹，不是普通文件"),
    ("disclosure.toml", "dangling", "是一个链接，但它指向的“/nonexistent/place”不存在"),
    ("disclosure.toml", "loop", "是一个循环的符号链接"),
    ("disclosure.toml", "fifo", "是一个管道（FIFO），不是普通文件"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 40 and "是" not in v else "")
def test_a_path_that_is_not_what_it_should_be_is_an_error_not_a_deletion(project, capsys, name, how, says):
    """Each was taken for absent: the unit's (or every unit's) published pages were deleted with exit 0,
    the settings or the theme silently replaced by the defaults; a loop or a FIFO gave a traceback or a hang."""
    if name == f"tables/{UNIT}/2021":
        workbook(project, 2021).unlink()  # the year's workbook replaced by a link where its folder would be
    _break(project / name, how)
    text = refused_unchanged(project, capsys)
    assert text.count(f"{name}：{says}") == 1, text  # once, however many years it stops
    assert not [e for e in STRERRORS if e in text], text  # no English system text
    assert "tables/ 下没有公开表" not in text
    assert (project / "site" / UNIT / "2021" / "index.html").is_file()


@pytest.mark.parametrize("name, target, says", [
    ("theme/templates/base.html", "/etc/passwd", "是一个指向项目文件夹之外的链接"),
    ("theme/assets/passwd.txt", "/etc/passwd", "是一个指向项目文件夹之外的链接"),
    ("theme/assets/dc.css", "/dev/zero", "是一个指向项目文件夹之外的链接"),
    ("theme/assets/dc.css", "fifo", "是一个管道（FIFO），不是普通文件"),
])
def test_a_theme_file_linked_out_of_the_project_or_special_is_refused(project, capsys, name, target, says):
    """A project's theme/ is published: base.html linked to /etc/passwd was published in every page."""
    path = project / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if target == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(target)
    text = refused_unchanged(project, capsys, "--force")
    assert f"{name}：{says}" in text
    passwd = Path("/etc/passwd").read_bytes().splitlines()[0]
    assert not any(passwd in p.read_bytes() for p in (project / "site").rglob("*") if p.is_file())


def test_a_system_error_on_a_unit_folder_is_said_in_chinese(project, capsys, monkeypatch):
    """Any errno, not only a missing permission: the system's English text (strerror) never shows."""
    from disclosure.project import Project

    real = Project.year_sources

    def failing(self, unit, listing=None):
        if unit == UNIT:
            raise OSError(errno.EIO, "Input/output error", str(self.tables_dir / unit))
        return real(self, unit, listing)

    monkeypatch.setattr(Project, "year_sources", failing)
    text = refused_unchanged(project, capsys)
    assert f"tables/{UNIT}：无法读取这个文件夹（磁盘或网络驱动器读写出错）" in text
    assert "Input/output" not in text


def test_every_system_error_is_said_without_the_systems_english():
    from disclosure.errors import folder_message, open_message, os_reason, system_message

    for number in sorted(errno.errorcode):
        exc = OSError(number, os.strerror(number), "名")
        for said in (open_message(exc), folder_message(exc), system_message(exc), os_reason(exc)):
            assert os.strerror(number) not in said and not re.search(r"[A-Za-z]{3,}", said.replace("--out", "")), (number, said)


def test_an_ods_cut_short_inside_a_table_is_refused_before_the_reader(project, capsys, monkeypatch):
    """Found by the fuzz run (benchmarks/fuzz_workbooks.py, mutant 1240 of seed 20): the reader loops
    without end on a content.xml that stops after a row, inside a table. The reader is never opened."""
    import disclosure.load.workbook as reader

    workbook(project, 2021).unlink()
    with zipfile.ZipFile(project / "tables" / UNIT / "2021.ods", "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>')
        z.writestr("content.xml", '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="S"><table:table-row><table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>')

    class Refusing:
        @staticmethod
        def from_path(path, *args, **kwargs):
            raise AssertionError("the reader was opened on a content.xml it loops on")

    monkeypatch.setattr(reader, "CalamineWorkbook", Refusing)
    text = refused_unchanged(project, capsys)
    assert f"tables/{UNIT}/2021.ods：文件已损坏或不完整（其中的 content.xml 不是完整的 XML" in text


# -- every kind of bad workbook or text the loader refuses, through a build over a published site ------

FIXTURES = Path(__file__).parent / "fixtures" / "load"
BOOK = f"tables/{UNIT}/2021.xlsx"


def _cells(sheet: str, values: dict[str, object], year: int = 2021):
    def change(project: Path) -> None:
        wb = openpyxl.load_workbook(workbook(project, year))
        for ref, value in values.items():
            wb[sheet][ref] = value
        wb.save(workbook(project, year))
    return change


def _sheets(change_book):
    def change(project: Path) -> None:
        wb = openpyxl.load_workbook(workbook(project, 2021))
        change_book(wb)
        wb.save(workbook(project, 2021))
    return change


def _parts(change_part):
    """Each part of the 2021 workbook's zip rewritten by ``change_part(name, data)``."""
    def change(project: Path) -> None:
        book = workbook(project, 2021)
        with zipfile.ZipFile(book) as z:
            items = [(i, z.read(i.filename)) for i in z.infolist()]
        with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
            for info, data in items:
                z.writestr(info, change_part(info.filename, data))
    return change


def _truncated(project: Path) -> None:
    book = workbook(project, 2021)
    data = book.read_bytes()
    book.write_bytes(data[: len(data) // 2])


def _corrupt_member(project: Path) -> None:
    book = workbook(project, 2021)
    data = bytearray(book.read_bytes())
    with zipfile.ZipFile(book) as z:
        info = z.getinfo("xl/worksheets/sheet3.xml")
    start = info.header_offset + 30 + len(info.filename) + 40
    data[start : start + 200] = b"\x00" * 200
    book.write_bytes(bytes(data))


def _encrypted(project: Path) -> None:
    """An encrypted .xlsx is an OLE2 compound file holding an EncryptedPackage stream."""
    header = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504
    directory = "EncryptedPackage".encode("utf-16-le") + b"\x00" * 32 + "EncryptionInfo".encode("utf-16-le")
    workbook(project, 2021).write_bytes(header + b"\x00" * 512 + directory + b"\x00" * 1024)


def _zip_without_workbook(project: Path) -> None:
    with zipfile.ZipFile(workbook(project, 2021), "w") as z:
        z.writestr("readme.txt", "hello")


def _cut_fixture(name: str, keep: int):
    """The 2021 workbook replaced by the first ``keep`` bytes of a fixture in another format."""
    def change(project: Path) -> None:
        workbook(project, 2021).unlink()
        data = (FIXTURES / name).read_bytes()
        (project / "tables" / UNIT / f"2021{Path(name).suffix}").write_bytes(data[:keep])
    return change


def _folder_without_spreadsheets(project: Path) -> None:
    workbook(project, 2021).unlink()
    folder = project / "tables" / UNIT / "2021"
    folder.mkdir()
    (folder / "说明.txt").write_text("x", encoding="utf-8")


def _folder_with_a_broken_file(project: Path) -> None:
    folder = project / "tables" / UNIT / "2021"
    folder.mkdir()
    shutil.move(str(workbook(project, 2021)), folder / "01.xlsx")
    (folder / "02.xlsx").write_bytes(b"not a workbook")


def _text(rel: str, data: bytes):
    def change(project: Path) -> None:
        (project / rel.format(unit=UNIT)).write_bytes(data)
    return change


_DTD = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><worksheet'
LOAD_KINDS = [  # (case, how the input is broken, the message naming file, sheet and cell, the unit-years it stops)
    ("text-in-a-number-cell", _cells("支出决算表", {"E9": "12,3O4.00"}),
     f"{BOOK}，支出决算表!E9：“12,3O4.00”不是数字，请改为数字", "2021"),
    ("formula-without-value", _cells("收入支出决算总表", {"C6": "=C7+C8"}),
     f"{BOOK}，收入支出决算总表!C6：这个单元格是公式，但文件里没有保存计算结果", "2021"),
    ("same-table-twice", _sheets(lambda wb: setattr(wb.copy_worksheet(wb["收入决算表"]), "title", "副本")),
     f"{BOOK}，工作表“副本”：收入决算表出现了两次：工作表“收入决算表”和“副本”", "2021"),
    ("missing-table", _sheets(lambda wb: wb.remove(wb["项目收入支出决算表"])),
     f"{BOOK}：缺少1张公开表：公开05表 项目收入支出决算表", "2021"),
    ("text-file-named-xlsx", _text(BOOK, "编制单位,金额\n测试,1\n".encode()),
     f"{BOOK}：不是电子表格文件（.xlsx/.xls/.ods）", "2021"),
    ("empty-file", _text(BOOK, b""), f"{BOOK}：不是电子表格文件（.xlsx/.xls/.ods）", "2021"),
    ("zip-without-workbook", _zip_without_workbook, f"{BOOK}：不是电子表格文件（压缩包里没有工作簿）", "2021"),
    ("truncated", _truncated, f"{BOOK}：文件已损坏或不完整（可能没有完整下载或复制）", "2021"),
    ("corrupt-zip-member", _corrupt_member, f"{BOOK}：文件已损坏或不完整", "2021"),
    ("encrypted", _encrypted, f"{BOOK}：文件设置了打开密码（已加密），无法读取", "2021"),
    ("dtd-entities", _parts(lambda name, data: data.replace(b"<worksheet", _DTD, 1) if name == "xl/worksheets/sheet2.xml" else data),
     f"{BOOK}：文件内部的 xl/worksheets/sheet2.xml 含有 DTD/实体声明（<!DOCTYPE>/<!ENTITY>），可能被篡改，出于安全考虑拒绝读取", "2021"),
    ("no-unit-line", _cells("收入决算表", {"I3": None}), f"{BOOK}，收入决算表!A1：收入决算表没有写金额单位", "2021"),
    ("unknown-unit-line", _cells("收入决算表", {"I3": "单位：千元"}), f"{BOOK}，收入决算表!I3：金额单位“千元”无法识别", "2021"),
    ("wrong-year", _cells("收入决算表", {"E2": "2020年度"}),
     f"{BOOK}，收入决算表!E2：表上写的是2020年度，但文件放在2021年的位置", "2021"),
    ("other-unit-name", _cells("收入支出决算总表", {"A2": "编制单位：另一个单位"}),
     f"{BOOK}，收入支出决算总表!A2：编制单位写的是“另一个单位”，与 content/{UNIT}/unit.toml 中的单位名称“巴彦淖尔市公安局交通管理支队”不一致", "2021"),
    ("missing-column", _cells("支出决算表", {"D4": "基本支出数额"}), f"{BOOK}，支出决算表!A4：支出决算表找不到“基本支出”列", "2021"),
    ("missing-item-row", _cells("收入支出决算总表", {"A35": "收入小计"}), "缺少“本年收入合计”行", "2021"),
    ("code-of-wrong-length", _cells("一般公共预算财政拨款支出决算表", {"A8": "20402011"}),
     f"{BOOK}，一般公共预算财政拨款支出决算表!A8：科目编码“20402011”位数不对", "2021"),
    ("same-code-twice", _cells("一般公共预算财政拨款支出决算表", {"A10": "2040201"}),
     f"{BOOK}，一般公共预算财政拨款支出决算表!B10：“其他公安支出”在本表出现了两次（另见第8行）", "2021"),
    ("row-without-code", _cells("支出决算表", {"A8": None, "B8": "行政运行费"}),
     f"{BOOK}，支出决算表!B8：“行政运行费”不是本表的项目，也没有科目编码", "2021"),
    ("figures-without-label", _cells("收入决算表", {"A8": None, "B8": None}),
     f"{BOOK}，收入决算表!B8：这一行有数字，但没有项目名称或科目编码", "2021"),
    ("prior-year-workbook", _cells("收入决算表", {"C8": "x"}, year=2020),
     f"tables/{UNIT}/2020.xlsx，收入决算表!C8：“x”不是数字", "2020、2021"),
    ("truncated-xls", _cut_fixture("canonical.xls", 6000), f"tables/{UNIT}/2021.xls：文件已损坏，无法读取", "2021"),
    ("truncated-ods", _cut_fixture("canonical.ods", 3000), f"tables/{UNIT}/2021.ods：文件已损坏或不完整", "2021"),
    ("year-folder-without-spreadsheets", _folder_without_spreadsheets,
     f"tables/{UNIT}/2021：文件夹里没有电子表格文件（.xlsx/.xls/.ods）", "2021"),
    ("year-folder-with-a-broken-file", _folder_with_a_broken_file,
     f"tables/{UNIT}/2021/02.xlsx：不是电子表格文件（.xlsx/.xls/.ods）", "2021"),
    ("unit-toml-not-toml", _text("content/{unit}/unit.toml", b'name = "x\n'),
     f"content/{UNIT}/unit.toml：文件格式有误：第 1 行第 10 列附近", "2021"),
    ("reasons-toml-not-toml", _text("content/{unit}/2021/reasons.toml", b"[a\n"),
     f"content/{UNIT}/2021/reasons.toml：文件格式有误：第 1 行第 3 列附近", "2021"),
    ("contact-md-not-utf8", _text("content/{unit}/2021/contact.md", "联系电话：0478".encode("gbk")),
     f"content/{UNIT}/2021/contact.md：文件不是 UTF-8 编码", "2021"),
    ("unknown-table-set", _text("disclosure.toml", b'[project]\ntable_set = "nowhere"\n'),
     "disclosure.toml：未知的公开表套表“nowhere”", "2020、2021"),
]


@pytest.mark.parametrize("kind, change, says, years", LOAD_KINDS, ids=[k[0] for k in LOAD_KINDS])
def test_a_bad_input_fails_its_unit_years_and_changes_nothing(project, capsys, kind, change, says, years):
    """One case per kind of input the loader (or the content reader) refuses (tests/test_load_errors.py
    tests them one by one through the loader): through ``build`` over a published site, exit 2, one
    Chinese message naming the file (and the sheet and cell), said once under every unit-year it stops,
    no traceback, the inputs and the site byte-identical."""
    change(project)
    text = refused_unchanged(project, capsys)
    assert text.count(says) == 1, text
    listed = text.split("未能生成的单位年度（其已发布的页面保持不变，门户只链接已发布的内容）：\n")[1]
    assert listed.startswith(f"  {UNIT}/{years}\n    错误："), listed
    assert not [e for e in STRERRORS if e in text], text
    assert "tables/ 下没有公开表" not in text


def test_a_problem_of_every_year_is_said_once_naming_the_years(project, capsys):
    """content/<unit> as a file stops both years: the error was listed twice (once per year), and the
    2020 year was said to keep its shared texts because they 已改动 (they could not be read)."""
    _break(project / "content" / UNIT, "file")
    text = refused_unchanged(project, capsys)
    listed = text.split("未能生成的单位年度（其已发布的页面保持不变，门户只链接已发布的内容）：\n")[1]
    assert listed == (f"  {UNIT}/2020、2021\n"
                      f"    错误：content/{UNIT}：是一个文件，不是文件夹，无法读取。请把它换成文件夹（或改名移开）。\n")
    assert "已改动" not in text and "--republish" not in text


def test_the_only_unit_folder_unreadable_is_not_called_no_tables(project, capsys):
    """tables/<unit> as a file, the project's only unit: build said 'tables/ 下没有公开表' (there are,
    in a folder it could not read) and that the years' tables were 已不在 tables/ 中."""
    _break(project / "tables" / UNIT, "file")
    text = refused_unchanged(project, capsys)
    assert "没有公开表" not in text and "已不在 tables/ 中" not in text
    assert f"提示：{UNIT}：tables/{UNIT} 未能读取（见下方错误），已发布的 2020、2021 年度页面保持不变；改正后重新生成即可。\n" in text
    listed = text.split("未能生成的单位年度（其已发布的页面保持不变，门户只链接已发布的内容）：\n")[1]
    assert listed == (f"  tables/{UNIT}\n    错误：tables/{UNIT}：是一个文件，不是文件夹，无法读取。"
                      "请把它换成文件夹（或改名移开）。这个单位已发布的页面保持不变。\n")


def test_a_problem_of_one_unit_year_among_several_is_listed_under_it_alone(project, capsys):
    """2020 and 2021 each with a problem of its own, and 2021 with last year's too: each line once,
    under the unit-years it stops."""
    set_cell(workbook(project, 2020), "收入决算表", "C8", "x")
    set_cell(workbook(project, 2021), "支出决算表", "E9", "y")
    text = refused_unchanged(project, capsys)
    listed = text.split("未能生成的单位年度（其已发布的页面保持不变，门户只链接已发布的内容）：\n")[1]
    assert listed == (f"  {UNIT}/2020、2021\n    错误：tables/{UNIT}/2020.xlsx，收入决算表!C8：“x”不是数字，请改为数字（空白、“-”或“—”表示0）。\n"
                      f"  {UNIT}/2021\n    错误：tables/{UNIT}/2021.xlsx，支出决算表!E9：“y”不是数字，请改为数字（空白、“-”或“—”表示0）。\n"), listed


# -- just under the caps: still read; just over: refused -----------------------------------------------

def _pad(project: Path, name: str, size: int, compress: int) -> None:
    with zipfile.ZipFile(workbook(project, 2021), "a", compress) as z:
        z.writestr(zipfile.ZipInfo(name), b"0" * size, compress_type=compress)


@pytest.mark.parametrize("name, size, compress", [
    ("xl/media/padding.xml", 127 * 1024 * 1024, zipfile.ZIP_DEFLATED),  # a part under the 128 MB cap
    ("xl/media/image1.png", 63 * 1024 * 1024, zipfile.ZIP_STORED),  # a file under the 64 MB cap
], ids=["part-127MB", "file-63MB"])
def test_a_workbook_just_under_a_cap_is_read(project, capsys, name, size, compress):
    """Each is read a piece at a time (benchmarks/README.md: 315 → 73 MB and 187 → 63 MB peak)."""
    _pad(project, name, size, compress)
    before = site(project)
    code, text = run(project, capsys)
    assert code == 0 and f"完成 {UNIT}/2021" in text, text
    assert site(project) == before  # rebuilt (its workbook changed), every published byte the same


def test_a_workbook_just_over_the_file_cap_is_refused(project, capsys):
    _pad(project, "xl/media/image1.png", 65 * 1024 * 1024, zipfile.ZIP_STORED)
    text = refused_unchanged(project, capsys)
    assert text.count(f"{BOOK}：文件有 65 MB，超过了 64 MB 的上限") == 1, text


@pytest.mark.parametrize("fmt", ["plain", "rich"])
def test_check_says_a_problem_of_every_year_once_naming_the_years(project, capsys, monkeypatch, fmt):
    """``check`` listed content/<unit> as a file (and last year's broken workbook) under each year."""
    import disclosure.check.formats as formats

    if fmt == "rich":  # the terminal's format, without colour codes
        real = formats.write_rich
        monkeypatch.setattr(formats, "write_plain", lambda results, out: real(results, out, color=False))
    _break(project / "content" / UNIT, "file")
    set_cell(workbook(project, 2020), "收入决算表", "C8", "x")
    before = inputs(project)
    capsys.readouterr()
    code = main(["check", str(project)])
    out = capsys.readouterr().out
    assert code == 2 and "Traceback" not in out
    assert out.count(f"content/{UNIT}：是一个文件，不是文件夹") == 1, out
    assert out.count(f"{UNIT} 2020、2021 年度\n") == 1, out
    assert inputs(project) == before


def test_check_says_an_amount_of_1e26_is_too_large(project, capsys):
    """The issue's first report of it: ``check`` raised decimal.InvalidOperation."""
    set_cell(workbook(project, 2021), "支出决算表", "C8", "1E+26")
    before = inputs(project)
    capsys.readouterr()
    code = main(["check", str(project)])
    out = capsys.readouterr().out
    assert code == 2 and "Traceback" not in out and "InvalidOperation" not in out
    assert out.count("支出决算表!C8：“1E+26”数值过大") == 1, out
    assert inputs(project) == before


@pytest.mark.parametrize("how", ["fifo", "/dev/urandom"])
def test_an_unreadable_shared_text_is_said_once_not_as_changed(project, capsys, how):
    """unit.toml as a FIFO or a link to a device: the newest year fails naming it; the earlier year,
    which keeps the unit.toml it was published with, was also said to keep it because it 已改动."""
    path = project / "content" / UNIT / "unit.toml"
    path.unlink()
    os.mkfifo(path) if how == "fifo" else path.symlink_to(how)
    text = refused_unchanged(project, capsys)
    assert text.count(f"content/{UNIT}/unit.toml") == 1, text
    assert "已改动" not in text


def test_a_shared_text_linked_to_a_large_file_is_never_read(project, tmp_path):
    """content/<unit>/duties.md linked to a 256 MB file outside the project: the digest of the shared
    texts read it whole (its bytes decoded, without a size cap), though the build then refuses it."""
    import tracemalloc

    from disclosure.content import UNREADABLE_TEXT, default_text
    from disclosure.project import Project

    big = tmp_path / "elsewhere.bin"
    with open(big, "wb") as f:
        f.truncate(256 * 1024 * 1024)  # sparse: nothing is written
    duties = project / "content" / UNIT / "duties.md"
    duties.unlink()
    duties.symlink_to(big)
    inside = project / "content" / UNIT / "2021" / "organization.md"
    with open(inside, "wb") as f:
        f.truncate(64 * 1024 * 1024)  # inside the project, over the 4 MB cap of a text
    tracemalloc.start()
    try:
        said = [default_text(Project(root=project), p) for p in (duties, inside)]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert all(s.startswith(UNREADABLE_TEXT) for s in said) and peak < 8 * 1024 * 1024, peak
