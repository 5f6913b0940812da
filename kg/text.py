"""Reading articles: bytes -> NFC text with ``\\n`` newlines; sentence spans."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import InputError
from .records import Document

MAX_BYTES = 64 * 1024 * 1024
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[A-ZÀ-Ỹ0-9Đ])|\n+")


def normalise(text: str) -> str:
    """Drop a BOM, make newlines ``\\n`` and compose to NFC.

    >>> normalise("\\ufeffa\\r\\nb")
    'a\\nb'
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def decode(data: bytes, name: str) -> str:
    """UTF-8 (BOM allowed), or UTF-16 when it says so with a BOM; else InputError."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name} starts with a UTF-16 mark but is not valid UTF-16 ({exc.reason})") from None
    if b"\x00" in data[:4096] and data.count(b"\x00") > len(data[:4096]) // 8:
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
    shown = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{shown} is {size // 2**20} MB; articles over {MAX_BYTES // 2**20} MB are refused")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {shown}: {exc.strerror or exc}") from None
    text = normalise(decode(data, shown))
    if not text.strip():
        raise InputError(f"{shown} is empty: an article needs at least a title line")
    text = text.replace("\x00", " ")
    return Document(name=path.name, text=text, path=str(path.relative_to(root)) if root else path.name)


def find_articles(paths: Iterable[Path]) -> list[tuple[Path, Path]]:
    """Files and folders (searched recursively for ``*.txt``) -> sorted (file, root) pairs."""
    found: dict[Path, Path] = {}
    for path in paths:
        if path.is_dir():
            for file in path.rglob("*.txt"):
                if file.is_file():
                    found.setdefault(file, path)
        elif path.is_file():
            found.setdefault(path, path.parent)
        else:
            raise InputError(f"{path} does not exist; give article files or folders of .txt files")
    return sorted(found.items(), key=lambda item: str(item[0]))


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """Sentence spans (begin, end) over the text, split at end punctuation and newlines."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() > start:
            yield start, match.start()
        start = match.end()
    if start < len(text):
        yield start, len(text)
