"""The unit's words for a monitoring report: content/<unit>/monitoring/<YYYY-MM-DD>.toml.

    summary = "总体情况……"
    [lines."1"]                      # keyed by the line's 序号, or by its 项目名称
    reason = "低于序时进度的原因……"
    next_steps = "下一步措施……"
"""
from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

from disclosure.errors import InputError, Problem, describe_toml_error
from disclosure.project import Project
from disclosure.safe_files import read_text


def notes_path(project: Project, unit: str, as_of: date) -> Path:
    return project.content_dir / unit / "monitoring" / f"{as_of.isoformat()}.toml"


def load_monitoring_notes(project: Project, unit: str, as_of: date) -> dict:
    """{"summary": str, "lines": {key: {"reason": str, "next_steps": str}}}; empty when absent."""
    path = notes_path(project, unit, as_of)
    if not path.exists():
        return {}
    file = project.relative(path)
    try:
        data = tomllib.loads(read_text(path, display=file, root=project.root))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(Problem(f"文件格式有误：{describe_toml_error(exc)}。", file=file)) from exc
    lines = data.get("lines", {})
    if not isinstance(lines, dict) or not all(isinstance(v, dict) for v in lines.values()):
        raise InputError(Problem("[lines] 应按项目序号或名称分节，如 [lines.\"1\"] reason = \"……\"。", file=file))
    unknown = sorted({k for v in lines.values() for k in v} - {"reason", "next_steps"})
    if unknown:
        raise InputError(Problem(f"[lines] 中有不认识的设置：{'、'.join(unknown)}（可用 reason、next_steps）。", file=file))
    return {
        "summary": str(data.get("summary", "")).strip(),
        "lines": {str(k): {kk: str(vv).strip() for kk, vv in v.items()} for k, v in lines.items()},
    }
