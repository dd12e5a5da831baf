"""Monitoring workbooks: worked 执行进度 figures, 序时进度 by month/day/target, nesting, sums, errors."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from disclosure.cli import main
from disclosure.errors import InputError
from disclosure.monitoring import evaluate_monitoring, read_monitoring, schedule_progress
from disclosure.monitoring.template import TemplateRow as R, write_monitoring_template, write_monitoring_workbook

D = Decimal
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tables" / "bayannur-jiaoguan" / "monitoring" / "2021-06-30.xlsx"


def book(folder: Path, rows: list[R], name: str = "2024-06-30.xlsx", **kw) -> Path:
    return write_monitoring_workbook(folder / name, rows, **kw)


@pytest.fixture(scope="module")
def simple(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("simple")
    return book(folder, [
        R("1", "办公设备购置", D("20"), D("100"), D("120.00"), D("30.00")),
        R("2", "执法记录仪", None, D("3.65"), None, D("3.60")),
        R("3", "宣传活动", D("0"), D("10"), D("10"), None),
    ])


def test_worked_figures_by_month(simple):
    report = evaluate_monitoring(read_monitoring(simple))
    assert report.as_of == date(2024, 6, 30) and report.schedule == D("50.00")
    office, recorder, campaign = report.lines
    assert office.progress == D("25.00")
    assert office.status_text == "低于序时进度25.00个百分点"
    # 3.60 of 3.65 is 98.63%, never rounded up to 100%
    assert recorder.total == D("3.65") and recorder.progress == D("98.63")
    assert recorder.status_text == "已达到序时进度"
    assert campaign.paid == 0 and campaign.unpaid and report.unpaid == [campaign]
    assert report.total.total == D("133.65") and report.total.paid == D("33.60")
    assert report.total.progress == D("25.14") and report.total.status_text == "低于序时进度24.86个百分点"
    assert str(office.line.cells["paid"]) == "执行进度!F4"


def test_target_override_wins(simple):
    report = evaluate_monitoring(read_monitoring(simple), target=D("58.31"))
    assert report.schedule == D("58.31") and "财政部门" in report.basis
    assert report.lines[0].status_text == "低于序时进度33.31个百分点"
    assert report.lines[1].status_text == "已达到序时进度"


def test_by_days_and_as_of_override(simple):
    report = evaluate_monitoring(read_monitoring(simple), by_days=True)
    assert report.schedule == D("49.73")  # 182 of 366 days in 2024
    assert report.lines[0].status_text == "低于序时进度24.73个百分点"
    assert schedule_progress(date(2021, 6, 30), by_days=True)[0] == D("49.59")  # 181 of 365
    assert schedule_progress(date(2021, 12, 31))[0] == D("100.00")
    assert schedule_progress(date(2021, 1, 15))[0] == D("8.33")
    late = evaluate_monitoring(read_monitoring(simple), as_of=date(2024, 3, 31))
    assert late.schedule == D("25.00") and late.lines[0].status_text == "已达到序时进度"


def test_sub_lines_by_numbering_and_indentation_groups_and_total(tmp_path):
    path = book(tmp_path, [
        R("", "人员经费和公用经费", None, None, D("50"), D("25")),
        R("1", "人员经费", D("0"), D("50"), D("50"), D("25")),
        R("", "项目经费"),
        R("2", "道路交通管理专项业务费", D("0"), D("60"), D("60"), D("15")),
        R("2.1", "设施维护", D("0"), D("40"), D("40"), D("10")),
        R("2.2", "车辆运行", D("0"), D("20"), D("20"), D("5")),
        R("3", "事故鉴定费"),
        R("", "  检验鉴定", D("0"), D("8"), D("8"), D("8")),
        R("", "  停车费", D("0"), D("2"), D("2"), None),
        R("", "合计", D("0"), D("120"), D("120"), D("48")),
    ], unit_name="测试单位")
    sheet = read_monitoring(path)
    assert sheet.unit_name == "测试单位"
    assert [(ln.key, ln.level, ln.group) for ln in sheet.lines] == [
        ("1", 1, "人员经费和公用经费"), ("2", 1, "项目经费"), ("2.1", 2, "项目经费"), ("2.2", 2, "项目经费"),
        ("3", 1, "项目经费"), ("r11", 2, "项目经费"), ("r12", 2, "项目经费")]
    parent = sheet.line("3")
    assert parent.total == D("10") and parent.paid == D("8")  # blank line filled from its sub-lines
    report = evaluate_monitoring(sheet)
    assert report.findings == []
    people, projects = report.groups
    assert (people.name, people.progress, people.status_text) == ("人员经费和公用经费", D("50.00"), "已达到序时进度")
    assert (projects.total, projects.paid, projects.progress) == (D("70"), D("23"), D("32.86"))
    assert report.total.progress == D("40.00")
    assert [p.name for p in report.unpaid] == ["停车费"]


def test_sub_line_sum_mismatch_names_its_cells(tmp_path):
    path = book(tmp_path, [
        R("1", "道路交通管理专项业务费", D("0"), D("120"), D("120"), D("30")),
        R("1.1", "设施维护", D("0"), D("70"), D("70"), D("20")),
        R("1.2", "车辆运行", D("0"), D("40"), D("40"), D("10")),
        R("", "合计", D("0"), D("120"), D("121"), D("30")),
    ])
    findings = evaluate_monitoring(read_monitoring(path)).findings
    sub = [f for f in findings if f.rule == "monitoring.sub_lines"]
    assert len(sub) == 2  # 本年预算 and 预算合计
    f = next(f for f in sub if "预算合计" in f.message)
    assert f.severity == "error" and f.table == "monitoring"
    assert [str(c) for c in f.cells] == ["执行进度!E4", "执行进度!E5", "执行进度!E6"]
    assert "120.00万元（执行进度!E4）" in f.message and "110.00万元（E5、E6）" in f.message and "相差10.00万元" in f.message
    total = [f for f in findings if f.rule == "monitoring.total_sum"]
    assert len(total) == 1 and str(total[0].cells[0]) == "执行进度!E7"


def test_line_total_and_overpayment_checks(tmp_path):
    path = book(tmp_path, [R("1", "甲", D("10"), D("100"), D("100"), D("120"))])
    findings = evaluate_monitoring(read_monitoring(path)).findings
    assert {f.rule: f.severity for f in findings} == {"monitoring.line_total": "error", "monitoring.overpaid": "warning"}
    line_total = next(f for f in findings if f.rule == "monitoring.line_total")
    assert [str(c) for c in line_total.cells] == ["执行进度!E4", "执行进度!C4", "执行进度!D4"]


def test_amounts_in_yuan_become_wan(tmp_path):
    path = book(tmp_path, [R("1", "甲", None, D("1200000"), None, D("300000"))], unit="元")
    line = read_monitoring(path).lines[0]
    assert (line.total, line.paid) == (D("120"), D("30"))


@pytest.mark.parametrize(
    "rows, cell, words",
    [
        ([R("1", "甲", D("0"), D("10"), D("10"), "三十")], "执行进度!F4", "“已支付”应填写金额"),
        ([R("1", "", D("0"), D("10"), D("10"), D("1"))], "执行进度!B4", "没有项目名称"),
        ([R("1", "甲", D("0"), D("-10"), None, D("1"))], "执行进度!D4", "不能为负数"),
        ([R("1", "甲", D("0"), D("10"), D("10"), D("1")), R("1", "乙", D("0"), D("5"), D("5"), D("1"))], "执行进度!A5", "序号“1”与第4行重复"),
        ([R("1", "甲", None, None, None, D("1"))], "执行进度!E4", "没有填写预算合计"),
    ],
)
def test_bad_rows_raise_input_error_with_cell(tmp_path, rows, cell, words):
    path = book(tmp_path, rows)
    with pytest.raises(InputError) as exc:
        read_monitoring(path, "tables/u/monitoring/2024-06-30.xlsx")
    (problem,) = exc.value.problems
    assert f"{problem.sheet}!{problem.cell}" == cell
    assert problem.file == "tables/u/monitoring/2024-06-30.xlsx"
    assert words in problem.message


def test_unreadable_or_headerless_workbooks(tmp_path):
    fake = tmp_path / "2024-06-30.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(InputError, match="不是电子表格文件"):
        read_monitoring(fake)
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["名称", "金额"])
    wb.save(tmp_path / "other.xlsx")
    with pytest.raises(InputError, match="找不到表头"):
        read_monitoring(tmp_path / "other.xlsx")
    with pytest.raises(InputError, match="找不到监控表文件"):
        read_monitoring(tmp_path / "missing.xlsx")


def test_blank_template_reads_back_as_empty(tmp_path):
    path = write_monitoring_template(tmp_path / "2025-06-30.xlsx", date(2025, 6, 30), "测试单位")
    with pytest.raises(InputError, match="没有任何预算项目"):
        read_monitoring(path)


def test_without_a_date_the_as_of_is_required(tmp_path):
    path = book(tmp_path, [R("1", "甲", D("0"), D("10"), D("10"), D("1"))], name="monitoring.xlsx")
    sheet = read_monitoring(path)
    assert sheet.as_of is None
    with pytest.raises(InputError, match="--as-of"):
        evaluate_monitoring(sheet)
    assert evaluate_monitoring(sheet, as_of=date(2024, 9, 30)).schedule == D("75.00")


# ── the command ───────────────────────────────────────────────────────────────────────────────

def test_monitor_json_prints_every_line(simple, capsys):
    assert main(["monitor", str(simple), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schedule"] == "50.00" and data["as_of"] == "2024-06-30"
    first = data["lines"][0]
    assert (first["total"], first["paid"], first["progress"], first["status_text"]) == (
        "120.00", "30.00", "25.00", "低于序时进度25.00个百分点")
    assert first["cells"]["paid"] == "执行进度!F4"
    assert data["lines"][1]["progress"] == "98.63"
    assert data["unpaid"] == ["3"]


def test_monitor_options_and_exit_codes(simple, tmp_path, capsys):
    assert main(["monitor", str(simple), "--format", "json", "--target", "58.31"]) == 0
    assert json.loads(capsys.readouterr().out)["schedule"] == "58.31"
    assert main(["monitor", str(simple), "--format", "json", "--by-days", "--as-of", "2024-12-31"]) == 0
    assert json.loads(capsys.readouterr().out)["schedule"] == "100.00"
    assert main(["monitor", str(simple), "--target", "abc"]) == 2
    assert "--target" in capsys.readouterr().err
    assert main(["monitor", str(simple), "--as-of", "2024-13-01"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    bad = book(tmp_path, [R("1", "甲", D("0"), D("10"), D("10"), "x")])
    assert main(["monitor", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "执行进度!F4" in err and "Traceback" not in err
    broken = book(tmp_path, [R("1", "甲", D("0"), D("10"), D("10"), D("1")), R("1.1", "乙", D("0"), D("5"), D("5"), D("1"))],
                  name="2024-09-30.xlsx")
    assert main(["monitor", str(broken), "--format", "text"]) == 1
    out = capsys.readouterr().out
    assert "错误：“甲”的本年预算10.00万元" in out and "执行进度!D4" in out


def test_monitor_uses_the_project_target_and_notes(tmp_path, capsys):
    (tmp_path / "disclosure.toml").write_text("[project]\nmonitoring_target = 45\n", encoding="utf-8")
    folder = tmp_path / "tables" / "u" / "monitoring"
    path = book(folder, [R("1", "甲", D("0"), D("100"), D("100"), D("40"))])
    notes = tmp_path / "content" / "u" / "monitoring"
    notes.mkdir(parents=True)
    (notes / "2024-06-30.toml").write_text('summary = "总体说明"\n[lines."1"]\nreason = "合同未到付款节点"\n', encoding="utf-8")
    assert main(["monitor", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schedule"] == "45.00" and data["file"] == "tables/u/monitoring/2024-06-30.xlsx"
    assert data["lines"][0]["status_text"] == "低于序时进度5.00个百分点"
    assert data["lines"][0]["reason"] == "合同未到付款节点" and data["summary"] == "总体说明"
    (notes / "2024-06-30.toml").write_text('[lines."1"]\nwhy = "x"\n', encoding="utf-8")
    assert main(["monitor", str(path)]) == 2
    assert "why" in capsys.readouterr().err


def test_example_workbook(capsys):
    report = evaluate_monitoring(read_monitoring(EXAMPLE))
    assert report.findings == []
    assert report.total.total == D("6889.06") and report.total.paid == D("2783.75")
    assert report.total.status_text == "低于序时进度9.59个百分点"
    assert [g.name for g in report.groups] == ["人员经费和公用经费", "项目经费"]
    accident = next(p for p in report.lines if p.name.startswith("交通事故"))
    assert accident.progress == D("98.63")
    assert [p.name for p in report.unpaid] == ["交通安全宣传"]


def test_numbering_written_in_the_name(tmp_path):
    path = book(tmp_path, [
        R("", "1、人员经费", D("0"), D("10"), D("10"), D("5")),
        R("", "2．专项业务费", D("0"), D("30"), D("30"), D("9")),
        R("", "2.1 设施维护", D("0"), D("30"), D("30"), D("9")),
        R("", "2021年新增项目", D("0"), D("4"), D("4"), D("1")),
    ])
    sheet = read_monitoring(path)
    assert [(ln.key, ln.name, ln.level) for ln in sheet.lines] == [
        ("1", "人员经费", 1), ("2", "专项业务费", 1), ("2.1", "设施维护", 2), ("r7", "2021年新增项目", 1)]
    assert sheet.line("2.1").parent is sheet.line("2")


def test_two_row_header_and_unit_line(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "监控"
    ws.append(["2024年预算执行情况"])
    ws.append(["填报单位：某局", None, None, None, "单位：元"])
    ws.append(["项目名称", "预算", None, None, "累计支付"])
    ws.append([None, "上年结转资金", "年初预算数", "合计", None])
    ws.append(["甲项目", 0, 1200000, 1200000, 300000])
    path = tmp_path / "2024-06-30.xlsx"
    wb.save(path)
    sheet = read_monitoring(path)
    assert sheet.unit_name == "某局" and sheet.source_unit == "元" and sheet.sheet == "监控"
    (line,) = sheet.lines
    assert (line.value("budget"), line.total, line.paid) == (D("120"), D("120"), D("30"))
    assert str(line.cells["paid"]) == "监控!E5"


def test_indentation_by_cell_alignment(tmp_path):
    from openpyxl import load_workbook
    from openpyxl.styles import Alignment

    path = book(tmp_path, [
        R("", "专项业务费", D("0"), D("30"), D("30"), D("9")),
        R("", "设施维护", D("0"), D("20"), D("20"), D("4")),
        R("", "车辆运行", D("0"), D("10"), D("10"), D("5")),
    ])
    wb = load_workbook(path)
    for row in (5, 6):
        wb.active.cell(row=row, column=2).alignment = Alignment(indent=1)
    wb.save(path)
    sheet = read_monitoring(path)
    assert [(ln.name, ln.level) for ln in sheet.lines] == [("专项业务费", 1), ("设施维护", 2), ("车辆运行", 2)]
    assert evaluate_monitoring(sheet).findings == []


# ── workbooks laid out as offices keep them ─────────────────────────────────────────────────────

def _office_book(path: Path, title: str, header: list[list], rows: list[list], notes: list[str] = ()) -> Path:
    """A workbook as an office keeps it: its own title, header rows, rows and note lines."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append([title])
    ws.append(["单位：万元"])
    for row in (*header, *rows):
        ws.append(row)
    for note in notes:
        ws.append([note])
    wb.save(path)
    return path


