"""Sentences with figures in them: chart takeaways and the findings page.

Every number in these sentences is a ``Value`` from the registry, so a
sentence shows the same number as the key figures and the infographic,
and it changes when the data change. Sentences are short (B1): one idea
each.

A chart's words are a dict with ``title``, ``takeaway`` (``Prose``),
``description`` (the alt text; ``Prose`` when it holds figures) and
``withheld``: a sentence when the chart may not be shown on this page
(a chart that shows persons one by one, while one of the counts a reader
could take from it is hidden), else ``None``::

    w = words.chart_words("funnel", tables, language)
    show.chart(chart, **w)
"""

from __future__ import annotations

from impact.errors import Text
from impact.figures import Prose, QUESTIONS, Value, breakdown, say, value, values
from impact.vocabulary import ACTIVITY_KINDS, code_labels, humanise, join_words


def _one(v: Value) -> bool:
    """True when a figure is exactly 1 (for singular verbs); a hidden count is "a few"."""
    return not v.hidden and v.number == 1


def _verb(v: Value, one: str, many: str) -> str:
    return one if _one(v) else many


def _withheld(t, lang: str, countable: list[str], one_by_one: bool = True) -> str | None:
    """Why a chart is not shown, when a count a reader could take from it is hidden on this page
    (``one_by_one``: it shows the buurtbaners one by one; else a line whose end is the hidden count)."""
    if not any(v.hidden for v in values(t, countable).values()):
        return None
    if one_by_one:
        return Text("Deze grafiek laten we hier niet zien. Hij toont de buurtbaners één voor één. Daarin zou "
                    "u anders een aantal van minder dan {k} personen kunnen tellen.",
                    k=t.k)(lang)
    return Text("Deze grafiek laten we hier niet zien. Daarin zou u anders een aantal kunnen aflezen dat we "
                "op deze pagina niet laten zien.")(lang)


# What a reader could count in each chart of persons one by one (a dot, line or step per person).
COUNTABLE = {
    "timeline": ["buurtbaners_placed", "buurtbaners_certified", "contract_promises", "follow_on_jobs", "drop_outs",
                 "still_in_buurtbaan", "ladder_measured"],
    "km": ["buurtbaners_placed", "follow_on_jobs", "without_follow_on_yet"],
    "gas": ["gas_scored", "gas_improved", "gas_goals_met"],
    "hours": ["buurtbaners_placed"],
    "ladder": ["ladder_measured"],
}


def funnel_counts(tables, lang: str = "nl"):
    """The stages of the outcome funnel as the page shows them (``impact.charts.value_labels``): the same
    figures, and the same hidden ones, as the key figures and the sentences."""
    from impact.charts import value_labels
    from impact.trajectories import FUNNEL_FIGURES, FUNNEL_STAGES

    return value_labels([(label(lang), value(FUNNEL_FIGURES[stage], tables)) for stage, label in FUNNEL_STAGES],
                        lang)


def generation_counts(tables, lang: str = "nl"):
    """Persons per generation of the ripple as the page shows them (``impact.charts.value_labels``): the
    starters (generation 0, the figure ``ripple_starters``) and the new volunteers per generation."""
    from impact.charts import value_labels

    rows = [("0", value("ripple_starters", tables))]
    rows += [(v.key, v) for v in breakdown("volunteers_by_generation", tables)]
    return value_labels(rows, lang)


def _half_or_more(part: Value, whole: Value) -> bool | None:
    if part.number is None or not whole.number:
        return None
    return part.number * 2 >= whole.number


# --- research question 1 ------------------------------------------------------

def _timeline(t, lang):
    v = values(t, ["buurtbaners_placed"])
    return {
        "title": Text("De weg van elke buurtbaner")(lang),
        "takeaway": say(Text("Elke regel is één buurtbaner. Er zijn er {n}. Namen zijn vervangen door een "
                             "nummer."),
                        lang, n=v["buurtbaners_placed"]),
        "description": Text("Puntgrafiek met per buurtbaner de belangrijkste gebeurtenissen (start, "
                            "certificaat, trede, belofte, vervolgbaan, gestopt, einde), per maand sinds de "
                            "start.")(lang),
        "withheld": _withheld(t, lang, COUNTABLE["timeline"]),
    }


