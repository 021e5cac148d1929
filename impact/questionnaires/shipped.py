"""Build the shipped XLSForm instruments (buurtbaners, bewoners, bewoners_vervolg, gas).

The workbooks in ``impact/study_template/questionnaires/`` are what people
open and change; this module is how they were made, so a change here can be
reviewed as text. Rebuild with::

    .venv/bin/python -m impact.questionnaires.shipped [name ...]

Item names follow docs/data-model.md ("The shipped instruments"): the demo
generator and the analysis use them, so keep them exactly.
"""

from __future__ import annotations

from pathlib import Path

NL, EN = "Nederlands (nl)", "English (en)"
SURVEY_COLUMNS = [
    "type", "name", f"label::{NL}", f"label::{EN}", f"hint::{NL}", f"hint::{EN}", "required",
    "constraint", f"constraint_message::{NL}", f"constraint_message::{EN}", "relevant",
    "appearance", "scale", "reverse", "proposed_by", "round", "choice_filter",
]
CHOICE_COLUMNS = ["list_name", "name", f"label::{NL}", f"label::{EN}"]
SETTINGS_COLUMNS = ["form_title", "form_id", "version", "default_language"]

AGREE_HINT = ("1 = helemaal niet mee eens, 2 = niet mee eens, 3 = niet eens en niet oneens, "
              "4 = mee eens, 5 = helemaal mee eens",
              "1 = strongly disagree, 2 = disagree, 3 = neither, 4 = agree, 5 = strongly agree")
RANGE_1_5 = ". >= 1 and . <= 5"
RANGE_MSG = ("Kies een getal van 1 tot en met 5.", "Choose a number from 1 to 5.")


def q(type_, name, nl="", en="", *, hint=("", ""), required="", constraint="", msg=("", ""),
      relevant="", appearance="", scale="", reverse="", proposed_by="", round_="", choice_filter=""):
    return [type_, name, nl, en, hint[0], hint[1], required, constraint, msg[0], msg[1], relevant,
            appearance, scale, reverse, proposed_by, round_, choice_filter]


def intro(waves: list[tuple[str, str, str]]):
    """Who answers, at which moment (wave) and when: needed in every export."""
    rows = [
        q("begin group", "intro", "Over dit gesprek", "About this conversation"),
        q("text", "respondent", "Code van de deelnemer (bijvoorbeeld BB03). Geen naam!",
          "Code of the participant (for example BB03). No name!", required="yes",
          constraint="regex(., '^[A-Za-z0-9_-]{1,20}$')",
          msg=("Alleen letters en cijfers, geen spaties. Geen naam.",
               "Only letters and digits, no spaces. No name."),
          proposed_by="onderzoeker", round_="1"),
        q("select_one meting", "wave", "Welke meting is dit?", "Which wave is this?", required="yes",
          proposed_by="onderzoeker", round_="1"),
        q("date", "date", "Datum van vandaag", "Today's date", proposed_by="onderzoeker", round_="1"),
        q("end group", "intro"),
    ]
    choices = [["meting", name, nl, en] for name, nl, en in waves]
    return rows, choices


def agree(name, nl, en, scale, *, reverse="", proposed_by="sleutelpersonen", round_="1"):
    return q("integer", name, nl, en, hint=AGREE_HINT, required="yes", constraint=RANGE_1_5,
             msg=RANGE_MSG, appearance="", scale=scale, reverse=reverse,
             proposed_by=proposed_by, round_=round_)


SEVERAL = ("U mag meer dan één antwoord kiezen.", "You may choose more than one answer.")


def activities(nl: str, en: str):
    """The residents' activities (``bewoners`` and its follow-up ask the same)."""
    return q("select_multiple activiteiten", "activiteiten", nl, en, hint=SEVERAL, proposed_by="BB03", round_="1")


def changed():
    """What changed since the contact (``bewoners`` and its follow-up)."""
    return q("select_multiple veranderd", "veranderd", "Wat is er voor u veranderd sinds het contact?",
             "What has changed for you since the contact?", hint=SEVERAL,
             constraint="not(selected(., 'niets') and count-selected(.) > 1)",
             msg=("'Niets' kan niet samen met een ander antwoord.", "'Nothing' cannot go with another answer."),
             proposed_by="BB07", round_="2")


