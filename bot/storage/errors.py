"""Errors every store raises the same way, so the command line can show one clear line for each."""

from __future__ import annotations


class DatabaseUnusableError(RuntimeError):
    """The configured database cannot be used; the message says which one and what to do."""


class SchemaTooNewError(RuntimeError):
    """The database was written by a newer version of the bot than this one."""
