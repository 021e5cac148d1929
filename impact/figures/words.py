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
        return Text(f"Deze grafiek laten we hier niet zien. Hij toont de buurtbaners één voor één. Daarin zou u "
                    f"anders een aantal van minder dan {t.k} personen kunnen tellen.",
                    f"We do not show this chart here. It shows the buurtbaners one by one. In it you could "
                    f"otherwise count a number of fewer than {t.k} persons.")(lang)
    return Text(f"Deze grafiek laten we hier niet zien. Daarin zou u anders een aantal kunnen aflezen dat we op "
                f"deze pagina niet laten zien.",
                f"We do not show this chart here. In it you could otherwise read a number that this page does not "
                f"show.")(lang)


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
        "title": Text("De weg van elke buurtbaner", "Each buurtbaner's path")(lang),
        "takeaway": say(Text("Elke regel is één buurtbaner. Er zijn er {n}. Namen zijn vervangen door een nummer.",
                             "Each line is one buurtbaner. There are {n}. Names are replaced by a number."),
                        lang, n=v["buurtbaners_placed"]),
        "description": Text(
            "Puntgrafiek met per buurtbaner de belangrijkste gebeurtenissen (start, certificaat, trede, belofte, "
            "vervolgbaan, gestopt, einde), per maand sinds de start.",
            "Dot chart with each buurtbaner's main events (start, certificate, step, promise, follow-on job, "
            "stopped, end) by month since the start.")(lang),
        "withheld": _withheld(t, lang, COUNTABLE["timeline"]),
    }


def _ladder(t, lang):
    v = values(t, ["ladder_up", "ladder_measured"])
    return {
        "title": Text("Stappen op de Participatieladder", "Steps on the Participatieladder")(lang),
        "takeaway": say(Text("{up} van de {n} buurtbaners gingen minstens één trede omhoog.",
                             "{up} of {n} buurtbaners went up at least one step."),
                        lang, up=v["ladder_up"], n=v["ladder_measured"]),
        "description": Text(
            "Gestapelde staven per half jaar sinds de start. Elke kleur is een trede van de ladder, van 1 "
            "geïsoleerd tot 6 betaald werk. Elke staaf laat zien welk deel van de buurtbaners op welke trede staat.",
            "Stacked bars per half year since the start. Each colour is a step of the ladder, from 1 isolated to "
            "6 paid work. Each bar shows which share of buurtbaners is on which step.")(lang),
        "withheld": _withheld(t, lang, COUNTABLE["ladder"]),
    }


def _hours(t, lang):
    v = values(t, ["training_hours_median", "coaching_hours_median"])
    return {
        "title": Text("Uren opleiding en coaching", "Hours of training and coaching")(lang),
        "takeaway": say(Text("De helft van de buurtbaners had meer dan {t} uur opleiding en meer dan {c} uur "
                             "coaching.",
                             "Half of the buurtbaners had more than {t} hours of training and more than {c} hours "
                             "of coaching."),
                        lang, t=v["training_hours_median"], c=v["coaching_hours_median"]),
        "description": Text(
            "Twee boxplots: uren opleiding en uren coaching per buurtbaner. De streep in het midden is de mediaan.",
            "Two box plots: hours of training and of coaching per buurtbaner. The line in the middle is the "
            "median.")(lang),
        "withheld": _withheld(t, lang, COUNTABLE["hours"]),
    }


def _funnel(t, lang):
    v = values(t, ["buurtbaners_placed", "follow_on_jobs", "contract_promises", "drop_outs", "still_in_buurtbaan"])
    return {
        "title": Text("Van start tot vervolgbaan", "From start to follow-on job")(lang),
        "takeaway": say(Text("Van de {placed} gestarte buurtbaners kregen er {job} een vervolgbaan en {promise} "
                             "een belofte van een contract.",
                             "Of the {placed} buurtbaners who started, {job} found a follow-on job and {promise} "
                             "got a promise of a contract."),
                        lang, placed=v["buurtbaners_placed"], job=v["follow_on_jobs"],
                        promise=v["contract_promises"]),
        "description": say(Text(
            "Staafdiagram met het aantal buurtbaners per stap: gestart {placed}, niet uitgevallen {still}, belofte "
            "van een contract {promise}, vervolgbaan {job}, eerder gestopt {drop}.",
            "Bar chart of buurtbaners per stage: started {placed}, did not drop out {still}, promise of a contract "
            "{promise}, follow-on job {job}, stopped early {drop}."), lang, placed=v["buurtbaners_placed"],
            still=v["still_in_buurtbaan"], promise=v["contract_promises"], job=v["follow_on_jobs"],
            drop=v["drop_outs"]),
        "withheld": None,
    }


