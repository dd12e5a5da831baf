"""第二部分 三、预算绩效评价工作开展情况 from the evaluation and performance.toml."""
from __future__ import annotations

from pathlib import Path

import pytest

from disclosure.derive import derive
from disclosure.load import load_accounts
from disclosure.performance.pipeline import evaluate
from disclosure.performance.report_section import report_blocks
from disclosure.project import load_project

ROOT = Path(__file__).resolve().parents[1]
UNIT = "bayannur-jiaoguan"


@pytest.fixture(scope="module")
def blocks():
    project = load_project(ROOT)
    accounts = load_accounts(project, UNIT, 2021)
    return report_blocks(evaluate(accounts, derive(accounts, project), project), 2021)


def test_three_subsections_as_in_the_reference(blocks):
    assert [b.title for b in blocks] == [
        "（一）预算绩效管理工作开展情况",
        "（二）部门决算中项目绩效自评结果",
        "（三）部门评价项目绩效评价结果",
    ]


def test_figures_are_computed_not_typed(blocks):
    management, projects, evaluation = (b.html for b in blocks)
    # 4,278.39 + 35.00 of the two projects; scores from the rubric (90.50) and the self-assessment (95.00)
    assert "对2个项目开展了项目绩效自评，涉及预算资金4,313.39万元" in management
    assert "计算得分90.50分，单位自评得分95.00分" in management
    assert "在职人员控制率、预算完成率、“三公经费”控制率的自评得分与按评分标准计算的得分不一致" in management
    assert '<a href="performance.html">' in management
    assert "全年预算数为4,278.39万元，执行数为3,512.08万元，完成预算的82.09%" in projects
    assert "全年预算数为35.00万元，执行数为35.00万元，完成预算的100.00%" in projects
    assert "道路交通管理专项业务费绩效评价综合得分95分，评价结果为“良”" in evaluation


def test_no_performance_inputs_no_section(tmp_path):
    import shutil

    for part in ("tables", "disclosure.toml"):
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / part)
    project = load_project(tmp_path)
    accounts = load_accounts(project, UNIT, 2021)
    assert report_blocks(evaluate(accounts, derive(accounts, project), project), 2021) == []
