"""Every command the README shows runs as printed.

The README's shell blocks are read; each command is run from a fresh folder holding the clone's
`seeds/`, with `uv run deal-reader` (and a bare `deal-reader`, as installed by `uv tool install`)
standing for this virtual environment's own `deal-reader`, so uv is not called again. The commands
that cannot run here are named below with the reason: any other command in the README runs, and a
name below that the README no longer shows fails the test.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

NOT_RUN = {
    "uv run deal-reader": "opens the interactive reader",
    "uv run pytest": "is this test suite",
    "uv tool install .": "installs into the user's own tools",
    "uvx --from . deal-reader --help": "builds the package into uv's cache (the same entry point as `deal-reader --help`)",
    "NO_COLOR=1 uv run deal-reader --offline seeds": "opens the interactive reader",
}

# How a command names the program, and what stands for it here.
PROGRAM = re.compile(r"(^|\| )(?:uv run )?deal-reader\b")


def shell_commands(markdown: str) -> list[str]:
    """The commands in the ```sh blocks, one a line, their trailing comments dropped."""
    commands = []
    for block in re.findall(r"^```sh\n(.*?)^```", markdown, flags=re.M | re.S):
        for line in block.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line:
                commands.append(line)
    return commands


def deal_reader() -> str:
    script = Path(sys.executable).with_name("deal-reader")
    if script.exists():
        return shlex.quote(str(script))
    return f"{shlex.quote(sys.executable)} -m tui.cli"


def runnable(command: str) -> str:
    """``command`` as this environment runs it: the program swapped for this venv's entry point."""
    program = deal_reader()
    local = PROGRAM.sub(lambda m: m.group(1) + program, command)
    assert local != command, f"{command!r} does not run deal-reader"
    assert not re.search(r"(^|\s)uvx?\s", local), f"{command!r} would call uv"
    return local


COMMANDS = shell_commands(README.read_text(encoding="utf-8"))
RUN = [c for c in COMMANDS if c not in NOT_RUN]


def test_the_readme_shows_the_quickstart_and_every_command_not_run():
    assert COMMANDS[:2] == ["uv run deal-reader", "uv run pytest"]
    assert sorted(set(NOT_RUN) & set(COMMANDS)) == sorted(NOT_RUN), "a command named in NOT_RUN left the README"
    assert len(RUN) >= 5


def test_commands_are_found_and_rewritten():
    text = "```sh\nuv run deal-reader x   # comment\n\ncat a | uv run deal-reader export - --csv -\n```\n"
    assert shell_commands(text) == ["uv run deal-reader x", "cat a | uv run deal-reader export - --csv -"]
    assert runnable("cat a | uv run deal-reader export -").startswith("cat a | ")
    assert "uv run" not in runnable("uv run deal-reader --help")
    with pytest.raises(AssertionError):
        runnable("uvx --from . deal-reader --help")


@pytest.mark.parametrize("command", RUN)
def test_a_readme_command_runs_as_printed(command: str, tmp_path: Path, seed_documents):
    """``seed_documents`` parses the seeds into the session's cache first, so each command starts warm."""
    (tmp_path / "seeds").symlink_to(ROOT / "seeds", target_is_directory=True)
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", runnable(command)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=120,
    )
    assert done.returncode == 0, f"{command}\n{done.stderr}"
    if "--help" in command:
        assert done.stdout.startswith("usage: deal-reader")
    elif "--csv -" in command:
        lines = done.stdout.splitlines()
        assert lines[0] == "doc_a,sentence_a,text_a,doc_b,sentence_b,text_b,score,conflicts"
        assert len(lines) > 1, "no aligned pair"
    for option in ("--csv", "--json", "--facts"):
        target = re.search(rf"{option} (\S+)", command)
        if target and target.group(1) != "-":
            assert (tmp_path / target.group(1)).stat().st_size > 0, f"{command}: {target.group(1)} not written"