def satisfied():
    """How satisfied with the contact, 1-5 (``bewoners`` and its follow-up)."""
    return q("integer", "tevreden", "Hoe tevreden bent u over het contact met de buurtbaner?",
             "How satisfied are you with the contact with the neighbourhood worker?",
             hint=("1 = helemaal niet tevreden, 5 = heel tevreden", "1 = not satisfied at all, 5 = very satisfied"),
             constraint=RANGE_1_5, msg=RANGE_MSG, proposed_by="sleutelpersonen", round_="1")


def buurtbaners():
    rows, choices = intro([("1", "Start", "Start"), ("2", "Na een jaar", "After one year"),
                           ("3", "Aan het einde (na twee jaar)", "At the end (after two years)")])
    rows += [
        q("begin group", "werk", "Werk en meedoen", "Work and taking part"),
        q("select_one ladder", "ladder", "Welke trede past nu het best bij u?",
          "Which step fits your situation best now?",
          hint=("De Participatieladder heeft zes treden.", "The Participation Ladder has six steps."),
          required="yes", proposed_by="onderzoeker", round_="1"),
        agree("se_1", "Ik weet wat ik goed kan in werk.", "I know what I am good at in work.",
              "self_efficacy"),
        agree("se_2", "Als er iets moeilijks gebeurt op het werk, vind ik een oplossing.",
              "When something difficult happens at work, I find a solution.", "self_efficacy"),
        agree("se_3", "Ik durf hulp te vragen als ik iets niet weet.",
              "I dare to ask for help when I do not know something.", "self_efficacy",
              proposed_by="BB03", round_="2"),
        agree("se_4", "Ik denk vaak dat ik een baan niet aankan.", "I often think I cannot handle a job.",
              "self_efficacy", reverse="yes", proposed_by="BB07", round_="2"),
        agree("se_5", "Ik kan een nieuwe taak leren als ik er tijd voor krijg.",
              "I can learn a new task if I get time for it.", "self_efficacy"),
        q("end group", "werk"),
        q("begin group", "netwerk", "Mensen om u heen", "People around you"),
        agree("net_1", "Ik heb mensen bij wie ik terecht kan als ik hulp nodig heb.",
              "I have people I can turn to when I need help.", "social_network"),
        agree("net_2", "Ik ken veel mensen in mijn buurt.", "I know many people in my neighbourhood.",
              "social_network", proposed_by="BB03", round_="2"),
        agree("net_3", "Ik voel me vaak alleen.", "I often feel alone.", "social_network", reverse="yes"),
        agree("net_4", "Ik ken mensen bij organisaties, zoals het buurtteam of de gemeente.",
              "I know people at organisations, such as the neighbourhood team or the municipality.",
              "social_network", proposed_by="BB07", round_="2"),
        q("end group", "netwerk"),
        q("begin group", "geld", "Geld", "Money",
          hint=("Een hoger getal betekent meer zorgen om geld.", "A higher number means more money worries.")),
        agree("fin_1", "Ik maak me zorgen over geld.", "I worry about money.", "financial_stress"),
        agree("fin_2", "Ik kan mijn rekeningen op tijd betalen.", "I can pay my bills on time.",
              "financial_stress", reverse="yes"),
        agree("fin_3", "Aan het eind van de maand heb ik te weinig geld.",
              "At the end of the month I do not have enough money.", "financial_stress",
              proposed_by="BB11", round_="2"),
        q("end group", "geld"),
        q("begin group", "welzijn", "Hoe gaat het met u?", "How are you?"),
        agree("wb_1", "Ik voel me goed.", "I feel good.", "wellbeing"),
        agree("wb_2", "Ik slaap slecht door zorgen.", "I sleep badly because of worries.", "wellbeing",
              reverse="yes", proposed_by="BB11", round_="2"),
        agree("wb_3", "Ik heb plezier in wat ik doe.", "I enjoy what I do.", "wellbeing"),
        agree("wb_4", "Ik kijk met vertrouwen naar de toekomst.", "I look to the future with confidence.",
              "wellbeing", proposed_by="BB03", round_="3"),
        q("end group", "welzijn"),
        q("begin group", "open", "In uw eigen woorden", "In your own words"),
        q("text", "verandering", "Wat is er voor u veranderd?", "What has changed for you?",
          appearance="multiline", proposed_by="sleutelpersonen", round_="1"),
        q("text", "opmerking", "Wilt u nog iets zeggen?", "Is there anything else you want to say?",
          appearance="multiline", proposed_by="sleutelpersonen", round_="1"),
        q("end group", "open"),
    ]
    ladder = [
        ("1", "Geïsoleerd", "Isolated"),
        ("2", "Sociale contacten buiten de deur", "Social contacts outside the home"),
        ("3", "Deelname aan georganiseerde activiteiten", "Taking part in organised activities"),
        ("4", "Onbetaald werk", "Unpaid work"),
        ("5", "Betaald werk met ondersteuning", "Paid work with support"),
        ("6", "Betaald werk", "Paid work"),
    ]
    choices += [["ladder", n, nl, en] for n, nl, en in ladder]
    settings = ["Buurtbaners en sleutelpersonen: start en vervolg", "buurtbaners", "2024.1", NL]
    return rows, choices, settings


