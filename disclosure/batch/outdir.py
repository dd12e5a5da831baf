"""Where a build may write its site: never over the project's inputs, never onto a file, never into
a folder of someone else's files. Checked before anything is written."""
from __future__ import annotations

import os
from pathlib import Path

from disclosure.batch.digest import PACKAGE_DIR, builtin_theme_dir
from disclosure.batch.state import STATE_NAME, state_dir
from disclosure.errors import ConfigError, Problem
from disclosure.project import CONFIG_NAME, Project

INPUT_FOLDERS = ("tables", "content", "theme")  # what the user writes; a build never writes there

PUBLIC_FOLDER = "site"
REVIEW_FOLDER = "site-review"


def output_folder(root: Path, out: str | None, review: bool) -> Path:
    """Where a build goes: ``site/`` (to upload) or, for ``--review``, ``site-review/`` (never uploaded).
    A review build may not be written into the public folder, nor a public one into the review folder."""
    folder = Path(out) if out else root / (REVIEW_FOLDER if review else PUBLIC_FOLDER)
    if review and folder.resolve() == (root / PUBLIC_FOLDER).resolve():
        raise ConfigError(f"审核版含校验结果和内部核对信息，不能写入对外上传的 {PUBLIC_FOLDER}/。"
                          f"请去掉 --out，审核版会写入 {REVIEW_FOLDER}/。")
    if not review and folder.resolve() == (root / REVIEW_FOLDER).resolve():
        raise ConfigError(f"{REVIEW_FOLDER}/ 是审核版的文件夹，对外公开版请写入 {PUBLIC_FOLDER}/（去掉 --out 即可）。")
    return folder


def _shown(path: Path) -> str:
    return str(path)


def check_out_dir(project: Project, out: Path) -> Path:
    """The resolved output folder; ConfigError when writing there could overwrite or delete the
    user's files: it is (or lies inside, or contains) the project folder's inputs, it is an existing
    file, or it is a folder of other files that no build wrote."""
    given = Path(out)
    target = given.resolve()
    root = project.root.resolve()
    refuse = None
    if given.is_symlink() and not given.is_dir():
        refuse = "是一个链接，不是文件夹"
    elif target.exists() and not target.is_dir():
        refuse = "是一个已有的文件，不是文件夹"
    elif target == root:
        refuse = "就是项目文件夹本身（网站会覆盖 tables/、content/ 等输入）"
    elif root.is_relative_to(target):
        refuse = "包含了项目文件夹（网站会覆盖项目的输入）"
    else:
        for name in INPUT_FOLDERS:
            folder = (root / name).resolve()
            if target == folder:
                refuse = f"就是项目的 {name}/ 文件夹（会覆盖或删除其中的输入文件）"
                break
            if target.is_relative_to(folder):
                refuse = f"在项目的 {name}/ 文件夹里（会覆盖或删除其中的输入文件）"
                break
            if folder.is_relative_to(target):
                refuse = f"包含了项目的 {name}/ 文件夹"
                break
        else:
            if target.parent == root and (root / target.name).is_file():
                refuse = "是项目里的一个文件"
            elif target.name == CONFIG_NAME:
                refuse = "与项目设置文件同名"
    if refuse is None:
        refuse = _over_the_program(target)
    if refuse is None and target.is_dir() and _foreign(target):
        refuse = ("是一个已有内容的文件夹，但不是本工具生成的网站（找不到生成记录"
                  f" {state_dir(target).name}/）；生成会与其中的文件混在一起")
    if refuse is not None:
        raise ConfigError(Problem(
            f"输出文件夹“{_shown(given)}”{refuse}，已拒绝生成，没有写入或删除任何文件。"
            "请用 --out 指定一个新的（或空的）文件夹，例如项目下的 site/。",
        ))
    return target


def _over_the_program(target: Path) -> str | None:
    """The program's own files (its package and built-in theme) are never an output folder."""
    for folder, what in ((builtin_theme_dir(), "内置主题"), (PACKAGE_DIR, "程序本身")):
        if folder is not None and (target.is_relative_to(folder) or folder.is_relative_to(target)):
            return f"与本工具的{what}文件夹重叠（会覆盖程序文件）"
    return None


def _foreign(folder: Path) -> bool:
    """A non-empty folder without the build state this tool keeps beside every site it writes
    (the state looked for first: a site's folder is not listed)."""
    if (state_dir(folder) / STATE_NAME).is_file():
        return False
    try:
        with os.scandir(folder) as entries:
            return next(entries, None) is not None
    except OSError:
        return False  # the build itself reports what it cannot do
