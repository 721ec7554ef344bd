"""py3langid's model, loaded from a decompressed copy in the user's cache folder.

The model ships as an LZMA'd .npz (4.5 MB); decompressing it takes about 0.4 s (of a
one-file import's 0.3 s otherwise) and 68 MB of memory, on every run that meets a text
that is not clearly English (audit5 F0c). Once decompressed, the arrays are written to
`$XDG_CACHE_HOME/annotator` (or ~/.cache/annotator) as one file of .npy arrays, which later
runs map into memory (mmap: pages are read when touched and shared by forked workers).

The cache is never trusted: its name carries py3langid's version and the model file's
SHA-256 (a new py3langid or model is a new file); its content carries a magic line, the same
key, each array's .npy header (numpy reads it; no pickle), and a CRC-32 of all the arrays'
bytes; and the arrays' shapes and index ranges are checked so that no index can fall
outside them. A file that fails any check is ignored and written again; a cache entry that
is not a regular file (a folder, a device, a link someone put there) is left alone and the
model is loaded from the package. A cache folder we cannot write only costs the 0.4 s.

What this relies on in py3langid (tests/test_language_model.py pins it against the
installed version): `modelio.load_model(path)` returning (ptc, pc, classes, nextmove, row,
output) and `LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs, tk_row=row)`.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import mmap
import os
import stat
import tempfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.ingest.readability import installed_version

if TYPE_CHECKING:
    import numpy as np

MAGIC = b"annotator py3langid model cache 1\n"
# a .npy header is far shorter than this
_HEADER_MAX = 4096
# every array starts on a multiple of this (numpy's own .npy alignment)
ALIGN = 64
# the arrays in file order and the dtype each must have
_ARRAYS = (
    ("ptc", "float16"),
    ("pc", "float32"),
    ("classes", "<U1"),  # any width (_same_kind)
    ("nextmove", "uint32"),
    ("row", "uint16"),
    ("out", "int32"),
)


def cache_folder() -> Path | None:
    """$XDG_CACHE_HOME/annotator, or ~/.cache/annotator; None without a home. A relative
    XDG_CACHE_HOME is ignored, as the XDG spec says."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "annotator"
    try:
        return Path.home() / ".cache" / "annotator"
    except RuntimeError:
        return None


def _model_file() -> Path:
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    return Path(MODEL_DIR) / str(MODEL_FILE)


