"""``disclosure build`` through the batch map, with the real site: a bureau with a broken workbook
gets every other unit-year published; nothing changed → nothing rebuilt; Dask gives the same bytes."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_site_support import UNIT, build, copy_example, digest_tree

from disclosure.batch.state import load_state

SECOND = "second-unit"


@pytest.fixture(scope="module")
def bureau(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example unit twice (a second slug with the same tables and content), the second one's 2021
    workbook broken."""
    project = copy_example(tmp_path_factory.mktemp("bureau") / "p")
    shutil.copytree(project / "tables" / UNIT, project / "tables" / SECOND)
    shutil.copytree(project / "content" / UNIT, project / "content" / SECOND)
    (project / "tables" / SECOND / "2021.xlsx").write_bytes(b"PK\x03\x04 truncated")
    return project


@pytest.fixture(scope="module")
def built(bureau: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    from disclosure.batch.digest import package_fingerprint

    package_fingerprint.cache_clear()  # the probes below run in fresh processes: digest the code as it is now
    out = tmp_path_factory.mktemp("out") / "site"
    return out, build(bureau, out, "--jobs", "2")


def test_broken_workbook_fails_only_its_unit_year(built, capsys):
    out, code = built
    assert code == 1  # the other unit is published; 2 is for a build where no unit could be read
    for unit, year in ((UNIT, 2020), (UNIT, 2021), (SECOND, 2020)):
        assert (out / unit / str(year) / "index.html").is_file()
        assert (out / unit / str(year) / "tables" / "summary.html").is_file()
    assert not (out / SECOND / "2021").exists()
    portal = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="{SECOND}/2020/index.html"' in portal and f"{SECOND}/2021/" not in portal
    assert f'href="{UNIT}/2021/index.html"' in portal
    state = load_state(out)
    assert state.entries[f"{SECOND}/2021"].digest is None and state.entries[f"{SECOND}/2021"].published is None


def test_no_change_rebuild_imports_no_site_module_and_changes_no_byte(bureau, built, tmp_path):
    from disclosure.batch.state import state_dir

    project, out = tmp_path / "p", tmp_path / "site"  # private copies: this test edits them
    shutil.copytree(bureau, project)
    shutil.copytree(built[0], out)
    shutil.copytree(state_dir(built[0]), state_dir(out))
    before = digest_tree(out)
    probe = (
        "import sys\nfrom disclosure.cli import main\n"
        f"code = main(['build', '--no-kit', {str(project)!r}, '--out', {str(out)!r}])\n"
        "print('SITE-IMPORTED' if 'disclosure.site.unit_year' in sys.modules else 'NO-SITE', code)\n"
    )

    def rebuild() -> list[str]:
        run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
        return run.stdout.strip().splitlines()

    lines = rebuild()  # the broken unit-year is tried again (and fails again); nothing else is rebuilt
    assert lines[0] == "共 4 个单位年度：需生成 1 个，未改动跳过 3 个。" and lines[-1] == "SITE-IMPORTED 1"
    assert digest_tree(out) == before
    shutil.copyfile(project / "tables" / UNIT / "2021.xlsx", project / "tables" / SECOND / "2021.xlsx")
    lines = rebuild()  # repaired: only that unit-year is built, and the portal now links it
    assert lines[0] == "共 4 个单位年度：需生成 1 个，未改动跳过 3 个。" and lines[-1] == "SITE-IMPORTED 0"
    assert f'href="{SECOND}/2021/index.html"' in (out / "index.html").read_text(encoding="utf-8")
    repaired = digest_tree(out)
    lines = rebuild()  # nothing to do: the site's modules are not even imported
    assert lines[0] == "共 4 个单位年度：需生成 0 个，未改动跳过 4 个。" and lines[-1] == "NO-SITE 0"
    assert digest_tree(out) == repaired


@pytest.mark.dask
def test_dask_cluster_builds_the_same_site(bureau, built, tmp_path):
    import distributed
    out, _ = built
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        code = build(bureau, tmp_path / "site", "--scheduler", cluster.scheduler_address)
    assert code == 1
    assert digest_tree(tmp_path / "site") == digest_tree(out)
