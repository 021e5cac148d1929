"""The published figures: one entry per figure, computed by the analysis modules.

Each compute function takes the filtered tables (``impact.data.Tables``)
and asks the module of its research question (``trajectories``, ``reach``,
``perspectives``, ``coding``) for the number; nothing is counted here that
a module does not define. Results that several figures share (the outcome
funnel, the reach events) are worked out once per set of tables.

The order of this file is the order of ``docs/cijfers.md`` and of
``impact.figures.names()``.
"""

from __future__ import annotations

from impact.errors import ImpactError, Text
from impact.figures import Figure, register


def figure(name, label, definition, unit, tables, *, privacy=None, by=None, base=None, question=None,
           part_of=None, total=None, of=None, numerator=None):
    """Register a figure; a count of persons follows the small-cell rule unless said otherwise.

    ``part_of``, ``total``, ``of`` and ``numerator`` say which sums hold between counts of persons
    (see ``impact.figures.Figure``): the page-level disclosure control follows them.
    """
    def wrap(compute):
        rule = privacy or ("small_cells" if unit == "persons" else "base" if base else "none")
        register(Figure(name, label, definition, unit, tuple(tables), compute, privacy=rule, by=by, base=base,
                        question=question, part_of=part_of, total=total, of=of, numerator=numerator))
        return compute
    return wrap


# --- research question 1: development towards work ------------------------------------

def _funnel(t) -> dict[str, int]:
    from impact.trajectories import outcome_funnel

    return t.once("funnel", lambda: dict(outcome_funnel(t.trajectory_events).select("stage", "persons")
                                           .iter_rows()))


def _persons_with(t, kind: str) -> int:
    from impact.trajectories import persons_with_event

    return len(persons_with_event(t.trajectory_events, kind))


@figure("buurtbaners_placed", Text("buurtbaners gestart"),
        Text("Buurtbaners die met hun buurtbaan begonnen: er staat een startdatum in hun traject."),
        "persons", ["trajectory_events"], question=1)
def _placed(t):
    return _funnel(t)["placed"]


@figure("buurtbaners_certified", Text("haalden een certificaat"),
        Text("Gestarte buurtbaners die tijdens de buurtbaan minstens één certificaat haalden."),
        "persons", ["trajectory_events"], question=1, part_of="buurtbaners_placed")
def _certified(t):
    return _persons_with(t, "certificate")


@figure("contract_promises", Text("kregen een belofte van een contract"),
        Text("Gestarte buurtbaners die een belofte kregen van een vast contract."),
        "persons", ["trajectory_events"], question=1, part_of="buurtbaners_placed")
def _promises(t):
    return _funnel(t)["promise_of_contract"]


@figure("follow_on_jobs", Text("kregen een vervolgbaan"),
        Text("Gestarte buurtbaners die tijdens of na de buurtbaan een vervolgbaan kregen."),
        "persons", ["trajectory_events"], question=1, part_of="buurtbaners_placed")
def _follow_on(t):
    return _funnel(t)["follow_on_job"]


@figure("drop_outs", Text("stopten eerder"),
        Text("Gestarte buurtbaners die eerder met de buurtbaan stopten."),
        "persons", ["trajectory_events"], question=1, part_of="buurtbaners_placed")
def _drop_outs(t):
    return _funnel(t)["drop_out"]


@figure("still_in_buurtbaan", Text("niet uitgevallen"),
        Text("Gestarte buurtbaners die niet eerder stopten: ze zijn nog bezig, of ze maakten de buurtbaan af."),
        "persons", ["trajectory_events"], question=1, part_of="buurtbaners_placed")
def _still_in(t):
    return _funnel(t)["still_in_job"]


def _durations(t):
    from impact.trajectories import time_to_follow_on

    return t.once("durations", lambda: time_to_follow_on(t.trajectory_events))


@figure("without_follow_on_yet", Text("nog zonder vervolgbaan"),
        Text("Gestarte buurtbaners zonder vervolgbaan: ze zijn nog bezig, of ze stopten eerder. Hoe het met "
             "hen verder gaat, weten we (nog) niet."),
        "persons", ["trajectory_events"], question=1, part_of="buurtbaners_placed")
