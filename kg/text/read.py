"""Reading articles: bytes -> NFC text with ``\\n`` newlines."""
from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError, UsageError
from ..records import Document

MAX_BYTES = 8 * 1024 * 1024
"""The largest article: its text as UTF-8, escapes included. The whole text is one RDF
literal (``nif:isString``) and RDF parsers cap one term (pyoxigraph at 16 MiB), so a
larger article would make outputs that other tools cannot read."""
MAX_FILE_BYTES = 4 * MAX_BYTES  # refused unread: even as UTF-32, the text would be too long
_TOO_LARGE = (f"articles over {MAX_BYTES // 2**20} MB are refused, as the text would be an RDF literal "
              "too long for other tools to read; split the file into articles")
_ESCAPED = re.compile(r'[\x00-\x1f\x7f"\\]')  # written \n, \" or \u0001: up to 5 bytes more each
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})  # controls, format (zero-width, bidi) and spaces
_NONCHARACTERS = str.maketrans({"\ufffe": "\ufffd", "\uffff": "\ufffd"})


def normalise(text: str) -> str:
    """Drop a BOM, make newlines ``\\n``, compose to NFC and replace U+FFFE and U+FFFF by U+FFFD.

    The two noncharacters are not XML characters, and raptor's Turtle parser rejects
    them even escaped; the replacement keeps every offset.

    >>> normalise("\\ufeffa\\r\\nb")
    'a\\nb'
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text).translate(_NONCHARACTERS)


def decode(data: bytes, name: str) -> str:
    """UTF-8 (BOM allowed), or UTF-32 or UTF-16 when it says so with a BOM; else InputError."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        try:
            return data.decode("utf-32")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name} starts with a UTF-32 mark but is not valid UTF-32 ({exc.reason})") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name} starts with a UTF-16 mark but is not valid UTF-16 ({exc.reason})") from None
    sample = data[:4096]
    if sample.count(0) > len(sample) // 8:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if min(even, odd) * 8 < max(even, odd):
            raise InputError(f"{name} looks like UTF-16 without a byte-order mark (NUL bytes at every other "
                             "position); convert the file to UTF-8")
        raise InputError(f"{name} looks like a binary file (NUL bytes), not UTF-8 text; pass article .txt files only")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"line {line} of {name} is not UTF-8 (byte 0x{data[exc.start]:02x} at {exc.start}); "
            "convert the file to UTF-8"
        ) from None


def read_document(path: Path, root: Path | None = None) -> Document:
    """Read one article file into a Document; InputError names the file and the problem."""
    shown = os.fsencode(path).decode("utf-8", "backslashreplace")
    if shown != str(path):
        raise InputError(f"{shown}: the file name is not UTF-8; rename the file")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"{shown} is {size / 2**20:.0f} MB; {_TOO_LARGE}")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {shown}: {exc.strerror or exc}") from None
    text = normalise(decode(data, shown))
    if all(unicodedata.category(c) in _INVISIBLE for c in text):
        raise InputError(f"{shown} is empty (no visible character): an article needs at least a title line")
    size = len(text.encode("utf-8")) + 5 * len(_ESCAPED.findall(text))
    if size > MAX_BYTES:
        raise InputError(f"{shown} holds {size / 2**20:.1f} MB of text; {_TOO_LARGE}")
    text = text.replace("\x00", " ")
    return Document(name=path.name, text=text, path=str(path.relative_to(root)) if root else path.name)


def find_articles(paths: Iterable[Path]) -> list[tuple[Path, Path]]:
    """Files and folders (searched recursively for ``*.txt``) -> sorted (file, root) pairs.

    A broken symbolic link is kept, so that reading it reports it; folders, pipes and
    devices named ``*.txt`` are not articles and are passed over.
    """
    found: dict[Path, Path] = {}
    for path in paths:
        if path.is_dir():
            for file in path.rglob("*.txt"):
                if file.is_file() or (file.is_symlink() and not file.exists()):
                    found.setdefault(file, path)
        elif path.is_file():
            found.setdefault(path, path.parent)
        else:
            raise UsageError(f"{path} does not exist; give article files or folders of .txt files")
    return sorted(found.items(), key=lambda item: str(item[0]))