def test_group_row_with_its_own_figures_is_a_line_and_counts_in_the_total(tmp_path):
    """The layout of issue 13: 一、人员经费和公用经费 carries 预算 and 已支付 and has no sub-lines.
    Overall figures from 中国科学院半导体研究所 “2016年1-7月预算执行情况” (bdt.semi.ac.cn/swgk/contents/549/8041.html):
    累计支出16873万元，完成预算56.47%，低于序时进度1.53个百分点 (序时进度 58%). The split into lines is ours."""
    path = _office_book(
        tmp_path / "执行进度.xlsx",
        "2016年1-7月预算执行进度表",
        [["序号", "项目名称", "预算数", None, None, "实际支出", "执行率"],
         [None, None, "年初预算", "调整预算", "全年预算", None, None]],
        [["一", "人员经费和公用经费", 9000, 879.58, 9879.58, 6873, "69.57%"],
         ["二", "项目经费", None, None, None, None, None],
         ["1", "科研条件建设", 12000, 0, 12000, 6500, 0.5417],
         ["2", "重点课题", 8000, 0, 8000, 3500, "43.75%"],
         [None, "合计", 29000, 879.58, 29879.58, 16873, "56.47%"]],
        ["注：序时进度为58%。"],
    )
    sheet = read_monitoring(path)
    assert sheet.as_of == date(2016, 7, 31)
    assert [(ln.name, ln.group, ln.level) for ln in sheet.lines] == [
        ("人员经费和公用经费", "人员经费和公用经费", 1), ("科研条件建设", "项目经费", 1), ("重点课题", "项目经费", 1)]
    assert list(sheet.groups) == ["项目经费"]
    people = sheet.lines[0]
    assert (people.value("adjustment"), people.total, people.paid) == (D("879.58"), D("9879.58"), D("6873"))
    assert str(people.cells["paid"]) == "Sheet1!F5"
    report = evaluate_monitoring(sheet)
    assert report.findings == []
    assert report.schedule == D("58.00") and "监控表写明的序时进度58.00%（Sheet1!A10）" == report.basis
    assert (report.total.total, report.total.paid, report.total.progress) == (D("29879.58"), D("16873"), D("56.47"))
    assert report.total.status_text == "低于序时进度1.53个百分点"
    assert [(g.name, g.progress) for g in report.groups] == [("人员经费和公用经费", D("69.57")), ("项目经费", D("50.00"))]