def bewoners():
    rows, choices = intro([("1", "Eerste gesprek", "First conversation"),
                           ("2", "Vervolg (na een half jaar)", "Follow-up (after six months)")])
    rows += [
        q("begin group", "contact", "Hoe kwam u in contact?", "How did you get in touch?"),
        q("select_one contact_via", "contact_via", "Hoe kwam u in contact met de buurtbaner?",
          "How did you get in touch with the neighbourhood worker?", required="yes",
          proposed_by="sleutelpersonen", round_="1"),
        activities("Aan welke activiteiten doet u mee?", "Which activities do you take part in?"),
        q("end group", "contact"),
        q("begin group", "verschil", "Wat is er veranderd?", "What has changed?"),
        changed(),
        q("select_one janee", "formele_org",
          "Heeft u sinds het contact een organisatie gesproken, zoals het buurtteam of de gemeente?",
          "Since the contact, have you talked with an organisation, such as the neighbourhood team "
          "or the municipality?", proposed_by="onderzoeker", round_="1"),
        satisfied(),
        q("text", "verandering_tekst", "Kunt u in uw eigen woorden vertellen wat er veranderd is?",
          "Can you tell in your own words what has changed?", appearance="multiline",
          proposed_by="BB11", round_="2"),
        q("end group", "verschil"),
    ]
    choices += [["contact_via", n, nl, en] for n, nl, en in [
        ("activiteit", "Via een activiteit", "Through an activity"),
        ("aanbellen", "De buurtbaner belde aan", "The neighbourhood worker rang my doorbell"),
        ("via_via", "Via iemand die ik ken", "Through someone I know"),
        ("buurtbaner_op_straat", "Ik sprak de buurtbaner op straat", "I met the neighbourhood worker in the street"),
        ("organisatie", "Via een organisatie", "Through an organisation"),
    ]]
    choices += [["activiteiten", n, nl, en] for n, nl, en in [
        ("spreekuur", "Spreekuur", "Consultation hour"),
        ("maaltijd", "Samen eten", "Shared meal"),
        ("wandelgroep", "Wandelgroep", "Walking group"),
        ("taalles", "Taalles", "Language class"),
        ("computerles", "Computerles", "Computer class"),
        ("evenement", "Buurtfeest of evenement", "Neighbourhood party or event"),
    ]]
    choices += [["veranderd", n, nl, en] for n, nl, en in [
        ("meer_contact", "Ik heb meer contact met mensen", "I have more contact with people"),
        ("minder_eenzaam", "Ik voel me minder alleen", "I feel less alone"),
        ("hulp_gevonden", "Ik heb hulp gevonden", "I found help"),
        ("zelf_actief", "Ik doe zelf meer in de buurt", "I do more in the neighbourhood myself"),
        ("niets", "Niets", "Nothing"),
    ]]
    choices += [["janee", "ja", "Ja", "Yes"], ["janee", "nee", "Nee", "No"]]
    settings = ["Bewoners die bereikt zijn", "bewoners", "2024.1", NL]
    return rows, choices, settings