def _ladder(t, lang):
    v = values(t, ["ladder_up", "ladder_measured"])
    return {
        "title": Text("Stappen op de Participatieladder")(lang),
        "takeaway": say(Text("{up} van de {n} buurtbaners gingen minstens één trede omhoog."),
                        lang, up=v["ladder_up"], n=v["ladder_measured"]),
        "description": Text("Gestapelde staven per half jaar sinds de start. Elke kleur is een trede van de "
                            "ladder, van 1 geïsoleerd tot 6 betaald werk. Elke staaf laat zien welk deel van "
                            "de buurtbaners op welke trede staat.")(lang),
        "withheld": _withheld(t, lang, COUNTABLE["ladder"]),
    }


def _hours(t, lang):
    v = values(t, ["training_hours_median", "coaching_hours_median"])
    return {
        "title": Text("Uren opleiding en coaching")(lang),
        "takeaway": say(Text("De helft van de buurtbaners had meer dan {t} uur opleiding en meer dan {c} uur "
                             "coaching."),
                        lang, t=v["training_hours_median"], c=v["coaching_hours_median"]),
        "description": Text("Twee boxplots: uren opleiding en uren coaching per buurtbaner. De streep in het "
                            "midden is de mediaan.")(lang),
        "withheld": _withheld(t, lang, COUNTABLE["hours"]),
    }


def _funnel(t, lang):
    v = values(t, ["buurtbaners_placed", "follow_on_jobs", "contract_promises", "drop_outs", "still_in_buurtbaan"])
    return {
        "title": Text("Van start tot vervolgbaan")(lang),
        "takeaway": say(Text("Van de {placed} gestarte buurtbaners kregen er {job} een vervolgbaan en "
                             "{promise} een belofte van een contract."),
                        lang, placed=v["buurtbaners_placed"], job=v["follow_on_jobs"],
                        promise=v["contract_promises"]),
        "description": say(Text("Staafdiagram met het aantal buurtbaners per stap: gestart {placed}, niet "
                                "uitgevallen {still}, belofte van een contract {promise}, vervolgbaan {job}, "
                                "eerder gestopt {drop}."), lang, placed=v["buurtbaners_placed"],
            still=v["still_in_buurtbaan"], promise=v["contract_promises"], job=v["follow_on_jobs"],
            drop=v["drop_outs"]),
        "withheld": None,
    }


def _km(t, lang):
    v = values(t, ["follow_on_share_two_years", "buurtbaners_placed", "without_follow_on_yet"])
    return {
        "title": Text("Hoe snel komt een vervolgbaan?")(lang),
        "takeaway": say(Text("Na twee jaar heeft naar schatting {share} van de buurtbaners een vervolgbaan."),
                        lang, share=v["follow_on_share_two_years"]),
        "description": say(Text("Trapgrafiek (Kaplan-Meier) van het deel met een vervolgbaan per maand sinds "
                                "de start, met een band voor de onzekerheid. {placed} buurtbaners; {without} "
                                "van hen hebben (nog) geen vervolgbaan."), lang,
            placed=v["buurtbaners_placed"], without=v["without_follow_on_yet"]),
        "withheld": _withheld(t, lang, COUNTABLE["km"]),
    }


def _gas(t, lang):
    v = values(t, ["gas_improved", "gas_scored", "gas_goals_met"])
    return {
        "title": Text("Eigen doelen (Goal Attainment Scaling)")(lang),
        "takeaway": say(Text("{up} van de {n} buurtbaners scoorden later hoger. {met} haalden hun doelen."),
                        lang, up=v["gas_improved"], n=v["gas_scored"], met=v["gas_goals_met"]),
        "description": Text("Lijnen van de eerste naar de laatste GAS T-score per buurtbaner. De stippellijn "
                            "bij 50 betekent: doelen gehaald zoals verwacht.")(lang),
        "withheld": _withheld(t, lang, COUNTABLE["gas"]),
    }


# --- research question 2 ------------------------------------------------------

def _top_kind(t, lang, capital: bool = False) -> str:
    from impact.reach import activities_by

    if t.activities.height == 0:
        return "-"
    by = activities_by(t.activities, ("kind",), lang).sort(["activities", "kind"], descending=[True, False])
    kind = by["kind"][0]
    text = ACTIVITY_KINDS[kind].the(lang) if kind in ACTIVITY_KINDS else humanise(kind).lower()
    return text[:1].upper() + text[1:] if capital else text


