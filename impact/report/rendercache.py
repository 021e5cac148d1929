"""Rendered pictures kept by their content: the same Vega-Lite spec gives the same SVG.

vl-convert takes 0.05-0.3 s per chart and the infographic's PNG and PDF half
a second. A rebuild after one changed coding draws mostly charts whose data
did not change, so each result is kept under the sha256 of everything
vl-convert is given: the spec (with its data) or the SVG, the options, the
font folders registered here, the time zone and vl-convert's version. A key
therefore never gives a stale picture; anything that changes gives a new key.

Results are kept in memory for the process (a warm kernel of ``impact build
--watch`` keeps them between builds) and, when ``IMPACT_RENDER_CACHE`` names
a folder, on disk, so a new kernel or build finds them too. ``impact build``
points it at ``data/cache/render`` (never published), records which results
each report used (``start``, ``used``) and removes the rest (``prune``).

Example:
    >>> spec = {"data": {"values": [{"a": 1}]}, "mark": "bar", "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    >>> start(); svg = vegalite_to_svg(spec)
    >>> svg.startswith("<svg") and vegalite_to_svg(spec) is svg and len(used())
    1
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path

FOLDER_ENV = "IMPACT_RENDER_CACHE"
MEMORY_ITEMS = 256  # kept in memory per process (an SVG is 10-100 kB)

_memory: OrderedDict[str, str | bytes] = OrderedDict()
_fonts: list[str] = []
_used: dict[int, set[str]] = {}  # thread -> keys used since start() in that thread
_lock = threading.Lock()


def register_font_directory(path) -> None:
    """``vl_convert.register_font_directory``, remembered in every key made after it."""
    import vl_convert

    if str(path) not in _fonts:
        vl_convert.register_font_directory(str(path))
        _fonts.append(str(path))


@contextmanager
def kept_in(folder: Path):
    """Keep results on disk in ``folder`` (this process and the kernels it starts) while inside."""
    old = os.environ.get(FOLDER_ENV)
    os.environ[FOLDER_ENV] = str(folder)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(FOLDER_ENV, None)
        else:
            os.environ[FOLDER_ENV] = old


def start() -> None:
    """Begin recording the results this thread uses (forgets an earlier recording)."""
    _used[threading.get_ident()] = set()


def used() -> list[str]:
    """The keys of the results this thread used since ``start()``, sorted."""
    return sorted(_used.get(threading.get_ident(), ()))


def _zone() -> str:
    """The time zone vl-convert formats dates in, as the system gives it (asking vl-convert itself would
    start its JavaScript engine: a second, also when every picture is in the cache)."""
    try:
        local = os.path.realpath("/etc/localtime")
    except OSError:
        local = ""
    return f"{os.environ.get('TZ', '')}|{local}|{time.tzname}|{time.timezone}"


def _key(kind: str, subject: str, options: dict) -> str:
    import vl_convert

    h = hashlib.sha256()
    for part in (kind, vl_convert.__version__, _zone(), json.dumps(_fonts),
                 json.dumps(options, sort_keys=True), subject):
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


def _folder() -> Path | None:
    folder = os.environ.get(FOLDER_ENV)
    return Path(folder) if folder else None


def _cached(kind: str, subject: str, options: dict, make, suffix: str, binary: bool):
    key = _key(kind, subject, options) + suffix
    _used.setdefault(threading.get_ident(), set()).add(key)
    folder = _folder()
    path = folder / key if folder else None
    with _lock:
        hit = _memory.get(key)
        if hit is not None:
            _memory.move_to_end(key)
    if hit is not None:
        # drawn earlier in this process, perhaps for another study: this study's folder keeps it too
        if path is not None and not path.is_file():
            _write(path, hit if binary else hit.encode("utf-8"))
        return hit
    result = None
    if path is not None and path.is_file():
        try:
            result = path.read_bytes() if binary else path.read_text(encoding="utf-8")
        except OSError:
            result = None
    if result is None:
        result = make()
        if path is not None:
            _write(path, result if binary else result.encode("utf-8"))
    with _lock:
        _memory[key] = result
        while len(_memory) > MEMORY_ITEMS:
            _memory.popitem(last=False)
    return result


def _write(path: Path, data: bytes) -> None:
    """Atomic and private (0600); a cache that cannot be written is only slower."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


def vegalite_to_svg(spec: dict, **options) -> str:
    """``vl_convert.vegalite_to_svg(spec, **options)``, drawn once per distinct input."""
    import vl_convert

    subject = json.dumps(spec, sort_keys=True, separators=(",", ":"), default=str)
    return _cached("vegalite-svg", subject, options, lambda: vl_convert.vegalite_to_svg(spec, **options),
                   ".svg", binary=False)


def svg_to_png(svg: str, **options) -> bytes:
    """``vl_convert.svg_to_png(svg, **options)``, drawn once per distinct input."""
    import vl_convert

    return _cached("svg-png", svg, options, lambda: vl_convert.svg_to_png(svg, **options), ".png", binary=True)


def svg_to_pdf(svg: str) -> bytes:
    """``vl_convert.svg_to_pdf(svg)``, drawn once per distinct input."""
    import vl_convert

    return _cached("svg-pdf", svg, {}, lambda: vl_convert.svg_to_pdf(svg), ".pdf", binary=True)


def prune(folder: Path, keep: set[str]) -> int:
    """Remove the results in ``folder`` whose key is not in ``keep``; returns how many."""
    removed = 0
    if not folder.is_dir():
        return 0
    for path in folder.iterdir():
        if path.is_file() and path.name not in keep and not path.name.startswith("."):
            path.unlink(missing_ok=True)
            removed += 1
    return removed
