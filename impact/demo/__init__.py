"""``impact demo``: a deterministic synthetic study, calibrated to the public figures.

``make_demo(root, seed=2023)`` writes every raw file of a study in the
formats of docs/data-model.md: people, consent, trajectories, goals,
activities, attendance, contacts, Most Significant Change stories,
questionnaire answers (``buurtbaners`` in three waves, ``bewoners`` in two,
and its follow-up ``bewoners_vervolg`` as a KoboToolbox XLS export with a
repeat group on its own sheet),
Dutch interview transcripts, a codebook and the codings of two coders. The
figures follow the Amsterdam scheme 2021-2023: 26 planned buurtbanen over
seven districts, 33 key persons placed (3 later, via a new application),
5 moved on to a follow-on job, 10 with a promise of a permanent contract,
32 hours a week of which 8 training and coaching, at most two years.

Everything is made up and says so: every CSV starts with a title line, the
XLSX with a title row, transcripts and YAML with a comment, and
``impact.toml`` has ``synthetic = true``. Fictional names, phone numbers,
e-mail addresses, street addresses, ages and IBANs are planted in the raw
texts, as in real transcripts, so the privacy steps have work to do; every
planted value is listed in ``data/raw/_planted_pii.json``.

One module per data kind: ``basics`` (the figures, sizes, random streams),
``files`` (byte-stable writers), ``people``, ``consent``, ``trajectories``
(and goals), ``activities`` (attendance, contacts), ``questionnaires``,
``follow_up``, ``interviews`` (transcripts), ``codings`` (and the
codebook), ``stories`` and ``memos``; ``make_demo`` here writes them all.

The same seed gives the same bytes (XLSX included): only
``random.Random`` streams derived from the seed are used, never the clock.

Example:
    >>> import tempfile, pathlib
    >>> root = make_demo(pathlib.Path(tempfile.mkdtemp()) / "demo")
    >>> (root / "data" / "raw" / "people.csv").read_text(encoding="utf-8").splitlines()[0][:28]
    '# SYNTHETISCHE DEMO-GEGEVENS'
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from impact import demo_text as tx
from impact.demo.activities import reach
from impact.demo.basics import CODERS, PERIOD_END, PERIOD_START, Sizes, random_stream
from impact.demo.codings import codebook_yaml, write_answer_sheets, write_codings
from impact.demo.consent import consent_rows
from impact.demo.files import write_csv, write_frame, write_xlsx
from impact.demo.follow_up import bewoner_follow_up, write_follow_up
from impact.demo.interviews import make_interviews, write_transcripts
from impact.demo.memos import write_memos
from impact.demo.people import make_people
from impact.demo.questionnaires import bewoner_answers, buurtbaner_answers
from impact.demo.stories import msc_rows
from impact.demo.trajectories import goal_rows, make_trajectories, trajectory_rows
from impact.errors import StudyError, Text

__all__ = ["CODERS", "Sizes", "make_demo", "write_raw"]

TEMPLATE = Path(__file__).resolve().parents[1] / "study_template" / "questionnaires"


def make_demo(root: Path | str, seed: int = 2023, scale: float | None = None) -> Path:
    """Write the synthetic demo study into ``root`` and return its absolute path.

    ``seed``: the same seed gives byte-identical files. ``scale``: a large
    study for benchmarks instead of the demo (at 1: about 1,000 transcripts
    of 10 million characters, 500,000 codings, 100,000 answers, 1,000,000
    attendance rows; activities as CSV, codings as tables). A folder that
    holds a real (not synthetic) study is refused; an earlier demo is replaced.
    """
    from impact.study import (CONFIG_NAME, LAYOUT, PrivacyConfig, StudyConfig, add_notebooks, init_study,
                              render_config)

    if scale is not None and not scale > 0:
        raise StudyError(Text("--scale moet groter dan 0 zijn (nu: {scale}).", scale=scale))
    root = Path(root)
    config_path = root / CONFIG_NAME
    if config_path.is_file():
        if not StudyConfig.from_toml(config_path).synthetic:
            raise StudyError(Text("In {root} staat een echte studie (niet synthetisch). De demo schrijft "
                                  "daar niet overheen.",
                                  root=root))
        for old in (root / "data" / "raw").glob("*"):  # an old demo: start clean (keep .gitkeep)
            if old.name == ".gitkeep":
                continue
            shutil.rmtree(old) if old.is_dir() else old.unlink()
        for sub in LAYOUT:
            (root / sub).mkdir(parents=True, exist_ok=True)
        add_notebooks(root)  # an earlier demo without notebooks gets them; its own stay
    else:
        init_study(root, name="Buurtbanen Amsterdam (demo)")
    config = StudyConfig(name="Buurtbanen Amsterdam (demo)", synthetic=True,
                         period_start=PERIOD_START.isoformat(), period_end=PERIOD_END.isoformat(),
                         privacy=PrivacyConfig(demo_key=True))
    config_path.write_text(render_config(config), encoding="utf-8")
    _copy_questionnaires(root / "questionnaires")
    write_raw(root / "data" / "raw", seed, Sizes() if scale is None else Sizes.for_scale(scale))
    return root.resolve()


def _copy_questionnaires(target: Path) -> None:
    if not TEMPLATE.is_dir():
        return
    for src in sorted(TEMPLATE.rglob("*")):
        if src.is_file() and not src.name.startswith((".", "~$")):
            dst = target / src.relative_to(TEMPLATE)
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(src.read_bytes())


def write_raw(raw: Path, seed: int, sizes: Sizes) -> dict[str, list[str]]:
    """Write every file of ``data/raw``; returns the planted personal data (kind -> values)."""
    for sub in ("transcripts", "codings", "responses/buurtbaners", "responses/bewoners", "responses/bewoners_vervolg"):
        (raw / sub).mkdir(parents=True, exist_ok=True)
    world, registry = make_people(seed, sizes)
    make_trajectories(world, seed, registry)
    events = trajectory_rows(world, seed)
    goals = goal_rows(world, seed)
    activities, attendance, contacts = reach(world, seed, sizes)
    bb_waves = buurtbaner_answers(world, seed)
    bew_waves = bewoner_answers(world, seed, attendance, activities, contacts, sizes)
    interviews = make_interviews(world, seed, sizes)
    msc = msc_rows(world, seed)

    write_csv(raw / "people.csv",
              ["person_id", "name", "name_variants", "role", "actor_type", "organisation", "district",
               "neighbourhood", "phone", "email", "address", "birth_year", "coresearcher"],
              [[p.person_id, p.name, ";".join(p.variants), p.role, p.actor_type, p.organisation, p.district,
                p.neighbourhood, p.phone, p.email, p.address, p.birth_year, "ja" if p.coresearcher else "nee"]
               for p in sorted(world.people, key=lambda p: p.person_id)])
    write_csv(raw / "consent.csv", ["person_id", "questionnaire", "interview", "quotes", "named_as_coresearcher",
                                    "withdrawn_on"], consent_rows(world, seed, interviews, bew_waves))
    write_csv(raw / "trajectory_events.csv", ["person_id", "date", "kind", "hours", "ladder_step", "note"], events)
    write_csv(raw / "goals.csv", ["person_id", "goal_id", "goal", "weight", "date", "level"], goals)
    if isinstance(activities, list):
        write_xlsx(raw / "activities.xlsx",
                   ["activity_id", "kind", "district", "date", "organiser", "attendees", "first_time_attendees"],
                   [[a["activity_id"], a["kind"], a["district"], a["date"], a["organiser"], a["attendees"],
                     a["first_time_attendees"]] for a in activities], "activities")
        write_csv(raw / "attendance.csv", ["activity_id", "person_id", "first_time"], attendance)
    else:  # large studies: CSV written by polars (an XLSX of this size takes minutes)
        write_frame(raw / "activities.csv", activities)
        write_frame(raw / "attendance.csv", attendance)
    write_csv(raw / "contacts.csv", ["date", "from_person", "to_person", "to_organisation", "kind", "district"],
              [[c[0].isoformat(), *c[1:]] for c in contacts])
    write_csv(raw / "msc_stories.csv", ["story_id", "person_id", "domain", "story", "panel_choice",
                                        "panel_reasons"], msc)
    for wave, rows in sorted(bb_waves.items()):
        write_csv(raw / "responses" / "buurtbaners" / f"meting_{wave}.csv", rows[0], rows[1:])
    for wave, rows in sorted(bew_waves.items()):
        write_csv(raw / "responses" / "bewoners" / f"meting_{wave}.csv", rows[0], rows[1:])
    write_follow_up(raw / "responses" / "bewoners_vervolg", bewoner_follow_up(seed, bew_waves), seed, sizes)
    write_transcripts(raw, interviews)
    write_codings(raw, interviews, random_stream(seed, "coders"), sizes.long_interviews)
    if not sizes.long_interviews:
        write_answer_sheets(raw, {"buurtbaners": bb_waves, "bewoners": bew_waves}, random_stream(seed, "answer-coders"))
    (raw / "codebook.yaml").write_bytes(codebook_yaml().encode("utf-8"))
    (raw / "theory_of_change.yaml").write_bytes(
        f"# {tx.SYNTHETIC_NL}\n# synthetic: true\n{tx.THEORY_OF_CHANGE}".encode("utf-8"))
    if not sizes.long_interviews:
        write_memos(raw, interviews)
    planted = {k: world.pii[k] for k in sorted(world.pii)}
    (raw / "_planted_pii.json").write_bytes(
        (json.dumps(planted, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return planted
