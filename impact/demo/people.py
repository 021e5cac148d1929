"""The demo's people (buurtbaners, key persons, formal actors, residents, volunteers).

``make_people`` makes everyone with fictional names, phone numbers, e-mail
addresses, street addresses and birth years (the personal data the privacy
steps must find); ``World`` holds the study in memory and records every
planted value.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from impact import demo_text as tx
from impact.demo.basics import CORESEARCHERS, N_FIRST_ROUND, N_NEW_APPLICATION, Sizes, random_stream


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


class Registry:
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


def make_people(seed: int, sizes: Sizes) -> tuple[World, Registry]:
    """Everyone in the study, and the registry that handed out their names and addresses (the
    trajectories move the buurtbaners of a new application with it)."""
    rng = random_stream(seed, "people")
    reg = Registry(rng)
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
    return world, reg
