"""disclosure: 部门决算公开表 → 决算公开报告 static site."""

__version__ = "0.1.0"
