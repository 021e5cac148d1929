"""The residents' follow-up questionnaire (``bewoners_vervolg``): a repeat group and a cascading select.

About a year after their first conversation some residents answer again;
the answers are written as a KoboToolbox XLS export (the repeat group on a
sheet of its own), or for a large study as an ODK Central "CSV with repeats" ZIP.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

from impact import demo_text as tx
from impact.demo.basics import PERIOD_END, Sizes, random_stream
from impact.demo.files import FIXED_TIME, write_sheets

FOLLOW_UP_DAYS = (350, 400)     # the follow-up conversation, days after the first one
FOLLOW_UP_SHARE = 0.6           # of the residents whose follow-up falls inside the study period
HELP_SHARES = {"geld": 4, "gezondheid": 2, "werk": 2, "wonen": 2}


def bewoner_follow_up(seed: int, bew_waves: dict[int, list[list]]) -> list[dict]:
    """``bewoners_vervolg`` (wave 3, about a year after the first conversation) for some residents
    of ``bewoners`` wave 1: per submission the answers, with the activities they visited as a repeat
    group (``bezoeken``) and the organisation that helped them, filtered by the kind of help."""
    from impact.questionnaires.shipped import HELP_PLACES

    rng = random_stream(seed, "answers-bew-vervolg")
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

    rng = random_stream(seed, "kobo-ids")
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
    rng = random_stream(seed, "odk-ids")
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


def write_follow_up(folder: Path, subs: list[dict], seed: int, sizes: Sizes) -> None:
    """The follow-up as a Kobo XLS export; a large study as an ODK Central ZIP (reading an XLSX of
    that size takes openpyxl minutes)."""
    folder.mkdir(parents=True, exist_ok=True)
    if not sizes.long_interviews:
        write_sheets(folder / "kobo-export.xlsx", _kobo_export_sheets(subs, seed))
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