def model_key() -> str:
    """py3langid's version and the model file's SHA-256: what the cache was made from."""
    with open(_model_file(), "rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
    return f"{installed_version('py3langid')}-{digest[:32]}"


def cache_file(folder: Path, key: str) -> Path:
    return folder / f"langid-{key}.npys"


def identifier(folder: Path | None) -> Any:
    """py3langid's LanguageIdentifier (norm_probs, as the detector uses it), from the cache
    in `folder` when it holds a sound copy of the installed model; otherwise from the
    package, writing the cache for next time. None folder: no cache."""
    from py3langid.langid import LanguageIdentifier

    if folder is None:
        return LanguageIdentifier.from_model_file(_model_file(), norm_probs=True)
    key = model_key()
    path = cache_file(folder, key)
    arrays = read(path, key)
    if arrays is None:
        from py3langid.modelio import load_model

        arrays = tuple(load_model(_model_file()))
        with contextlib.suppress(OSError):
            write(path, key, arrays)
    ptc, pc, classes, nextmove, row, out = arrays
    return LanguageIdentifier(ptc, pc, list(classes), nextmove, out, norm_probs=True, tk_row=row)


def _regular_or_absent(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except FileNotFoundError:
        return True


def write(path: Path, key: str, arrays: Sequence[object]) -> None:
    """The arrays (as load_model gives them) to `path`, atomically: a temporary file in the
    same folder, renamed over it. Not over anything but a regular file."""
    import numpy as np

    if not _regular_or_absent(path):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".langid-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            head = MAGIC + key.encode("ascii") + b"\n"
            fh.write(head)
            crc = 0
            for (name, dtype), value in zip(_ARRAYS, arrays, strict=True):
                a = np.asarray(value)
                if name != "classes":
                    a = np.ascontiguousarray(a, dtype=dtype)
                fh.write(b"\0" * (-fh.tell() % ALIGN))
                start = fh.tell()
                np.lib.format.write_array(fh, a, version=(1, 0), allow_pickle=False)
                end = fh.tell()
                fh.flush()
                crc = _crc_of(fh.fileno(), start, end, crc)
            fh.write(b"\0" * (-fh.tell() % ALIGN))
            fh.write(crc.to_bytes(4, "little"))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _crc_of(fd: int, start: int, end: int, crc: int) -> int:
    step = 1 << 24
    for at in range(start, end, step):
        crc = zlib.crc32(os.pread(fd, min(step, end - at), at), crc)
    return crc


def read(path: Path, key: str) -> tuple[Any, ...] | None:
    """The arrays in the cache file, mapped, when it is a sound cache of the model `key`
    names; None otherwise (absent, not a regular file, truncated, another model, corrupt)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode) or os.fstat(fd).st_size == 0:
            return None
        mm = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    finally:
        os.close(fd)
    try:
        return _parse(mm, key)
    except (ValueError, TypeError, IndexError, OverflowError):
        return None


def _parse(mm: mmap.mmap, key: str) -> tuple[Any, ...] | None:
    import numpy as np

    head = MAGIC + key.encode("ascii") + b"\n"
    if mm[: len(head)] != head:
        return None
    view = memoryview(mm)
    pos, crc, found, starts = len(head), 0, [], []
    for _name, dtype in _ARRAYS:
        pos += -pos % ALIGN
        start = pos
        a, data, pos = _array_at(mm, pos, np.dtype(dtype))
        crc = zlib.crc32(view[start:pos], crc)
        found.append(a)
        starts.append(data)
    pos += -pos % ALIGN
    if len(mm) != pos + 4 or int.from_bytes(mm[pos:], "little") != crc:
        return None
    ptc, pc, classes, nextmove, row, out = found
    rows = len(nextmove) // 256
    sound = (
        ptc.ndim == 2
        and ptc.shape[1] == len(pc) == len(classes) > 0
        and nextmove.ndim == row.ndim == out.ndim == 1
        and len(nextmove) % 256 == 0
        and len(row) == len(out) > 0
        and int(nextmove.max()) < len(row)  # a next state
        and int(row.max()) < rows  # a row of the transition table
        and int(out.max()) < ptc.shape[0]  # a feature
        and int(out.min()) >= -1  # -1: no feature at this state
    )
    if not sound:
        return None
    # The walk over the transitions indexes them one at a time, where numpy's indexing
    # is slow: the transitions as a memoryview of the mapped bytes (indexed a little
    # slower than load_model's stdlib array, but not copied: 39 MB), the output per state
    # as a list, as load_model gives it (0.4 MB).
    return (
        ptc,
        pc,
        classes.tolist(),
        view[starts[3] : starts[3] + nextmove.nbytes].cast("I"),
        row.tolist(),
        out.tolist(),
    )


def _array_at(mm: mmap.mmap, pos: int, want: np.dtype[Any]) -> tuple[Any, int, int]:
    """The .npy array at `pos` (its header read by numpy.lib.format: a literal, no pickle),
    where its data starts and where it ends."""
    import numpy as np

    fmt = np.lib.format
    fp = io.BytesIO(mm[pos : pos + _HEADER_MAX])
    if fmt.read_magic(fp) != (1, 0):
        raise ValueError("not a version 1.0 .npy array")
    shape, fortran, dtype = fmt.read_array_header_1_0(fp)
    if fortran or not _same_kind(dtype, want) or any(n < 0 for n in shape):
        raise ValueError("not the array expected")
    start = pos + fp.tell()
    count = 1
    for n in shape:
        count *= n
    end = start + count * dtype.itemsize
    if end > len(mm):
        raise ValueError("truncated")
    a = np.frombuffer(mm, dtype=dtype, count=count, offset=start).reshape(shape)
    return a, start, end


def _same_kind(dtype: np.dtype[Any], want: np.dtype[Any]) -> bool:
    """The dtype expected; for the class names any little-endian string (their width is
    the longest name's)."""
    if want.kind == "U":
        return dtype.kind == "U" and dtype.byteorder in "<=" and dtype.itemsize <= 64
    return dtype == want