def _activities(t, lang):
    v = value("activities", t)
    return {
        "title": Text("Activiteiten per maand")(lang),
        "takeaway": say(Text("Er waren {n} activiteiten. {top} kwam het vaakst voor."),
                        lang, n=v, top=_top_kind(t, lang, capital=True)),
        "description": Text("Gestapelde staven met het aantal activiteiten per maand. Elke soort heeft een "
                            "kleur.")(lang),
        "withheld": None,
    }


def _residents(t, lang):
    v = values(t, ["residents_reached", "residents_taking_part"])
    return {
        "title": Text("Bewoners bereikt")(lang),
        "takeaway": say(Text("In totaal zijn {n} verschillende bewoners bereikt. {part} van hen deden mee "
                             "aan een activiteit."),
                        lang, n=v["residents_reached"], part=v["residents_taking_part"]),
        "description": Text("Lijn met het totaal aantal verschillende bewoners dat tot en met die maand "
                            "bereikt is.")(lang),
        "withheld": _withheld(t, lang, ["residents_reached"], one_by_one=False),
    }


def _contacts(t, lang):
    v = values(t, ["doorbells_rung", "conversations", "matches"])
    return {
        "title": Text("Aanbellen, gesprekken en matches")(lang),
        "takeaway": say(Text("Er werd {bell} keer aangebeld. Er waren {talk} gesprekken en {match} matches."),
                        lang, bell=v["doorbells_rung"], talk=v["conversations"], match=v["matches"]),
        "description": say(Text("Drie staven: aangebeld {bell}, gesprekken {talk}, matches {match}. Dit zijn "
                                "keren, geen personen."), lang,
                           bell=v["doorbells_rung"], talk=v["conversations"], match=v["matches"]),
        "withheld": None,
    }


def _referrals(t, lang):
    v = values(t, ["referrals", "referral_organisations"])
    return {
        "title": Text("Doorverwijzingen naar organisaties")(lang),
        "takeaway": say(Text("Bewoners werden {n} keer doorverwezen, naar {orgs} verschillende organisaties."),
                        lang, n=v["referrals"], orgs=v["referral_organisations"]),
        "description": Text("Liggende staven met het aantal doorverwijzingen per organisatie.")(lang),
        "withheld": None,
    }


def _volunteers(t, lang):
    v = values(t, ["new_volunteers", "volunteers_who_activate"])
    return {
        "title": Text("Nieuwe vrijwilligers")(lang),
        "takeaway": say(Text("Er kwamen {n} nieuwe vrijwilligers bij. {again} van hen vroegen zelf weer "
                             "iemand."),
                        lang, n=v["new_volunteers"], again=v["volunteers_who_activate"]),
        "description": Text("Lijn met het totaal aantal nieuwe vrijwilligers tot en met elke maand.")(lang),
        "withheld": _withheld(t, lang, ["new_volunteers"], one_by_one=False),
    }


def _ripple(t, lang):
    v = values(t, ["ripple_starters", "new_volunteers", "ripple_generations"])
    return {
        "title": Text("De rimpeling: wie bracht wie in beweging?")(lang),
        "takeaway": say(Text("{s} starters brachten samen {n} mensen in beweging, tot {g} generaties ver."),
                        lang, s=v["ripple_starters"], n=v["new_volunteers"], g=v["ripple_generations"]),
        "description": Text("Staven met het aantal personen per generatie: 0 zijn de starters, 1 de mensen "
                            "die zij vroegen, 2 de mensen die die weer vroegen, enzovoort.")(lang),
        "withheld": None,
    }


def bridging_roles(tables, lang: str = "nl"):
    """``reach.bridging_by_role`` for these tables, worked out once (brokerage only: the report shows no betweenness).

    Only the roles that can be a bridge: organisations and their staff are the formal side a bridge
    leads to, never a bridge themselves.
    """
    import polars as pl

    from impact.reach import bridging_by_role

    def make():
        # the report shows who is a bridge (brokerage), not betweenness: not worked out
        roles = bridging_by_role(tables.contacts, tables.raw_table("people"), lang, with_betweenness=False)
        return roles.filter(~pl.col("role").is_in(["organisation", "formal_actor"]))

    return tables.once(("bridging", lang), make)


