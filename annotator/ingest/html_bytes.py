"""An HTML page's bytes as every pass reads them: decompressed, and decoded into UTF-8.

trafilatura decodes a page itself: as UTF-8 when its bytes are UTF-8, otherwise by a guess
(charset_normalizer) that ignores what the page declares, and it gunzips a compressed page
on the way. Both came after our own passes over the bytes (hidden text, captions and
figures, the size limit), which saw compressed bytes, and the guess read a French page in
windows-1252 as a Central European code page ("à" came in as "ą"), silently (audit11 F2,
F8). So a page is made plain here, first, and every pass and trafilatura read the result:

- compressed (a scraper that stored the response's body as it came): gzip or zlib is
  decompressed, bounded by the size limit, so a small file that inflates past it is refused
  by its real size without being inflated whole; zstd, which nothing here decompresses, is
  refused by name;
- a UTF-16 byte order mark: decoded, and said (as for .txt); a UTF-8 one: UTF-8;
- `--encoding`: what the HTTP header said, which the saved page lost (a browser too puts it
  before the page's own declaration);
- UTF-8 as it is (every page of the corpus: their bytes go on unchanged);
- the charset the page declares (`<meta charset>`, `http-equiv` Content-Type, `<?xml
  encoding>`), read as browsers read its name (ISO-8859-1 and ASCII are windows-1252, GB2312
  is GB18030, Shift_JIS is Windows-31J);
- anything else is refused by name: no guess.

A page decoded from another encoding goes on as UTF-8 with its declarations saying utf-8,
so that nothing reading the bytes takes the old declaration at its word (libxml2 does when
left to itself: a figure of a windows-1252 page was lost). The page's bytes are
kept whole, as they were in the file, as the article's original.
"""

from __future__ import annotations

import codecs
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

from annotator.ingest.input_files import InputError, utf8_after_all