def test_without_the_fix_the_group_would_have_summed_to_zero(tmp_path):
    """The same group row followed by lines of its own stays a group, checked against its lines."""
    path = _office_book(
        tmp_path / "2023-07-31.xlsx", "预算执行进度表",
        [["序号", "项目名称", "全年预算", "已支付"]],
        [["一", "人员经费和公用经费", 100, 60], ["1", "人员经费", 80, 50], ["2", "公用经费", 20, 5]],
    )
    report = evaluate_monitoring(read_monitoring(path))
    (finding,) = report.findings
    assert finding.rule == "monitoring.group_sum" and "已支付60.00万元（Sheet1!D4）" in finding.message
    assert "55.00万元（D5、D6）" in finding.message
    assert report.total.total == D("100") and report.total.paid == D("55")


def test_stated_rate_is_checked_against_the_figures(tmp_path):
    path = _office_book(
        tmp_path / "x.xlsx", "2023年1-7月预算执行进度表",
        [["项目名称", "预算合计", "执行数", "预算执行率（%）"]],
        [["甲", 100, 25.14, 25.1], ["乙", 50, 10, 25], ["合计", 150, 35.14, 23.43]],
    )
    report = evaluate_monitoring(read_monitoring(path))
    assert report.as_of == date(2023, 7, 31) and report.schedule == D("58.33")
    (finding,) = report.findings
    assert finding.rule == "monitoring.stated_rate" and finding.severity == "warning"
    assert "“乙”写明的执行率25%（Sheet1!D5）" in finding.message and "20.00%" in finding.message


