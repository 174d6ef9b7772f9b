"""The README and the CLI's help agree (like sqlite-utils tests/test_docs.py)."""
from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from qa.cli import build_parser

README = Path(__file__).resolve().parent.parent / "README.md"
COMMANDS = ("index", "ask", "eval", "bench")


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def readme() -> str:
    if not README.exists():
        pytest.skip("README.md does not exist yet")
    return README.read_text(encoding="utf-8")


def test_cli_has_the_documented_subcommands():
    assert tuple(subcommands()) == COMMANDS


def test_every_subcommand_has_help_text():
    parser = build_parser()
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    helps = {c.dest: c.help for c in action._choices_actions}
    assert set(helps) == set(COMMANDS)
    assert all(helps.values())


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_mentions_each_command(command):
    assert f"qa {command}" in readme()


def test_every_cli_subcommand_is_documented_in_readme():
    text = readme()
    missing = [name for name in subcommands() if f"qa {name}" not in text]
    assert missing == []


def mentioned(option: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


@pytest.mark.parametrize("command", [
    "index", "ask", "eval",
    "bench",
])
def test_readme_mentions_each_option(command):
    """Each option of a subcommand appears in README.md under one of its spellings (-v or --verbose)."""
    text = readme()
    missing = [a.option_strings for a in subcommands()[command]._actions
               if a.option_strings and "--help" not in a.option_strings
               and not any(mentioned(opt, text) for opt in a.option_strings)]
    assert missing == [], f"qa {command}: {missing} not in README.md"
