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

The same seed gives the same bytes (XLSX included): only
``random.Random`` streams derived from the seed are used, never the clock.

Example:
    >>> import tempfile, pathlib
    >>> root = make_demo(pathlib.Path(tempfile.mkdtemp()) / "demo")
    >>> (root / "data" / "raw" / "people.csv").read_text(encoding="utf-8").splitlines()[0][:28]
    '# SYNTHETISCHE DEMO-GEGEVENS'
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from impact import demo_text as tx
from impact.coding.markup import write_markup
from impact.errors import StudyError, Text

PERIOD_START = dt.date(2021, 9, 1)
PERIOD_END = dt.date(2023, 12, 31)
HOURS_PER_WEEK = 32
SUPPORT_HOURS_PER_WEEK = 8      # of the 32: training and coaching
TRAINING_HOURS_PER_WEEK = 5     # of the 8
FIXED_TIME = (2023, 1, 1, 0, 0, 0)  # every XLSX zip entry and document property
TEMPLATE = Path(__file__).resolve().parent / "study_template" / "questionnaires"

CORESEARCHERS = ("BB03", "BB07", "BB11", "BB15", "BB22")
CODERS = ("BB03", "BB07")
N_FIRST_ROUND = 30       # placed in autumn 2021
N_NEW_APPLICATION = 3    # placed later, after a new application
N_FOLLOW_ON = 5
N_PROMISE = 10
N_DROP_OUT = 7


@dataclass(frozen=True)
class Sizes:
    """How much to generate. The demo uses the defaults; ``scale`` multiplies the volume tables."""

    key_persons: int = 12
    residents: int = 420
    formal_actors: int = 16
    volunteers_gen1: int = 44
    volunteers_gen2: int = 22
    volunteers_gen3: int = 8
    activities_per_month: float = 1.0       # per active buurtbaner
    doorbells_per_month: tuple = (3, 9)
    conversations_per_month: tuple = (2, 6)
    bewoners_wave1: int = 160
    transcripts: int = 24
    contacts_factor: int = 1                # contacts per buurtbaner month are multiplied by this
    attendance: int | None = None           # rows wanted; set: activities/attendance made with numpy
    long_interviews: bool = False           # long transcripts, codings as tables (benchmarks)

    @classmethod
    def for_scale(cls, scale: float) -> "Sizes":
        """Sizes for benchmarks: at ``scale=1`` about 1,000 transcripts (10 million characters),
        500,000 codings, 100,000 answers and 1,000,000 attendance rows."""
        def at_least(base: int, big: float) -> int:
            return max(base, round(big * scale))

        return cls(key_persons=at_least(12, 60), residents=at_least(420, 20_000), formal_actors=at_least(16, 200),
                   volunteers_gen1=at_least(44, 600), volunteers_gen2=at_least(22, 300),
                   volunteers_gen3=at_least(8, 100), bewoners_wave1=at_least(160, 11_000),
                   transcripts=at_least(24, 1_000), contacts_factor=at_least(1, 40),
                   attendance=at_least(5_000, 1_000_000), long_interviews=True)


# --- small helpers -----------------------------------------------------------------------------

def _rng(seed: int, part: str) -> random.Random:
    """An independent stream per part, so changing one part leaves the others' bytes alone."""
    return random.Random(f"impact-demo:{seed}:{part}")


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(d.day, last))


