"""The `study-bot` command line: `content check`, and (with the bot core) `run` and `migrate`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.cli.content_check import run_content_check


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="study-bot", description="A study companion chat bot.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    content = commands.add_parser("content", help="work with the question bank")
    content_commands = content.add_subparsers(dest="content_command", required=True, metavar="SUBCOMMAND")
    check = content_commands.add_parser(
        "check", help="parse documents and report decks, cards and problems (exit 1 on errors)"
    )
    check.add_argument("paths", nargs="*", default=["content"], metavar="PATH", help="files or folders")
    check.add_argument("--json", action="store_true", help="print one JSON object with every card")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "content":
        return run_content_check(args.paths, as_json=args.json, out=sys.stdout)
    return 2


def entry() -> None:
    """Console-script entry point: a closed pipe (`study-bot content check --json | head`) is not an error."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        code = 0
    sys.exit(code)


if __name__ == "__main__":
    entry()
