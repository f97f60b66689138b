"""The `study-bot` command line: `run`, `migrate`, `content check`, `content export`, `db copy` and
`grader check`."""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.cli.content_check import run_content_check
from bot.cli.logging_setup import configure_logging


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="study-bot", description="A study companion chat bot.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="start the bot (no tokens set: a chat in this terminal)")
    run.add_argument("--config", type=Path, help="configuration file (default: ./config.yaml if present)")
    migrate = commands.add_parser("migrate", help="create or upgrade the database, then exit")
    migrate.add_argument("--config", type=Path, help="configuration file (default: ./config.yaml if present)")

    content = commands.add_parser("content", help="work with the question bank")
    content_commands = content.add_subparsers(dest="content_command", required=True, metavar="SUBCOMMAND")
    check = content_commands.add_parser(
        "check", help="parse documents and report decks, cards and problems (exit 1 on errors)"
    )
    check.add_argument("paths", nargs="*", default=["content"], metavar="PATH", help="files or folders")
    check.add_argument("--json", action="store_true", help="print one JSON object with every card")
    export = content_commands.add_parser("export", help="write one document's deck as an Anki package or TSV")
    export.add_argument("path", metavar="PATH", help="a document (.md, .txt, .csv, .tsv, .apkg)")
    export.add_argument("--format", choices=("apkg", "csv"), default="apkg", help="apkg (default) or csv")
    export.add_argument(
        "-o", "--output", metavar="FILE", help="where to write (default: <deck id>.apkg|.tsv)"
    )

    db = commands.add_parser("db", help="work with the database")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="SUBCOMMAND")
    copy = db_commands.add_parser(
        "copy", help="copy every table from one database to another (SQLite and PostgreSQL, either way)"
    )
    copy.add_argument("source", metavar="SOURCE", help="a path, sqlite:///path or postgresql://… URL")
    copy.add_argument("target", metavar="TARGET", help="likewise; must be empty unless --force")
    copy.add_argument("--force", action="store_true", help="replace what the target already holds")

    grader = commands.add_parser("grader", help="the model grader")
    grader_commands = grader.add_subparsers(dest="grader_command", required=True, metavar="SUBCOMMAND")
    grader_check = grader_commands.add_parser(
        "check", help="grade three bundled cards with the configured model; print latency and the result"
    )
    grader_check.add_argument("--config", type=Path, help="configuration file (default: ./config.yaml)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "content" and args.content_command == "export":
        from bot.cli.content_export import run_content_export

        return run_content_export(args.path, args.format, args.output, sys.stdout, sys.stderr)
    if args.command == "content":
        return run_content_check(args.paths, as_json=args.json, out=sys.stdout)
    if args.command == "db":
        from bot.cli.db_copy import run_db_copy
        from bot.storage.postgres.url import is_postgres_url, password_of

        urls = [url for url in (args.source, args.target) if is_postgres_url(url)]
        configure_logging("WARNING", [password_of(url) for url in urls])
        return asyncio.run(run_db_copy(args.source, args.target, args.force, sys.stdout, sys.stderr))
    from bot.bootstrap import AdapterFailedError, AdapterUnavailableError, database_label, run
    from bot.config import ConfigError, load_config
    from bot.storage.errors import DatabaseUnusableError, SchemaTooNewError

    try:
        config = load_config(args.config)
        config.database_target()  # DATABASE_URL, when set, must name a database too
    except ConfigError as exc:
        print(f"study-bot: {exc}", file=sys.stderr)
        return 2
    configure_logging(config.log_level, _secrets(config))
    try:
        if args.command == "migrate":
            return asyncio.run(_migrate(config))
        if args.command == "grader":
            from bot.cli.grader_check import run_grader_check

            return asyncio.run(run_grader_check(config, sys.stdout))
        asyncio.run(run(config))
    except (SchemaTooNewError, AdapterUnavailableError) as exc:
        print(f"study-bot: {exc}", file=sys.stderr)
        return 2
    except DatabaseUnusableError as exc:
        print(f"study-bot: {exc}", file=sys.stderr)
        return 1
    except sqlite3.DatabaseError as exc:  # found only after start, e.g. a corrupted page read later
        print(
            f"study-bot: the database {database_label(config)} failed ({exc}): restore it from a backup, "
            "or move it away to start a new database",
            file=sys.stderr,
        )
        return 1
    except AdapterFailedError as exc:
        print(f"study-bot: stopped because an adapter failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


def _secrets(config) -> list[str | None]:
    """Every secret the bot reads from the environment, so that no log line ever shows one."""
    from bot.config import TOKEN_VARIABLES, WEBHOOK_SECRET_VARIABLE
    from bot.storage.postgres.url import password_of

    names = [*TOKEN_VARIABLES.values(), WEBHOOK_SECRET_VARIABLE, config.grader.api_key_env]
    secrets = [(os.environ.get(name) or "").strip() or None for name in names]
    target = config.database_target()
    if isinstance(target, str):  # a PostgreSQL URL may carry its password
        secrets.append(password_of(target))
    return secrets


async def _migrate(config) -> int:
    from bot.bootstrap import database_label

    target = config.database_target()
    if isinstance(target, str):
        from bot.storage.postgres.migrate import migrate_url

        rows = await migrate_url(target)
    else:
        from bot.storage.sqlite.store import SqliteStore

        async with await SqliteStore.open(target) as store:
            rows = await store.schema_versions()
    print(f"{database_label(config)}: schema at version {rows[-1][0] if rows else 0}")
    for version, name in rows:
        print(f"  {version:04d} {name}")
    return 0


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