def _censored(t):
    d = _durations(t)
    return int((~d["event"]).sum()) if d.height else 0


@figure("follow_on_share_two_years", Text("na twee jaar een vervolgbaan (schatting)"),
        Text("Het deel van de buurtbaners met een vervolgbaan twee jaar na hun start. Geschat met de "
             "Kaplan-Meier-methode: die telt ook mee wie nog bezig is of eerder stopte, tot die dag."),
        "percent", ["trajectory_events"], base="buurtbaners_placed", numerator="follow_on_jobs", question=1)
def _km_two_years(t):
    import polars as pl

    from impact.trajectories import kaplan_meier

    d = _durations(t)
    if d.height == 0:
        return None
    curve = kaplan_meier(d).filter(pl.col("time") <= 24)
    return float(curve["share_with_job"][-1])


def _ladder(t):
    from impact.trajectories import ladder_change

    return t.once("ladder", lambda: ladder_change(t.trajectory_events))


@figure("ladder_measured", Text("met een trede op de ladder"),
        Text("Buurtbaners van wie we minstens één keer weten op welke trede van de Participatieladder ze "
             "staan."),
        "persons", ["trajectory_events"], question=1, part_of="buurtbaners_placed")
def _ladder_measured(t):
    return _ladder(t).height


@figure("ladder_up", Text("gingen minstens één trede omhoog"),
        Text("Buurtbaners die op de Participatieladder op een hogere trede eindigden dan ze begonnen."),
        "persons", ["trajectory_events"], question=1, part_of="ladder_measured")
def _ladder_up(t):
    return int((_ladder(t)["change"] > 0).sum())


def _hours(t, kind: str):
    from impact.trajectories import support_hours

    hours = t.once("hours", lambda: support_hours(t.trajectory_events))
    return float(hours[kind].median()) if hours.height else None


@figure("training_hours_median", Text("uur opleiding (de helft had meer)"),
        Text("Het middelste aantal uren opleiding per buurtbaner: de helft had meer uren, de helft minder."),
        "hours", ["trajectory_events"], base="buurtbaners_placed", question=1)
def _training_hours(t):
    return _hours(t, "training")


@figure("coaching_hours_median", Text("uur coaching (de helft had meer)"),
        Text("Het middelste aantal uren coaching per buurtbaner: de helft had meer uren, de helft minder."),
        "hours", ["trajectory_events"], base="buurtbaners_placed", question=1)
def _coaching_hours(t):
    return _hours(t, "coaching")


def _gas(t):
    from impact.trajectories import gas_change

    return t.once("gas", lambda: gas_change(t.goals) if t.goals.height else None)


@figure("gas_scored", Text("met scores voor eigen doelen"),
        Text("Buurtbaners van wie de eigen doelen minstens één keer een score kregen (Goal Attainment "
             "Scaling)."),
        "persons", ["goals"], question=1)
def _gas_scored(t):
    g = _gas(t)
    return 0 if g is None else g.height


@figure("gas_improved", Text("scoorden later hoger op hun doelen"),
        Text("Buurtbaners van wie de laatste score voor hun eigen doelen hoger is dan de eerste."),
        "persons", ["goals"], question=1, part_of="gas_scored")
def _gas_improved(t):
    g = _gas(t)
    return 0 if g is None else int((g["change"] > 0).sum())


@figure("gas_goals_met", Text("haalden hun eigen doelen"),
        Text("Buurtbaners met een laatste GAS T-score van 50 of meer: ze haalden hun doelen zoals verwacht, "
             "of beter."),
        "persons", ["goals"], question=1, part_of="gas_scored")
def _gas_met(t):
    g = _gas(t)
    return 0 if g is None else int((g["last"] >= 50).sum())


# --- research question 2: reach, "from the inside out" ----------------------------------

def _reached(t) -> dict[str, int]:
    from impact.reach import residents_reached

    return t.once("reached", lambda: residents_reached(t.attendance, t.activities, t.contacts,
                                                         t.raw_table("people")))