# browsers scan the start of a page for its declaration (1,024 bytes by the standard; a
# page whose <head> opens with a long inline script puts it further): only what is needed
# to find it
_PRESCAN = 65_536
_META_CHARSET = re.compile(rb"<meta\b[^>]*?\bcharset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
_XML_ENCODING = re.compile(rb"\A\s*<\?xml\b[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._:-]+)", re.I)
_META_CHARSET_TEXT = re.compile(r"<meta\b[^>]*?\bcharset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
_XML_ENCODING_TEXT = re.compile(
    r"\A\s*<\?xml\b[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._:-]+)", re.I
)
_GZIP = b"\x1f\x8b"
_ZSTD = b"\x28\xb5\x2f\xfd"
_MAX_MEMBERS = 1_000  # gzip members in one file (bgzip writes one per 64 KB)

# a declared name as the WHATWG Encoding standard reads it, where Python's codec of that
# name decodes otherwise (a page labelled ISO-8859-1 is windows-1252 in every browser, and
# its curly quotes are there in 0x91-0x94); a page cannot declare UTF-16 in ASCII bytes
_LABELS = {
    **dict.fromkeys(
        (
            "iso-8859-1",
            "iso8859-1",
            "iso_8859-1",
            "iso88591",
            "latin1",
            "latin-1",
            "l1",
            "ascii",
            "us-ascii",
            "cp819",
            "ibm819",
            "iso-ir-100",
            "csisolatin1",
            "windows-1252",
            "x-cp1252",
        ),
        "cp1252",
    ),
    **dict.fromkeys(("iso-8859-9", "iso8859-9", "latin5", "l5", "windows-1254"), "cp1254"),
    **dict.fromkeys(("tis-620", "iso-8859-11", "windows-874"), "cp874"),
    **dict.fromkeys(("gb2312", "gbk", "x-gbk", "chinese", "csgb2312", "gb_2312-80"), "gb18030"),
    **dict.fromkeys(
        ("shift_jis", "shift-jis", "sjis", "x-sjis", "ms932", "ms_kanji", "windows-31j"), "cp932"
    ),
    **dict.fromkeys(("euc-kr", "ks_c_5601-1987", "windows-949", "csksc56011987"), "cp949"),
    **dict.fromkeys(("big5", "big5-hkscs", "x-x-big5", "cn-big5", "csbig5"), "big5hkscs"),
    **dict.fromkeys(("utf-16", "utf-16le", "utf-16be", "unicode", "ucs-2"), "utf-8"),
}
# the codecs a page's own declaration may pick (Python's names): text encodings of the web,
# never a codec that reads escapes (unicode_escape), UTF-7 (refused by browsers) or bytes
_WEB_CODECS = (
    "cp",
    "iso8859",
    "koi8",
    "mac-",
    "tis",
    "gb",
    "big5",
    "euc",
    "shift",
    "iso2022",
    "johab",
    "hz",
    "kz",
    "ptcp",
)


def _c1_as_latin1(err: UnicodeError) -> tuple[str, int]:
    # the five bytes windows-1252 leaves undefined are the C1 controls of the same number,
    # as in browsers (Python's cp1252 refuses them)
    assert isinstance(err, UnicodeDecodeError)
    return err.object[err.start : err.end].decode("latin-1"), err.end


codecs.register_error("annotator.c1", _c1_as_latin1)


@dataclass(frozen=True)
class Page:
    data: bytes  # the page in UTF-8, decompressed
    steps: tuple[str, ...]  # what was done to the file's bytes ("gzip", "cp1252"); () none
    note: str | None  # what the import says on the file's line


def plain_page(raw: bytes, path: Path | str, encoding: str | None, limit: int) -> Page:
    """The page `raw` (a file's bytes) decompressed and in UTF-8; InputError naming the file
    when it cannot be (over `limit` bytes decompressed, an encoding it does not say)."""
    steps: list[str] = []
    notes: list[str] = []
    if raw.startswith(_ZSTD):
        raise InputError(path, None, "zstd-compressed: decompress it first (unzstd)")
    data = _decompressed(raw, path, limit)
    if data is not raw:
        steps.append("gzip" if raw.startswith(_GZIP) else "zlib")
        notes.append(f"decompressed ({steps[0]})")
        if not data.strip():
            raise InputError(path, None, "empty file (once decompressed)")
    text, codec, note = _decoded(data, path, encoding)
    if note:
        notes.append(note)
    if text is not None:
        steps.append(codec)
        try:
            data = _declaring_utf8(text).encode("utf-8")
        except UnicodeEncodeError as e:
            raise InputError(
                path,
                text.count("\n", 0, e.start) + 1,
                f"lone surrogate U+{ord(text[e.start]):04X} after decoding (not valid Unicode)",
            ) from None
    return Page(data, tuple(steps), "; ".join(notes) or None)


def _decoded(
    data: bytes, path: Path | str, encoding: str | None
) -> tuple[str | None, str, str | None]:
    """(the page decoded, the codec, a note); None for the text when its bytes are UTF-8
    and go on as they are."""
    unused = f"; --encoding {encoding} not applied" if encoding else ""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise InputError(
                path, None, f"UTF-16 byte order mark but invalid UTF-16: {e.reason}"
            ) from None
        return text, "utf-16", f"decoded as UTF-16 (byte order mark{unused})"
    bad = _not_utf8_at(data)
    if data.startswith(b"\xef\xbb\xbf") and bad is None:
        return None, "utf-8", f"UTF-8 by its byte order mark{unused}" if encoding else None
    if encoding and bad is None and utf8_after_all(data, encoding):
        # the whole import's --encoding, on a page that is valid UTF-8 beyond ASCII: read as
        # UTF-8, as a text file of the same folder is (audit11 F13), and said
        return None, "utf-8", f"valid UTF-8: read as UTF-8, not as {encoding}"
    if encoding:
        try:
            text = data.decode(encoding)
        except (ValueError, LookupError) as e:  # a UnicodeError, or a codec's own
            line = _line_of(data, e.start) if isinstance(e, UnicodeDecodeError) else None
            raise InputError(path, line, f"cannot decode as {encoding}: {e}") from None
        return text, encoding, f"decoded as {encoding} (--encoding)"
    if bad is None:
        return None, "utf-8", None
    where = f"byte 0x{data[bad]:02x} on line {_line_of(data, bad)}"
    label = _declared(data)
    if label is None:
        raise InputError(
            path,
            None,
            f"not UTF-8 and no charset declared: use --encoding ({where}; e.g. --encoding cp1252)",
        )
    codec = _LABELS.get(label.lower(), label)
    if codec == "utf-8" or _codec_name(codec) == "utf-8":
        raise InputError(
            path,
            None,
            f"not UTF-8 though it declares charset {label}: use --encoding ({where}; "
            "e.g. --encoding cp1252)",
        )
    name = _codec_name(codec)
    if name is None or not name.startswith(_WEB_CODECS):
        raise InputError(
            path,
            None,
            f"not UTF-8, and the charset it declares ({label}) is not one read here: "
            f"use --encoding ({where})",
        )
    try:
        text = data.decode(name, "annotator.c1" if name == "cp1252" else "strict")
    except UnicodeDecodeError as e:
        raise InputError(
            path,
            None,
            f"not UTF-8, nor {label} as it declares (byte 0x{data[e.start]:02x} on line "
            f"{_line_of(data, e.start)}): use --encoding",
        ) from None
    return text, name, None


def _codec_name(label: str) -> str | None:
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _declared(data: bytes) -> str | None:
    """The charset the page declares, as written; None when it declares none."""
    head = data[:_PRESCAN]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii") if m else None


def _declaring_utf8(text: str) -> str:
    """The decoded page with its declarations (if any) saying utf-8, which it now is."""
    head = text[:_PRESCAN]
    said = head
    for pattern in (_XML_ENCODING_TEXT, _META_CHARSET_TEXT):
        said = pattern.sub(_utf8, said)
    return text if said == head else said + text[_PRESCAN:]


def _utf8(m: re.Match[str]) -> str:
    start, end = m.span(1)
    whole = m.group(0)
    return whole[: start - m.start()] + "utf-8" + whole[end - m.start() :]


def _not_utf8_at(data: bytes) -> int | None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        return e.start
    return None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _decompressed(raw: bytes, path: Path | str, limit: int) -> bytes:
    """`raw` gunzipped (all its members) or inflated (a zlib stream), never past `limit`
    bytes of output; `raw` itself when it is neither."""
    if raw.startswith(_GZIP):
        kind, wbits = "gzip", 31
    elif len(raw) > 2 and raw[0] & 0x0F == 8 and (raw[0] << 8 | raw[1]) % 31 == 0:
        kind, wbits = "zlib", 15  # the two-byte header of a zlib stream (RFC 1950)
    else:
        return raw
    out = bytearray()
    rest = raw
    for _ in range(_MAX_MEMBERS):
        dec = zlib.decompressobj(wbits)
        try:
            # at most one byte more than the limit: a bomb is never inflated whole
            out += dec.decompress(rest, limit + 1 - len(out))
        except zlib.error as e:
            if kind == "zlib":
                return raw  # two bytes that only looked like a zlib header
            raise InputError(path, None, f"gzip-compressed, but damaged: {e}") from None
        if len(out) > limit:
            raise InputError(
                path,
                None,
                f"{kind}-compressed page of more than {limit:,} bytes once decompressed: "
                "over the import's limit",
            )
        if not dec.eof:
            if kind == "zlib":
                return raw
            raise InputError(path, None, "gzip-compressed, but cut off (incomplete)")
        rest = dec.unused_data.lstrip(b"\x00")  # padding, as gzip.decompress allows
        if kind == "zlib" or not rest:
            return bytes(out)
    raise InputError(path, None, f"gzip-compressed in more than {_MAX_MEMBERS:,} parts")
