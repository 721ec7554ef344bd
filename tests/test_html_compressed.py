"""A compressed page saved as .html (a scraper that stores the response's body as it came;
audit11 F8): trafilatura gunzipped it itself, after our own passes had read the compressed
bytes, so hidden text came in, figure captions went, and the size limit applied to the
compressed size. The page is now decompressed first (bounded by the limit), and imports as
the plain page does."""

from __future__ import annotations

import gzip
import sqlite3
import zlib
from pathlib import Path

import pytest

from annotator.ingest import reading
from tests.conftest import SHARED, RunCli, write

BBC = SHARED / "news_corpus" / "html" / "bbc.com.52241221.html"

BODY = "".join(
    f"<p>Paragraph {i} reports that the council voted on Tuesday to approve budget number "
    f"{i}, officials said.</p>\n"
    for i in range(6)
)
HIDDEN = (
    "<div hidden><p>We value your privacy. We and our 842 partners store and access "
    "information on your device such as cookies and process personal data for personalised "
    "ads and content.</p></div>"
)


def page(body: str = BODY + HIDDEN) -> bytes:
    return (
        "<!doctype html><html><head><title>Hidden test</title></head><body><article>"
        f"<h1>Hidden test</h1>{body}</article></body></html>"
    ).encode()


def texts(db: Path) -> list[str]:
    return [t for (t,) in sqlite3.connect(db).execute("SELECT text FROM sentences")]


def test_a_gzipped_page_goes_through_every_pass_as_the_plain_page(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    plain = write(tmp_path / "hid.html", page())
    packed = write(tmp_path / "hidgz.html", gzip.compress(page()))
    deflated = write(tmp_path / "hidz.html", zlib.compress(page()))
    result = run_cli("import", str(plain), str(packed), str(deflated))
    assert result.exit_code == 0, result.output
    # the same text: the hidden consent text is out of both
    assert f"{packed}: 1 unchanged (already imported: hid)" in result.output
    assert f"{deflated}: 1 unchanged (already imported: hid)" in result.output
    assert not any("privacy" in t for t in texts(db_path))
    # a real page: its figures' captions and credits are put back from the gunzipped page
    bbc = write(tmp_path / "bbcgz.html", gzip.compress(BBC.read_bytes()))
    result = run_cli("import", str(BBC), str(bbc))
    assert result.exit_code == 0, result.output
    assert f"{bbc}: 1 unchanged (already imported: bbc.com.52241221)" in result.output
    # said on its own line when it is imported, and kept as it was in the file
    other = write(tmp_path / "other.html", gzip.compress(page(BODY.replace("budget", "plan"))))
    result = run_cli("import", str(other))
    assert result.exit_code == 0, result.output
    assert f"{other}: 1 article, 7 segments (decompressed (gzip))" in result.output
    original, encoding = (
        sqlite3.connect(db_path)
        .execute("SELECT original, encoding FROM articles WHERE external_id = 'other'")
        .fetchone()
    )
    assert bytes(original) == other.read_bytes() and encoding == "html (gzip)"


def test_a_compressed_page_is_refused_by_its_decompressed_size(
    run_cli: RunCli, tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "MAX_HTML_BYTES", 100_000)
    big = page(BODY * 200)  # about 130 KB; 2 KB compressed
    bomb = write(tmp_path / "bomb.html", gzip.compress(big))
    zbomb = write(tmp_path / "zbomb.html", zlib.compress(big))
    assert bomb.stat().st_size < 10_000
    result = run_cli("import", str(bomb), str(zbomb))
    assert result.exit_code == 1, result.output
    assert (
        f"{bomb}: gzip-compressed page of more than 100,000 bytes once decompressed: over the "
        "import's limit"
    ) in result.output
    assert f"{zbomb}: zlib-compressed page of more than 100,000 bytes" in result.output
    assert not db_path.exists()


def test_a_damaged_or_unreadable_compressed_page_is_refused_by_name(
    run_cli: RunCli, tmp_path: Path
) -> None:
    packed = gzip.compress(page())
    cut = write(tmp_path / "cut.html", packed[: len(packed) // 2])
    zstd = write(tmp_path / "z.html", b"\x28\xb5\x2f\xfd" + packed)
    empty = write(tmp_path / "empty.html", gzip.compress(b"  \n"))
    result = run_cli("import", str(cut), str(zstd), str(empty))
    assert result.exit_code == 1, result.output
    assert f"{cut}: gzip-compressed, but cut off (incomplete)" in result.output
    assert f"{zstd}: zstd-compressed: decompress it first (unzstd)" in result.output
    assert f"{empty}: empty file (once decompressed)" in result.output
    assert "Traceback" not in result.output