@figure("residents_reached", Text("bewoners bereikt"),
        Text("Bewoners die minstens één keer meededen aan een activiteit, of met naam in een contact staan: "
             "aangebeld, een gesprek, een match of een doorverwijzing. Iedereen telt één keer. Buurtbaners, "
             "sleutelpersonen en medewerkers van organisaties tellen niet mee."),
        "persons", ["attendance", "activities", "contacts", "people"], question=2)
def _residents_reached(t):
    return _reached(t)["residents"]


@figure("residents_reached_by_district", Text("bewoners bereikt per stadsdeel"),
        Text("Bewoners bereikt (zie hierboven) in elk stadsdeel: bij een activiteit of een contact in dat "
             "stadsdeel. Wie in twee stadsdelen bereikt is, telt in allebei."),
        "persons", ["attendance", "activities", "contacts", "people"], by="district", of="residents_reached",
        question=2)
def _reached_by_district(t):
    from impact.reach import residents_by_district

    found = dict(residents_by_district(t.attendance, t.activities, t.contacts, t.raw_table("people")).iter_rows())
    return {d: found.get(d, 0) for d in (t.district or t.study.config.districts)}


@figure("residents_taking_part", Text("bewoners deden mee aan activiteiten"),
        Text("Bewoners op de lijst van minstens één activiteit. Iedereen telt één keer."),
        "persons", ["attendance", "people"], question=2, part_of="residents_reached")
def _taking_part(t):
    return _reached(t)["taking_part"]


@figure("activities", Text("activiteiten"),
        Text("Activiteiten in de buurt, zoals een spreekuur, een maaltijd, een wandelgroep of een les."),
        "activities", ["activities"], question=2)
def _activities(t):
    return t.activities.height


@figure("activity_visits", Text("bezoeken aan activiteiten"),
        Text("Alle bezoekers van alle activiteiten bij elkaar opgeteld. Wie vaker komt, telt vaker mee."),
        "visits", ["activities"], question=2)
def _visits(t):
    return int(t.activities["attendees"].fill_null(0).sum()) if t.activities.height else 0


def _contacts_of(t, kind: str) -> int:
    from impact.reach import contact_funnel, referrals

    if kind == "referral":
        return int(referrals(t.contacts)["referrals"].sum())
    funnel = t.once("contact_funnel", lambda: dict(contact_funnel(t.contacts).select("step", "contacts")
                                                     .iter_rows()))
    return funnel[kind]


@figure("doorbells_rung", Text("keer aangebeld"),
        Text("Hoe vaak een buurtbaner of sleutelpersoon ergens aanbelde. Dit telt keren, geen mensen: twee "
             "keer bij dezelfde deur telt twee keer."),
        "contacts", ["contacts"], question=2)
def _doorbells(t):
    return _contacts_of(t, "doorbell")


@figure("conversations", Text("gesprekken"),
        Text("Gesprekken met een bewoner of met iemand van een organisatie, vastgelegd met naam."),
        "contacts", ["contacts"], question=2)
def _conversations(t):
    return _contacts_of(t, "conversation")


@figure("matches", Text("matches"),
        Text("Keren dat iemand twee bewoners met elkaar in contact bracht."),
        "contacts", ["contacts"], question=2)
def _matches(t):
    return _contacts_of(t, "match")


@figure("referrals", Text("doorverwijzingen"),
        Text("Keren dat iemand een bewoner naar een organisatie bracht of verwees, zoals het buurtteam of de "
             "schuldhulp."),
        "contacts", ["contacts"], question=2)
def _referrals(t):
    return _contacts_of(t, "referral")


@figure("referral_organisations", Text("organisaties waarnaar is doorverwezen"),
        Text("Het aantal organisaties waar bewoners naartoe zijn verwezen."),
        "organisations", ["contacts"], question=2)
def _referral_orgs(t):
    from impact.reach import referrals

    return referrals(t.contacts).height