def _ripple_sizes(t, lang):
    from impact.reach import ripple_size_distribution

    bands = ripple_size_distribution(t.contacts, k=t.k)
    shown = bands.filter(bands["starters"] > 0)

    def people(size: str) -> str:
        if size == "1":
            return Text("één persoon")(lang)
        low = size.rstrip("+").split("-")[0]
        if size.endswith("+"):
            return Text("{low} of meer mensen", low=low)(lang)
        return Text("{replace} mensen", replace=size.replace('-', ' tot '), replace2=size.replace('-', ' to '))(lang)

    if shown.height:
        common = shown.sort(["starters", "smallest"], descending=[True, False])["size"][0]
        largest = shown.sort("smallest")["size"][-1]
        takeaway = Text("De meeste starters brachten {people} in beweging. De grootste rimpelingen tellen "
                        "{people2}.",
                        people=people(common), people2=people(largest))(lang)
    else:
        takeaway = Text("Er is nog geen rimpeling.")(lang)
    return {
        "title": Text("Hoe groot is elke rimpeling?")(lang),
        "takeaway": takeaway,
        "description": Text("Staven: het aantal starters per grootte van hun rimpeling (alle generaties "
                            "samen). De grootste groepen zijn samengenomen, zodat geen staaf een heel klein "
                            "aantal toont.")(lang),
        "withheld": _withheld(t, lang, ["ripple_starters"], one_by_one=False),
    }


def _bridges(t, lang):
    import polars as pl

    roles = bridging_roles(t, lang).filter(
        (pl.col("nodes") >= t.k) & (pl.col("brokers") > 0) & (pl.col("role") != "organisation"))
    names = [r.lower() for r in roles["role_label"].to_list()]
    top = join_words(names[:3], lang) or "-"
    return {
        "title": Text("Bruggen tussen bewoners en organisaties")(lang),
        "takeaway": Text("Bruggen zijn er bij {top}. De staven tonen per rol welk deel een brug is.", top=top)(lang),
        "description": Text("Liggende staven: per rol het deel van de mensen dat een brug is. Een brug is "
                            "iemand die een bewoner en een organisatie kent die elkaar zelf niet kennen. "
                            "Achter elke rol staat hoeveel mensen die rol hebben.")(lang),
        "withheld": None,
    }


# --- research question 3 ------------------------------------------------------

def _code_actor(t, lang):
    v = values(t, ["interviews_informal", "interviews_formal"])
    return {
        "title": Text("Waar praten mensen uit de buurt en organisaties over?")(lang),
        "takeaway": say(Text("We vergelijken {inf} interviews met mensen uit de buurt en {frm} interviews "
                             "met organisaties. De staven zijn delen van elke groep, zo is de vergelijking "
                             "eerlijk."),
                        lang, inf=v["interviews_informal"], frm=v["interviews_formal"]),
        "description": Text("Liggende staven per thema: het deel van de interviews waarin het thema "
                            "voorkomt, voor mensen uit de buurt en voor organisaties naast elkaar.")(lang),
        "withheld": None,
    }


CHARTS = {"timeline": _timeline, "ladder": _ladder, "hours": _hours, "funnel": _funnel, "km": _km, "gas": _gas,
          "activities": _activities, "residents": _residents, "contacts": _contacts, "referrals": _referrals,
          "volunteers": _volunteers, "ripple": _ripple, "ripple_sizes": _ripple_sizes, "bridges": _bridges, "code_actor": _code_actor}


def chart_words(chart: str, tables, lang: str = "nl") -> dict:
    """Title, takeaway (``Prose``) and description of one of the report's charts (see ``CHARTS``)."""
    return CHARTS[chart](tables, lang)


# --- the findings page ------------------------------------------------------------

KEY_FIGURES = ("buurtbaners_placed", "follow_on_jobs", "residents_reached", "doorbells_rung", "new_volunteers",
               "interviews")


def themes(tables, lang: str = "nl", n: int = 3) -> dict[str, list[str]]:
    """The themes both groups mention, and the ones each group mentions more (``perspectives.themes_by_verdict``)."""
    from impact.perspectives import agreement_themes, themes_by_verdict

    return themes_by_verdict(agreement_themes(tables.codings, tables.transcripts, tables.codebook, lang=lang), n)


