"""MOBI and AZW3 (Kindle) through calibre's `ebook-convert`, from our own EPUB. Offered only when
calibre is installed: nothing in Python writes these formats well."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

from fanarchive.domain.exports.context import ExportContext
from fanarchive.domain.exports.epub import write_epub
from fanarchive.domain.work import ParsedWork

CONVERTER = "ebook-convert"
INSTALL_HINT = (
    "MOBI and AZW3 downloads need calibre's ebook-convert on the PATH: install calibre "
    "(Debian/Ubuntu: `sudo apt-get install calibre`; elsewhere https://calibre-ebook.com/download)"
)
# A converter that hangs must not hold a worker for ever; calibre takes seconds on a long novel.
TIMEOUT_SECONDS = 600


class ConversionFailed(RuntimeError):
    pass


# When calibre was last looked for, by (program, PATH): pages ask on every request (the formats they
# offer), and a search of PATH cost a cached page a fifth of its time. Installing calibre is noticed
# within this long, with no restart.
_LOOKED: dict[tuple[str, str], tuple[float, bool]] = {}
_LOOK_AGAIN_SECONDS = 30.0


def calibre_available() -> bool:
    key = (CONVERTER, os.environ.get("PATH", ""))
    now = time.monotonic()
    looked = _LOOKED.get(key)
    if looked is None or now - looked[0] > _LOOK_AGAIN_SECONDS:
        looked = (now, shutil.which(CONVERTER) is not None)
        _LOOKED[key] = looked
    return looked[1]


def convert(source: Path, target: Path) -> None:
    """Run ebook-convert; the target's extension picks the output format."""
    converter = shutil.which(CONVERTER)
    if converter is None:
        raise ConversionFailed(INSTALL_HINT)
    done = subprocess.run(
        [converter, str(source), str(target)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
        # calibre writes its settings under $HOME; a server account may have none it can write.
        env={"PATH": str(Path(converter).parent), "HOME": tempfile.gettempdir(), "LANG": "C.UTF-8"},
    )
    if done.returncode != 0 or not target.exists():
        raise ConversionFailed(f"ebook-convert failed ({done.returncode}): {done.stderr.strip()[-500:]}")


def write_mobi(work: ParsedWork, context: ExportContext, out: BinaryIO) -> None:
    _convert_to("mobi", work, context, out)


def write_azw3(work: ParsedWork, context: ExportContext, out: BinaryIO) -> None:
    _convert_to("azw3", work, context, out)


def _convert_to(extension: str, work: ParsedWork, context: ExportContext, out: BinaryIO) -> None:
    with tempfile.TemporaryDirectory(prefix="fanarchive-calibre-") as folder:
        source = Path(folder) / "work.epub"
        target = Path(folder) / f"work.{extension}"
        with source.open("wb") as epub:
            write_epub(work, context, epub)
        convert(source, target)
        with target.open("rb") as converted:
            shutil.copyfileobj(converted, out, 1 << 20)
