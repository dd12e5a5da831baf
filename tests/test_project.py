"""Project settings and discovery of unit-years."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from disclosure.content import load_content
from disclosure.errors import ConfigError, InputError
from disclosure.project import load_project


def test_defaults_for_an_empty_folder(tmp_path):
    project = load_project(tmp_path)
    assert project.table_set == "neimenggu-11"
    assert project.percent_places == 2
    assert project.change_threshold == Decimal("10")
    assert project.unit_years() == []


def test_settings_and_unit_years(tmp_path):
    (tmp_path / "disclosure.toml").write_text(
        '[project]\ntable_set = "national-9"\npercent_places = 1\nchange_threshold = 5\n[site]\nname = "某市决算公开"\n',
        encoding="utf-8",
    )
    for rel in ["tables/b-unit/2021.xlsx", "tables/b-unit/2020.xls", "tables/a-unit/2022/x.xlsx", "tables/a-unit/notes.txt"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"")
    project = load_project(tmp_path)
    assert project.table_set == "national-9"
    assert project.percent_places == 1
    assert project.site.name == "某市决算公开"
    assert project.unit_years() == [("a-unit", 2022), ("b-unit", 2020), ("b-unit", 2021)]
    assert project.source("a-unit", 2022) == tmp_path / "tables/a-unit/2022"
    assert project.source("b-unit", 2020).name == "2020.xls"
    assert project.source("b-unit", 2019) is None


def test_bad_config_is_a_chinese_error(tmp_path):
    (tmp_path / "disclosure.toml").write_text("[project\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="disclosure.toml"):
        load_project(tmp_path)
    (tmp_path / "disclosure.toml").write_text("[site]\ncolour = 'red'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="colour"):
        load_project(tmp_path)


def test_missing_project_folder(tmp_path):
    with pytest.raises(ConfigError, match="找不到项目文件夹"):
        load_project(tmp_path / "nope")


def test_content_layers_most_specific_wins(tmp_path):
    c = tmp_path / "content"
    (c / "u/2021").mkdir(parents=True)
    (c / "glossary.md").write_text("共享", encoding="utf-8")
    (c / "u/duties.md").write_text("单位职责", encoding="utf-8")
    (c / "u/2021/duties.md").write_text("2021年职责", encoding="utf-8")
    (c / "u/unit.toml").write_text('name = "某单位"\n', encoding="utf-8")
    (c / "u/2021/reasons.toml").write_text('[reasons]\ntotal_change = "人员增加"\nempty = " "\n', encoding="utf-8")
    content = load_content(load_project(tmp_path), "u", 2021)
    assert content.name == "某单位"
    assert content.section("glossary") == "共享"
    assert content.section("duties") == "2021年职责"
    assert content.reason("total_change") == "人员增加"
    assert content.reason("empty") is None
    assert load_content(load_project(tmp_path), "u", 2020).section("duties") == "单位职责"


def test_broken_reasons_file_names_it(tmp_path):
    (tmp_path / "content/u/2021").mkdir(parents=True)
    (tmp_path / "content/u/2021/reasons.toml").write_text("[reasons\n", encoding="utf-8")
    with pytest.raises(InputError, match="content/u/2021/reasons.toml"):
        load_content(load_project(tmp_path), "u", 2021)


def test_a_unit_folder_that_cannot_be_a_slug_is_named(tmp_path):
    for rel in ["tables/交警支队/2021.xlsx", "tables/Good-Unit/2021.xlsx", "tables/ok-unit/2021.xlsx"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"")
    with pytest.raises(ConfigError) as info:
        load_project(tmp_path).units()
    files = [p.file for p in info.value.problems]
    assert files == ["tables/Good-Unit", "tables/交警支队"]
    assert "只能用小写英文字母、数字、-、_" in str(info.value)


def test_build_with_a_chinese_unit_folder_exits_2(tmp_path, capsys):
    from disclosure.cli import main

    (tmp_path / "tables/交警支队").mkdir(parents=True)
    (tmp_path / "tables/交警支队/2021.xlsx").write_bytes(b"")
    assert main(["build", "--no-kit", str(tmp_path), "--out", str(tmp_path / "site")]) == 2
    err = capsys.readouterr().err
    assert "tables/交警支队" in err
    assert "content/交警支队" not in err  # the message names only folders that exist
    assert not (tmp_path / "site" / "交警支队").exists()


def test_check_and_build_select_the_same_unit_years_and_refuse_the_same_way(tmp_path, capsys):
    """One selection (``Project.select``) for both commands: the same pairs, the same message when a
    named unit or year has no tables, and a folder that cannot be a unit left to fail on its own."""
    from disclosure.cli import main

    for rel in ["tables/b-unit/2021.xlsx", "tables/b-unit/2020.xlsx", "tables/a-unit/2021.xlsx", "tables/交警支队/2021.xlsx"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"")
    project = load_project(tmp_path)
    assert project.select() == [("a-unit", 2021), ("b-unit", 2020), ("b-unit", 2021)]
    assert project.select(year=2021) == [("a-unit", 2021), ("b-unit", 2021)]
    assert project.select("b-unit", 2020) == [("b-unit", 2020)]
    for unit, year, said in [("nobody", None, "没有单位“nobody”的公开表。已有的单位：a-unit、b-unit。"),
                             ("a-unit", 2020, "单位“a-unit”都没有 2020 年的公开表（应放在 tables/<单位>/2020.xlsx）。"),
                             (None, 1999, "任何单位都没有 1999 年的公开表")]:
        with pytest.raises(InputError) as info:
            project.select(unit, year)
        assert said in str(info.value)
        argv = [*(["--unit", unit] if unit else []), *(["--year", str(year)] if year else [])]
        for command in (["check", str(tmp_path)], ["build", str(tmp_path), "--out", str(tmp_path / "site")]):
            capsys.readouterr()
            assert main([*command, *argv]) == 2, command
            err = capsys.readouterr().err
            assert err.count(said) == 1 and "Traceback" not in err, (command, err)
    assert not (tmp_path / "site").exists() or not any((tmp_path / "site").glob("*/*/index.html"))


@pytest.mark.parametrize(
    "text, expected",
    [
        ('[reasons]\nx = 我单位\n', "第 2 行第 5 列附近：值的写法不对"),
        ('[reasons]\n"a" = "1"\n"a" = "2"\n', "同一个键写了两次"),
        ('[reasons\n', "第 1 行"),
    ],
)
def test_toml_mistakes_are_explained_in_chinese(tmp_path, text, expected):
    (tmp_path / "content/u/2021").mkdir(parents=True)
    (tmp_path / "content/u/2021/reasons.toml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_content(load_project(tmp_path), "u", 2021)
    message = str(info.value)
    assert expected in message and "content/u/2021/reasons.toml" in message
    assert not re.search(r"[A-Za-z]{4,}", message.replace("content/u/2021/reasons.toml", "").replace("TOML", ""))


@pytest.mark.parametrize("text, expected", [
    ('[site]\norganiser = "某局"\n', "[site] 中有不认识的设置：organiser，是否想写 organizer？"),
    ('[projct]\ntable_set = "national-9"\n', "有不认识的一节或设置“[projct]”，是否想写 project？可用的节：[project]、[site]、[publication]、[years]。"),
    ('[project]\npercent_place = 1\n', "[project] 中有不认识的设置：percent_place，是否想写 percent_places？"),
    ('[project]\npercent_places = "2"\n', "[project] percent_places（百分比保留的小数位数）须写数字，现在写的是“2”。"),
    ('[project]\ntable_set = 9\n', "[project] table_set（公开表套表）须写文字（加英文双引号），现在写的是“9”。"),
    ('[project]\nchange_threshold = true\n', "[project] change_threshold（须说明原因的增减幅度（%））须写数字"),
    ('project = "x"\n', "project 须写成一节 [project]"),
    ('title = "决算"\n', "有不认识的一节或设置“title”。可用的节"),
])
def test_every_setting_is_declared_and_a_mistyped_one_names_the_closest(tmp_path, text, expected):
    (tmp_path / "disclosure.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_project(tmp_path)
    assert expected in str(err.value)
    assert str(err.value).startswith("disclosure.toml：")


def test_all_mistakes_of_the_configuration_are_said_at_once(tmp_path, capsys):
    from disclosure.cli import main

    (tmp_path / "disclosure.toml").write_text('[site]\nnmae = "x"\n[project]\nstyle_ = "y"\n', encoding="utf-8")
    assert main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "nmae，是否想写 name？" in err and "style_，是否想写 style？" in err
    assert "Traceback" not in err


def test_every_declared_setting_is_read(tmp_path):
    """A key declared but never read would be accepted and then silently ignored."""
    from disclosure.project import CONFIG_KEYS

    values = {"table_set": '"national-9"', "style": '""', "percent_places": "1", "change_threshold": "20",
              "monitoring_target": "50", "switches": "{ list_zero = true }"}
    assert set(values) == set(CONFIG_KEYS["project"])
    (tmp_path / "disclosure.toml").write_text(
        "[project]\n" + "".join(f"{k} = {v}\n" for k, v in values.items())
        + "[site]\n" + "".join(f'{k} = "v-{k}"\n' for k in CONFIG_KEYS["site"] if k != "css_prefix"), encoding="utf-8")
    project = load_project(tmp_path)
    assert (project.table_set, project.percent_places, project.change_threshold, project.monitoring_target) == (
        "national-9", 1, Decimal("20"), Decimal("50"))
    assert project.switches == {"list_zero": True}
    for key in CONFIG_KEYS["site"]:
        if key != "css_prefix":
            assert getattr(project.site, key) == f"v-{key}"


def test_publication_settings_are_declared_and_a_unit_toml_value_comes_first(tmp_path: Path) -> None:
    import datetime

    from disclosure.errors import ConfigError
    from disclosure.project import load_project

    (tmp_path / "disclosure.toml").write_text(
        '[site]\npublish_date = "2022-06-01"\n[publication]\npublisher = "某市财政局"\nindex_no = "11150800-2022-0001"\n',
        encoding="utf-8")
    project = load_project(tmp_path)
    assert project.publication_fields() == {"index_no": "11150800-2022-0001", "publisher": "某市财政局",
                                            "publish_date": "2022-06-01"}
    unit = {"publisher": "某市公安局", "publish_date": datetime.date(2022, 5, 30)}
    assert project.publication_fields(unit)["publisher"] == "某市公安局"
    assert project.publication_fields(unit)["publish_date"] == "2022-05-30"
    (tmp_path / "disclosure.toml").write_text('[publication]\npublish_dat = "2022-06-01"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="是否想写 publish_date"):
        load_project(tmp_path)
