"""Browser fixtures: Debian's chromium driven by playwright (no browser download), and the test
project (the example with a 住房公积金 row) built once per session and opened via file://."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from test_site_support import build, make_test_project  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_test_project(tmp_path_factory.mktemp("browser"))
    out = project / "site"
    assert build(project, out) == 0
    return out.resolve()


@pytest.fixture(scope="session")
def review_site(site: Path) -> Path:
    """The same project's review build (``--review``), beside the public one."""
    out = site.parent / "site-review"
    assert build(site.parent, out, "--review") == 0
    return out.resolve()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():  # the README's install brings it: a missing browser is a failure, not a skip
        pytest.fail("需要 Debian 的 chromium（/usr/bin/chromium）：请先运行 bash .ci/install；"
                    "不启动浏览器的测试可用 python3 -m pytest -m \"not browser\"")

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


class Watched:
    """A page whose console errors, page errors and requests are recorded."""

    def __init__(self, page, site: Path):
        self.page = page
        self.site = site
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))

    def url(self, rel: str) -> str:
        return (self.site / rel.split("?")[0]).as_uri() + ("?" + rel.split("?", 1)[1] if "?" in rel else "")

    def open(self, rel: str) -> None:
        self.page.goto(self.url(rel))
        self.page.wait_for_load_state("load")

    def outside(self) -> list[str]:
        root = self.site.as_uri() + "/"
        return [u for u in self.requests if not u.startswith(root) and not u.startswith("data:")]


def _desktop(browser, site: Path):
    """A 1200 px desktop page on one built site, closed after the test."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    yield Watched(context.new_page(), site)
    context.close()


@pytest.fixture
def watched(browser, site: Path):
    yield from _desktop(browser, site)


@pytest.fixture
def review_watched(browser, review_site: Path):
    yield from _desktop(browser, review_site)


@pytest.fixture
def phone(browser, site: Path):
    """A 360 px wide phone screen (the narrowest the site is made for)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    yield Watched(page, site)
    context.close()
