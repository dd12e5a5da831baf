"""The blank performance input file (content/<unit>/<year>/performance.toml), written from the rubric."""
from __future__ import annotations

from pathlib import Path

from disclosure.content import PLACEHOLDER
from disclosure.performance.rubric import Rubric, load_rubric

HEAD = """\
# 绩效输入（{year}年度）：部门整体支出绩效评价（附表2）、绩效目标完成情况（附表1）、项目绩效自评。
# 公开表里有的数（支出决算、年初预算、结转结余、三公经费、公用经费、政府采购）会直接从公开表读取；
# 这里只填公开表没有的数和本单位的自评得分。去掉行首的 # 再填写；金额单位为万元。

# stated_total = 0        # {placeholder}附表2 自评得分合计（填写后会与各项相加核对）

[figures]
"""


def performance_template_text(rubric: Rubric | None = None, year: int | str = "") -> str:
    """The file's text: every input figure and every indicator's self score, commented out."""
    rubric = rubric or load_rubric()
    lines = [HEAD.format(year=year, placeholder=PLACEHOLDER)]
    for key, fig in rubric.figures.items():
        inputs = [s for s in fig.sources if "input" in s]
        if not inputs:
            continue
        from_tables = any("table" in s or "prior_table" in s for s in fig.sources)
        note = "（公开表缺少时才需要填写）" if from_tables else ""
        lines.append(f"# {inputs[0]['input']} =        # {PLACEHOLDER}{fig.label}（{fig.unit}）{note}\n")
    for ind in rubric.indicators:
        if ind.savings:
            lines.append(f"# {ind.savings} =        # {PLACEHOLDER}{ind.name}：按采购计划采购节约的资金（万元），视同执行\n")
    lines.append("\n[judgements]\n")
    for ind in rubric.indicators:
        if ind.judged_part:
            part = ind.judged_part
            lines.append(f"# {part['key']} =        # {PLACEHOLDER}{ind.name}：{part['label']}（{part['points']}分）\n")
    lines.append("\n[self_scores]   # 附表2 各指标的自评得分\n")
    for ind in rubric.indicators:
        lines.append(f"# {ind.key} =        # {PLACEHOLDER}{ind.level2}·{ind.name}（{ind.points}分）\n")
    lines.append(
        "\n# 附表1：年度主要任务、总体目标、绩效指标（每个任务、指标各复制一节）\n"
        "[goals]\n"
        f'overall_target = ""   # {PLACEHOLDER}年度总体目标\n'
        f'overall_result = ""   # {PLACEHOLDER}目标实际完成情况\n\n'
        "# [[goals.tasks]]\n# name = \"\"\n# status = \"\"\n# budget = 0\n# budget_fiscal = 0\n# actual = 0\n# actual_fiscal = 0\n\n"
        "# [[goals.indicators]]\n# level1 = \"产出指标\"\n# level2 = \"数量指标\"\n# name = \"\"\n"
        "# target = \"\"    # 预期指标值，如 ≥150次、≤461万、4类、效果显著\n# actual = \"\"    # 实际完成指标值\n\n"
        "# 项目绩效自评（每个项目复制一节；完成预算的比例由程序计算）\n"
        "# [[projects]]\n# name = \"\"\n# budget = 0\n# actual = 0\n# self_score = 0\n# grade = \"\"\n"
        "# overall = \"\"\n# problems = [\"\"]\n# improvements = [\"\"]\n"
    )
    return "".join(lines)


def write_performance_template(path: Path | str, year: int | str = "") -> Path:
    """Write the blank performance input file (parses as it is: everything is commented out)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(performance_template_text(year=year), encoding="utf-8")
    return path