def _theme_share(tables, code: str, actor: str) -> Value | None:
    return next((v for v in breakdown(f"theme_share_{actor}", tables) if v.key == code), None)


def answer(question: int, tables, lang: str = "nl") -> list[Prose]:
    """Two to four short sentences that answer research question 1, 2 or 3, with the figures."""
    if question == 1:
        v = values(tables, ["buurtbaners_placed", "follow_on_jobs", "contract_promises", "drop_outs", "ladder_up",
                            "ladder_measured", "follow_on_share_two_years"])
        most = _half_or_more(v["ladder_up"], v["ladder_measured"])
        # a hidden count gets no "more or less than half": that would say more than the page shows
        ladder = (Text("Meer dan de helft ging op de Participatieladder minstens één trede omhoog: {up} van "
                       "de {n}.")
                  if most else
                  Text("{up} van de {n} gingen op de Participatieladder minstens één trede omhoog.")
                  if most is None else
                  Text("{up} van de {n} gingen op de Participatieladder minstens één trede omhoog. Dat is "
                       "minder dan de helft."))
        return [
            say(Text("{placed} buurtbaners begonnen aan een buurtbaan."),
                lang, placed=v["buurtbaners_placed"]),
            say(Text("{job} {got} een vervolgbaan en {promise} een belofte van een contract. {drop} {stopped} eerder."),
                lang, job=v["follow_on_jobs"], promise=v["contract_promises"], drop=v["drop_outs"],
                got=_verb(v["follow_on_jobs"], "kreeg", "kregen"), stopped=_verb(v["drop_outs"], "stopte", "stopten")),
            say(ladder, lang, up=v["ladder_up"], n=v["ladder_measured"]),
            say(Text("Na twee jaar heeft naar schatting {share} een vervolgbaan."),
                lang, share=v["follow_on_share_two_years"]),
        ]
    if question == 2:
        v = values(tables, ["residents_reached", "residents_taking_part", "activities", "doorbells_rung",
                            "conversations", "new_volunteers", "volunteers_who_activate"])
        return [
            say(Text("Buurtbaners en sleutelpersonen bereikten {n} verschillende bewoners."), lang, n=v["residents_reached"]),
            say(Text("{part} van hen deden mee aan een van de {acts} activiteiten. {top} kwam het vaakst "
                     "voor."),
                lang, part=v["residents_taking_part"], acts=v["activities"], top=_top_kind(tables, lang, True)),
            say(Text("Ze belden {bell} keer aan en hadden {talk} gesprekken. Dat zijn keren, geen mensen."),
                lang, bell=v["doorbells_rung"], talk=v["conversations"]),
            say(Text("{vol} mensen werden vrijwilliger. {again} van hen vroegen zelf weer iemand. Zo gaat de "
                     "opwaartse cirkel rond."),
                lang, vol=v["new_volunteers"], again=v["volunteers_who_activate"]),
        ]
    v = values(tables, ["interviews_informal", "interviews_formal"])
    found = themes(tables, lang)
    names = code_labels(tables.codebook, lang)
    label = {c: (names.get(c) or humanise(c)).lower() for group in found.values() for c in group}
    out = [say(Text("We hielden {inf} interviews met mensen uit de buurt en {frm} met organisaties."),
               lang, inf=v["interviews_informal"], frm=v["interviews_formal"])]
    if found["both"]:
        first = found["both"][0]
        out.append(say(Text("Beide groepen noemen vaak {themes}. Zo komt {first} voor in {inf} van de "
                            "interviews met mensen uit de buurt. Bij organisaties is dat {frm}."),
                       lang, themes=join_words([label[c] for c in found["both"]], lang), first=label[first],
                       inf=_theme_share(tables, first, "informal"), frm=_theme_share(tables, first, "formal")))
    differ = []
    if found["informal"]:
        differ.append(Text("Mensen uit de buurt praten vaker over {join_words}.",
                           join_words=join_words([label[c] for c in found['informal']], 'nl'), join_words2=join_words([label[c] for c in found['informal']], 'en'))(lang))
    if found["formal"]:
        differ.append(Text("Organisaties praten vaker over {join_words}.",
                           join_words=join_words([label[c] for c in found['formal']], 'nl'), join_words2=join_words([label[c] for c in found['formal']], 'en'))
                      (lang))
    if differ:
        out.append(Prose([" ".join(differ)], lang))
    return out