@figure("new_volunteers", Text("nieuwe vrijwilligers"),
        Text("Mensen die vrijwilliger werden omdat een buurtbaner, sleutelpersoon of andere vrijwilliger het "
             "hun vroeg. Iedereen telt één keer."),
        "persons", ["contacts"], question=2)
def _new_volunteers(t):
    from impact.reach import new_volunteers

    return len(new_volunteers(t.contacts))


@figure("volunteers_who_activate", Text("vrijwilligers vroegen zelf weer iemand"),
        Text("Nieuwe vrijwilligers die op hun beurt zelf iemand vroegen om vrijwilliger te worden. Zo gaat "
             "de opwaartse cirkel rond."),
        "persons", ["contacts"], question=2, part_of="new_volunteers")
def _activating(t):
    from impact.reach import volunteers_who_activate

    return len(volunteers_who_activate(t.contacts))


@figure("key_persons_active", Text("buurtbaners en sleutelpersonen aan het werk"),
        Text("Buurtbaners en sleutelpersonen die minstens één activiteit organiseerden of één contact legden."),
        "persons", ["people", "activities", "contacts"], question=2)
def _key_persons_active(t):
    from impact.reach import active_workers

    return len(active_workers(t.raw_table("people"), t.activities, t.contacts))


def _generations(t):
    from impact.reach import generation_counts

    return t.once("generations", lambda: generation_counts(t.contacts))


@figure("ripple_starters", Text("starters van een rimpeling"),
        Text("Mensen die iemand vroegen om vrijwilliger te worden, zonder dat iemand anders hen dat eerst "
             "vroeg."),
        "persons", ["contacts"], question=2)
def _starters(t):
    g = _generations(t)
    return int(g.filter(g["generation"] == 0)["persons"].sum()) if g.height else 0


@figure("volunteers_by_generation", Text("nieuwe vrijwilligers per generatie"),
        Text("Nieuwe vrijwilligers per generatie van de rimpeling: 1 zijn de mensen die een starter vroeg, 2 "
             "de mensen die die weer vroegen, enzovoort."),
        "persons", ["contacts"], by="generation", total="new_volunteers", question=2)
def _by_generation(t):
    g = _generations(t)
    return {str(n): int(p) for n, p in g.filter(g["generation"] > 0).iter_rows()} if g.height else {}


@figure("ripple_generations", Text("generaties in de rimpeling"),
        Text("Hoe ver de rimpeling ging: 1 is iemand die een starter vroeg, 2 iemand die die persoon weer "
             "vroeg, enzovoort."),
        "generations", ["contacts"], question=2)
def _depth(t):
    g = _generations(t)
    return int(g["generation"].max()) if g.height else 0


# --- research question 3: how informal and formal actors see it ------------------------

def _interviews(t):
    from impact.data import interviews_only

    return interviews_only(t.transcripts)


def _coded(t) -> dict[str, int]:
    from impact.perspectives import coded_interviews

    return t.once("coded", lambda: coded_interviews(t.codings, t.transcripts))


@figure("interviews_informal", Text("interviews met mensen uit de buurt"),
        Text("Gecodeerde interviews met bewoners, vrijwilligers, buurtbaners en sleutelpersonen."),
        "documents", ["transcripts", "codings"], question=3)
def _interviews_informal(t):
    return _coded(t)["informal"]


@figure("interviews_formal", Text("interviews met organisaties"),
        Text("Gecodeerde interviews met mensen van organisaties, zoals de gemeente, het buurtteam, welzijn "
             "en werkgevers."),
        "documents", ["transcripts", "codings"], question=3)
def _interviews_formal(t):
    return _coded(t)["formal"]


def _theme_shares(t, actor: str) -> dict[str, float]:
    import polars as pl

    from impact.perspectives import code_by_actor

    table = t.once("code_by_actor", lambda: code_by_actor(t.codings, t.transcripts, t.codebook))
    return dict(table.filter(pl.col("actor_type") == actor).select("code", "share").iter_rows())


@figure("theme_share_informal", Text("van de interviews met mensen uit de buurt"),
        Text("Per thema: het deel van de gecodeerde interviews met mensen uit de buurt waarin het thema "
             "voorkomt."),
        "percent", ["codings", "transcripts", "codebook"], by="code", base="interviews_informal", question=3)