def bewoners_vervolg():
    """The follow-up of ``bewoners`` after a year: a repeat group (each activity visited) and a
    cascading select (which organisation, filtered by the kind of help)."""
    rows, choices = intro([("3", "Na een jaar", "After one year")])
    rows += [
        q("begin group", "contact", "Contact met de buurtbaner", "Contact with the neighbourhood worker"),
        q("select_one janee", "contact_nog", "Heeft u nog contact met de buurtbaner?",
          "Are you still in touch with the neighbourhood worker?", required="yes",
          proposed_by="sleutelpersonen", round_="3"),
        activities("Aan welke activiteiten doet u nu mee?", "Which activities do you take part in now?"),
        q("end group", "contact"),
        q("begin repeat", "bezoeken", "Activiteiten die u bezocht", "Activities you visited",
          hint=("Vul dit in voor elke activiteit waar u de laatste drie maanden was.",
                "Fill this in for each activity you went to in the last three months.")),
        q("select_one activiteiten", "activiteit", "Welke activiteit?", "Which activity?", required="yes",
          proposed_by="BB15", round_="3"),
        q("integer", "keer", "Hoe vaak ging u erheen in de laatste drie maanden?",
          "How often did you go in the last three months?", required="yes",
          constraint=". >= 1 and . <= 40", msg=("Kies een getal van 1 tot en met 40.", "Choose a number from 1 to 40."),
          proposed_by="BB15", round_="3"),
        q("integer", "waardering", "Hoe vond u het?", "How did you like it?",
          hint=("1 = helemaal niet leuk, 5 = heel leuk", "1 = did not like it at all, 5 = liked it very much"),
          constraint=RANGE_1_5, msg=RANGE_MSG, proposed_by="BB15", round_="3"),
        q("end repeat", "bezoeken"),
        q("begin group", "hulp", "Hulp van organisaties", "Help from organisations"),
        q("select_one hulp_soort", "hulp_soort", "Waarvoor kreeg u hulp van een organisatie?",
          "What did an organisation help you with?", proposed_by="onderzoeker", round_="3"),
        q("select_one hulp_bij", "hulp_bij", "Bij welke organisatie?", "Which organisation?",
          relevant="${hulp_soort} != 'geen'", choice_filter="soort = ${hulp_soort}",
          proposed_by="onderzoeker", round_="3"),
        q("end group", "hulp"),
        q("begin group", "verschil", "Wat is er veranderd?", "What has changed?"),
        changed(),
        satisfied(),
        q("end group", "verschil"),
    ]
    _, bewoners_choices, _ = bewoners()
    choices += [c for c in bewoners_choices if c[0] in ("activiteiten", "veranderd", "janee")]
    choices += [["hulp_soort", n, nl, en] for n, nl, en in HELP_KINDS]
    choices += [["hulp_bij", n, nl, en, kind] for kind, n, nl, en in HELP_PLACES]
    settings = ["Bewoners: vervolggesprek na een jaar", "bewoners_vervolg", "2024.1", NL]
    return rows, choices, settings, {"follows_up": "bewoners", "respondent_key": "respondent"}


HELP_KINDS = [
    ("geen", "Ik kreeg geen hulp", "I got no help"),
    ("geld", "Geld en schulden", "Money and debts"),
    ("gezondheid", "Gezondheid", "Health"),
    ("werk", "Werk", "Work"),
    ("wonen", "Wonen", "Housing"),
]
# the choice_filter of hulp_bij: "soort = ${hulp_soort}" keeps the places of the chosen kind
HELP_PLACES = [
    ("geld", "schuldhulp", "Schuldhulpverlening", "Debt counselling"),
    ("geld", "voedselbank", "Voedselbank", "Food bank"),
    ("gezondheid", "huisarts", "Huisarts", "General practitioner"),
    ("gezondheid", "ggd", "GGD", "Public health service (GGD)"),
    ("werk", "werkplein", "Werkplein of UWV", "Job centre or UWV"),
    ("werk", "leerwerk", "Leerwerkbedrijf", "Work-and-learn company"),
    ("wonen", "corporatie", "Woningcorporatie", "Housing association"),
    ("wonen", "buurtteam", "Buurtteam", "Neighbourhood team"),
]


GAS_LEVELS = [
    ("min2", "-2", "Veel minder dan verwacht", "Much less than expected"),
    ("min1", "-1", "Minder dan verwacht", "Less than expected"),
    ("0", "0", "Wat we verwachten (het doel)", "What we expect (the goal)"),
    ("plus1", "1", "Meer dan verwacht", "More than expected"),
    ("plus2", "2", "Veel meer dan verwacht", "Much more than expected"),
]