def _km(t, lang):
    v = values(t, ["follow_on_share_two_years", "buurtbaners_placed", "without_follow_on_yet"])
    return {
        "title": Text("Hoe snel komt een vervolgbaan?", "How soon does a follow-on job come?")(lang),
        "takeaway": say(Text("Na twee jaar heeft naar schatting {share} van de buurtbaners een vervolgbaan.",
                             "After two years an estimated {share} of buurtbaners have a follow-on job."),
                        lang, share=v["follow_on_share_two_years"]),
        "description": say(Text(
            "Trapgrafiek (Kaplan-Meier) van het deel met een vervolgbaan per maand sinds de start, met een band "
            "voor de onzekerheid. {placed} buurtbaners; {without} van hen hebben (nog) geen vervolgbaan.",
            "Step chart (Kaplan-Meier) of the share with a follow-on job by month since the start, with a band "
            "for the uncertainty. {placed} buurtbaners; {without} of them have no follow-on job (yet)."), lang,
            placed=v["buurtbaners_placed"], without=v["without_follow_on_yet"]),
        "withheld": _withheld(t, lang, COUNTABLE["km"]),
    }


def _gas(t, lang):
    v = values(t, ["gas_improved", "gas_scored", "gas_goals_met"])
    return {
        "title": Text("Eigen doelen (Goal Attainment Scaling)", "Own goals (Goal Attainment Scaling)")(lang),
        "takeaway": say(Text("{up} van de {n} buurtbaners scoorden later hoger. {met} haalden hun doelen.",
                             "{up} of {n} buurtbaners scored higher later. {met} met their goals."),
                        lang, up=v["gas_improved"], n=v["gas_scored"], met=v["gas_goals_met"]),
        "description": Text(
            "Lijnen van de eerste naar de laatste GAS T-score per buurtbaner. De stippellijn bij 50 betekent: "
            "doelen gehaald zoals verwacht.",
            "Lines from the first to the last GAS T-score per buurtbaner. The dashed line at 50 means: goals met "
            "as expected.")(lang),
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
        "title": Text("Activiteiten per maand", "Activities per month")(lang),
        "takeaway": say(Text("Er waren {n} activiteiten. {top} kwam het vaakst voor.",
                             "There were {n} activities. {top} was the most common."),
                        lang, n=v, top=_top_kind(t, lang, capital=True)),
        "description": Text("Gestapelde staven met het aantal activiteiten per maand. Elke soort heeft een kleur.",
                            "Stacked bars with the number of activities per month, one colour per kind.")(lang),
        "withheld": None,
    }


def _residents(t, lang):
    v = values(t, ["residents_reached", "residents_taking_part"])
    return {
        "title": Text("Bewoners bereikt", "Residents reached")(lang),
        "takeaway": say(Text("In totaal zijn {n} verschillende bewoners bereikt. {part} van hen deden mee aan een "
                             "activiteit.",
                             "In all, {n} different residents were reached. {part} of them took part in an "
                             "activity."),
                        lang, n=v["residents_reached"], part=v["residents_taking_part"]),
        "description": Text("Lijn met het totaal aantal verschillende bewoners dat tot en met die maand bereikt is.",
                            "Line with the total of different residents reached up to and including that "
                            "month.")(lang),
        "withheld": _withheld(t, lang, ["residents_reached"], one_by_one=False),
    }


