"""The publication kit's browser: found where Windows installers put Edge or Chrome, refused once before
anything is published when there is none, and not started again for an unchanged unit-year."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from test_site_support import UNIT, build, copy_example, digest_tree

from disclosure.errors import ConfigError
from disclosure.site.kit import chromium
from disclosure.site.kit.chromium import NO_BROWSER, find_browser, require_browser

KIT_FILES = ("report.pdf", "report.docx", "fragment.html", "metadata.json", "metadata.xml")


@pytest.fixture
def windows(monkeypatch, tmp_path: Path) -> Path:
    """A Windows machine with no browser yet: its program folders are empty folders under tmp_path."""
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(chromium, "_LINUX_BROWSERS", ())
    monkeypatch.setattr(chromium.shutil, "which", lambda name: None)
    monkeypatch.delenv("DISCLOSURE_CHROMIUM", raising=False)
    for folder in ("PROGRAMFILES(X86)", "PROGRAMFILES", "LOCALAPPDATA"):
        (tmp_path / folder).mkdir()
        monkeypatch.setenv(folder, str(tmp_path / folder))
    return tmp_path


def _install(root: Path, folder: str, program: str) -> str:
    path = root / folder / program
    path.parent.mkdir(parents=True)
    path.write_bytes(b"MZ")
    return str(path)


def test_windows_finds_edge_first_then_chrome_where_their_installers_put_them(windows: Path) -> None:
    assert find_browser() is None
    chrome = _install(windows, "LOCALAPPDATA", "Google/Chrome/Application/chrome.exe")  # a per-user install
    assert find_browser() == chrome
    edge = _install(windows, "PROGRAMFILES(X86)", "Microsoft/Edge/Application/msedge.exe")
    assert find_browser() == edge


class _FakeChromium:
    """playwright's ``chromium``: records each launch; only the channels in ``installed`` start."""

    def __init__(self, installed: tuple[str, ...]) -> None:
        self.installed, self.launches = installed, []

    def launch(self, **kwargs):
        self.launches.append(kwargs.get("channel") or kwargs.get("executable_path"))
        if kwargs.get("executable_path") or kwargs.get("channel") in self.installed:
            return f"browser:{self.launches[-1]}"
        raise RuntimeError("Chromium distribution 'msedge' is not found")


class _FakePlaywright:
    def __init__(self, installed: tuple[str, ...]) -> None:
        self.chromium = _FakeChromium(installed)


def test_windows_launches_a_found_program_else_tries_edge_then_chrome_channels(windows: Path) -> None:
    only_chrome = _FakePlaywright(("chrome",))
    assert chromium._launch(only_chrome) == "browser:chrome"
    assert only_chrome.chromium.launches == ["msedge", "chrome"]
    edge = _install(windows, "PROGRAMFILES", "Microsoft/Edge/Application/msedge.exe")
    found = _FakePlaywright(())
    assert chromium._launch(found) == f"browser:{edge}" and found.chromium.launches == [edge]


def test_windows_without_any_browser_says_how_to_get_one(windows: Path) -> None:
    none = _FakePlaywright(())
    with pytest.raises(ConfigError) as raised:
        chromium._launch(none)
    assert str(raised.value) == NO_BROWSER and none.chromium.launches == ["msedge", "chrome"]
    require_browser()  # on Windows the channels may still start a browser: the build goes on to try them


def test_a_named_browser_that_is_not_there_is_refused_on_any_system(windows: Path, monkeypatch) -> None:
    _install(windows, "PROGRAMFILES", "Microsoft/Edge/Application/msedge.exe")
    monkeypatch.setenv("DISCLOSURE_CHROMIUM", str(windows / "nowhere" / "chrome.exe"))
    assert find_browser() is None
    with pytest.raises(ConfigError):
        require_browser()
    with pytest.raises(ConfigError):
        chromium._launch(_FakePlaywright(("msedge", "chrome")))


def test_a_public_build_without_a_browser_is_refused_once_and_changes_nothing(tmp_path: Path, monkeypatch, capsys) -> None:
    project = copy_example(tmp_path / "p")
    out = tmp_path / "site"
    assert build(project, out) == 0  # published before, without the kit
    before = digest_tree(out)
    (project / "content" / UNIT / "2021" / "organization.md").write_text("机构设置已调整。\n", encoding="utf-8")
    capsys.readouterr()
    monkeypatch.setenv("DISCLOSURE_CHROMIUM", str(tmp_path / "no-such-browser"))
    assert build(project, out, kit=True) == 2
    said = capsys.readouterr()
    text = said.out + said.err
    assert text.count("需要 Chromium 浏览器") == 1 and "--no-kit" in text and "Traceback" not in text
    assert digest_tree(out) == before


@pytest.mark.browser
def test_an_unchanged_unit_year_keeps_its_kit_and_a_changed_one_prints_it_again(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "p")
    out = tmp_path / "site"
    assert build(project, out, "-j", "1", kit=True) == 0
    kits = {year: out / UNIT / str(year) / "kit" for year in (2020, 2021)}
    stats = {(year, name): (kits[year] / name).stat() for year in kits for name in KIT_FILES}
    first = {year: digest_tree(kits[year]) for year in kits}
    assert build(project, out, "-j", "1", kit=True) == 0  # nothing changed: no PDF is printed again
    for (year, name), stat in stats.items():
        now = (kits[year] / name).stat()
        assert (now.st_ino, now.st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns), (year, name)
    organization = project / "content" / UNIT / "2021" / "organization.md"
    organization.write_text(organization.read_text(encoding="utf-8") + "\n本年度新设道路交通安全宣传科。\n", encoding="utf-8")
    assert build(project, out, "-j", "1", kit=True) == 0
    assert digest_tree(kits[2020]) == first[2020]
    for name in ("report.pdf", "report.docx", "fragment.html"):
        assert digest_tree(kits[2021])[name] != first[2021][name], name
    assert "道路交通安全宣传" in (kits[2021] / "fragment.html").read_text(encoding="utf-8")
