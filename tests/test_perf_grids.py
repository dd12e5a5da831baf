"""Table grids are rendered once by the theme's ``grid`` macro and printed from there on every page
that shows the table; a project's own macros still decide how a grid looks."""
from __future__ import annotations

from disclosure.site.tables import Cell, Grid, HeadCell, TableView
from disclosure.site.theme import environment, theme_dirs
from disclosure.site.unit_year import _render_grids


def _views() -> list[TableView]:
    grid = Grid("公开01表 收入支出决算总表", [[HeadCell("项目"), HeadCell("金额")]],
                [[Cell("本年收入合计", kind="label"), Cell("5,728.23", anchor="c-B7")]], 2)
    return [TableView("summary", "公开01表", "收入支出决算总表", [grid], False, "")]


def _block(env, views: list[TableView]) -> str:
    """The theme's table_block for the first view, as table.html and tables.html print it."""
    return env.get_template("_macros.html").module.table_block(views[0], "公开01表 收入支出决算总表", 2)


def test_prerendered_grid_equals_the_macro_and_is_printed_once_per_block():
    env = environment(theme_dirs(None))
    plain = _block(env, _views())
    views = _views()
    _render_grids(env, views)
    assert views[0].grids[0].html == env.get_template("_macros.html").module.grid(views[0].grids[0])
    assert 'id="c-B7"' in views[0].grids[0].html
    assert _block(env, views) == plain
    assert plain.count("<table") == 1


def test_a_project_grid_macro_is_used(tmp_path):
    templates = tmp_path / "theme" / "templates"
    templates.mkdir(parents=True)
    (templates / "_macros.html").write_text(
        '{% macro grid(g) %}<div class="mine">{{ g.caption }}</div>{% endmacro %}'
        '{% macro table_block(view, heading, level=2, link=none) %}'
        '{% for g in view.grids %}{% if g.html is defined and g.html %}{{ g.html }}{% else %}{{ grid(g) }}{% endif %}{% endfor %}'
        '{% endmacro %}', encoding="utf-8")
    env = environment(theme_dirs(tmp_path))
    views = _views()
    _render_grids(env, views)
    assert str(views[0].grids[0].html) == '<div class="mine">公开01表 收入支出决算总表</div>'


def test_macros_without_grid_leave_grids_to_the_templates(tmp_path):
    templates = tmp_path / "theme" / "templates"
    templates.mkdir(parents=True)
    (templates / "_macros.html").write_text("{% macro table_block(view, heading) %}x{% endmacro %}", encoding="utf-8")
    views = _views()
    _render_grids(environment(theme_dirs(tmp_path)), views)
    assert views[0].grids[0].html == ""