def _contacts(t, lang):
    v = values(t, ["doorbells_rung", "conversations", "matches"])
    return {
        "title": Text("Aanbellen, gesprekken en matches", "Doorbells, conversations and matches")(lang),
        "takeaway": say(Text("Er werd {bell} keer aangebeld. Er waren {talk} gesprekken en {match} matches.",
                             "Doorbells were rung {bell} times. There were {talk} conversations and {match} "
                             "matches."),
                        lang, bell=v["doorbells_rung"], talk=v["conversations"], match=v["matches"]),
        "description": say(Text("Drie staven: aangebeld {bell}, gesprekken {talk}, matches {match}. Dit zijn "
                                "keren, geen personen.",
                                "Three bars: doorbells {bell}, conversations {talk}, matches {match}. These are "
                                "times, not persons."), lang,
                           bell=v["doorbells_rung"], talk=v["conversations"], match=v["matches"]),
        "withheld": None,
    }


def _referrals(t, lang):
    v = values(t, ["referrals", "referral_organisations"])
    return {
        "title": Text("Doorverwijzingen naar organisaties", "Referrals to organisations")(lang),
        "takeaway": say(Text("Bewoners werden {n} keer doorverwezen, naar {orgs} verschillende organisaties.",
                             "Residents were referred {n} times, to {orgs} different organisations."),
                        lang, n=v["referrals"], orgs=v["referral_organisations"]),
        "description": Text("Liggende staven met het aantal doorverwijzingen per organisatie.",
                            "Horizontal bars with the number of referrals per organisation.")(lang),
        "withheld": None,
    }


def _volunteers(t, lang):
    v = values(t, ["new_volunteers", "volunteers_who_activate"])
    return {
        "title": Text("Nieuwe vrijwilligers", "New volunteers")(lang),
        "takeaway": say(Text("Er kwamen {n} nieuwe vrijwilligers bij. {again} van hen vroegen zelf weer iemand.",
                             "{n} new volunteers came forward. {again} of them asked someone else in turn."),
                        lang, n=v["new_volunteers"], again=v["volunteers_who_activate"]),
        "description": Text("Lijn met het totaal aantal nieuwe vrijwilligers tot en met elke maand.",
                            "Line with the running total of new volunteers per month.")(lang),
        "withheld": _withheld(t, lang, ["new_volunteers"], one_by_one=False),
    }