def gas():
    rows = [
        q("begin group", "intro", "Over dit doelenblad", "About this goal sheet"),
        q("text", "respondent", "Code van de deelnemer (bijvoorbeeld BB03). Geen naam!",
          "Code of the participant (for example BB03). No name!", required="yes",
          proposed_by="onderzoeker", round_="1"),
        q("date", "date", "Datum", "Date", required="yes", proposed_by="onderzoeker", round_="1"),
        q("end group", "intro"),
    ]
    for k in range(1, 6):
        relevant = "" if k == 1 else f"${{doel_{k - 1}}} != ''"
        rows += [
            q("begin group", f"doelgroep_{k}", f"Doel {k}", f"Goal {k}", relevant=relevant),
            q("text", f"doel_{k}", f"Doel {k} in uw eigen woorden" + (" (mag leeg blijven)" if k > 1 else ""),
              f"Goal {k} in your own words" + (" (may stay empty)" if k > 1 else ""),
              required="yes" if k == 1 else "", proposed_by="sleutelpersonen", round_="1"),
            q("integer", f"gewicht_{k}", "Hoe belangrijk is dit doel? (1 = gewoon, 2 = belangrijk, 3 = heel belangrijk)",
              "How important is this goal? (1 = normal, 2 = important, 3 = very important)",
              constraint=". >= 1 and . <= 3", msg=("Kies 1, 2 of 3.", "Choose 1, 2 or 3."),
              relevant=f"${{doel_{k}}} != ''", proposed_by="onderzoeker", round_="1"),
        ]
        for suffix, _value, nl, en in GAS_LEVELS:
            rows.append(q("text", f"niveau_{k}_{suffix}", f"{nl}: hoe ziet dat eruit?",
                          f"{en}: what does that look like?", relevant=f"${{doel_{k}}} != ''",
                          proposed_by="sleutelpersonen", round_="1"))
        rows += [
            q("select_one gas_niveau", f"score_{k}", "Waar staat u nu bij dit doel?",
              "Where are you now with this goal?", relevant=f"${{doel_{k}}} != ''",
              proposed_by="onderzoeker", round_="1"),
            q("end group", f"doelgroep_{k}"),
        ]
    choices = [["gas_niveau", value, f"{value}: {nl}", f"{value}: {en}"] for _s, value, nl, en in GAS_LEVELS]
    settings = ["Doelen (Goal Attainment Scaling)", "gas", "2024.1", NL]
    return rows, choices, settings


def write_workbook(path: Path, rows, choices, settings, extra_settings: dict | None = None) -> None:
    """Write one XLSForm; ``extra_settings``: more settings columns (``follows_up``), and a choice row
    longer than ``CHOICE_COLUMNS`` fills the ``soort`` column a ``choice_filter`` reads."""
    import openpyxl
    from openpyxl.styles import Font

    extra = extra_settings or {}
    choice_header = CHOICE_COLUMNS + (["soort"] if any(len(c) > len(CHOICE_COLUMNS) for c in choices) else [])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "survey"
    for title, header, body in (("survey", SURVEY_COLUMNS, rows), ("choices", choice_header, choices),
                                ("settings", SETTINGS_COLUMNS + list(extra), [list(settings) + list(extra.values())])):
        sheet = ws if title == "survey" else wb.create_sheet(title)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in body:
            sheet.append([v if v != "" else None for v in row])
        sheet.freeze_panes = "A2"
        for col in sheet.columns:
            width = max(len(str(c.value or "")) for c in col)
            sheet.column_dimensions[col[0].column_letter].width = min(max(width + 2, 8), 60)
    wb.properties.creator = "impact"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


INSTRUMENTS = {"buurtbaners": buurtbaners, "bewoners": bewoners, "bewoners_vervolg": bewoners_vervolg, "gas": gas}


def build(folder: Path, names: list[str] | None = None) -> list[Path]:
    """Write the shipped instruments (``names``: only these) into ``folder``."""
    out = []
    for name, make in INSTRUMENTS.items():
        if names and name not in names:
            continue
        path = folder / f"{name}.xlsx"
        write_workbook(path, *make())
        out.append(path)
    return out


if __name__ == "__main__":
    import sys

    target = Path(__file__).resolve().parents[1] / "study_template" / "questionnaires"
    for p in build(target, sys.argv[1:] or None):
        print(p)
