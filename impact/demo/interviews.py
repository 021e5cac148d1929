"""Interviews: who is interviewed by whom, the Dutch transcripts, and their true coding.

A conversation follows the interview guide (work, then the neighbourhood,
then views) with sentences from the phrase banks in ``impact.demo_text``;
people give away personal details as in real transcripts (each planted in
the ``World``). Every coded sentence carries its true code, from which the
coders' versions are made (``impact.demo.codings``). ``write_transcripts``
writes ``transcripts/<doc>.md``.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

from impact import demo_text as tx
from impact.demo.basics import CORESEARCHERS, Sizes, random_stream
from impact.demo.people import Person, World


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


def make_interviews(world: World, seed: int, sizes: Sizes) -> list[Interview]:
    rng = random_stream(seed, "interviews")
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


def transcript_header(iv: Interview) -> str:
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


def write_transcripts(raw: Path, interviews: list[Interview]) -> None:
    """Every interview as ``transcripts/<doc>.md``, below its header."""
    for iv in interviews:
        (raw / "transcripts" / f"{iv.doc}.md").write_bytes((transcript_header(iv) + iv.text + "\n").encode("utf-8"))
