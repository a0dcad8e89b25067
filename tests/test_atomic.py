"""Atomic replacement: the user's usual permissions, the old content kept on failure, no temporary file left."""

import os
import stat

import pytest

from align.atomic import replace_atomically


def test_new_content_with_the_umask_applied(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    old = os.umask(0o027)
    try:
        replace_atomically(target, "new")
    finally:
        os.umask(old)
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["out.csv"]


def test_a_failed_write_keeps_the_old_content_and_leaves_nothing_behind(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        replace_atomically(target, "half \udcff")  # a lone surrogate cannot be written as UTF-8
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["out.csv"]