def method(tables, lang: str = "nl") -> list[Prose]:
    """"How we did this": who took part, co-research, coding and agreement, waves."""
    v = values(tables, ["interviews", "interviews_informal", "interviews_formal", "questionnaires_filled",
                        "questionnaire_respondents", "questionnaire_waves", "open_answers", "coresearchers", "codes",
                        "coder_agreement", "buurtbaners_placed", "msc_stories"])
    alpha = v["coder_agreement"].number
    how_well = (Text("goed") if alpha is not None and alpha >= 0.8 else
                Text("redelijk goed") if alpha is not None and alpha >= 0.667 else
                Text("niet goed genoeg"))
    out = [
        say(Text("Dit is onderzoek samen met de buurt. {co} mensen uit de buurt deden mee als onderzoeker. "
                 "Ze bedachten vragen, hielden interviews en codeerden mee."),
            lang, co=v["coresearchers"]),
        say(Text("We hielden {iv} interviews: {inf} met mensen uit de buurt en {frm} met organisaties. Ook "
                 "vulden {people} mensen samen {forms} vragenlijsten in, in {waves} metingen. Daarin staan "
                 "{open} open antwoorden."),
            lang, iv=v["interviews"], inf=v["interviews_informal"], frm=v["interviews_formal"],
            people=v["questionnaire_respondents"], forms=v["questionnaires_filled"], waves=v["questionnaire_waves"],
            open=v["open_answers"]),
        say(Text("Twee mensen codeerden de interviews en de open antwoorden. Ze gebruikten een codeboek met {codes} "
                 "thema's. Ze waren het {how_well} eens: de alfa is {alpha}. Vanaf 0,8 is dat goed."),
            lang, codes=v["codes"], alpha=v["coder_agreement"], how_well=how_well(lang)),
        say(Text("We volgden {bb} buurtbaners vanaf hun start: hun trede op de Participatieladder, hun uren "
                 "opleiding en coaching, en hun eigen doelen. Ook vertelden mensen {stories} verhalen over "
                 "wat voor hen het meest veranderde."),
            lang, bb=v["buurtbaners_placed"], stories=v["msc_stories"]),
    ]
    return out


def limits(tables, lang: str = "nl") -> list[Prose]:
    """"What we do not know": sample sizes, unfinished trajectories, self-report, small cells, demo data."""
    v = values(tables, ["interviews_informal", "interviews_formal", "without_follow_on_yet"])
    out = [
        say(Text("De groepen zijn klein: {frm} interviews met organisaties en {inf} met mensen uit de buurt. "
                 "Een verschil tussen de groepen is daarom niet zeker."),
            lang, frm=v["interviews_formal"], inf=v["interviews_informal"]),
        say(Text("{n} buurtbaners hebben (nog) geen vervolgbaan. Een deel is nog bezig. Hoe het verder gaat, "
                 "weten we niet. Het deel met een vervolgbaan is daarom een schatting."),
            lang, n=v["without_follow_on_yet"]),
        Prose([Text("Vragenlijsten en interviews gaan over wat mensen zelf zeggen. Dat is hun eigen "
                    "ervaring. Het is geen meting van buitenaf.")(lang)], lang),
        Prose([Text("Keer aangebeld telt keren, geen mensen. Daarom tellen we het nooit op bij de bewoners. "
                    "Een aantal van minder dan {k} personen laten we niet zien. Zo blijft niemand herkenbaar.",
                    k=tables.k)(lang)], lang),
    ]
    if tables.study.config.synthetic:
        out.append(Prose([Text("Let op: dit is een demo. Alle gegevens zijn verzonnen. De cijfers zeggen "
                               "niets over echte buurtbanen.")(lang)], lang))
    return out


def question(number: int, lang: str = "nl") -> str:
    """Research question ``number`` as a heading."""
    return QUESTIONS[number](lang)


__all__ = ["CHARTS", "COUNTABLE", "KEY_FIGURES", "answer", "funnel_counts", "generation_counts", "bridging_roles", "chart_words", "limits", "method", "question", "themes"]
