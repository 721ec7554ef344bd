"""A text file's bytes to text: UTF-8 (with or without a BOM), UTF-16 by its BOM, or the
`--encoding` given; what cannot be text (NUL characters, lone surrogates, a cut-off UTF-8
character) is refused naming the line. reading.py reads the files (kept apart from it to
keep both under 400 lines)."""

from __future__ import annotations

from pathlib import Path

from annotator.ingest.input_files import InputError, utf8_after_all


def decode(
    data: bytes, path: Path | str, encoding: str | None = None
) -> tuple[str, str, str | None]:
    """Decode file bytes; return (text, encoding used, a note if it was not plain UTF-8)."""
    text, enc, note = _decode(data, path, encoding)
    nul = text.find("\x00")
    if nul >= 0:
        # refused whatever decoded it (latin-1 by --encoding let them in), as an HTML page
        # with one is (audit11 F16)
        raise InputError(
            path, text.count("\n", 0, nul) + 1, "contains NUL characters once decoded as " + enc
        )
    return text, enc, note


def _decode(data: bytes, path: Path | str, encoding: str | None) -> tuple[str, str, str | None]:
    if not data.strip():
        raise InputError(path, None, "empty file")
    if encoding and utf8_after_all(data, encoding):
        # a folder is mixed: most files UTF-8, a few legacy ones, and one --encoding for the
        # command. Bytes that are valid UTF-8 with letters beyond ASCII are UTF-8 (as cp1252
        # they would be mojibake: "annoncÃ©"), so such a file is read as UTF-8 and said so
        # (audit11 F13)
        enc = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
        return data.decode(enc), enc, f"valid UTF-8: read as UTF-8, not as {encoding}"
    if encoding:
        try:
            text = data.decode(encoding)
            check_unicode(text, path)
            return text, encoding, f"decoded as {encoding} (--encoding)"
        except (UnicodeDecodeError, LookupError) as e:
            raise InputError(
                path, line_of(data, getattr(e, "start", 0)), f"cannot decode as {encoding}: {e}"
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # a UTF-16 byte order mark is unambiguous: decode, and say so
        try:
            return data.decode("utf-16"), "utf-16", "decoded as UTF-16 (byte order mark)"
        except UnicodeDecodeError as e:
            raise InputError(
                path, None, f"UTF-16 byte order mark but invalid UTF-16: {e.reason}"
            ) from None
    refuse_nul_bytes(data, path)
    enc = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        return data.decode(enc), enc, None
    except UnicodeDecodeError as e:
        line = line_of(data, e.start)
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        if e.reason == "unexpected end of data":
            raise InputError(path, line, cut_off(col)) from None
        raise InputError(
            path,
            line,
            f"not UTF-8 (byte 0x{data[e.start]:02x} at column {col}); re-save as UTF-8 "
            f"or name the encoding with --encoding (e.g. cp1252, latin-1)",
        ) from None


def check_unicode(text: str, path: Path | str, line: int | None = None) -> None:
    """Some codecs (unicode_escape, surrogatepass variants) decode to lone surrogates, which
    no UTF-8 writer (SQLite included) accepts: refuse them here, with where they are."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise InputError(
            path,
            line or text.count("\n", 0, e.start) + 1,
            f"lone surrogate U+{ord(text[e.start]):04X} after decoding (not valid Unicode)",
        ) from None


def line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def refuse_nul_bytes(data: bytes, path: Path | str) -> None:
    """A NUL byte is no text: a binary file, or UTF-16/32 without its byte order mark."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(
            path,
            line_of(data, nul),
            "contains NUL bytes: a binary file, or text in an encoding other than UTF-8",
        )


def cut_off(column: int) -> str:
    """What a file that ends inside a UTF-8 character is: valid UTF-8 up to a character its
    last bytes only begin (an interrupted download, a `head -c`), never another encoding,
    which would import it as mojibake."""
    return (
        f"the file ends inside a UTF-8 character (column {column}): it was cut off; "
        "take the whole file again, or remove its last incomplete character"
    )
