"""Compiled templates kept between runs: same output, recompiled when the source changes, separate
per environment settings, and a cache that cannot be used is ignored."""
from __future__ import annotations

import os

import jinja2
import pytest

from disclosure import bytecode


def _env(folder, settings: str = "test") -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=True,
                              bytecode_cache=bytecode.template_cache(settings))


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(bytecode.ENV_VAR, str(folder))
    return folder


def test_entries_are_written_reused_and_recompiled_after_an_edit(tmp_path, cache_dir):
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "a.html").write_text("<p>{{ x }}</p>", encoding="utf-8")
    assert _env(templates).get_template("a.html").render(x="<甲>") == "<p>&lt;甲&gt;</p>"
    entries = list(cache_dir.rglob("*.cache"))
    assert len(entries) == 1
    assert _env(templates).get_template("a.html").render(x="乙") == "<p>乙</p>"  # from the cache
    (templates / "a.html").write_text("<div>{{ x }}</div>", encoding="utf-8")
    assert _env(templates).get_template("a.html").render(x="丙") == "<div>丙</div>"


def test_settings_keep_entries_apart(tmp_path, cache_dir):
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "a.html").write_text("{{ x }}", encoding="utf-8")
    _env(templates, "one").get_template("a.html").render(x=1)
    _env(templates, "two").get_template("a.html").render(x=1)
    prefixes = {p.name.split("-")[0] for p in cache_dir.rglob("*.cache")}
    assert len(prefixes) == 2


def test_a_damaged_entry_is_compiled_again(tmp_path, cache_dir):
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "a.html").write_text("[{{ x }}]", encoding="utf-8")
    _env(templates).get_template("a.html").render(x=1)
    for entry in cache_dir.rglob("*.cache"):
        entry.write_bytes(entry.read_bytes()[:12])  # truncated
    assert _env(templates).get_template("a.html").render(x=2) == "[2]"


def test_switched_off_by_an_empty_variable(monkeypatch):
    monkeypatch.setenv(bytecode.ENV_VAR, "")
    assert bytecode.cache_dir() is None and bytecode.template_cache("x") is None


def test_an_unusable_folder_means_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(bytecode.ENV_VAR, str(blocker / "sub"))
    assert bytecode.template_cache("x") is None


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_folder_others_may_write_is_not_used(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    (shared / f"templates-jinja{jinja2.__version__}").mkdir(parents=True)
    os.chmod(shared / f"templates-jinja{jinja2.__version__}", 0o777)
    monkeypatch.setenv(bytecode.ENV_VAR, str(shared))
    assert bytecode.template_cache("x") is None


def test_narrative_wording_errors_still_name_the_line(tmp_path, monkeypatch):
    """Wording templates are compiled through the cached loader; a syntax error still reports its line."""
    from disclosure.errors import InputError
    from disclosure.narrative.render import _environment, _render
    from disclosure.narrative.sections import section_defs

    monkeypatch.setenv(bytecode.ENV_VAR, str(tmp_path / "cache"))
    sdef = section_defs()[0]
    with pytest.raises(InputError) as exc:
        _render(_environment(), "第一行\n{% if %}\n", sdef, "content/u/duties.md", {})
    assert "第2行" in str(exc.value) and "content/u/duties.md" in str(exc.value)