def _month_ends(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """(first day, last day) of each month part between ``start`` and ``end`` (inclusive)."""
    out, cur = [], start
    while cur <= end:
        nxt = _add_months(dt.date(cur.year, cur.month, 1), 1)
        out.append((cur, min(nxt - dt.timedelta(days=1), end)))
        cur = nxt
    return out


def _nl_date(d: dt.date) -> str:
    return d.strftime("%d-%m-%Y")


def _write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    buf = io.StringIO()
    buf.write(f"# {tx.SYNTHETIC_NL}\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode("utf-8"))


def _write_xlsx(path: Path, header: list[str], rows: list[list], sheet: str) -> None:
    """An XLSX with a title row above the header, byte-identical for the same rows."""
    _write_sheets(path, [(sheet, header, rows)])


def _write_sheets(path: Path, sheets: list[tuple[str, list[str], list[list]]]) -> None:
    """An XLSX of one or more sheets ``(name, header, rows)``, each with a title row above its header,
    byte-identical for the same rows."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    for k, (sheet, header, rows) in enumerate(sheets):
        ws = wb.active if k == 0 else wb.create_sheet()
        ws.title = sheet
        ws.append([tx.SYNTHETIC_NL])
        ws.append(header)
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for r in rows:
            ws.append(r)
    fixed = dt.datetime(*FIXED_TIME)
    wb.properties.creator = "impact demo"
    wb.properties.title = tx.SYNTHETIC_NL
    wb.properties.created = fixed
    wb.properties.modified = fixed
    raw = io.BytesIO()
    wb.save(raw)
    path.write_bytes(_stable_zip(raw.getvalue(), fixed))


def _stable_zip(data: bytes, fixed: dt.datetime) -> bytes:
    """Rewrite an OOXML zip: sorted entries, fixed dates, fixed core.xml times.

    openpyxl stamps the current time into docProps/core.xml (on save) and
    into every zip entry; both are replaced so two runs give the same bytes.
    """
    import re

    stamp = fixed.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    # [Content_Types].xml must stay first for some readers; the rest sorted
    names = sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in names:
            body = src.read(name)
            if name == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", body)
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, body)
    return out.getvalue()


# --- people ------------------------------------------------------------------------------------

@dataclass
class Person:
    person_id: str
    first: str
    last: str
    role: str              # Dutch value as a user writes it
    actor_type: str        # informeel / formeel
    district: str
    neighbourhood: str = ""
    organisation: str = ""
    phone: str = ""
    email: str = ""
    street: str = ""
    number: int = 0
    postcode: str = ""
    birth_year: int | None = None
    coresearcher: bool = False
    org_kind: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def address(self) -> str:
        return f"{self.street} {self.number}, {self.postcode} Amsterdam" if self.street else ""

    @property
    def variants(self) -> list[str]:
        out = [self.first]
        if self.first in tx.SPELLING_VARIANTS:
            out.append(tx.SPELLING_VARIANTS[self.first])
            out.append(f"{tx.SPELLING_VARIANTS[self.first]} {self.last}")
        last_cap = self.last[0].upper() + self.last[1:]
        out.append(f"mevrouw {last_cap}" if self.extra.get("female") else f"meneer {last_cap}")
        return out


class _Registry:
    """Hands out unique fictional names, phone numbers and e-mail addresses."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.names: set[tuple[str, str]] = set()
        self.phones: set[str] = set()
        self.emails: set[str] = set()

    def name(self) -> tuple[str, str, bool]:
        tries = 0
        while True:
            tries += 1
            origin = self.rng.choice(sorted(tx.FIRST_NAMES))
            # mostly the same background for first and last name, sometimes mixed (marriage, adoption)
            last_origin = origin if self.rng.random() < 0.85 else self.rng.choice(sorted(tx.LAST_NAMES))
            firsts = tx.FIRST_NAMES[origin]
            i = self.rng.randrange(len(firsts))
            first, last = firsts[i], self.rng.choice(tx.LAST_NAMES[last_origin])
            # large studies run out of combinations: then some people share a name
            if (first, last) not in self.names or tries > (40 if len(self.names) < 2500 else 2):
                self.names.add((first, last))
                return first, last, i < len(firsts) // 2  # first half of each list: women's names

    def phone(self) -> str:
        while True:
            p = f"06-{self.rng.randrange(10_000_000, 100_000_000)}"
            if p not in self.phones:
                self.phones.add(p)
                return p

    def email(self, first: str, last: str) -> str:
        import unicodedata

        def plain(s: str) -> str:
            s = unicodedata.normalize("NFKD", s.replace("ı", "i"))
            return "".join(c for c in s if c.isalnum() and c.isascii()).lower()

        domain = self.rng.choice(["example.com", "example.org", "example.net"])
        base = f"{plain(first)}.{plain(last)}"
        email, k = f"{base}@{domain}", 2
        while email in self.emails:
            email, k = f"{base}{k}@{domain}", k + 1
        self.emails.add(email)
        return email

    def address(self, district: str) -> tuple[str, int, str]:
        lo, hi = tx.POSTCODE_PREFIX[district]
        pc = f"{self.rng.randint(lo, hi)} {self.rng.choice(tx.POSTCODE_LETTERS)}{self.rng.choice(tx.POSTCODE_LETTERS)}"
        return self.rng.choice(tx.STREETS), self.rng.randint(1, 180), pc


def _district_sequence(rng: random.Random) -> list[str]:
    """Districts of the first 30 buurtbaners: the 26 planned posts plus 4 in the busiest districts."""
    slots = [d for d in sorted(tx.DISTRICT_SLOTS) for _ in range(tx.DISTRICT_SLOTS[d])]
    slots += ["Nieuw-West", "West", "Noord", "Zuidoost"]
    rng.shuffle(slots)
    return slots


@dataclass
class World:
    """The made-up study in memory, before it is written."""

    people: list[Person]
    by_id: dict[str, Person]
    trajectories: dict[str, dict]            # BB id -> start, end, outcome, ladder path, dates
    pii: dict[str, list[str]] = field(default_factory=dict)

    def role(self, role: str) -> list[Person]:
        """The people with ``role``, in id order (cached: roles never change)."""
        cache = self.__dict__.setdefault("_roles", {})
        if role not in cache:
            cache[role] = [p for p in self.people if p.role == role]
        return cache[role]

    def residents_in(self, district: str) -> list[Person]:
        cache = self.__dict__.setdefault("_residents_in", {})
        if district not in cache:
            cache[district] = [p for p in self.role("bewoner") if p.district == district]
        return cache[district]

    def plant(self, kind: str, value: str) -> str:
        self.pii.setdefault(kind, [])
        if value not in self.pii[kind]:
            self.pii[kind].append(value)
        return value


def _make_people(seed: int, sizes: Sizes) -> World:
    rng = _rng(seed, "people")
    reg = _Registry(rng)
    people: list[Person] = []

    def person(pid, role, actor, district, **kw) -> Person:
        first, last, female = reg.name()
        p = Person(pid, first, last, role, actor, district, **kw)
        p.extra["female"] = female
        p.neighbourhood = rng.choice(tx.NEIGHBOURHOODS[district])
        people.append(p)
        return p

    districts = _district_sequence(rng)
    n_bb = N_FIRST_ROUND + N_NEW_APPLICATION
    for i in range(n_bb):
        district = districts[i] if i < N_FIRST_ROUND else None
        p = person(f"BB{i + 1:02d}", "buurtbaner", "informeel", district or "West")
        p.organisation = rng.choice(tx.ORGANISATIONS_INFORMAL)
        p.phone, p.email = reg.phone(), reg.email(p.first, p.last)
        p.street, p.number, p.postcode = reg.address(p.district)
        p.birth_year = rng.randint(1963, 1996)
        p.coresearcher = p.person_id in CORESEARCHERS
        p.org_kind = "buurtbaner"
    for i in range(sizes.key_persons):
        d = sorted(tx.DISTRICT_SLOTS)[i % 7]
        p = person(f"SP{i + 1:02d}", "sleutelpersoon", "informeel", d)
        p.organisation = rng.choice(tx.ORGANISATIONS_INFORMAL)
        p.phone = reg.phone()
        if rng.random() < 0.5:
            p.email = reg.email(p.first, p.last)
        p.street, p.number, p.postcode = reg.address(d)
        p.birth_year = rng.randint(1950, 1990)
        p.org_kind = "bewonersinitiatief"
    kinds = sorted(tx.FORMAL_ORGS)
    for i in range(sizes.formal_actors):
        kind = kinds[i % len(kinds)]
        d = sorted(tx.DISTRICT_SLOTS)[(i * 3) % 7]
        p = person(f"F{i + 1:02d}", "formele_actor", "formeel", d)
        p.organisation = rng.choice(tx.FORMAL_ORGS[kind])
        p.org_kind = kind
        p.email = reg.email(p.first, p.last)
        p.phone = reg.phone() if rng.random() < 0.4 else ""
    # residents spread over districts like the posts
    weights = [tx.DISTRICT_SLOTS[d] + 1 for d in sorted(tx.DISTRICT_SLOTS)]
    for i in range(sizes.residents):
        d = rng.choices(sorted(tx.DISTRICT_SLOTS), weights)[0]
        p = person(f"R{i + 1:04d}", "bewoner", "informeel", d)
        if rng.random() < 0.5:
            p.phone = reg.phone()
        if rng.random() < 0.6:
            p.street, p.number, p.postcode = reg.address(d)
        p.birth_year = rng.randint(1938, 2003) if rng.random() < 0.7 else None
    n_vol = sizes.volunteers_gen1 + sizes.volunteers_gen2 + sizes.volunteers_gen3
    for i in range(n_vol):
        p = person(f"V{i + 1:03d}", "vrijwilliger", "informeel", "West")  # district set by the activator
        p.phone = reg.phone()
        p.birth_year = rng.randint(1945, 2000)
        p.org_kind = "vrijwilligersgroep"
    world = World(people=people, by_id={p.person_id: p for p in people}, trajectories={})
    _make_trajectories(world, seed, reg)
    return world


# --- trajectories ------------------------------------------------------------------------------

def _make_trajectories(world: World, seed: int, reg: _Registry) -> None:
    rng = _rng(seed, "trajectories")
    bbs = world.role("buurtbaner")
    first_round = [p.person_id for p in bbs[:N_FIRST_ROUND]]
    may_drop = [pid for pid in first_round if pid not in CORESEARCHERS]
    drop = sorted(rng.sample(may_drop, N_DROP_OUT))
    rest = [p.person_id for p in bbs if p.person_id not in drop]
    follow = sorted(rng.sample([r for r in rest if r in first_round], N_FOLLOW_ON))
    promise = sorted(rng.sample([r for r in rest if r not in follow], N_PROMISE))
    new_round = [p.person_id for p in bbs[N_FIRST_ROUND:]]
    drop_districts = [world.by_id[d].district for d in drop]
    for i, p in enumerate(bbs):
        pid = p.person_id
        if pid in new_round:
            # a new application filled posts left by drop-outs
            k = new_round.index(pid)
            p.district = drop_districts[k]
            p.neighbourhood = tx.NEIGHBOURHOODS[p.district][k % len(tx.NEIGHBOURHOODS[p.district])]
            p.street, p.number, p.postcode = reg.address(p.district)
            start = dt.date(2022, 3 + 3 * k, 1)
        else:
            start = PERIOD_START + dt.timedelta(days=rng.choice([0, 0, 0, 14, 30, 45, 61]))
        end = min(_add_months(start, 24) - dt.timedelta(days=1), PERIOD_END)
        outcome = "end"
        left = end
        if pid in drop:
            outcome = "drop_out"
            left = start + dt.timedelta(days=rng.randint(120, 420))
        elif pid in follow:
            outcome = "follow_on_job"
            left = start + dt.timedelta(days=rng.randint(420, 650))
        elif pid in promise:
            outcome = "promise_of_contract"
        s0 = rng.choices([2, 3, 4], [3, 5, 2])[0]
        s1 = min(5, s0 + rng.choice([0, 1, 1, 2]))
        s2 = {"follow_on_job": 6, "promise_of_contract": rng.choice([5, 6]),
              "end": min(5, s1 + rng.choice([0, 0, 1])), "drop_out": max(1, s0 - rng.choice([0, 1]))}[outcome]
        world.trajectories[pid] = {"start": start, "end": end, "left": left, "outcome": outcome,
                                   "ladder": (s0, s1, s2)}


def _trajectory_rows(world: World, seed: int) -> list[list]:
    rng = _rng(seed, "events")
    rows = []
    for pid in sorted(world.trajectories):
        t = world.trajectories[pid]
        start, left, outcome = t["start"], t["left"], t["outcome"]
        s0, s1, s2 = t["ladder"]
        ev = [[start, "start", None, None,
               f"{HOURS_PER_WEEK} uur per week, waarvan {SUPPORT_HOURS_PER_WEEK} uur opleiding en coaching"],
              [start, "ladder_step", None, s0, None]]
        for first, last in _month_ends(start, left):
            weeks = ((last - first).days + 1) / 7
            present = rng.choice([1.0, 1.0, 1.0, 0.9, 0.8, 0.75])  # holidays, sick days
            training = round(weeks * TRAINING_HOURS_PER_WEEK * present * 2) / 2
            coaching = round(weeks * (SUPPORT_HOURS_PER_WEEK - TRAINING_HOURS_PER_WEEK) * present * 2) / 2
            ev.append([last, "training", training, None, None])
            ev.append([last, "coaching", coaching, None, None])
        n_cert = 0 if outcome == "drop_out" else rng.choice([1, 1, 2, 2, 3])
        for c in sorted(rng.sample(range(len(tx.CERTIFICATES)), n_cert)):
            d = start + dt.timedelta(days=rng.randint(90, max(91, (left - start).days - 10)))
            ev.append([d, "certificate", None, None, f"Certificaat {tx.CERTIFICATES[c]}"])
        mid = _add_months(start, 12)
        if mid < left:
            ev.append([mid, "ladder_step", None, s1, None])
        if outcome == "drop_out":
            ev.append([left, "drop_out", None, None, rng.choice(["Gestopt om gezondheidsredenen.",
                                                                 "Gestopt vanwege zorg voor familie.",
                                                                 "Paste niet bij de werkplek."])])
            ev.append([left, "ladder_step", None, s2, None])
        else:
            if outcome == "follow_on_job":
                ev.append([left, "follow_on_job", None, None, "Vervolgbaan gevonden."])
            if outcome == "promise_of_contract":
                ev.append([left - dt.timedelta(days=rng.randint(20, 150)), "promise_of_contract", None, None,
                           "Toezegging van een vast contract binnen zes maanden."])
            ev.append([left, "ladder_step", None, s2, None])
            ev.append([left, "end", None, None, None])
        order = {k: i for i, k in enumerate(["start", "ladder_step", "training", "coaching", "certificate",
                                             "promise_of_contract", "follow_on_job", "drop_out", "end"])}
        for d, kind, hours, step, note in sorted(ev, key=lambda e: (e[0], order[e[1]])):
            rows.append([pid, d.isoformat(), kind, _num(hours), step, note])
    return rows


def _num(x) -> str | None:
    if x is None:
        return None
    return str(int(x)) if float(x).is_integer() else str(x)


def _goal_rows(world: World, seed: int) -> list[list]:
    rng = _rng(seed, "goals")
    rows = []
    for pid in sorted(world.trajectories):
        t = world.trajectories[pid]
        n = rng.choices([1, 2, 3, 4, 5], [1, 3, 4, 3, 1])[0]
        texts = rng.sample(tx.GOALS, n)
        dates = [t["start"] + dt.timedelta(days=30)]
        if _add_months(t["start"], 12) < t["left"]:
            dates.append(_add_months(t["start"], 12))
        if t["outcome"] != "drop_out":
            dates.append(t["left"])
        gain = {"follow_on_job": 1.0, "promise_of_contract": 0.9, "end": 0.6, "drop_out": 0.2}[t["outcome"]]
        for g, text in enumerate(texts, start=1):
            weight = rng.choice([1, 1, 2, 2, 3])
            level = rng.choices([-2, -1], [1, 3])[0]
            for k, d in enumerate(dates):
                if k:
                    level += rng.choices([0, 1, 2, -1], [1 - gain * 0.6, gain, gain * 0.4, 0.15])[0]
                    level = max(-2, min(2, level))
                rows.append([pid, g, text, weight, d.isoformat(), level])
    return rows


# --- activities, attendance, contacts ----------------------------------------------------------

def _active_months(world: World):
    """(person, month first day, month last day) for every buurtbaner month, sorted."""
    for pid in sorted(world.trajectories):
        t = world.trajectories[pid]
        for first, last in _month_ends(t["start"], t["left"]):
            yield world.by_id[pid], first, last


def _reach(world: World, seed: int, sizes: Sizes):
    rng = _rng(seed, "reach")
    residents_by_district: dict[str, list[Person]] = {}
    for r in world.role("bewoner"):
        residents_by_district.setdefault(r.district, []).append(r)
    # some residents come often, most now and then
    pull = {r.person_id: rng.choice([1, 1, 1, 2, 3, 6]) for r in world.role("bewoner")}
    activities, attendance = [], []
    seen: set[str] = set()
    n = 0
    small = sizes.attendance is None  # large studies get their activities from numpy below
    organisers = [(p, f, l) for p, f, l in _active_months(world)] if small else []
    for sp in world.role("sleutelpersoon") if small else []:  # key persons organise now and then too
        for f, l in _month_ends(PERIOD_START, PERIOD_END):
            if rng.random() < 0.15:
                organisers.append((sp, f, l))
    organisers.sort(key=lambda x: (x[1], x[0].person_id))
    for p, first, last in organisers:
        k = sum(1 for _ in range(3) if rng.random() < sizes.activities_per_month / 3)
        for _ in range(k + (p.role == "buurtbaner" and rng.random() < 0.25)):
            n += 1
            kind = rng.choices(tx.ACTIVITY_KINDS, tx.ACTIVITY_WEIGHTS)[0]
            day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
            activities.append({"activity_id": f"A{n:05d}", "kind": kind, "district": p.district, "date": day,
                               "organiser": p.person_id})
    activities.sort(key=lambda a: (a["date"], a["activity_id"]))
    for a in activities:
        lo, hi = tx.ACTIVITY_SIZE[a["kind"]]
        size = rng.randint(lo, hi)
        if a["kind"] == "evenement":  # a head count only, no attendance list
            a["attendees"], a["first_time_attendees"] = size, rng.randint(2, size // 3)
            continue
        pool = residents_by_district.get(a["district"], [])
        listed = min(len(pool), max(1, size - rng.randint(0, 3)))
        chosen: dict[str, Person] = {}
        while len(chosen) < listed:
            r = rng.choices(pool, [pull[x.person_id] for x in pool])[0]
            chosen[r.person_id] = r
        firsts = 0
        for pid in sorted(chosen):
            first_time = pid not in seen
            seen.add(pid)
            firsts += first_time
            attendance.append([a["activity_id"], pid, "ja" if first_time else "nee"])
        extra = size - listed
        a["attendees"] = size
        a["first_time_attendees"] = firsts + rng.randint(0, extra)
    if not small:
        activities, attendance = _reach_scaled(world, seed, sizes, residents_by_district)
    contacts = []
    formals = world.role("formele_actor")
    for p, first, last in _active_months(world):
        pool = residents_by_district.get(p.district, [])
        span = (last - first).days

        def day():
            return first + dt.timedelta(days=rng.randint(0, span))

        for _ in range(rng.randint(*sizes.doorbells_per_month) * sizes.contacts_factor):
            to = rng.choice(pool).person_id if rng.random() < 0.35 else None
            contacts.append([day(), p.person_id, to, None, "doorbell", p.district])
        for _ in range(rng.randint(*sizes.conversations_per_month) * sizes.contacts_factor):
            contacts.append([day(), p.person_id, rng.choice(pool).person_id, None, "conversation", p.district])
        for _ in range(sizes.contacts_factor):
            if rng.random() < 0.4:
                formal = rng.choice(formals)
                contacts.append([day(), p.person_id, formal.person_id, None, "conversation", p.district])
        for _ in range(sizes.contacts_factor):
            if rng.random() < 0.7:
                contacts.append([day(), p.person_id, rng.choice(pool).person_id, None, "match", p.district])
        for _ in range(sizes.contacts_factor):
            if rng.random() < 0.8:
                org = rng.choices(tx.REFERRAL_ORGS, tx.REFERRAL_WEIGHTS)[0]
                contacts.append([day(), p.person_id, rng.choice(pool).person_id, org, "referral", p.district])
    contacts += _ripples(world, rng, sizes)
    contacts += _bridges(world, seed, contacts, residents_by_district)
    contacts.sort(key=lambda c: (c[0], c[1], c[4], c[2] or "", c[3] or ""))
    return activities, attendance, contacts


def _reach_scaled(world: World, seed: int, sizes: Sizes, residents_by_district: dict):
    """Activities and attendance for benchmarks, vectorised: (activities frame, attendance frame)."""
    import numpy as np
    import polars as pl

    gen = np.random.default_rng(np.random.SeedSequence([seed, 20_23]))
    kinds = np.array(tx.ACTIVITY_KINDS)
    weights = np.array(tx.ACTIVITY_WEIGHTS, dtype=float) / sum(tx.ACTIVITY_WEIGHTS)
    lo = np.array([tx.ACTIVITY_SIZE[k][0] for k in tx.ACTIVITY_KINDS])
    hi = np.array([tx.ACTIVITY_SIZE[k][1] for k in tx.ACTIVITY_KINDS])
    listed_mean = float((((lo + hi) / 2 - 1.5).clip(1) * weights)[:-1].sum())  # events have no list
    n = int(sizes.attendance / listed_mean) + 1
    organisers = sorted(world.trajectories) + [p.person_id for p in world.role("sleutelpersoon")]
    org_idx = gen.integers(0, len(organisers), n)
    first_day = np.array([(world.trajectories[o]["start"] if o in world.trajectories else PERIOD_START).toordinal()
                          for o in organisers])
    last_day = np.array([(world.trajectories[o]["left"] if o in world.trajectories else PERIOD_END).toordinal()
                         for o in organisers])
    day = first_day[org_idx] + (gen.random(n) * (last_day - first_day + 1)[org_idx]).astype(np.int64)
    kind = gen.choice(len(kinds), n, p=weights)
    size = lo[kind] + (gen.random(n) * (hi - lo + 1)[kind]).astype(np.int64)
    districts = sorted(residents_by_district)
    d_of = {d: i for i, d in enumerate(districts)}
    district = np.array([d_of[world.by_id[o].district] for o in organisers])[org_idx]
    pools = [np.array([r.person_id for r in residents_by_district[d]]) for d in districts]
    pool_n = np.array([len(p) for p in pools])
    pool_off = np.concatenate([[0], np.cumsum(pool_n)[:-1]])
    pool_all = np.concatenate([gen.permutation(p) for p in pools])
    listed = np.where(kind == len(kinds) - 1, 0,
                      np.minimum(pool_n[district], np.maximum(1, size - gen.integers(0, 4, n))))
    # each activity takes a run of consecutive places in its district's shuffled pool: no one twice
    act = np.repeat(np.arange(n), listed)
    within = np.arange(listed.sum()) - np.repeat(np.cumsum(listed) - listed, listed)
    start = gen.integers(0, 1 << 30, n)
    place = pool_off[district[act]] + (start[act] + within) % pool_n[district[act]]
    order = np.lexsort((np.arange(n), day))   # activity ids follow the calendar
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    ids = np.char.add("A", np.char.zfill(np.arange(1, n + 1).astype(str), 7))
    att = pl.DataFrame({"activity_id": ids[rank[act]], "person_id": pool_all[place], "rank": rank[act]})
    att = (att.sort("person_id", "rank")
           .with_columns(pl.col("person_id").is_first_distinct().alias("first"))
           .sort("rank", "person_id"))
    firsts = np.bincount(att["rank"].to_numpy()[att["first"].to_numpy()], minlength=n)
    size_r, listed_r = size[order], listed[order]
    extra = (gen.random(n) * (size_r - listed_r + 1)).astype(np.int64)
    heads = (gen.random(n) * (size_r // 3 - 1)).astype(np.int64) + 2
    first_time_attendees = np.where(listed_r == 0, np.minimum(heads, size_r), firsts + extra)
    activities = pl.DataFrame({
        "activity_id": ids, "kind": kinds[kind[order]], "district": np.array(districts)[district[order]],
        "date": pl.Series(day[order] - dt.date(1970, 1, 1).toordinal(), dtype=pl.Int32).cast(pl.Date),
        "organiser": np.array(organisers)[org_idx[order]], "attendees": size_r,
        "first_time_attendees": first_time_attendees})
    attendance = att.select("activity_id", "person_id",
                            pl.when(pl.col("first")).then(pl.lit("ja")).otherwise(pl.lit("nee")).alias("first_time"))
    return activities, attendance


def _ripples(world: World, rng: random.Random, sizes: Sizes) -> list[list]:
    """New volunteers: activated by key persons, some of whom activate others (2-3 generations)."""
    vols = world.role("vrijwilliger")
    starters = [p for p in world.role("buurtbaner")] + world.role("sleutelpersoon")
    rows, activated = [], {}
    gen_sizes = [sizes.volunteers_gen1, sizes.volunteers_gen2, sizes.volunteers_gen3]
    i = 0
    parents: list[tuple[Person, dt.date]] = []
    for gen, count in enumerate(gen_sizes):
        source = ([(s, world.trajectories.get(s.person_id, {}).get("start", PERIOD_START)) for s in starters]
                  if gen == 0 else parents)
        new = []
        for _ in range(count):
            parent, since = rng.choice(source)
            if parent.role == "buurtbaner":
                t = world.trajectories[parent.person_id]
                lo, hi = t["start"] + dt.timedelta(days=30), t["left"]
            else:
                lo, hi = since + dt.timedelta(days=45), PERIOD_END - dt.timedelta(days=20)
            if hi <= lo:
                lo, hi = hi - dt.timedelta(days=10), hi
            d = lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))
            v = vols[i]
            i += 1
            v.district, v.neighbourhood = parent.district, parent.neighbourhood or rng.choice(
                tx.NEIGHBOURHOODS[parent.district])
            v.organisation = parent.organisation
            rows.append([d, parent.person_id, v.person_id, None, "volunteer_activated", parent.district])
            activated[v.person_id] = d
            new.append((v, d))
        parents = [x for x in new if x[1] < PERIOD_END - dt.timedelta(days=120)] or new
    return rows


def _bridges(world: World, seed: int, contacts: list[list], residents_by_district: dict) -> list[list]:
    """Key persons, residents and volunteers who are a bridge too: they take a neighbour to an organisation, or talk
    with someone from one themselves. Without these, only buurtbaners would link the two worlds (a
    constant of the generated data, not a finding). An own random stream: other contacts stay the same."""
    rng = _rng(seed, "bridges")
    formals = world.role("formele_actor")
    active_from = {c[2]: c[0] for c in contacts if c[4] == "volunteer_activated"}
    rows = []
    span = (PERIOD_END - PERIOD_START).days
    chance = {"sleutelpersoon": (0.6, 0.5), "vrijwilliger": (0.3, 0.25), "bewoner": (0.05, 0.04)}
    for p in world.role("sleutelpersoon") + world.role("bewoner") + world.role("vrijwilliger"):
        volunteer = p.role == "vrijwilliger"
        if volunteer and p.person_id not in active_from:
            continue
        refer, talk = chance[p.role]
        start = active_from.get(p.person_id, PERIOD_START)
        first = (start - PERIOD_START).days + 1
        neighbours = [r for r in residents_by_district.get(p.district, []) if r.person_id != p.person_id]

        def day():
            return PERIOD_START + dt.timedelta(days=rng.randint(min(first, span), span))

        if neighbours and rng.random() < refer:
            org = rng.choices(tx.REFERRAL_ORGS, tx.REFERRAL_WEIGHTS)[0]
            rows.append([day(), p.person_id, rng.choice(neighbours).person_id, org, "referral", p.district])
        if rng.random() < talk:
            rows.append([day(), p.person_id, rng.choice(formals).person_id, None, "conversation", p.district])
    return rows


# --- questionnaires ----------------------------------------------------------------------------

SCALES = {"se": (5, ("se_4",), +0.35), "net": (4, ("net_3",), +0.3), "fin": (3, ("fin_2",), -0.3),
          "wb": (4, ("wb_2",), +0.3)}


def _buurtbaner_answers(world: World, seed: int) -> dict[int, list[list]]:
    rng = _rng(seed, "answers-bb")
    items = [f"{s}_{k}" for s, (n, _r, _d) in SCALES.items() for k in range(1, n + 1)]
    header = ["respondent", "wave", "date", "ladder", *items, "verandering", "opmerking"]
    waves: dict[int, list[list]] = {1: [header], 2: [header], 3: [header]}
    planted_phone = None
    for pid in sorted(world.trajectories):
        t = world.trajectories[pid]
        base = {s: rng.gauss(3.0 if s != "fin" else 3.4, 0.55) for s in SCALES}
        moments = [(1, t["start"] + dt.timedelta(days=14), t["ladder"][0])]
        if _add_months(t["start"], 12) < t["left"]:
            moments.append((2, _add_months(t["start"], 12) + dt.timedelta(days=7), t["ladder"][1]))
        if t["outcome"] != "drop_out" and rng.random() < 0.92:
            moments.append((3, t["left"] - dt.timedelta(days=10), t["ladder"][2]))
        for wave, date, step in moments:
            row = [pid, wave, _nl_date(date), step]
            for s, (n, reverse, drift) in SCALES.items():
                level = base[s] + drift * (wave - 1)
                for k in range(1, n + 1):
                    v = max(1, min(5, round(level + rng.gauss(0, 0.7))))
                    row.append(6 - v if f"{s}_{k}" in reverse else v)
            change = ""
            if wave > 1 and rng.random() < 0.8:
                good = t["outcome"] != "drop_out" and rng.random() < 0.8
                change = rng.choice(tx.VERANDERING["up" if good else "flat"])
            remark = rng.choice(tx.OPMERKING) if rng.random() < 0.3 else ""
            if wave == 2 and planted_phone is None:
                planted_phone = world.plant("phone", world.by_id[pid].phone)
                remark = f"Bel me gerust als er vragen zijn: {planted_phone}."
            waves[wave].append(row + [change, remark])
    return waves


def _attended(activities, attendance) -> tuple[dict[str, set], dict[str, dt.date]]:
    """Per resident: the kinds of activity they went to, and the date they were first seen."""
    went: dict[str, set] = {}
    first_seen: dict[str, dt.date] = {}
    if isinstance(attendance, list):
        kind_of = {a["activity_id"]: a["kind"] for a in activities}
        date_of = {a["activity_id"]: a["date"] for a in activities}
        for aid, pid, _ in attendance:
            went.setdefault(pid, set()).add(kind_of[aid])
            first_seen[pid] = min(first_seen.get(pid, date_of[aid]), date_of[aid])
        return went, first_seen
    import polars as pl

    per = (attendance.join(activities.select("activity_id", "kind", "date"), on="activity_id")
           .group_by("person_id").agg(pl.col("kind").unique().sort(), pl.col("date").min()).sort("person_id"))
    for pid, kinds, first in per.iter_rows():
        went[pid], first_seen[pid] = set(kinds), first
    return went, first_seen


def _bewoner_answers(world: World, seed: int, attendance, activities, contacts: list[list],
                     sizes: Sizes) -> dict[int, list[list]]:
    rng = _rng(seed, "answers-bew")
    went, first_seen = _attended(activities, attendance)
    referred = {c[2] for c in contacts if c[4] == "referral"}
    for c in contacts:
        if c[2] and c[2].startswith("R") and c[4] in ("doorbell", "conversation"):
            first_seen.setdefault(c[2], c[0])
    reached = sorted(p for p in first_seen if first_seen[p] < dt.date(2023, 5, 1))
    chosen = sorted(rng.sample(reached, min(sizes.bewoners_wave1, len(reached))))
    header = ["respondent", "wave", "date", "contact_via", "activiteiten", "veranderd", "formele_org",
              "tevreden", "verandering_tekst"]
    waves: dict[int, list[list]] = {1: [header], 2: [header]}
    changes = ["meer_contact", "minder_eenzaam", "hulp_gevonden", "zelf_actief"]
    for pid in chosen:
        d1 = first_seen[pid] + dt.timedelta(days=rng.randint(7, 40))
        kinds = sorted(went.get(pid, ()))
        via = "activiteit" if kinds and rng.random() < 0.6 else rng.choices(
            ["aanbellen", "via_via", "buurtbaner_op_straat", "organisatie"], [4, 3, 2, 1])[0]
        sat = rng.choices([2, 3, 4, 5], [1, 3, 6, 5])[0]
        for wave, date in ((1, d1), (2, d1 + dt.timedelta(days=rng.randint(170, 200)))):
            if wave == 2 and rng.random() < 0.25:
                continue  # not reached again
            k = rng.choices([0, 1, 2], [2, 5, 3] if wave == 1 else [1, 4, 5])[0]
            changed = " ".join(sorted(rng.sample(changes, k))) if k else rng.choice(["niets", ""])
            formal = "ja" if pid in referred and rng.random() < 0.85 else rng.choice(["nee", "nee", "ja", ""])
            score = max(1, min(5, sat + rng.choice([0, 0, 0, 1, -1]))) if rng.random() < 0.93 else ""
            text = rng.choice(tx.BEWONERS_TEKST) if rng.random() < 0.45 else ""
            waves[wave].append([pid, wave, _nl_date(date), via, " ".join(kinds), changed, formal, score, text])
    return waves


# --- follow-up questionnaire: a repeat group and a cascading select --------------------------------

FOLLOW_UP_DAYS = (350, 400)     # the follow-up conversation, days after the first one
FOLLOW_UP_SHARE = 0.6           # of the residents whose follow-up falls inside the study period
HELP_SHARES = {"geld": 4, "gezondheid": 2, "werk": 2, "wonen": 2}


def _bewoner_follow_up(seed: int, bew_waves: dict[int, list[list]]) -> list[dict]:
    """``bewoners_vervolg`` (wave 3, about a year after the first conversation) for some residents
    of ``bewoners`` wave 1: per submission the answers, with the activities they visited as a repeat
    group (``bezoeken``) and the organisation that helped them, filtered by the kind of help."""
    from impact.questionnaires.shipped import HELP_PLACES

    rng = _rng(seed, "answers-bew-vervolg")
    header, rows = bew_waves[1][0], bew_waves[1][1:]
    col = {name: header.index(name) for name in header}
    places = {kind: [name for k, name, _nl, _en in HELP_PLACES if k == kind] for kind in HELP_SHARES}
    changes = ["meer_contact", "minder_eenzaam", "hulp_gevonden", "zelf_actief"]
    out = []
    for row in sorted(rows):
        first = dt.datetime.strptime(row[col["date"]], "%d-%m-%Y").date()
        when = first + dt.timedelta(days=rng.randint(*FOLLOW_UP_DAYS))
        if when > PERIOD_END or rng.random() > FOLLOW_UP_SHARE:
            continue
        kinds = row[col["activiteiten"]].split()
        visits = [{"activiteit": k, "keer": rng.randint(1, 12), "waardering": rng.choices([2, 3, 4, 5], [1, 2, 5, 4])[0]}
                  for k in kinds if rng.random() < 0.85]
        helped = row[col["formele_org"]] == "ja" or rng.random() < 0.3
        kind = rng.choices(list(HELP_SHARES), list(HELP_SHARES.values()))[0] if helped else "geen"
        k = rng.choices([0, 1, 2], [1, 4, 5])[0]
        out.append({"respondent": row[col["respondent"]], "wave": "3", "date": when.isoformat(),
                    "contact_nog": rng.choices(["ja", "nee"], [7, 3])[0],
                    "activiteiten": [v["activiteit"] for v in visits], "bezoeken": visits,
                    "hulp_soort": kind, "hulp_bij": rng.choice(places[kind]) if kind != "geen" else "",
                    "veranderd": sorted(rng.sample(changes, k)) if k else ["niets"],
                    "tevreden": str(max(1, min(5, rng.choices([3, 4, 5], [2, 5, 4])[0])))})
    return out


def _kobo_export_sheets(subs: list[dict], seed: int) -> list[tuple[str, list[str], list[list]]]:
    """The follow-up as KoboToolbox's XLS export lays it out: the submissions on the first sheet
    (headers ``group/question``, select_multiple as text and 0/1 per option, Kobo's own columns,
    ``_index``), the repeat group on a sheet of its own, linked by ``_parent_index``."""
    from impact.questionnaires.shipped import bewoners_vervolg

    rng = _rng(seed, "kobo-ids")
    _rows, choices, _settings, _extra = bewoners_vervolg()
    options = {name: [c[1] for c in choices if c[0] == name] for name in ("activiteiten", "veranderd")}
    own = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
           "__version__", "_tags"]
    main_cols = ["intro/respondent", "intro/wave", "intro/date", "contact/contact_nog", "contact/activiteiten",
                 *[f"contact/activiteiten/{o}" for o in options["activiteiten"]], "hulp/hulp_soort", "hulp/hulp_bij",
                 "verschil/veranderd", *[f"verschil/veranderd/{o}" for o in options["veranderd"]], "verschil/tevreden"]
    visit_cols = ["bezoeken/activiteit", "bezoeken/keer", "bezoeken/waardering", "_index", "_parent_table_name",
                  "_parent_index", *[f"_submission_{c}" for c in own]]
    main, visits = [], []
    for index, sub in enumerate(subs, start=1):
        uuid = "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}".format(*(rng.getrandbits(b) for b in (32, 16, 12, 12, 48)))
        meta = [300000 + index, uuid, f"{sub['date']}T{rng.randint(9, 17):02d}:{rng.randint(0, 59):02d}:00", "", "",
                "submitted_via_web", "", "2024.1", ""]
        flags = {name: ["1" if o in sub[name] else "0" for o in options[name]] for name in options}
        main.append([sub["respondent"], sub["wave"], sub["date"], sub["contact_nog"], " ".join(sub["activiteiten"]),
                     *flags["activiteiten"], sub["hulp_soort"], sub["hulp_bij"], " ".join(sub["veranderd"]),
                     *flags["veranderd"], sub["tevreden"], *meta, index])
        for v in sub["bezoeken"]:
            visits.append([v["activiteit"], v["keer"], v["waardering"], len(visits) + 1, "bewoners_vervolg", index,
                           *meta])
    return [("bewoners_vervolg", main_cols + own + ["_index"], main), ("bezoeken", visit_cols, visits)]


def _odk_export_files(subs: list[dict], seed: int) -> list[tuple[str, list[str], list[list]]]:
    """The follow-up as ODK Central's "CSV with repeats" ZIP lays it out: ``bewoners_vervolg.csv``
    (groups joined with ``-``, ``KEY`` = the instance id) and ``bewoners_vervolg-bezoeken.csv``
    (``PARENT_KEY`` = the submission's ``KEY``, ``KEY`` = ``<parent>/bezoeken[n]``)."""
    rng = _rng(seed, "odk-ids")
    main_cols = ["SubmissionDate", "intro-respondent", "intro-wave", "intro-date", "contact-contact_nog",
                 "contact-activiteiten", "hulp-hulp_soort", "hulp-hulp_bij", "verschil-veranderd", "verschil-tevreden",
                 "meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
                 "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]
    main, visits = [], []
    for sub in subs:
        key = "uuid:{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}".format(*(rng.getrandbits(b) for b in (32, 16, 12, 12, 48)))
        main.append([f"{sub['date']}T{rng.randint(9, 17):02d}:{rng.randint(0, 59):02d}:00.000Z", sub["respondent"],
                     sub["wave"], sub["date"], sub["contact_nog"], " ".join(sub["activiteiten"]), sub["hulp_soort"],
                     sub["hulp_bij"], " ".join(sub["veranderd"]), sub["tevreden"], key, key, 7, "Veldwerk", 0, 0,
                     "", "", "", 0, "2024.1"])
        for n, v in enumerate(sub["bezoeken"], start=1):
            visits.append([v["activiteit"], v["keer"], v["waardering"], key, f"{key}/bezoeken[{n}]"])
    return [("bewoners_vervolg.csv", main_cols, main),
            ("bewoners_vervolg-bezoeken.csv", ["activiteit", "keer", "waardering", "PARENT_KEY", "KEY"], visits)]


def _write_follow_up(folder: Path, subs: list[dict], seed: int, sizes: Sizes) -> None:
    """The follow-up as a Kobo XLS export; a large study as an ODK Central ZIP (reading an XLSX of
    that size takes openpyxl minutes)."""
    folder.mkdir(parents=True, exist_ok=True)
    if not sizes.long_interviews:
        _write_sheets(folder / "kobo-export.xlsx", _kobo_export_sheets(subs, seed))
        return
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, header, rows in _odk_export_files(subs, seed):
            buf = io.StringIO()
            buf.write(f"# {tx.SYNTHETIC_NL}\n")
            csv.writer(buf, lineterminator="\n").writerows([header] + rows)
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buf.getvalue().encode("utf-8"))
    (folder / "odk-export.zip").write_bytes(out.getvalue())


# --- interviews ------------------------------------------------------------------------------------

@dataclass
class Interview:
    doc: str
    date: dt.date
    interviewer: Person
    interviewee: Person
    subject: Person           # the buurtbaner the conversation is about
    text: str = ""
    spans: list = field(default_factory=list)   # (start, end, code): the "true" coding
    secondary: list = field(default_factory=list)  # long interviews: related codes (coders disagree more)


def _interviewees(world: World, rng: random.Random, n: int) -> list[Person]:
    informal_n = round(n * 14 / 24)
    formal_n = n - informal_n
    bb_pool = [p for p in world.role("buurtbaner") if not p.coresearcher
               and world.trajectories[p.person_id]["outcome"] != "drop_out"]

    def pick(pool, k):  # large studies interview some people twice
        return rng.sample(pool, k) if k <= len(pool) else rng.choices(pool, k=k)

    mix = (pick(world.role("bewoner"), round(informal_n * 5 / 14))
           + pick(world.role("vrijwilliger"), round(informal_n * 3 / 14))
           + pick(world.role("sleutelpersoon"), round(informal_n * 3 / 14)))
    mix += pick(bb_pool, informal_n - len(mix))
    formal = world.role("formele_actor")
    mix += [formal[i % len(formal)] for i in range(formal_n)]
    rng.shuffle(mix)
    return mix


PERSPECTIVE = {"buurtbaner": "self", "sleutelpersoon": "self", "bewoner": "other", "vrijwilliger": "other",
               "formele_actor": "formal"}
SPEAKER = {"buurtbaner": "Buurtbaner", "sleutelpersoon": "Sleutelpersoon", "bewoner": "Bewoner",
           "vrijwilliger": "Vrijwilliger"}
RQ_OF = {c["code"]: c["origin"] for c in tx.CODEBOOK}


def _topic_order(persp: str, rng: random.Random) -> list[str]:
    codes = sorted(c for c in tx.SENTENCES if persp in tx.SENTENCES[c])
    rng.shuffle(codes)
    # a conversation follows the guide: work, then the neighbourhood, then views
    rank = {"rq1": 0, "inductive": 1, "rq2": 1, "rq3": 2}
    return sorted(codes, key=lambda c: rank[_rq(c)])


def _rq(code: str) -> str:
    origin = RQ_OF[code]
    if origin == "inductive":
        parent = tx.PARENT_OF.get(code)
        return RQ_OF[parent] if parent else "rq2"
    return origin


def _fill(sentence: str, rng: random.Random, world: World, subject: Person) -> str:
    if "{bb}" in sentence:
        sentence = sentence.replace("{bb}", world.plant("name", subject.first))
    return sentence.format(act=tx.ACTIVITY_PHRASES[rng.choice(tx.ACTIVITY_KINDS[:5])], dag=rng.choice(tx.DAYS),
                           org=rng.choice(tx.REFERRAL_PHRASES))


class _Builder:
    """Builds one transcript text turn by turn, with the true coding spans."""

    def __init__(self):
        self.parts: list[str] = []
        self.pos = 0
        self.spans: list[tuple[int, int, str]] = []
        self.turns = 0
        self.last_turn = (0, 0)   # (start, end) of the words of the last turn, after "Speaker: "
        self.secondary: list[tuple[int, int, str]] = []

    def turn(self, speaker: str, sentences: list[tuple[str, str | None]], outer: str | None = None) -> None:
        if self.parts:
            self._put("\n\n")
        self._put(f"{speaker}: ")
        begin = self.pos
        for i, (s, code) in enumerate(sentences):
            if i:
                self._put(" ")
            start = self.pos
            self._put(s)
            if code:
                self.spans.append((start, self.pos, code))
        if outer:
            self.spans.append((begin, self.pos, outer))
        self.last_turn = (begin, self.pos)
        self.turns += 1

    def _put(self, s: str) -> None:
        self.parts.append(s)
        self.pos += len(s)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _make_interviews(world: World, seed: int, sizes: Sizes) -> list[Interview]:
    rng = _rng(seed, "interviews")
    out = []
    interviewers = [world.by_id[c] for c in CORESEARCHERS]
    for i, who in enumerate(_interviewees(world, rng, sizes.transcripts)):
        doc = f"I{i + 1:02d}"
        candidates = [c for c in interviewers if c.person_id != who.person_id]
        same = [c for c in candidates if c.district == who.district]
        interviewer = rng.choice(same or candidates)
        local = [p for p in world.role("buurtbaner") if p.district == who.district and p.person_id != who.person_id]
        # the phrase banks say "ze" and "haar" about the buurtbaner
        women = [p for p in local if p.extra["female"]] or [p for p in world.role("buurtbaner") if p.extra["female"]]
        subject = rng.choice(women)
        date = dt.date(2023, 3, 1) + dt.timedelta(days=rng.randint(0, 220))
        iv = Interview(doc, date, interviewer, who, subject)
        _write_conversation(iv, world, rng, sizes.long_interviews)
        out.append(iv)
    return out


def _write_conversation(iv: Interview, world: World, rng: random.Random, long: bool = False) -> None:
    who = iv.interviewee
    persp = PERSPECTIVE[who.role]
    speaker = SPEAKER.get(who.role) or tx.FORMAL_ROLES[who.org_kind][0]
    b = _Builder()
    b.turn("Interviewer", [(rng.choice(tx.OPENINGS), None)])
    b.turn(speaker, [(rng.choice(tx.OPENING_ANSWERS), None)])
    # who they are: this is where people give away personal details
    intro_q = ("Kunt u iets over uzelf vertellen?" if persp != "formal"
               else "Wat is uw functie, en bij welke organisatie werkt u?")
    b.turn("Interviewer", [(intro_q, None)])
    intro: list[tuple[str, str | None]] = []
    if persp == "formal":
        role = tx.FORMAL_ROLES[who.org_kind][1]
        intro.append((f"Ik werk als {role} bij {who.organisation}.", None))
        if rng.random() < 0.5 and who.email:
            intro.append((tx.PII_SENTENCES["email"].format(email=world.plant("email", who.email)), None))
    else:
        intro.append((f"Ik ben {world.plant('name', who.first)}, ik woon in {who.neighbourhood}.", None))
        if who.birth_year and rng.random() < 0.5:
            age = iv.date.year - who.birth_year
            intro.append((tx.PII_SENTENCES["age"].format(age=age), None))
            world.plant("age", f"{age} jaar")
        if who.street and rng.random() < 0.4:
            if rng.random() < 0.5:
                s = tx.PII_SENTENCES["address"].format(street=who.street, number=who.number)
                world.plant("address", f"{who.street} {who.number}")
            else:
                s = tx.PII_SENTENCES["address_full"].format(street=who.street, number=who.number,
                                                            postcode=who.postcode)
                world.plant("address", f"{who.street} {who.number}, {who.postcode}")
                world.plant("postcode", who.postcode)
            intro.append((s, None))
        if who.phone and rng.random() < 0.3:
            intro.append((tx.PII_SENTENCES["phone"].format(phone=world.plant("phone", who.phone)), None))
    b.turn(speaker, intro)
    topics = _topic_order(persp, rng)
    if long:  # benchmarks: long conversations that come back to topics
        chosen = sorted(rng.choices(topics, k=rng.randint(*LONG_TOPICS)), key=topics.index)
    else:
        n_topics = rng.randint(6, min(12, len(topics)))
        chosen = sorted(rng.sample(topics, n_topics), key=topics.index)
    iban_done = False
    asked: set[str] = set()
    for code in chosen:
        rq = _rq(code)
        qkey = rq + ("_formal" if persp == "formal" else "")
        own = tx.CODE_QUESTIONS.get(code)
        question = own[persp == "formal"] if own and (persp == "other" or rng.random() < 0.75) else rng.choice(tx.QUESTIONS[qkey])
        if question in asked:
            question = own[persp == "formal"] if own and own[persp == "formal"] not in asked else \
                rng.choice([q for q in tx.QUESTIONS[qkey] if q not in asked] or tx.FOLLOW_UPS)
        asked.add(question)
        b.turn("Interviewer", [(question, None)])
        bank = list(tx.SENTENCES[code][persp])
        rng.shuffle(bank)
        answer: list[tuple[str, str | None]] = []
        if rng.random() < 0.3:
            answer.append((rng.choice(tx.FILLERS), None))
        answer.append((_fill(bank[0], rng, world, iv.subject), code))
        if len(bank) > 1 and rng.random() < 0.45:
            answer.append((_fill(bank[1], rng, world, iv.subject), code if long or rng.random() < 0.6 else None))
        if code == "belemmeringen" and not iban_done and rng.random() < 0.7:
            answer.append((tx.PII_SENTENCES["iban"].format(iban=world.plant("iban", _iban(rng))), None))
            iban_done = True
        if persp == "other" and rng.random() < 0.12:
            other = rng.choice(world.residents_in(who.district) or [iv.subject])
            answer.append((tx.PII_SENTENCES["name_other"].format(name=world.plant("name", other.name)), None))
        parent = tx.PARENT_OF.get(code)
        coded = [s for s in answer if s[1]]
        outer = parent if parent and len(coded) >= 2 and rng.random() < 0.5 else None
        first = len(b.spans)
        b.turn(speaker, answer, outer)
        if long:
            _code_densely(b, b.spans[first:first + len(coded)], len(answer) > 1, code, rng)
        if len(bank) > 2 and rng.random() < 0.3:
            b.turn("Interviewer", [(rng.choice(tx.FOLLOW_UPS), None)])
            first = len(b.spans)
            b.turn(speaker, [(_fill(bank[2], rng, world, iv.subject), code)])
            if long:
                _code_densely(b, b.spans[first:], False, code, rng)
    b.turn("Interviewer", [(rng.choice(tx.CLOSINGS), None)])
    b.turn(speaker, [(rng.choice(tx.CLOSING_ANSWERS), None)])
    b.turn("Interviewer", [(rng.choice(tx.THANKS), None)])
    iv.text, iv.spans, iv.secondary = b.text, sorted(set(b.spans)), sorted(set(b.secondary))


# Long interviews (benchmarks) are coded more densely, as a coder does in a second, finer pass:
# a passage often touches a second, related theme, and the whole answer carries the topic.
LONG_TOPICS = (45, 75)          # topics per long interview (the demo: 6-12 distinct ones)
RELATED_SHARE = 0.8             # coded sentences that also get a related code
WHOLE_ANSWER_SHARE = 0.8        # answers of two or more sentences also coded as a whole
PARENT_SHARE = (0.95, 0.9)      # per coder: codings (in the tables) that carry their parent code too
SECONDARY_CODER = ((0.85, 0.2), (0.75, 0.35))  # per coder: related codes kept, of those given as a confusable
RELATED = {                     # code -> codes that often go with it in the same sentence
    "motivatie": ("doorstroom", "erkenning"), "zelfvertrouwen": ("erkenning", "leren"),
    "leren": ("zelfvertrouwen", "doorstroom"), "werkritme": ("motivatie", "belemmeringen"),
    "doorstroom": ("motivatie", "financiering"), "belemmeringen": ("werkritme", "doorverwijzen"),
    "vertrouwen": ("eigen_ervaring", "bereik"), "bereik": ("vertrouwen", "activiteiten"),
    "activiteiten": ("bereik", "verbinden"), "verbinden": ("activiteiten", "nieuwe_vrijwilligers"),
    "nieuwe_vrijwilligers": ("verbinden", "activiteiten"), "doorverwijzen": ("samenwerking_formeel", "vertrouwen"),
    "waardering": ("erkenning", "vertrouwen"), "samenwerking_formeel": ("doorverwijzen", "financiering"),
    "grenzen": ("belemmeringen", "erkenning"), "financiering": ("grenzen", "samenwerking_formeel"),
    "eigen_ervaring": ("vertrouwen", "taal"), "erkenning": ("waardering", "zelfvertrouwen"),
    "taal": ("eigen_ervaring", "activiteiten"),
}


def _code_densely(b: _Builder, sentences: list[tuple[int, int, str]], several: bool, code: str,
                  rng: random.Random) -> None:
    """Extra true codings of one answer of a long interview (nested: same spans or the whole turn)."""
    for s, e, _ in sentences:
        related = RELATED.get(code)
        if related and rng.random() < RELATED_SHARE:
            b.secondary.append((s, e, rng.choice(related)))
    if several and rng.random() < WHOLE_ANSWER_SHARE:
        b.spans.append((*b.last_turn, code))


def _iban(rng: random.Random) -> str:
    """A valid-looking Dutch IBAN with a bank code no bank uses (``DEMO``)."""
    account = f"{rng.randrange(10**9, 10**10)}"
    bban = f"DEMO{account}"
    digits = "".join(str(int(c, 36)) for c in bban + "NL00")
    check = 98 - int(digits) % 97
    return f"NL{check:02d}{bban}"


def _coder_spans(iv: Interview, coder_index: int, rng: random.Random) -> list[tuple[int, int, str]]:
    """One coder's version of the true coding: mostly the same, sometimes another code or a miss."""
    keep, swap = ((0.93, 0.05), (0.85, 0.11))[coder_index]
    out = set()
    for s, e, code in iv.spans:
        r = rng.random()
        if r > keep:
            continue
        if r > keep - swap and code in tx.CONFUSABLE:
            code = tx.CONFUSABLE[code]
        out.add((s, e, code))
    return sorted(out)


def _coder_secondary(iv: Interview, coder_index: int, rng: random.Random) -> list[tuple[int, int, str]]:
    """One coder's related codes of a long interview: given less often, and more often another one."""
    keep, swap = SECONDARY_CODER[coder_index]
    out = []
    for s, e, code in iv.secondary:
        r = rng.random()
        if r < keep:
            out.append((s, e, tx.CONFUSABLE.get(code, code) if r >= keep - swap else code))
    return out


def _header(iv: Interview) -> str:
    kind = iv.interviewee.org_kind or "bewoner"
    actor = "formal" if iv.interviewee.actor_type == "formeel" else "informal"
    return "\n".join([
        "---",
        f"# synthetic: true — {tx.SYNTHETIC_NL}",
        f"interview: {iv.doc}",
        f"date: {iv.date.isoformat()}",
        f"interviewer: {iv.interviewer.person_id}",
        f"interviewee: {iv.interviewee.person_id}",
        f"actor_type: {actor}",
        f"organisation_kind: {kind}",
        f"district: {iv.interviewee.district}",
        "consent: yes",
        "---",
        "",
    ])


# --- codebook and stories ------------------------------------------------------------------------

def _codebook_yaml() -> str:
    who = {"CO1": CODERS[0], "CO2": CODERS[1]}
    lines = [f"# {tx.SYNTHETIC_NL}", "# synthetic: true", "# Het gedeelde codeboek van de demo-studie.", "codes:"]
    for c in tx.CODEBOOK:
        lines.append(f"  - code: {c['code']}")
        lines.append(f"    label: {json.dumps(c['label'], ensure_ascii=False)}")
        lines.append(f"    label_en: {json.dumps(c['label_en'], ensure_ascii=False)}")
        if c.get("parent"):
            lines.append(f"    parent: {c['parent']}")
        for key in ("definition", "when_to_use", "when_not_to_use", "example"):
            lines.append(f"    {key}: {json.dumps(c[key], ensure_ascii=False)}")
        lines.append(f"    origin: {c['origin']}")
        lines.append(f"    proposed_by: {who.get(c['proposed_by'], c['proposed_by'])}")
        lines.append(f"    date_added: {c['date_added']}")
        if c.get("aliases"):
            lines.append(f"    aliases: [{', '.join(c['aliases'])}]")
        if c.get("tags"):
            lines.append(f"    tags: [{', '.join(c['tags'])}]")
    return "\n".join(lines) + "\n"


def _msc_rows(world: World, seed: int) -> list[list]:
    rng = _rng(seed, "msc")
    bbs = [p for p in world.role("buurtbaner") if world.trajectories[p.person_id]["outcome"] != "drop_out"]
    stories = list(range(len(tx.MSC_STORIES)))
    rng.shuffle(stories)
    pools = {"buurtbaner": bbs, "bewoner": world.role("bewoner"), "vrijwilliger": world.role("vrijwilliger")}
    tellers = []
    for s in stories:
        pool = [p for p in pools[tx.MSC_TELLER[tx.MSC_STORIES[s][0]]] if p not in tellers]
        tellers.append(rng.choice(pool))
    chosen = {}
    for reason, domain in enumerate(("werk", "meedoen", "gezondheid")):
        for k, s in enumerate(stories):
            if tx.MSC_STORIES[s][0] == domain and k not in chosen:
                chosen[k] = tx.PANEL_REASONS[reason]
                break
    rows, named = [], False
    for k, (teller, s) in enumerate(zip(tellers, stories)):
        domain, story = tx.MSC_STORIES[s]
        if not named and teller.role == "bewoner" and "De buurtbaner" in story:
            # storytellers name the people who helped them; redaction must catch it
            local = [p for p in bbs if p.district == teller.district] or bbs
            name = world.plant("name", local[0].first)
            story = story.replace("De buurtbaner", f"De buurtbaner, {name},", 1)
            named = True
        rows.append([f"MSC{k + 1:02d}", teller.person_id, domain, story,
                     "ja" if k in chosen else "nee", chosen.get(k, "")])
    return rows


# --- the study -------------------------------------------------------------------------------------

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
    world = _make_people(seed, sizes)
    events = _trajectory_rows(world, seed)
    goals = _goal_rows(world, seed)
    activities, attendance, contacts = _reach(world, seed, sizes)
    bb_waves = _buurtbaner_answers(world, seed)
    bew_waves = _bewoner_answers(world, seed, attendance, activities, contacts, sizes)
    interviews = _make_interviews(world, seed, sizes)
    msc = _msc_rows(world, seed)

    _write_csv(raw / "people.csv",
               ["person_id", "name", "name_variants", "role", "actor_type", "organisation", "district",
                "neighbourhood", "phone", "email", "address", "birth_year", "coresearcher"],
               [[p.person_id, p.name, ";".join(p.variants), p.role, p.actor_type, p.organisation, p.district,
                 p.neighbourhood, p.phone, p.email, p.address, p.birth_year, "ja" if p.coresearcher else "nee"]
                for p in sorted(world.people, key=lambda p: p.person_id)])
    _write_csv(raw / "consent.csv", ["person_id", "questionnaire", "interview", "quotes", "named_as_coresearcher",
                                     "withdrawn_on"], _consent_rows(world, seed, interviews, bew_waves))
    _write_csv(raw / "trajectory_events.csv", ["person_id", "date", "kind", "hours", "ladder_step", "note"], events)
    _write_csv(raw / "goals.csv", ["person_id", "goal_id", "goal", "weight", "date", "level"], goals)
    if isinstance(activities, list):
        _write_xlsx(raw / "activities.xlsx",
                    ["activity_id", "kind", "district", "date", "organiser", "attendees", "first_time_attendees"],
                    [[a["activity_id"], a["kind"], a["district"], a["date"], a["organiser"], a["attendees"],
                      a["first_time_attendees"]] for a in activities], "activities")
        _write_csv(raw / "attendance.csv", ["activity_id", "person_id", "first_time"], attendance)
    else:  # large studies: CSV written by polars (an XLSX of this size takes minutes)
        _write_frame(raw / "activities.csv", activities)
        _write_frame(raw / "attendance.csv", attendance)
    _write_csv(raw / "contacts.csv", ["date", "from_person", "to_person", "to_organisation", "kind", "district"],
               [[c[0].isoformat(), *c[1:]] for c in contacts])
    _write_csv(raw / "msc_stories.csv", ["story_id", "person_id", "domain", "story", "panel_choice",
                                         "panel_reasons"], msc)
    for wave, rows in sorted(bb_waves.items()):
        _write_csv(raw / "responses" / "buurtbaners" / f"meting_{wave}.csv", rows[0], rows[1:])
    for wave, rows in sorted(bew_waves.items()):
        _write_csv(raw / "responses" / "bewoners" / f"meting_{wave}.csv", rows[0], rows[1:])
    _write_follow_up(raw / "responses" / "bewoners_vervolg", _bewoner_follow_up(seed, bew_waves), seed, sizes)
    rng = _rng(seed, "coders")
    if sizes.long_interviews:
        _write_coding_tables(raw, interviews, rng)
    for iv in interviews:
        header = _header(iv)
        (raw / "transcripts" / f"{iv.doc}.md").write_bytes((header + iv.text + "\n").encode("utf-8"))
        for k, coder in enumerate(CODERS if not sizes.long_interviews else ()):
            spans = _coder_spans(iv, k, rng)
            path = raw / "codings" / coder / f"{iv.doc}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes((header + write_markup(iv.text, spans) + "\n").encode("utf-8"))
    if not sizes.long_interviews:
        _write_answer_sheets(raw, {"buurtbaners": bb_waves, "bewoners": bew_waves}, _rng(seed, "answer-coders"))
    (raw / "codebook.yaml").write_bytes(_codebook_yaml().encode("utf-8"))
    (raw / "theory_of_change.yaml").write_bytes(
        f"# {tx.SYNTHETIC_NL}\n# synthetic: true\n{tx.THEORY_OF_CHANGE}".encode("utf-8"))
    if not sizes.long_interviews:
        _write_memos(raw, interviews)
    planted = {k: world.pii[k] for k in sorted(world.pii)}
    (raw / "_planted_pii.json").write_bytes(
        (json.dumps(planted, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return planted


def _write_memos(raw: Path, interviews: list[Interview]) -> None:
    """A few memos of the coders (``data/raw/memos``): after an interview, about a code, about a coding,
    about the study, about a step of the theory of change. Three are marked for publication; the others
    stay inside the team."""
    from impact.coding.codings import codings_from_markup
    from impact.coding.memos import format_memo

    first, second = interviews[0], interviews[1]
    coded = (raw / "codings" / CODERS[0] / f"{second.doc}.md").read_text(encoding="utf-8")
    rows, _ = codings_from_markup(coded, second.doc, CODERS[0], {second.doc: second.text}, None)
    coding = min(rows, key=lambda r: (r["start"], r["end"], r["code"]))
    code = next(c["code"] for c in tx.CODEBOOK if c.get("parent"))
    memos = [
        ("na-interview-" + first.doc.lower(), CODERS[0], first.date + dt.timedelta(days=1),
         f"document:{first.doc}", False, "Na het gesprek",
         "Na dit gesprek twijfelde ik of we de vraag over werk te vroeg stelden.\n\n"
         "Volgende keer eerst vragen naar de buurt, dan naar werk."),
        ("code-" + code, CODERS[1], first.date + dt.timedelta(days=20), f"code:{code}", True,
         "Afspraak uit het overleg",
         "In het overleg spraken we af deze code alleen te geven als iemand zelf over die stap vertelt. "
         "Een stap die een ander ziet, telt niet mee."),
        ("codering-" + second.doc.lower(), CODERS[0], second.date + dt.timedelta(days=2),
         f"coding:{second.doc}:{coding['start']}-{coding['end']}:{coding['code']}", False, None,
         "Ik was hier niet zeker van de code; mijn collega koos misschien anders. Bespreken in het overleg."),
        ("werkwijze-coderen", CODERS[1], second.date + dt.timedelta(days=30), "study", True,
         "Zo codeerden we",
         "Een onderzoeker en een sleutelpersoon codeerden elk interview apart. "
         "Waar we verschilden, bespraken we het samen."),
        ("stap-ladder", CODERS[0], second.date + dt.timedelta(days=45), "step:ladder", True,
         "Na het overleg over de ladder",
         "Veel buurtbaners vertellen dat ze meer zelfvertrouwen kregen. Wie schulden heeft, komt "
         "moeilijker vooruit op de ladder. Dat volgen we in de volgende meting beter."),
    ]
    folder = raw / "memos"
    folder.mkdir(parents=True, exist_ok=True)
    for memo, author, date, about, publish, title, text in memos:
        from impact.coding.memos import parse_about

        rec = {"memo": memo, "author": author, "date": date, "publish": publish, "title": title, "text": text,
               **parse_about(about)}
        body = format_memo(rec).replace("---\n", f"---\n# synthetic: true — {tx.SYNTHETIC_NL}\n", 1)
        (folder / f"{memo}.md").write_bytes(body.encode("utf-8"))


def _write_frame(path: Path, frame) -> None:
    """A polars frame as CSV below the synthetic title line."""
    buf = io.BytesIO()
    buf.write(f"# {tx.SYNTHETIC_NL}\n".encode("utf-8"))
    frame.write_csv(buf, line_terminator="\n")
    path.write_bytes(buf.getvalue())


def _write_coding_tables(raw: Path, interviews: list[Interview], rng: random.Random) -> None:
    """Codings of long interviews as ``codings/<coder>.csv`` tables (as other tools export them).

    Each coder gives the true codes (with misses and swaps), the related codes (less reliably) and,
    mostly, the parent code on the same span.
    """
    import polars as pl

    for k, coder in enumerate(CODERS):
        docs, starts, ends, codes = [], [], [], []
        for iv in interviews:
            for s, e, code in sorted(_coder_spans(iv, k, rng) + _coder_secondary(iv, k, rng)):
                parent = tx.PARENT_OF.get(code)
                for c in (code, parent) if parent and rng.random() < PARENT_SHARE[k] else (code,):
                    docs.append(iv.doc)
                    starts.append(s)
                    ends.append(e)
                    codes.append(c)
        frame = pl.DataFrame({"document": docs, "start": starts, "end": ends, "code": codes},
                             schema={"document": pl.Utf8, "start": pl.Int64, "end": pl.Int64, "code": pl.Utf8})
        frame = frame.unique(maintain_order=True).with_columns(pl.lit(coder).alias("coder"))
        _write_frame(raw / "codings" / f"{coder}.csv", frame)


def _answer_spans(text: str, coder_index: int, rng: random.Random) -> list[tuple[int, int, str]]:
    """One coder's codes for an open answer: the careful coding, with the coder's misses and swaps."""
    truth = [(text.index(words), text.index(words) + len(words), code)
             for words, code in tx.ANSWER_CODES.get(text, [])]
    return _coder_spans(Interview("", PERIOD_START, None, None, None, text, truth), coder_index, rng)


def _write_answer_sheets(raw: Path, waves_by_instrument: dict, rng: random.Random) -> None:
    """Both coders' coded sheets of every open question and wave (``answers__*.md``)."""
    from impact.coding.answers import answer_text
    from impact.coding.sheets import sheet_name, sheet_text

    for (instrument, item), question in tx.OPEN_QUESTIONS.items():
        for wave, rows in sorted(waves_by_instrument[instrument].items()):
            col = rows[0].index(item)
            answers = sorted((r[0], answer_text(r[col])) for r in rows[1:] if answer_text(r[col]))
            if not answers:
                continue
            for k, coder in enumerate(CODERS):
                blocks = [(pid, write_markup(text, _answer_spans(text, k, rng))) for pid, text in answers]
                path = raw / "codings" / coder / f"{sheet_name(instrument, item, wave)}.md"
                path.parent.mkdir(parents=True, exist_ok=True)
                text = sheet_text(instrument, item, wave, blocks, question,
                                  extra_header=(f"# synthetic: true — {tx.SYNTHETIC_NL}",))
                path.write_bytes(text.encode("utf-8"))


def _consent_rows(world: World, seed: int, interviews: list[Interview], bew_waves) -> list[list]:
    rng = _rng(seed, "consent")
    interviewed = {iv.interviewee.person_id for iv in interviews}
    no_quotes = set(rng.sample(sorted(interviewed), 2))
    answered = sorted({r[0] for w in bew_waves.values() for r in w[1:]} - interviewed)
    withdrawn = {answered[len(answered) // 3]: "2023-06-12"} if answered else {}
    rows = []
    for p in sorted(world.people, key=lambda p: p.person_id):
        pid = p.person_id
        rows.append([pid, "ja", "ja" if pid in interviewed or p.role == "buurtbaner" else "nee",
                     "nee" if pid in no_quotes else "ja",
                     ("ja" if pid != CORESEARCHERS[-1] else "nee") if p.coresearcher else "nee",
                     withdrawn.get(pid, "")])
    return rows
