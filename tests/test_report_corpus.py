"""Published reports of eleven provinces (townships, schools, hospitals, bureaus), rebuilt as tables
(tests/fixtures/reports/, sources in its README): the generated 第二部分 states at least 97% of the
figures each report states, writes the true figure where the published one is wrong, and no rule
refuses the consistent tables."""
from __future__ import annotations

from dataclasses import replace
import tomllib
from pathlib import Path

import pytest

from disclosure.check import check_accounts, errors_of
from disclosure.content import UnitContent
from disclosure.derive import derive
from disclosure.narrative import render_narrative
from disclosure.project import Project
from report_corpus import figures, load, parse_figure, slugs

SLUGS = slugs()


def generate(slug: str):
    report = load(slug)
    project = Project(root=Path("."), style=report.style, switches=report.switches)
    facts = derive(report.accounts, project)
    content = UnitContent(unit=slug, year=report.year)
    sections = {s.key: s for s in render_narrative(facts, content, project, link=False)}
    return report, project, sections


@pytest.fixture(scope="module")
def corpus():
    return {slug: generate(slug) for slug in SLUGS}


def reproduced(stated, sections) -> bool:
    """The figure is in the generated section the report states it in (a zero change: that
    section says 持平)."""
    text = sections[stated.section].markdown if stated.section in sections else ""
    if stated.zero_change:  # 增加0.00万元 / 增长0% / 比预算增加0万元: 持平, or the item's own words
        return (stated.says or "持平") in text
    return parse_figure(stated.expected) in figures(text)


def counts(corpus) -> dict[str, tuple[int, int]]:
    return {slug: (sum(reproduced(s, sections) for s in report.stated), len(report.stated))
            for slug, (report, _, sections) in corpus.items()}


def test_the_corpus_covers_ten_reports_of_five_provinces(corpus):
    assert len(SLUGS) >= 10
    assert len({report.province for report, _, _ in corpus.values()}) >= 5
    readme = (Path(__file__).parent / "fixtures" / "reports" / "README.md").read_text(encoding="utf-8")
    for report, _, _ in corpus.values():
        assert report.source in readme and report.slug in readme  # every source named


def test_at_least_97_percent_of_the_stated_figures_appear(corpus):
    found = counts(corpus)
    hit = sum(h for h, _ in found.values())
    total = sum(n for _, n in found.values())
    assert total >= 150
    assert hit / total >= 0.97, found


@pytest.mark.parametrize("slug", SLUGS)
def test_each_report_is_reproduced(corpus, slug):
    report, _, sections = corpus[slug]
    missed = [s.figure for s in report.stated if not reproduced(s, sections)]
    assert len(missed) <= max(1, len(report.stated) // 10), missed


@pytest.mark.parametrize("slug", [s for s in SLUGS if any(x.wrong for x in load(s).stated)])
def test_where_the_published_report_is_wrong_we_write_the_true_figure(corpus, slug):
    report, _, sections = corpus[slug]
    text = "\n".join(s.markdown for s in sections.values())
    for stated in (s for s in report.stated if s.wrong):
        assert parse_figure(stated.true) in figures(text), stated.wrong


@pytest.mark.parametrize("slug", SLUGS)
def test_consistent_published_tables_are_never_refused(corpus, slug):
    report, project, _ = corpus[slug]
    findings = check_accounts(report.accounts, project, facts=derive(report.accounts, project))
    errors = errors_of(findings)
    if report.chain_gap:  # the published figures themselves break the year-to-year chain (see the fixture)
        prior_file = report.accounts.prior.files[0]
        gap = [f for f in errors if any(c.file == prior_file for c in f.cells)]
        assert gap and all(f.rule.startswith("chain.") for f in gap), [f.message for f in gap]  # only that gap
        errors = [f for f in errors if f not in gap]
    assert errors == [], [f.message for f in errors]
    if report.accounts.prior is not None:
        prior = replace(report.accounts.prior)
        assert errors_of(check_accounts(prior, project)) == []


def test_without_its_style_a_report_is_not_reproduced():
    # the same tables in the reference report's style miss the 0万元，占0% items and the 1-place rates
    for slug, style in (("sichuan-2022-lvyou", "neimenggu-11"), ("guangxi-2021-junxiu", "neimenggu-11")):
        report = load(slug)
        project = Project(root=Path("."), style=style)
        sections = {s.key: s for s in render_narrative(derive(report.accounts, project),
                                                       UnitContent(unit=slug, year=report.year), project, link=False)}
        hit = sum(reproduced(s, sections) for s in report.stated)
        assert hit / len(report.stated) < 0.8, (slug, hit, len(report.stated))


OUTLINES = tomllib.loads((Path(__file__).parent / "fixtures" / "reports" / "outlines" / "yunnan.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("published", OUTLINES["outline"], ids=lambda o: f"{o['year']}-{o['unit']}")
def test_a_yunnan_report_has_the_outline_of_published_yunnan_reports(published):
    # the example's tables as the report of the published year, named as the published unit
    from disclosure.site.outline import outline
    from disclosure.wording.style import load_style
    from test_derive import example_accounts

    style = load_style("yunnan")
    year = published["year"]
    accounts = example_accounts()
    accounts.year, accounts.prior.year = year, year - 1
    project = Project(root=Path("."), table_set="yunnan-11")  # the style of the 云南 table set
    facts = derive(accounts, project)
    texts = {"duties": "职能。", "organization": "机构。", "performance": "自评。"}
    if any(h.endswith("相关口径说明") for h in published["fourth"]):  # written where the unit writes one
        texts["scope_notes"] = "口径。"
    content = UnitContent(unit="example", year=year, name=published["unit"], sections=texts)
    sections = render_narrative(facts, content, project, link=False)
    assert [p.title for p in outline(year, style, published["unit"])] == published["parts"]
    for part, key in ((published["parts"][2], "third"), (published["parts"][3], "fourth")):
        prefix = part.split(" ", 1)[0]
        written = []
        for s in sections:
            if not s.part.startswith(prefix):
                continue
            heading = s.group or s.title
            if heading not in written:
                written.append(heading)
        assert written == published[key], (prefix, written)


def test_a_reports_own_switch_states_what_its_style_alone_does_not():
    # 鄂城区 names each item's 2021 figure beside its change: prior_amount in the 三公 section only
    report = load("hubei-2022-echeng-quanqu")
    assert report.switches == {"prior_amount": ["three_public"]}
    for switches, expected in (({}, False), (report.switches, True)):
        project = Project(root=Path("."), style=report.style, switches=switches)
        sections = {s.key: s.markdown for s in render_narrative(derive(report.accounts, project),
                                                                UnitContent(unit=report.slug, year=report.year), project,
                                                                link=False)}
        assert ("公务用车购置支出较上年（272.53万元）增加126.72万元" in sections["three_public"]) is expected
        assert "收入支出总计较2021年度增加400.00万元" in sections["overview"]  # other sections: no prior amount
