"""A study on disk: the folder layout and its ``impact.toml``.

A study is a folder with ``impact.toml``, ``questionnaires/``,
``data/raw/``, ``data/processed/``, ``notebooks/`` and ``reports/``. The
repository root is the default study; ``--study DIR`` selects another.

Example:
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp()) / "mijn-studie"
    >>> study = init_study(root, name="Buurtbanen Oost")
    >>> study.config.name, study.raw.name
    ('Buurtbanen Oost', 'raw')
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from impact.errors import StudyError, Text
from impact.text import choices, languages

CONFIG_NAME = "impact.toml"
LAYOUT = ("questionnaires", "data/raw", "data/processed", "notebooks", "reports")

DEFAULT_DISTRICTS = [
    "Centrum", "Nieuw-West", "Noord", "Oost", "West", "Zuid", "Zuidoost",
]


@dataclass(frozen=True)
class PrivacyConfig:
    """Privacy settings of a study.

    ``k``: the smallest count of persons that may be published, on every
    page, also for the whole study (an older ``headline_totals = true``
    is no longer followed: a small total of the whole study would sit next
    to the district reports of the same build; docs/privacy.md).
    ``demo_key``: use the fixed, public demo key for pseudonyms. Only for
    synthetic studies; a real study keeps its key outside the repository.
    """

    k: int = 5
    demo_key: bool = False


@dataclass(frozen=True)
class BuildConfig:
    """``[build]``: ``keep_warm_minutes``: how long a warm helper waits for the next ``impact process`` or
    ``impact build`` after a build (``impact.report.warm``); 0 = no helper. Not set: a helper only when
    the command runs in a terminal, for ``WARM_MINUTES``."""

    keep_warm_minutes: int | None = None


WARM_MINUTES = 20


@dataclass(frozen=True)
class StudyConfig:
    name: str = "Nieuwe studie"
    language: str = "nl"
    districts: list[str] = field(default_factory=lambda: list(DEFAULT_DISTRICTS))
    synthetic: bool = False
    period_start: str | None = None
    period_end: str | None = None
    privacy: PrivacyConfig = field(default_factory=PrivacyConfig)
    build: BuildConfig = field(default_factory=BuildConfig)

    @classmethod
    def from_toml(cls, path: Path) -> "StudyConfig":
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise StudyError(Text("{path}: dit bestand is geen geldige TOML ({exc}).", path=path, exc=exc)) from None
        s = data.get("study", {})
        p = data.get("privacy", {})
        lang = s.get("language", "nl")
        if lang not in languages():
            raise StudyError(Text("{path}, [study] language: waarde '{v_lang}'; verwacht {choices}.",
                                  path=path, v_lang=lang, choices=choices))
        k = p.get("k", 5)
        if not isinstance(k, int) or k < 1:
            raise StudyError(Text("{path}, [privacy] k: waarde '{k}'; verwacht een heel getal van 1 of meer.",
                                  path=path, k=k))
        minutes = data.get("build", {}).get("keep_warm_minutes")
        if minutes is not None and (not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < 0):
            raise StudyError(Text("{path}, [build] keep_warm_minutes: waarde '{minutes}'; verwacht een heel getal "
                                  "van 0 of meer (0 = geen warme hulp).",
                                  path=path, minutes=minutes))
        return cls(
            name=s.get("name", cls.name),
            language=lang,
            districts=list(s.get("districts", DEFAULT_DISTRICTS)),
            synthetic=bool(s.get("synthetic", False)),
            period_start=s.get("period_start"),
            period_end=s.get("period_end"),
            privacy=PrivacyConfig(
                k=k,
                demo_key=bool(p.get("demo_key", False)),
            ),
            build=BuildConfig(keep_warm_minutes=minutes),
        )


def render_config(config: StudyConfig) -> str:
    """The text of ``impact.toml`` for ``config`` (stable, for byte-identical demos)."""
    districts = ", ".join(f'"{d}"' for d in config.districts)
    lines = [
        "# Instellingen van deze studie. / Settings of this study.",
    ]
    if config.synthetic:
        lines.append("# SYNTHETISCH: alle gegevens zijn verzonnen door `impact demo`. / SYNTHETIC: all data made up by `impact demo`.")
    lines += [
        "[study]",
        f'name = "{config.name}"',
        f'language = "{config.language}"   # nl of en',
        f"districts = [{districts}]",
        f"synthetic = {str(config.synthetic).lower()}",
    ]
    if config.period_start:
        lines.append(f'period_start = "{config.period_start}"')
    if config.period_end:
        lines.append(f'period_end = "{config.period_end}"')
    lines += [
        "",
        "[privacy]",
        f"k = {config.privacy.k}   # kleinste aantal personen dat je mag laten zien / smallest count of persons shown",
        f"demo_key = {str(config.privacy.demo_key).lower()}   # alleen voor de demo: vaste, openbare sleutel",
        "",
    ]
    return "\n".join(lines)


@dataclass(frozen=True)
class Study:
    """A study folder. Paths are absolute."""

    root: Path
    config: StudyConfig

    @classmethod
    def load(cls, root: Path | str | None = None) -> "Study":
        """Open the study in ``root`` (default: ``$IMPACT_STUDY`` or the current folder)."""
        root = Path(root or os.environ.get("IMPACT_STUDY") or ".").resolve()
        cfg = root / CONFIG_NAME
        if not cfg.is_file():
            raise StudyError(Text("Geen studie gevonden in {root}: het bestand {config_name} ontbreekt. Maak "
                                  "een studie met 'impact init MAP' of 'impact demo MAP'.",
                                  root=root, config_name=CONFIG_NAME))
        return cls(root=root, config=StudyConfig.from_toml(cfg))

    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "data" / "processed"

    @property
    def questionnaires(self) -> Path:
        return self.root / "questionnaires"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def rel(self, path: Path | str) -> str:
        """``path`` relative to the study root, for messages."""
        p = Path(path)
        try:
            return str(p.resolve().relative_to(self.root))
        except ValueError:
            return str(p)

    def table(self, name: str):
        """Read processed table ``name`` as a polars DataFrame."""
        import polars as pl

        from impact import reads

        path = self.processed / f"{name}.parquet"
        reads.note(path)  # an input of the report being built
        reads.touch(name)
        if not path.is_file():
            raise StudyError(Text("De tabel '{name}' ontbreekt in {processed}. Draai eerst 'impact process'.",
                                  name=name, processed=self.rel(self.processed)))
        return read_table_file(path)


_READ: dict = {}  # path -> (version, frame): the last version read of each processed table in this process


def read_table_file(path: Path):
    """A processed table (parquet) as a polars DataFrame, read again only when the file changed.

    A kernel that runs one notebook after another (``impact build``, ``--watch``) reads an unchanged table
    once: ``impact process`` replaces a changed table by a new file and leaves the others as they are.
    The frames are never changed in place (polars), so every reader can share one.

    Example:
        >>> import tempfile, pathlib, polars as pl
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.parquet"
        >>> pl.DataFrame({"a": [1]}).write_parquet(path)
        >>> read_table_file(path) is read_table_file(path)
        True
    """
    import polars as pl

    from impact.files import read_when_changed

    key = os.path.abspath(path)
    return read_when_changed(_READ, key, key, lambda: pl.read_parquet(key), keep=40)  # a study has ~20 tables


SHIPPED_NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"


def add_notebooks(root: Path | str) -> list[Path]:
    """Copy impact's notebooks into ``root/notebooks`` when it holds none yet (a study's own stay).

    The study then has the six report notebooks (and the coding notebook) to
    read, change and build.
    """
    target = Path(root) / "notebooks"
    target.mkdir(parents=True, exist_ok=True)
    if any(target.glob("*.ipynb")) or not SHIPPED_NOTEBOOKS.is_dir():
        return []
    copied = []
    for src in sorted(SHIPPED_NOTEBOOKS.glob("*.ipynb")):
        copied.append(target / src.name)
        copied[-1].write_bytes(src.read_bytes())
    return copied


def init_study(root: Path | str, name: str = "Nieuwe studie", language: str = "nl",
               districts: list[str] | None = None) -> Study:
    """Create an empty study in ``root`` (with impact's notebooks); refuse to overwrite one."""
    root = Path(root)
    if (root / CONFIG_NAME).exists():
        raise StudyError(Text("In {root} staat al een studie ({config_name}). Kies een lege map.",
                              root=root, config_name=CONFIG_NAME))
    for sub in LAYOUT:
        (root / sub).mkdir(parents=True, exist_ok=True)
    for sub in ("data/raw/transcripts", "data/raw/codings", "data/raw/responses"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    config = StudyConfig(name=name, language=language,
                         districts=list(districts or DEFAULT_DISTRICTS))
    (root / CONFIG_NAME).write_text(render_config(config), encoding="utf-8")
    add_notebooks(root)
    ignore = root / ".gitignore"
    if ignore.exists():  # a study inside a repository keeps the repository's own rules
        return Study(root=root.resolve(), config=config)
    ignore.write_text(
        "# Ruwe en bewerkte gegevens gaan nooit in git. / Data never goes into git.\n"
        "data/\nreports/\n.ipynb_checkpoints/\n", encoding="utf-8")
    return Study(root=root.resolve(), config=config)