def _ripple(t, lang):
    v = values(t, ["ripple_starters", "new_volunteers", "ripple_generations"])
    return {
        "title": Text("De rimpeling: wie bracht wie in beweging?", "The ripple: who got whom going?")(lang),
        "takeaway": say(Text("{s} starters brachten samen {n} mensen in beweging, tot {g} generaties ver.",
                             "{s} starters together got {n} people going, up to {g} generations deep."),
                        lang, s=v["ripple_starters"], n=v["new_volunteers"], g=v["ripple_generations"]),
        "description": Text(
            "Staven met het aantal personen per generatie: 0 zijn de starters, 1 de mensen die zij vroegen, 2 de "
            "mensen die die weer vroegen, enzovoort.",
            "Bars with the number of people per generation: 0 are the starters, 1 the people they asked, 2 the "
            "people those asked in turn, and so on.")(lang),
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
            return Text("één persoon", "one person")(lang)
        low = size.rstrip("+").split("-")[0]
        if size.endswith("+"):
            return Text(f"{low} of meer mensen", f"{low} or more people")(lang)
        return Text(f"{size.replace('-', ' tot ')} mensen", f"{size.replace('-', ' to ')} people")(lang)

    if shown.height:
        common = shown.sort(["starters", "smallest"], descending=[True, False])["size"][0]
        largest = shown.sort("smallest")["size"][-1]
        takeaway = Text(f"De meeste starters brachten {people(common)} in beweging. De grootste rimpelingen tellen "
                        f"{people(largest)}.",
                        f"Most starters got {people(common)} going. The largest ripples count {people(largest)}.")(lang)
    else:
        takeaway = Text("Er is nog geen rimpeling.", "There is no ripple yet.")(lang)
    return {
        "title": Text("Hoe groot is elke rimpeling?", "How big is each ripple?")(lang),
        "takeaway": takeaway,
        "description": Text("Staven: het aantal starters per grootte van hun rimpeling (alle generaties samen). "
                            "De grootste groepen zijn samengenomen, zodat geen staaf een heel klein aantal toont.",
                            "Bars: the number of starters per size of their ripple (all generations together). The "
                            "largest groups are taken together, so no bar shows a very small count.")(lang),
        "withheld": _withheld(t, lang, ["ripple_starters"], one_by_one=False),
    }


def _bridges(t, lang):
    import polars as pl

    roles = bridging_roles(t, lang).filter(
        (pl.col("nodes") >= t.k) & (pl.col("brokers") > 0) & (pl.col("role") != "organisation"))
    names = [r.lower() for r in roles["role_label"].to_list()]
    top = join_words(names[:3], lang) or "-"
    return {
        "title": Text("Bruggen tussen bewoners en organisaties", "Bridges between residents and organisations")(lang),
        "takeaway": Text(f"Bruggen zijn er bij {top}. De staven tonen per rol welk deel een brug is.",
                         f"Bridges are found among {top}. The bars show for each role which share is a "
                         f"bridge.")(lang),
        "description": Text(
            "Liggende staven: per rol het deel van de mensen dat een brug is. Een brug is iemand die een bewoner en "
            "een organisatie kent die elkaar zelf niet kennen. Achter elke rol staat hoeveel mensen die rol hebben.",
            "Horizontal bars: for each role the share of its people who are a bridge. A bridge is someone who "
            "knows a resident and an organisation who do not know each other. Each role shows how many people "
            "have it.")(lang),
        "withheld": None,
    }


# --- research question 3 ------------------------------------------------------

def _code_actor(t, lang):
    v = values(t, ["interviews_informal", "interviews_formal"])
    return {
        "title": Text("Waar praten mensen uit de buurt en organisaties over?",
                      "What do people from the neighbourhood and organisations talk about?")(lang),
        "takeaway": say(Text("We vergelijken {inf} interviews met mensen uit de buurt en {frm} interviews met "
                             "organisaties. De staven zijn delen van elke groep, zo is de vergelijking eerlijk.",
                             "We compare {inf} interviews with people from the neighbourhood and {frm} interviews "
                             "with organisations. The bars are shares of each group, so the comparison is fair."),
                        lang, inf=v["interviews_informal"], frm=v["interviews_formal"]),
        "description": Text(
            "Liggende staven per thema: het deel van de interviews waarin het thema voorkomt, voor mensen uit de "
            "buurt en voor organisaties naast elkaar.",
            "Horizontal bars per theme: the share of interviews in which the theme occurs, for people from the "
            "neighbourhood and for organisations side by side.")(lang),
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
        ladder = (Text("Meer dan de helft ging op de Participatieladder minstens één trede omhoog: {up} van de {n}.",
                       "More than half went up at least one step on the Participatieladder: {up} of {n}.")
                  if most else
                  Text("{up} van de {n} gingen op de Participatieladder minstens één trede omhoog.",
                       "{up} of {n} went up at least one step on the Participatieladder.")
                  if most is None else
                  Text("{up} van de {n} gingen op de Participatieladder minstens één trede omhoog. Dat is minder "
                       "dan de helft.",
                       "{up} of {n} went up at least one step on the Participatieladder. That is less than half."))
        return [
            say(Text("{placed} buurtbaners begonnen aan een buurtbaan.", "{placed} buurtbaners started a buurtbaan."),
                lang, placed=v["buurtbaners_placed"]),
            say(Text("{job} " + _verb(v["follow_on_jobs"], "kreeg", "kregen") + " een vervolgbaan en {promise} een "
                     "belofte van een contract. {drop} " + _verb(v["drop_outs"], "stopte", "stopten") + " eerder.",
                     "{job} found a follow-on job and {promise} got a promise of a contract. {drop} stopped early."),
                lang, job=v["follow_on_jobs"], promise=v["contract_promises"], drop=v["drop_outs"]),
            say(ladder, lang, up=v["ladder_up"], n=v["ladder_measured"]),
            say(Text("Na twee jaar heeft naar schatting {share} een vervolgbaan.",
                     "After two years an estimated {share} have a follow-on job."),
                lang, share=v["follow_on_share_two_years"]),
        ]
    if question == 2:
        v = values(tables, ["residents_reached", "residents_taking_part", "activities", "doorbells_rung",
                            "conversations", "new_volunteers", "volunteers_who_activate"])
        return [
            say(Text("Buurtbaners en sleutelpersonen bereikten {n} verschillende bewoners.",
                     "Buurtbaners and key persons reached {n} different residents."), lang, n=v["residents_reached"]),
            say(Text("{part} van hen deden mee aan een van de {acts} activiteiten. {top} kwam het vaakst voor.",
                     "{part} of them took part in one of the {acts} activities. {top} was the most common."),
                lang, part=v["residents_taking_part"], acts=v["activities"], top=_top_kind(tables, lang, True)),
            say(Text("Ze belden {bell} keer aan en hadden {talk} gesprekken. Dat zijn keren, geen mensen.",
                     "They rang {bell} doorbells and had {talk} conversations. Those are times, not people."),
                lang, bell=v["doorbells_rung"], talk=v["conversations"]),
            say(Text("{vol} mensen werden vrijwilliger. {again} van hen vroegen zelf weer iemand. Zo gaat de "
                     "opwaartse cirkel rond.",
                     "{vol} people became a volunteer. {again} of them asked someone else in turn. This is how "
                     "the upward circle goes round."),
                lang, vol=v["new_volunteers"], again=v["volunteers_who_activate"]),
        ]
    v = values(tables, ["interviews_informal", "interviews_formal"])
    found = themes(tables, lang)
    names = code_labels(tables.codebook, lang)
    label = {c: (names.get(c) or humanise(c)).lower() for group in found.values() for c in group}
    out = [say(Text("We hielden {inf} interviews met mensen uit de buurt en {frm} met organisaties.",
                    "We held {inf} interviews with people from the neighbourhood and {frm} with organisations."),
               lang, inf=v["interviews_informal"], frm=v["interviews_formal"])]
    if found["both"]:
        first = found["both"][0]
        out.append(say(Text("Beide groepen noemen vaak {themes}. Zo komt {first} voor in {inf} van de interviews "
                            "met mensen uit de buurt. Bij organisaties is dat {frm}.",
                            "Both groups often mention {themes}. For example, {first} comes up in {inf} of the "
                            "interviews with people from the neighbourhood. For organisations it is {frm}."),
                       lang, themes=join_words([label[c] for c in found["both"]], lang), first=label[first],
                       inf=_theme_share(tables, first, "informal"), frm=_theme_share(tables, first, "formal")))
    differ = []
    if found["informal"]:
        differ.append(Text(f"Mensen uit de buurt praten vaker over {join_words([label[c] for c in found['informal']], 'nl')}.",
                           f"People from the neighbourhood talk more about "
                           f"{join_words([label[c] for c in found['informal']], 'en')}.")(lang))
    if found["formal"]:
        differ.append(Text(f"Organisaties praten vaker over {join_words([label[c] for c in found['formal']], 'nl')}.",
                           f"Organisations talk more about {join_words([label[c] for c in found['formal']], 'en')}.")
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
    how_well = (Text("goed", "well") if alpha is not None and alpha >= 0.8 else
                Text("redelijk goed", "fairly well") if alpha is not None and alpha >= 0.667 else
                Text("niet goed genoeg", "not well enough"))
    out = [
        say(Text("Dit is onderzoek samen met de buurt. {co} mensen uit de buurt deden mee als onderzoeker. Ze "
                 "bedachten vragen, hielden interviews en codeerden mee.",
                 "This is research together with the neighbourhood. {co} people from the neighbourhood took part as "
                 "researchers. They wrote questions, held interviews and helped code."),
            lang, co=v["coresearchers"]),
        say(Text("We hielden {iv} interviews: {inf} met mensen uit de buurt en {frm} met organisaties. Ook vulden "
                 "{people} mensen samen {forms} vragenlijsten in, in {waves} metingen. Daarin staan {open} open "
                 "antwoorden.",
                 "We held {iv} interviews: {inf} with people from the neighbourhood and {frm} with organisations. "
                 "Also, {people} people filled in {forms} questionnaires together, in {waves} waves. These hold "
                 "{open} open answers."),
            lang, iv=v["interviews"], inf=v["interviews_informal"], frm=v["interviews_formal"],
            people=v["questionnaire_respondents"], forms=v["questionnaires_filled"], waves=v["questionnaire_waves"],
            open=v["open_answers"]),
        say(Text("Twee mensen codeerden de interviews en de open antwoorden. Ze gebruikten een codeboek met {codes} "
                 "thema's. Ze waren het " + how_well("nl") + " eens: de alfa is {alpha}. Vanaf 0,8 is dat goed.",
                 "Two people coded the interviews and the open answers. They used a codebook with {codes} themes. "
                 "They agreed " + how_well("en") + ": alpha is {alpha}. From 0.8 that is good."),
            lang, codes=v["codes"], alpha=v["coder_agreement"]),
        say(Text("We volgden {bb} buurtbaners vanaf hun start: hun trede op de Participatieladder, hun uren "
                 "opleiding en coaching, en hun eigen doelen. Ook vertelden mensen {stories} verhalen over wat voor "
                 "hen het meest veranderde.",
                 "We followed {bb} buurtbaners from their start: their step on the Participatieladder, their hours "
                 "of training and coaching, and their own goals. People also told {stories} stories about what "
                 "changed most for them."),
            lang, bb=v["buurtbaners_placed"], stories=v["msc_stories"]),
    ]
    return out


def limits(tables, lang: str = "nl") -> list[Prose]:
    """"What we do not know": sample sizes, unfinished trajectories, self-report, small cells, demo data."""
    v = values(tables, ["interviews_informal", "interviews_formal", "without_follow_on_yet"])
    out = [
        say(Text("De groepen zijn klein: {frm} interviews met organisaties en {inf} met mensen uit de buurt. Een "
                 "verschil tussen de groepen is daarom niet zeker.",
                 "The groups are small: {frm} interviews with organisations and {inf} with people from the "
                 "neighbourhood. A difference between the groups is therefore not certain."),
            lang, frm=v["interviews_formal"], inf=v["interviews_informal"]),
        say(Text("{n} buurtbaners hebben (nog) geen vervolgbaan. Een deel is nog bezig. Hoe het verder gaat, weten "
                 "we niet. Het deel met een vervolgbaan is daarom een schatting.",
                 "{n} buurtbaners have no follow-on job (yet). Some are still in it. We do not know how it goes on. "
                 "The share with a follow-on job is therefore an estimate."),
            lang, n=v["without_follow_on_yet"]),
        Prose([Text("Vragenlijsten en interviews gaan over wat mensen zelf zeggen. Dat is hun eigen ervaring. Het "
                    "is geen meting van buitenaf.",
                    "Questionnaires and interviews are about what people say themselves. That is their own "
                    "experience. It is not a measurement from outside.")(lang)], lang),
        Prose([Text(f"Keer aangebeld telt keren, geen mensen. Daarom tellen we het nooit op bij de bewoners. "
                    f"Een aantal van minder dan {tables.k} personen laten we niet zien. Zo blijft niemand herkenbaar.",
                    f"Doorbells rung counts times, not people. So we never add it to the residents. We do not show "
                    f"a count of fewer than {tables.k} persons. That way no one can be recognised.")(lang)], lang),
    ]
    if tables.study.config.synthetic:
        out.append(Prose([Text("Let op: dit is een demo. Alle gegevens zijn verzonnen. De cijfers zeggen niets "
                               "over echte buurtbanen.",
                               "Note: this is a demo. All data are made up. The numbers say nothing about real "
                               "buurtbanen.")(lang)], lang))
    return out


def question(number: int, lang: str = "nl") -> str:
    """Research question ``number`` as a heading."""
    return QUESTIONS[number](lang)


__all__ = ["CHARTS", "COUNTABLE", "KEY_FIGURES", "answer", "funnel_counts", "generation_counts", "bridging_roles", "chart_words", "limits", "method", "question", "themes"]
