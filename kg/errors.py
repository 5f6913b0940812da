"""One base error; each subclass also inherits the builtin it resembles."""
from __future__ import annotations


class KGError(Exception):
    """Base of every error kg raises on purpose."""


class InputError(KGError, ValueError):
    """An input file cannot be read as an article."""


class UsageError(KGError, ValueError):
    """An argument or option is not acceptable."""


class StoreError(KGError, OSError):
    """The store or an output folder cannot be written or read."""