def test_schedule_column_and_fractions_from_percent_formatted_cells(tmp_path):
    path = _office_book(
        tmp_path / "x.xlsx", "截至2024年9月30日预算执行情况",
        [["项目名称", "年初预算数", "累计支出", "执行率", "序时进度"]],
        [["甲", 200, 150, 0.75, 0.7], ["乙", 100, 30, 0.3, 0.7]],
    )
    sheet = read_monitoring(path)
    assert sheet.as_of == date(2024, 9, 30)
    assert sheet.lines[0].percents == {"rate": D("75.00"), "schedule": D("70.0")}
    report = evaluate_monitoring(sheet)
    assert report.findings == [] and report.schedule == D("70.00") and "Sheet1!E4" in report.basis
    assert [p.status_text for p in report.lines] == ["已达到序时进度", "低于序时进度40.00个百分点"]
    # a target given by the user wins over the stated one
    assert evaluate_monitoring(sheet, target=D("75")).schedule == D("75.00")


@pytest.mark.parametrize(
    "title, expected",
    [("2023年1-7月预算执行进度表", date(2023, 7, 31)), ("2024年1至2月支出进度", date(2024, 2, 29)),
     ("某局2022年11月预算执行情况", date(2022, 11, 30)), ("2021年预算执行进度表", None)],
)
def test_as_of_month_from_the_title(tmp_path, title, expected):
    path = _office_book(tmp_path / "x.xlsx", title, [["项目名称", "预算合计", "已支付"]], [["甲", 10, 1]])
    assert read_monitoring(path).as_of == expected


