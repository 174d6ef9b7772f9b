"""The README and the CLI's help agree (like sqlite-utils tests/test_docs.py), read from the help text users see."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
COMMANDS = ("index", "ask", "brief", "eval", "passwd", "bench")
DOCUMENTED = COMMANDS


def help_text(*argv: str) -> str:
    done = subprocess.run([sys.executable, *argv, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def command_help(command: str) -> str:
    # `qa bench` forwards its arguments to benchmarks/bench.py, whose help lists them.
    if command == "bench":
        return help_text("benchmarks/bench.py")
    return help_text("-m", "qa.cli", command)


def options(help_output: str) -> set[str]:
    """The option strings a help text lists (-v, --verbose), without --help."""
    found = set(re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", help_output))
    return found - {"-h", "--help"}


def readme() -> str:
    if not README.exists():
        pytest.skip("README.md does not exist yet")
    return README.read_text(encoding="utf-8")


def test_cli_has_the_documented_subcommands():
    listed = re.search(r"\{([\w,]+)\}", help_text("-m", "qa.cli")).group(1)
    assert tuple(listed.split(",")) == COMMANDS


def test_every_subcommand_has_help_text():
    top = help_text("-m", "qa.cli")
    for command in COMMANDS:
        line = next((ln for ln in top.splitlines() if re.match(rf"\s+{command}\s+\S", ln)), "")
        assert line, f"qa {command} has no help line"


@pytest.mark.parametrize("command", DOCUMENTED)
def test_readme_mentions_each_command(command):
    assert f"qa {command}" in readme()


def mentioned(option: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


@pytest.mark.parametrize("command", DOCUMENTED)
def test_readme_mentions_each_option(command):
    """Each option of a subcommand appears in README.md."""
    text = readme()
    found = options(command_help(command))
    assert found, f"qa {command} --help lists no options"
    missing = sorted(o for o in found if not mentioned(o, text))
    assert missing == [], f"qa {command}: {missing} not in README.md"
