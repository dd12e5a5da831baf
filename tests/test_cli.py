"""The command line speaks Chinese, including argparse's own usage and errors."""
from __future__ import annotations

import re

import pytest

from disclosure.cli import main


def _no_english_words(text: str) -> bool:
    # option names, metavars and program names may stay Latin; sentences may not
    prose = re.sub(r"(--?[\w-]+|\b[A-Z_]+\b|disclosure|build|check|init|serve|monitor|project|json|text|tcp://\S+)", "", text)
    return not re.search(r"\b(usage|error|argument|expected|invalid|choose|options|show|help|message|exit|required)\b", prose)


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["build", "--jobs"], "需要一个参数值"),
        (["frob"], "无效的选项"),
        (["check", "--format", "xml"], "无效的选项"),
        (["build", "--bogus"], "不认识的参数"),
    ],
)
def test_argument_errors_are_chinese_and_exit_2(argv, needle, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert needle in err and "用法：" in err and "错误：" in err
    assert _no_english_words(err), err


def test_help_is_chinese(capsys):
    with pytest.raises(SystemExit) as info:
        main(["build", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：") and "位置参数" in out and "显示本帮助并退出" in out
    assert _no_english_words(out), out


def test_no_command_prints_the_verbs(capsys):
    with pytest.raises(SystemExit):
        main([])
    out = capsys.readouterr().out
    for verb in ("build", "check", "init", "serve", "monitor"):
        assert verb in out