def test_negative_adjustment_and_a_bad_stated_rate(tmp_path):
    path = _office_book(
        tmp_path / "2023-06-30.xlsx", "预算执行进度表",
        [["项目名称", "年初预算", "调整预算", "全年预算", "实际支出", "执行率"]],
        [["甲", 100, -20, 80, 40, "50%"]],
    )
    line = read_monitoring(path).lines[0]
    assert line.value("adjustment") == D("-20") and line.total == D("80")
    assert evaluate_monitoring(read_monitoring(path)).findings == []
    bad = _office_book(
        tmp_path / "2023-06-30b.xlsx", "预算执行进度表",
        [["项目名称", "年初预算", "调整预算", "全年预算", "实际支出", "执行率"]],
        [["甲", 100, -20, 90, 40, "五成"]],
    )
    with pytest.raises(InputError) as exc:
        read_monitoring(bad)
    (problem,) = exc.value.problems
    assert problem.cell == "F4" and "执行率" in problem.message


def test_monitor_command_on_an_office_workbook(tmp_path, capsys):
    path = _office_book(
        tmp_path / "进度.xlsx", "某局2023年1-7月预算执行进度表（序时进度58.33%）",
        [["序号", "项目名称", "全年预算", "实际支出", "执行率"]],
        [["一", "人员经费和公用经费", 300, 180, "60.00%"], ["二", "项目经费", 200, 50, "25%"], [None, "合计", 500, 230, "46%"]],
    )
    assert main(["monitor", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["as_of"] == "2023-07-31" and data["schedule"] == "58.33"
    assert data["schedule_basis"] == "监控表写明的序时进度58.33%（Sheet1!A1）"
    assert [(ln["name"], ln["progress"], ln["stated"]) for ln in data["lines"]] == [
        ("人员经费和公用经费", "60.00", {"rate": "60.00"}), ("项目经费", "25.00", {"rate": "25"})]
    assert data["total"]["progress"] == "46.00" and data["findings"] == []