def _share_informal(t):
    return _theme_shares(t, "informal")


@figure("theme_share_formal", Text("van de interviews met organisaties"),
        Text("Per thema: het deel van de gecodeerde interviews met organisaties waarin het thema voorkomt."),
        "percent", ["codings", "transcripts", "codebook"], by="code", base="interviews_formal", question=3)
def _share_formal(t):
    return _theme_shares(t, "formal")


# --- how we measured -------------------------------------------------------------

@figure("interviews", Text("interviews"),
        Text("Interviews met bewoners, vrijwilligers, buurtbaners, sleutelpersonen en medewerkers van "
             "organisaties. Open antwoorden in een vragenlijst tellen hier niet mee."),
        "documents", ["transcripts"])
def _interviews_all(t):
    return _interviews(t).height


def _answers(t):
    import polars as pl

    tr = t.transcripts
    return tr.filter(pl.col("source_kind") == "answer") if "source_kind" in tr.columns else tr.clear()


@figure("open_answers", Text("open antwoorden"),
        Text("Antwoorden op open vragen in de vragenlijsten, zoals 'Wat is er voor u veranderd?'."),
        "documents", ["transcripts"])
def _open_answers(t):
    return _answers(t).height


@figure("open_answer_respondents", Text("mensen gaven een open antwoord"),
        Text("Mensen die minstens één open vraag beantwoordden. Iedereen telt één keer."),
        "persons", ["transcripts"], part_of="questionnaire_respondents")
def _open_answer_people(t):
    return _answers(t)["interviewee"].drop_nulls().n_unique()


@figure("questionnaires_filled", Text("ingevulde vragenlijsten"),
        Text("Ingevulde vragenlijsten: één per persoon per meting."),
        "questionnaires", ["responses"])
def _questionnaires(t):
    r = t.responses
    return r.select("instrument", "respondent", "wave").unique().height if r.height else 0


@figure("questionnaire_respondents", Text("mensen vulden een vragenlijst in"),
        Text("Mensen die minstens één vragenlijst invulden. Iedereen telt één keer."),
        "persons", ["responses"])
def _respondents(t):
    return t.responses["respondent"].n_unique() if t.responses.height else 0


def _follow_up(t) -> dict:
    from impact.questionnaires import follow_up_reach

    return t.once("follow_up", lambda: follow_up_reach(t.responses, "bewoners", "bewoners_vervolg").row(0, named=True))


@figure("residents_first_conversation", Text("bewoners in het eerste gesprek"),
        Text("Bewoners die de vragenlijst voor bewoners invulden, in het eerste gesprek."),
        "persons", ["responses"])
def _first_conversation(t):
    return _follow_up(t)["registered"]


@figure("residents_spoken_again", Text("een jaar later opnieuw gesproken"),
        Text("Bewoners uit het eerste gesprek die een jaar later de vervolgvragenlijst invulden."),
        "persons", ["responses"], part_of="residents_first_conversation")
def _spoken_again(t):
    return _follow_up(t)["followed_up"]


@figure("questionnaire_waves", Text("metingen"),
        Text("Hoe vaak dezelfde vragenlijst werd ingevuld: bij de start en daarna nog eens."),
        "waves", ["responses"])
def _waves(t):
    return int(t.responses["wave"].max()) if t.responses.height else 0


@figure("codes", Text("codes in het codeboek"),
        Text("Thema's in het gedeelde codeboek: uit de onderzoeksvragen, en uit de gesprekken zelf."),
        "codes", ["codebook"])
def _codes(t):
    return t.codebook.height


@figure("coder_agreement", Text("overeenstemming tussen codeurs"),
        Text("Krippendorffs alfa over alle codes samen: hoe goed twee codeurs hetzelfde codeerden. 1 is "
             "helemaal eens, 0,8 of meer is goed."),
        "coefficient", ["codings", "transcripts"])
def _agreement(t):
    import polars as pl

    from impact.coding import agreement_of

    try:
        table = agreement_of(t)
    except ImpactError:  # fewer than two coders: no agreement to report
        return None
    row = table.filter(pl.col("code") == "(all)")
    return float(row["krippendorff_alpha"][0]) if row.height and row["krippendorff_alpha"][0] is not None else None


@figure("msc_stories", Text("verhalen over verandering"),
        Text("Verhalen over de belangrijkste verandering (Most Significant Change), verteld door mensen uit "
             "de buurt."),
        "stories", ["msc_stories"])
def _stories(t):
    return t.msc_stories.height


@figure("msc_chosen", Text("verhalen gekozen door het panel"),
        Text("Verhalen die een groep (het panel) koos als het verhaal dat het meest zegt."),
        "stories", ["msc_stories"])
def _chosen(t):
    return int(t.msc_stories["panel_choice"].fill_null(False).sum()) if t.msc_stories.height else 0


@figure("coresearchers", Text("medeonderzoekers uit de buurt"),
        Text("Mensen uit de buurt die meededen als onderzoeker: vragen bedenken, interviews houden en "
             "coderen."),
        "persons", ["people"])
def _coresearchers(t):
    return int(t.people["coresearcher"].fill_null(False).sum()) if t.people.height else 0


def _coresearchers_table(t):
    from impact.data import coresearcher_counts

    return t.once("coresearchers", lambda: coresearcher_counts(t))


@figure("coresearchers_named", Text("medeonderzoekers met naam bedankt"),
        Text("Medeonderzoekers die toestemming gaven om met naam bedankt te worden."),
        "persons", ["people", "consent"], part_of="coresearchers")
def _coresearchers_named(t):
    c = _coresearchers_table(t)
    return int(c["named"].sum()) if c.height else 0


@figure("coresearchers_by_role", Text("medeonderzoekers"),
        Text("Medeonderzoekers uit de buurt per rol (buurtbaner, sleutelpersoon...)."),
        "persons", ["people"], by="role", total="coresearchers")
def _coresearchers_by_role(t):
    return dict(_coresearchers_table(t).select("role", "n").iter_rows())


@figure("coresearchers_named_by_role", Text("met naam bedankt"),
        Text("Medeonderzoekers per rol die toestemming gaven om met naam bedankt te worden."),
        "persons", ["people", "consent"], by="role", total="coresearchers_named")
def _coresearchers_named_by_role(t):
    return dict(_coresearchers_table(t).select("role", "named").iter_rows())


# --- the theory of change: evidence per step (impact.theory) ---------------------------------------

def _step_interviews(t, against: bool) -> dict[str, int]:
    from impact.theory.evidence import interviews_per_step

    return t.once(("step_interviews", against), lambda: interviews_per_step(
        t.theory_steps, t.codebook, t.codings, t.transcripts, against=against))


@figure("step_interviews_for", Text("interviews die deze stap steunen"),
        Text("Per stap van de verandertheorie: de interviews waarin iemand een code van die stap gaf. Codes "
             "die de stap tegenspreken, tellen hier niet mee."),
        "documents", ["theory_steps", "codings", "transcripts", "codebook"], by="step")
def _step_for(t):
    return _step_interviews(t, against=False)


@figure("step_interviews_against", Text("interviews die deze stap tegenspreken"),
        Text("Per stap van de verandertheorie: de interviews waarin iemand een code gaf die de stap "
             "tegenspreekt. Welke codes dat zijn, staat in de verandertheorie en in het codeboek."),
        "documents", ["theory_steps", "codings", "transcripts", "codebook"], by="step")
def _step_against(t):
    return _step_interviews(t, against=True)


@figure("item_respondents", Text("mensen beantwoordden deze vraag"),
        Text("Per vraag uit de verandertheorie: de mensen die deze vraag minstens één keer beantwoordden. "
             "Iedereen telt één keer."),
        "persons", ["responses", "theory_steps"], by="item")
def _item_respondents(t):
    from impact.theory.evidence import item_respondents

    return item_respondents(t.theory_steps, t.responses)
