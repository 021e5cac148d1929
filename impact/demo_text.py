"""Word lists and Dutch phrase banks for the synthetic demo study (``impact.demo``).

Everything here is made up for ``impact demo``: the names are fictional
combinations of common first and last names, the streets are invented, and
every sentence was written for this project (Dutch, language level B1). The
generator combines them with a seeded ``random.Random``; nothing here is
random itself.

Texts never contain ``[ ] { } \\`` (they are markup in coded copies) and no
number followed by ``jaar`` (ages are planted on purpose and must be
findable).

Example:
    >>> len(DISTRICT_SLOTS), sum(DISTRICT_SLOTS.values())
    (7, 26)
    >>> len(CODEBOOK), sorted({c["origin"] for c in CODEBOOK})
    (22, ['inductive', 'rq1', 'rq2', 'rq3'])
"""

from __future__ import annotations

# No commas: the line sits above the header row of every CSV and must stay one cell.
SYNTHETIC_NL = "SYNTHETISCHE DEMO-GEGEVENS — verzonnen door impact demo (geen echte personen)"
SYNTHETIC_EN = "SYNTHETIC DEMO DATA — made up by impact demo (no real persons)"

# Planned buurtbanen per district (public figure: 26 over seven districts).
DISTRICT_SLOTS = {"Centrum": 2, "Nieuw-West": 5, "Noord": 4, "Oost": 4, "West": 5, "Zuid": 2, "Zuidoost": 4}

NEIGHBOURHOODS = {
    "Centrum": ["Kattenburg", "Jordaan"],
    "Nieuw-West": ["Geuzenveld", "Slotermeer", "Osdorp"],
    "Noord": ["Banne", "Nieuwendam", "Volewijck"],
    "Oost": ["Indische Buurt", "Transvaal", "Dapperbuurt"],
    "West": ["Kolenkit", "Bos en Lommer", "De Baarsjes"],
    "Zuid": ["Rivierenbuurt", "Buitenveldert"],
    "Zuidoost": ["Holendrecht", "Gaasperdam", "Bijlmer-Centrum"],
}
# First two digits of a postcode range per district (four digits: these + two).
POSTCODE_PREFIX = {"Centrum": (1011, 1018), "Nieuw-West": (1062, 1069), "Noord": (1021, 1035),
                   "Oost": (1091, 1098), "West": (1051, 1058), "Zuid": (1071, 1079), "Zuidoost": (1101, 1108)}
POSTCODE_LETTERS = "ABCEGHJKLMNPRTVWXZ"

# Invented streets (a street of this name may exist somewhere; the combinations are fiction).
STREETS = [
    "Zwaluwhof", "Kievitsbloemstraat", "Lijsterbesplein", "Meidoornkade", "Paardenbloemweg",
    "Reigerspad", "Vlierstraat", "Boterbloemhof", "Hazelaarlaan", "Koekoeksbloemstraat",
    "Wilgenroosje", "Ekstergracht", "Zandloperstraat", "Klaverhof", "Kamperfoeliekade",
    "Duizendschoonstraat", "Sleedoornpad", "Goudvinkplein", "Vinkenhof", "Lisdoddestraat",
]

FIRST_NAMES = {
    "nl": ["Anouk", "Sanne", "Ingrid", "Marjolein", "Petra", "Wilma", "Joke", "Lotte", "Kees", "Henk",
           "Ruud", "Jeroen", "Gerard", "Marco", "Esther", "Yvonne"],
    "tr": ["Ayşe", "Fatma", "Elif", "Zeynep", "Hatice", "Emine", "Selin", "Gül", "Mehmet", "Mustafa",
           "Hüseyin", "Ahmet", "Emre", "Burak", "Serkan", "Derya"],
    "ma": ["Fatima", "Khadija", "Naima", "Samira", "Malika", "Latifa", "Nadia", "Houda", "Mohamed",
           "Youssef", "Rachid", "Khalid", "Hassan", "Soufiane", "Karim", "Bilal"],
    "sr": ["Rosita", "Marlène", "Jennifer", "Sharon", "Ivanna", "Priya", "Sunita", "Anjali", "Radjesh",
           "Glenn", "Ricardo", "Errol", "Romano", "Kenneth", "Dewi", "Marvin"],
}
LAST_NAMES = {
    "nl": ["Jansen", "de Vries", "van Dijk", "Hendriks", "Verhoeven", "van der Heijden", "Vermeulen",
           "Postma", "Brinkman", "Koopmans", "van Leeuwen", "Dijkstra", "Willemsen", "van den Berg"],
    "tr": ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Arslan", "Doğan",
           "Korkmaz", "Kılıç"],
    "ma": ["El Amrani", "Bouzid", "Benali", "El Idrissi", "Ouali", "Haddouchi", "Tahiri", "El Khatib",
           "Boukhari", "Zaoui", "Azzouzi", "Ben Said"],
    "sr": ["Sewdien", "Ramdin", "Kartosen", "Pinas", "Kromodikoro", "Lachman", "Doelwijt", "Soekhai",
           "Ramsaran", "Wongsodikromo", "Tjon Sie Fat", "Nelom"],
}
# Spellings a typist might use instead (used as name_variants, so redaction finds them too).
SPELLING_VARIANTS = {
    "Fatima": "Fatiema", "Mohamed": "Mohammed", "Youssef": "Yusuf", "Khadija": "Khadidja",
    "Hüseyin": "Huseyin", "Ayşe": "Ayse", "Gül": "Gul", "Marlène": "Marlene", "Radjesh": "Rajesh",
    "Naima": "Naïma", "Mehmet": "Mehmed", "Soufiane": "Sofian",
}

ORGANISATIONS_INFORMAL = ["Bewonersinitiatief De Brug", "Buurthuis Het Anker", "Stichting Samen Sterk",
                          "Zelforganisatie Nour", "Bewonerskamer De Kaap", "Vrouwengroep Lalla"]
# Formal organisations by kind (fictional names; "Gemeente Amsterdam" is the public body).
FORMAL_ORGS = {
    "gemeente": ["Gemeente Amsterdam"],
    "welzijnsorganisatie": ["Welzijn Dichtbij", "Stichting Buurtkracht"],
    "werkgever": ["Schoonmaakbedrijf Glans", "Zorggroep De Linde", "Kringloop Tweede Kans"],
    "buurtteam": ["Buurtteam Samen Verder"],
}
FORMAL_ROLES = {
    "gemeente": ("Gemeente", "beleidsmedewerker"),
    "welzijnsorganisatie": ("Welzijnswerker", "opbouwwerker"),
    "werkgever": ("Werkgever", "leidinggevende"),
    "buurtteam": ("Buurtteam", "maatschappelijk werker"),
}
REFERRAL_ORGS = ["Buurtteam", "Schuldhulpverlening", "Voedselbank", "Huisarts", "Taalhuis (bibliotheek)",
                 "Werk en Inkomen (gemeente)", "Woningcorporatie", "GGD"]
REFERRAL_WEIGHTS = [30, 18, 12, 10, 10, 9, 7, 4]
REFERRAL_PHRASES = ["het buurtteam", "de schuldhulp", "de voedselbank", "de huisarts", "het Taalhuis",
                    "de gemeente"]

ACTIVITY_KINDS = ["spreekuur", "maaltijd", "wandelgroep", "taalles", "computerles", "evenement"]
ACTIVITY_WEIGHTS = [30, 20, 15, 15, 12, 8]
ACTIVITY_SIZE = {"spreekuur": (3, 9), "maaltijd": (8, 22), "wandelgroep": (4, 11), "taalles": (5, 12),
                 "computerles": (3, 8), "evenement": (20, 60)}
DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag"]
ACTIVITY_PHRASES = {"spreekuur": "het spreekuur", "maaltijd": "de maaltijd", "wandelgroep": "de wandelgroep",
                    "taalles": "de taalles", "computerles": "de computerles", "evenement": "het buurtfeest"}

CERTIFICATES = ["EHBO", "Taal op niveau B1", "Sociaal werk in de wijk (module 1)", "Omgaan met agressie",
                "Signaleren van armoede", "Digitale vaardigheden", "Gespreksvoering"]

# --- codebook ----------------------------------------------------------------------------------
# proposed_by: a co-researcher id (filled in by the generator from these slots) or a role.
CODEBOOK = [
    {"code": "ontwikkeling", "label": "Ontwikkeling naar werk", "label_en": "Development towards work",
     "origin": "rq1", "proposed_by": "onderzoeker", "date_added": "2022-09-01",
     "definition": "Hoe iemand groeit in de richting van werk.",
     "when_to_use": "Het gaat over leren, groeien of stappen naar werk.",
     "when_not_to_use": "Het gaat alleen over de buurt, niet over de persoon zelf.",
     "example": "Ik kan nu veel meer dan toen ik begon."},
    {"code": "motivatie", "label": "Motivatie", "label_en": "Motivation",
     "parent": "ontwikkeling", "origin": "rq1", "proposed_by": "onderzoeker",
     "date_added": "2022-09-01", "aliases": ["drive"],
     "definition": "Wat iemand drijft om aan het werk te gaan of te blijven.",
     "when_to_use": "De persoon zegt waarom hij of zij iets wil.",
     "when_not_to_use": "Het gaat over wat anderen van de persoon willen.",
     "example": "Ik wil mijn kinderen laten zien dat werken loont."},
    {"code": "zelfvertrouwen", "label": "Zelfvertrouwen", "label_en": "Self-confidence",
     "parent": "ontwikkeling", "origin": "rq1", "proposed_by": "CO1",
     "date_added": "2022-09-15", "aliases": ["eigenwaarde"],
     "definition": "Geloven dat je iets kunt.",
     "when_to_use": "De persoon vertelt dat hij of zij zich sterker of zekerder voelt, of juist niet.",
     "when_not_to_use": "Het gaat over vertrouwen tussen mensen; gebruik dan vertrouwen.",
     "example": "Eerst durfde ik niet te praten in een groep. Nu wel."},
    {"code": "leren", "label": "Leren", "label_en": "Learning",
     "parent": "ontwikkeling", "origin": "rq1", "proposed_by": "onderzoeker",
     "date_added": "2022-09-01", "aliases": ["scholing"],
     "definition": "Opleiding, cursussen en leren in het werk zelf.",
     "when_to_use": "Het gaat over een cursus, een certificaat of iets wat iemand heeft geleerd.",
     "when_not_to_use": "Het gaat over een taalles voor bewoners; gebruik dan activiteiten.",
     "example": "Ik heb mijn certificaat gehaald."},
    {"code": "werkritme", "label": "Werkritme", "label_en": "Work rhythm",
     "parent": "ontwikkeling", "origin": "inductive", "proposed_by": "CO2",
     "date_added": "2022-11-03",
     "definition": "Wennen aan vaste tijden, afspraken en een werkweek.",
     "when_to_use": "De persoon vertelt over op tijd komen, uren, een rooster of rust.",
     "when_not_to_use": "Het gaat over de inhoud van het werk.",
     "example": "Elke dag om negen uur beginnen, dat moest ik echt leren."},
    {"code": "doorstroom", "label": "Stap naar ander werk", "label_en": "Step to another job",
     "parent": "ontwikkeling", "origin": "rq1", "proposed_by": "onderzoeker",
     "date_added": "2022-09-01", "aliases": ["uitstroom"],
     "definition": "De stap na de buurtbaan: een vervolgbaan, een contract of een opleiding.",
     "when_to_use": "Het gaat over wat er na de twee jaar komt.",
     "when_not_to_use": "Het gaat over het begin van de buurtbaan.",
     "example": "Ik heb een vaste baan aangeboden gekregen."},
    {"code": "belemmeringen", "label": "Wat in de weg zit", "label_en": "Obstacles",
     "parent": "ontwikkeling", "origin": "rq1", "proposed_by": "CO1",
     "date_added": "2022-10-10", "tags": ["contradicts"],
     "definition": "Wat het moeilijk maakt om te werken: geld, zorg, gezondheid, regels.",
     "when_to_use": "De persoon noemt iets wat in de weg zit.",
     "when_not_to_use": "Het gaat over zorgen van organisaties; gebruik dan financiering.",
     "example": "Door de toeslagen hield ik eerst bijna niets over."},
    {"code": "werkwijze", "label": "Manier van werken", "label_en": "Way of working",
     "origin": "rq2", "proposed_by": "onderzoeker", "date_added": "2022-09-01",
     "definition": "Hoe een buurtbaner werkt: van binnenuit, vanuit de buurt zelf.",
     "when_to_use": "Het gaat over wat de buurtbaner doet en hoe.",
     "when_not_to_use": "Het gaat over de eigen groei van de buurtbaner; gebruik dan ontwikkeling.",
     "example": "Ze gaat gewoon bij mensen langs."},
    {"code": "vertrouwen", "label": "Vertrouwen", "label_en": "Trust",
     "parent": "werkwijze", "origin": "rq2", "proposed_by": "CO2",
     "date_added": "2022-09-15",
     "definition": "Mensen vertrouwen de buurtbaner omdat die uit de buurt komt.",
     "when_to_use": "Iemand zegt dat hij of zij de buurtbaner durft te vertrouwen, of waarom.",
     "when_not_to_use": "Het gaat over geloof in jezelf; gebruik dan zelfvertrouwen.",
     "example": "Bij haar durf ik te zeggen dat het niet goed gaat."},
    {"code": "bereik", "label": "Mensen bereiken", "label_en": "Reaching people",
     "parent": "werkwijze", "origin": "rq2", "proposed_by": "onderzoeker",
     "date_added": "2022-09-01", "aliases": ["aanbellen"],
     "definition": "Mensen vinden die anders niemand zien: aanbellen, op straat, via via.",
     "when_to_use": "Het gaat over het eerste contact met een bewoner.",
     "when_not_to_use": "Het gaat over een activiteit die al loopt.",
     "example": "Hij belde gewoon aan en vroeg hoe het ging."},
    {"code": "activiteiten", "label": "Activiteiten", "label_en": "Activities",
     "parent": "werkwijze", "origin": "rq2", "proposed_by": "onderzoeker",
     "date_added": "2022-09-01",
     "definition": "Spreekuur, maaltijd, wandelgroep, taalles, computerles, buurtfeest.",
     "when_to_use": "Het gaat over een activiteit in de buurt.",
     "when_not_to_use": "Het gaat over een cursus voor de buurtbaner zelf; gebruik dan leren.",
     "example": "Op dinsdag eten we samen."},
    {"code": "verbinden", "label": "Mensen verbinden", "label_en": "Connecting people",
     "parent": "werkwijze", "origin": "rq2", "proposed_by": "CO1",
     "date_added": "2022-10-10", "aliases": ["matchen"],
     "definition": "Mensen met elkaar in contact brengen.",
     "when_to_use": "De buurtbaner brengt twee bewoners of groepen samen.",
     "when_not_to_use": "Het gaat over contact met een organisatie; gebruik dan doorverwijzen.",
     "example": "Zij heeft mij aan mijn buurvrouw voorgesteld."},
    {"code": "nieuwe_vrijwilligers", "label": "Nieuwe vrijwilligers", "label_en": "New volunteers",
     "parent": "werkwijze", "origin": "rq2", "proposed_by": "CO2",
     "date_added": "2022-10-10", "aliases": ["opwaartse_cirkel"],
     "definition": "Bewoners die zelf iets gaan doen voor anderen, en daarna weer anderen vragen.",
     "when_to_use": "Iemand begint als vrijwilliger of haalt er zelf iemand bij.",
     "when_not_to_use": "Iemand komt alleen naar een activiteit.",
     "example": "Nu kook ik zelf op dinsdag, en mijn zus helpt ook."},
    {"code": "doorverwijzen", "label": "Doorverwijzen", "label_en": "Referring",
     "parent": "werkwijze", "origin": "rq2", "proposed_by": "onderzoeker",
     "date_added": "2022-09-01",
     "definition": "De buurtbaner brengt iemand naar een formele organisatie.",
     "when_to_use": "Het gaat over het buurtteam, schuldhulp, de huisarts of de gemeente.",
     "when_not_to_use": "De buurtbaner helpt zelf, zonder organisatie.",
     "example": "Ze ging mee naar het buurtteam."},
    {"code": "perspectief", "label": "Kijk op de buurtbaan", "label_en": "View of the buurtbaan",
     "origin": "rq3", "proposed_by": "onderzoeker", "date_added": "2022-09-01",
     "definition": "Hoe mensen en organisaties naar de buurtbaan kijken.",
     "when_to_use": "Iemand geeft een mening over de buurtbaan.",
     "when_not_to_use": "Iemand vertelt alleen wat er gebeurde.",
     "example": "Ik vind dit een heel goede regeling."},
    {"code": "waardering", "label": "Waardering", "label_en": "Appreciation",
     "parent": "perspectief", "origin": "rq3", "proposed_by": "onderzoeker",
     "date_added": "2022-09-01",
     "definition": "Wat mensen goed vinden aan de buurtbaan of de buurtbaner.",
     "when_to_use": "Iemand is positief over de buurtbaner of de regeling.",
     "when_not_to_use": "Het is kritiek; gebruik dan grenzen of financiering.",
     "example": "Zonder haar was ik nooit de deur uit gegaan."},
    {"code": "samenwerking_formeel", "label": "Samenwerking met organisaties", "label_en": "Working with organisations",
     "parent": "perspectief", "origin": "rq3", "proposed_by": "CO1",
     "date_added": "2022-10-10",
     "definition": "Samenwerken tussen buurtbaners en formele organisaties.",
     "when_to_use": "Het gaat over afspraken, overleg of elkaar vinden met organisaties.",
     "when_not_to_use": "Het gaat over één doorverwijzing van een bewoner.",
     "example": "We hebben elke maand overleg met het buurtteam."},
    {"code": "grenzen", "label": "Grenzen van de rol", "label_en": "Limits of the role",
     "parent": "perspectief", "origin": "rq3", "proposed_by": "CO2",
     "date_added": "2022-11-03", "aliases": ["rolverwarring"],
     "definition": "Waar de taak van een buurtbaner ophoudt; te veel op je bord.",
     "when_to_use": "Iemand zegt dat de buurtbaner te veel doet of dat de rol niet duidelijk is.",
     "when_not_to_use": "Het gaat over geld of de regeling; gebruik dan financiering.",
     "example": "Mensen bellen me ook in het weekend."},
    {"code": "financiering", "label": "Geld en toekomst", "label_en": "Funding and future",
     "parent": "perspectief", "origin": "rq3", "proposed_by": "onderzoeker",
     "date_added": "2022-09-01",
     "definition": "Zorgen over geld en de toekomst van de regeling.",
     "when_to_use": "Het gaat over subsidie, betalen of wat er na de regeling gebeurt.",
     "when_not_to_use": "Het gaat over de eigen geldzorgen van een persoon; gebruik dan belemmeringen.",
     "example": "Niemand weet of er na twee jaar nog geld is."},
    {"code": "eigen_ervaring", "label": "Eigen ervaring", "label_en": "Own experience",
     "origin": "inductive", "proposed_by": "CO1", "date_added": "2022-11-03",
     "aliases": ["ervaringsdeskundigheid"],
     "definition": "De buurtbaner heeft zelf meegemaakt wat bewoners meemaken.",
     "when_to_use": "Iemand zegt dat eigen ervaring helpt om anderen te begrijpen.",
     "when_not_to_use": "Het gaat over een opleiding.",
     "example": "Ik weet hoe het is om geen geld te hebben."},
    {"code": "erkenning", "label": "Erkenning", "label_en": "Recognition",
     "origin": "inductive", "proposed_by": "CO2", "date_added": "2022-12-01",
     "aliases": ["gezien_worden"],
     "definition": "Gezien en gewaardeerd worden voor wat je doet.",
     "when_to_use": "Iemand vertelt dat hij of zij eindelijk gezien wordt, of juist niet.",
     "when_not_to_use": "Het gaat over waardering voor de regeling; gebruik dan waardering.",
     "example": "Voor het eerst kreeg ik een loonstrook voor dit werk."},
    {"code": "taal", "label": "Taal", "label_en": "Language",
     "origin": "inductive", "proposed_by": "CO1", "date_added": "2022-12-01",
     "definition": "Taal als drempel of als brug.",
     "when_to_use": "Het gaat over Nederlands leren, tolken of in de eigen taal praten.",
     "when_not_to_use": "Het gaat over een taalles als activiteit zonder meer.",
     "example": "Ik kan met haar in het Turks praten, dat helpt."},
]

# Codes a second coder easily confuses with each other (for realistic disagreement).
CONFUSABLE = {
    "motivatie": "zelfvertrouwen", "zelfvertrouwen": "erkenning", "leren": "ontwikkeling",
    "werkritme": "belemmeringen", "doorstroom": "ontwikkeling", "belemmeringen": "financiering",
    "vertrouwen": "eigen_ervaring", "bereik": "verbinden", "activiteiten": "bereik",
    "verbinden": "nieuwe_vrijwilligers", "nieuwe_vrijwilligers": "verbinden",
    "doorverwijzen": "samenwerking_formeel", "waardering": "erkenning",
    "samenwerking_formeel": "doorverwijzen", "grenzen": "belemmeringen", "financiering": "grenzen",
    "eigen_ervaring": "vertrouwen", "erkenning": "waardering", "taal": "activiteiten",
}

# --- interview phrase banks -----------------------------------------------------------------------
# Sentences per code and perspective: "self" (a buurtbaner or key person about themselves),
# "other" (a resident or volunteer about the buurtbaner), "formal" (someone from an organisation).
# Slots: {act} an activity, {dag} a weekday, {org} a referral organisation, {bb} the buurtbaner's
# first name (a planted name).
SENTENCES: dict[str, dict[str, list[str]]] = {
    "motivatie": {
        "self": ["Ik wilde mijn kinderen laten zien dat je iets kunt bereiken.",
                 "Ik deed dit werk al jaren zonder geld, nu wilde ik het echt goed doen.",
                 "Thuis zitten maakte me ongelukkig, ik wilde weer iets betekenen.",
                 "Ik wil later een echte baan, daar werk ik nu elke dag aan.",
                 "Het geeft me energie als ik zie dat iemand verder komt."],
        "formal": ["Je ziet dat ze echt willen, dat is bij ons niet altijd zo.",
                   "De motivatie is groot, ze komen zelf met ideeën."],
    },
    "zelfvertrouwen": {
        "self": ["Eerst durfde ik niet te praten in een groep, nu leid ik zelf het overleg.",
                 "Ik merk dat ik mezelf meer serieus neem.",
                 "Vroeger dacht ik dat ik niks kon, dat denk ik nu niet meer.",
                 "Ik durf nu ook nee te zeggen als iets niet bij mijn werk hoort.",
                 "Toen ik mijn eerste presentatie gaf, trilden mijn handen nog."],
        "other": ["Ik zie dat {bb} veel sterker is geworden.",
                  "Ze staat nu heel anders in haar schoenen dan in het begin."],
        "formal": ["In het begin was hij stil in het overleg, nu zegt hij gewoon wat hij denkt.",
                   "Je ziet het zelfvertrouwen groeien, stap voor stap."],
    },
    "leren": {
        "self": ["Ik heb mijn certificaat gehaald, dat had ik nooit gedacht.",
                 "Op de cursus leerde ik hoe je een moeilijk gesprek voert.",
                 "Elke week hebben we een dag om te leren, dat vond ik eerst veel.",
                 "Van mijn coach leer ik hoe ik een verslag schrijf.",
                 "Ik leer vooral door te doen, en door fouten te maken."],
        "formal": ["De acht uur opleiding per week maken echt verschil.",
                   "Ze leren in de praktijk, en wij zorgen voor de theorie erbij."],
    },
    "werkritme": {
        "self": ["Elke dag op tijd beginnen, dat moest ik echt leren.",
                 "Na lange tijd zonder werk was een werkweek eerst heel zwaar.",
                 "Nu heb ik een agenda en daar houd ik me aan.",
                 "In het begin was ik na een dag helemaal op."],
        "formal": ["Het ritme van een werkweek is voor sommigen de grootste stap.",
                   "Afspraken nakomen gaat nu veel beter dan aan het begin."],
    },
    "doorstroom": {
        "self": ["Ik heb een vaste baan aangeboden gekregen bij de zorg.",
                 "Na de buurtbaan wil ik verder als welzijnswerker.",
                 "Ik weet nog niet wat er na de twee jaar komt, dat vind ik spannend.",
                 "Mijn werkgever zei dat ik kan blijven als er geld is."],
        "formal": ["Twee van onze buurtbaners zijn bij ons in dienst gekomen.",
                   "Wij zoeken mensen zoals zij, ze kennen de wijk als geen ander.",
                   "Na twee jaar is de stap naar een gewone baan nog best groot."],
    },
    "belemmeringen": {
        "self": ["Door de toeslagen hield ik eerst bijna niets over van mijn loon.",
                 "Mijn moeder is ziek, dus soms moet ik ineens weg.",
                 "Met mijn rug kan ik niet alles doen wat ik zou willen.",
                 "De regels van de uitkering maakten me bang om te beginnen."],
        "formal": ["De overgang van uitkering naar loon gaat vaak mis bij de toeslagen.",
                   "Schulden van vroeger blijven mensen lang achtervolgen."],
    },
    "vertrouwen": {
        "self": ["Mensen kennen mij van de school en van de markt, daarom doen ze open.",
                 "Ik ben geen hulpverlener met een map, ik ben gewoon de buurvrouw."],
        "other": ["Bij {bb} durf ik te zeggen dat het niet goed gaat.",
                  "Ze komt uit de buurt, dus ze weet hoe het hier is.",
                  "Een instantie vertrouw ik niet zo snel, haar wel.",
                  "Ze vertelt niets door, dat weet iedereen."],
        "formal": ["Zij komen binnen waar wij niet binnenkomen.",
                   "Bewoners vertrouwen een buurtbaner sneller dan iemand van ons."],
    },
    "bereik": {
        "self": ["Ik bel gewoon aan en vraag hoe het gaat.",
                 "Op het plein spreek ik elke week nieuwe mensen aan.",
                 "Via de moskee en de school vind ik mensen die nergens komen.",
                 "Sommige mensen doen pas na drie keer aanbellen open."],
        "other": ["{bb} belde bij mij aan, zomaar op een {dag}.",
                  "Ik kwam niemand tegen, tot zij bij mij aanbelde.",
                  "Mijn buurvrouw zei dat ik eens naar {act} moest gaan."],
        "formal": ["Ze bereiken mensen die wij in geen tien jaar zien.",
                   "Wij wachten tot mensen komen, zij gaan zelf naar ze toe."],
    },
    "activiteiten": {
        "self": ["Op {dag} hebben we {act}, daar komen steeds meer mensen.",
                 "We zijn begonnen met koffie, nu is het een echte maaltijd.",
                 "Bij de wandelgroep praten mensen makkelijker dan aan tafel."],
        "other": ["Ik ga elke {dag} naar {act}, dat is mijn vaste moment.",
                  "Bij {act} heb ik mijn buren pas echt leren kennen.",
                  "Op de computerles heb ik geleerd om zelf een afspraak te maken."],
        "formal": ["Hun activiteiten zijn laagdrempelig, daar kunnen wij van leren."],
    },
    "verbinden": {
        "self": ["Ik heb twee moeders met elkaar in contact gebracht, nu passen ze op elkaars kinderen.",
                 "Iemand die goed kan koken, koppel ik aan iemand die alleen eet."],
        "other": ["{bb} heeft mij aan mijn buurvrouw voorgesteld, nu drinken we elke week thee.",
                  "Door haar ken ik nu mensen van drie verschillende straten.",
                  "Ze bracht mij in contact met een man die ook uit mijn dorp komt."],
        "formal": ["Ze leggen verbindingen die niet in een systeem staan."],
    },
    "nieuwe_vrijwilligers": {
        "self": ["Een vrouw van de taalles doet nu zelf de koffie.",
                 "Ik vraag mensen altijd of ze iets willen doen, niet alleen komen.",
                 "Wie eerst hulp kreeg, helpt nu zelf weer een ander."],
        "other": ["Nu kook ik zelf op {dag}, en mijn zus helpt ook.",
                  "Eerst kwam ik alleen eten, nu zet ik de tafels klaar.",
                  "Ik heb mijn buurman gevraagd om mee te doen met de wandelgroep, hij leidt hem nu."],
        "formal": ["Je ziet dat er een kring van vrijwilligers om hen heen ontstaat."],
    },
    "doorverwijzen": {
        "self": ["Als het over schulden gaat, ga ik mee naar {org}.",
                 "Ik weet nu precies wie ik moet bellen bij {org}."],
        "other": ["Ze ging met mij mee naar {org}, alleen had ik dat nooit gedaan.",
                  "Door haar kreeg ik hulp van {org} met mijn brieven."],
        "formal": ["De doorverwijzingen van buurtbaners zijn vaak precies op tijd.",
                   "Mensen komen via de buurtbaner eerder bij ons, voordat het te laat is."],
    },
    "waardering": {
        "self": ["Mensen zeggen vaak dank je wel, dat doet me goed."],
        "other": ["Zonder {bb} was ik nooit de deur uit gegaan.",
                  "Het is fijn dat er iemand is die gewoon luistert.",
                  "Ik hoop dat deze baan blijft, voor de hele buurt."],
        "formal": ["Ik vind het een heel waardevolle regeling.",
                   "Voor de wijk is dit een van de beste dingen van de laatste jaren.",
                   "Wat zij doen, kunnen wij als organisatie niet."],
    },
    "samenwerking_formeel": {
        "self": ["Met het buurtteam hebben we nu elke maand overleg.",
                 "Sommige organisaties nemen me niet serieus, omdat ik geen diploma heb."],
        "formal": ["We hebben vaste afspraken gemaakt over wie wat doet.",
                   "Soms weten we niet van elkaar wat we doen, dat moet beter.",
                   "Het helpt als de buurtbaner bij ons overleg aanschuift."],
    },
    "grenzen": {
        "self": ["Mensen bellen me ook in het weekend, dat is soms te veel.",
                 "Ik moest leren dat ik niet iedereen kan redden."],
        "other": ["Ik weet dat ik haar niet altijd kan bellen, ze heeft ook een gezin."],
        "formal": ["Het risico is dat ze te veel op hun bord krijgen.",
                   "Soms doen ze werk dat eigenlijk bij ons hoort.",
                   "De rol moet duidelijk zijn, anders gaan mensen over hun grens."],
    },
    "financiering": {
        "self": ["Niemand weet of er na de regeling nog geld is voor mijn plek."],
        "other": ["Ik ben bang dat het stopt als het geld op is."],
        "formal": ["Het is een subsidie voor twee jaar, daarna is het onzeker.",
                   "Als gemeente moeten we kiezen, en dit kost ook geld.",
                   "Eigenlijk zou dit een vaste functie moeten zijn, geen project."],
    },
    "eigen_ervaring": {
        "self": ["Ik weet hoe het is om geen geld te hebben voor boodschappen.",
                 "Ik heb zelf ook lang in de bijstand gezeten, dat vertel ik soms.",
                 "Omdat ik het zelf heb meegemaakt, schrik ik nergens van."],
        "other": ["Ze heeft het zelf ook moeilijk gehad, dat merk je."],
        "formal": ["Hun eigen ervaring is een kracht die wij niet kunnen leren."],
    },
    "erkenning": {
        "self": ["Voor het eerst kreeg ik een loonstrook voor dit werk.",
                 "Mijn familie kijkt nu anders naar me.",
                 "Eindelijk ziet iemand wat ik al die jaren deed."],
        "other": ["Het is goed dat ze nu betaald wordt voor wat ze altijd al deed."],
        "formal": ["Het geeft erkenning aan werk dat altijd onzichtbaar was."],
    },
    "taal": {
        "self": ["Ik kan met mensen in het Turks of Arabisch praten, dat helpt.",
                 "Mijn Nederlands is veel beter geworden door dit werk."],
        "other": ["Ze spreekt mijn taal, dus ik kan alles zeggen.",
                  "Door de taalles kan ik nu zelf de dokter bellen."],
        "formal": ["Ze vertalen niet alleen de taal, maar ook de regels."],
    },
}

# Codes that carry their parent too when a coder codes a whole answer (nested spans).
PARENT_OF = {c["code"]: c.get("parent") for c in CODEBOOK}

QUESTIONS: dict[str, list[str]] = {
    "rq1": ["Wat heeft u geleerd sinds u begon?", "Hoe gaat het nu met werken?",
            "Wat was moeilijk in het begin?", "Waar staat u over een jaar, denkt u?",
            "Wat heeft u nodig om verder te komen?"],
    "rq1_formal": ["Hoe ziet u de groei van de buurtbaners?", "Wat is er nodig voor de stap naar werk?",
                   "Zou u een buurtbaner in dienst nemen?"],
    "rq2": ["Hoe kwam het eerste contact?", "Wat doet de buurtbaner voor u?",
            "Heeft u via de buurtbaner nieuwe mensen leren kennen?", "Doet u nu zelf iets in de buurt?",
            "Hoe vindt u mensen die nergens komen?", "Wat doet u op een gewone werkdag?"],
    "rq2_formal": ["Wat ziet u de buurtbaners doen in de wijk?", "Hoe komen bewoners via hen bij u terecht?"],
    "rq3": ["Wat vindt u van de buurtbaan?", "Wat zou er beter kunnen?",
            "Wat moet de gemeente weten over dit werk?"],
    "rq3_formal": ["Hoe werkt u samen met de buurtbaners?", "Wat zijn de risico's, volgens u?",
                   "Wat betekent de buurtbaan voor uw organisatie?", "Hoe ziet u de toekomst van de regeling?"],
}
# A question that leads to each code: (to an informal actor, to a formal actor).
CODE_QUESTIONS: dict[str, tuple[str, str]] = {
    "motivatie": ("Waarom wilde u dit werk doen?", "Wat drijft de buurtbaners, denkt u?"),
    "zelfvertrouwen": ("Voelt u zich anders dan toen u begon?", "Ziet u de buurtbaners veranderen?"),
    "leren": ("Wat heeft u geleerd sinds u begon?", "Wat leren de buurtbaners in de twee jaar?"),
    "werkritme": ("Hoe was het om weer elke week te werken?", "Hoe gaat het met vaste tijden en afspraken?"),
    "doorstroom": ("Wat komt er na de buurtbaan?", "Zou u een buurtbaner in dienst nemen?"),
    "belemmeringen": ("Wat maakte het werken soms moeilijk?", "Wat staat de stap naar werk in de weg?"),
    "vertrouwen": ("Waarom praten mensen met de buurtbaner?", "Waarom lukt het hen om mensen te bereiken?"),
    "bereik": ("Hoe kwam het eerste contact?", "Wie bereiken de buurtbaners?"),
    "activiteiten": ("Welke activiteiten zijn er in de buurt?", "Wat vindt u van hun activiteiten?"),
    "verbinden": ("Heeft u via de buurtbaner nieuwe mensen leren kennen?", "Brengen ze mensen samen?"),
    "nieuwe_vrijwilligers": ("Doet u nu zelf iets in de buurt?", "Gaan bewoners zelf ook iets doen?"),
    "doorverwijzen": ("Heeft de buurtbaner u ergens mee naartoe genomen?",
                      "Hoe komen bewoners via hen bij u terecht?"),
    "waardering": ("Wat vindt u van de buurtbaan?", "Wat betekent de buurtbaan voor uw organisatie?"),
    "samenwerking_formeel": ("Hoe gaat het contact met organisaties?", "Hoe werkt u samen met de buurtbaners?"),
    "grenzen": ("Wordt het werk soms te veel?", "Wat zijn de risico's, volgens u?"),
    "financiering": ("Wat gebeurt er als de regeling stopt?", "Hoe ziet u de toekomst van de regeling?"),
    "eigen_ervaring": ("Helpt het dat de buurtbaner uit de buurt komt?",
                       "Wat brengen zij mee dat uw medewerkers niet hebben?"),
    "erkenning": ("Wat betekent het om voor dit werk betaald te krijgen?", "Wordt hun werk genoeg gezien?"),
    "taal": ("In welke taal praat u met de buurtbaner?", "Speelt taal een rol in hun werk?"),
}
FOLLOW_UPS = ["Kunt u daar meer over vertellen?", "Hoe bedoelt u dat?", "Kunt u een voorbeeld geven?",
              "En wat gebeurde er toen?"]
FILLERS = ["Ja, zeker.", "Dat klopt.", "Nou, dat weet ik niet precies.", "Ja, dat denk ik wel.",
           "Dat is een goede vraag.", "Hmm, even denken."]
OPENINGS = ["Dank u wel dat u mee wilt doen. Mag ik het gesprek opnemen?",
            "Fijn dat u tijd heeft. Ik neem het gesprek op, is dat goed?"]
OPENING_ANSWERS = ["Ja, dat is goed.", "Ja hoor, geen probleem.", "Prima, ga uw gang."]
CLOSINGS = ["Dat waren mijn vragen. Wilt u nog iets zeggen?", "We zijn aan het einde. Heeft u nog iets toe te voegen?"]
CLOSING_ANSWERS = ["Nee, ik heb alles gezegd.", "Alleen dat ik hoop dat het doorgaat.", "Nee, dank u wel."]
THANKS = ["Dank u wel voor het gesprek.", "Hartelijk dank, dit was heel nuttig."]

# Planted personal data, as people say it (the generator fills in the values).
PII_SENTENCES = {
    "age": "Ik ben {age} jaar, dus ik heb al wat meegemaakt.",
    "address": "Ik woon op de {street} {number}, al heel lang.",
    "address_full": "Mijn adres is {street} {number}, {postcode} Amsterdam, als u iets wilt sturen.",
    "phone": "U kunt me altijd bellen op {phone}.",
    "email": "Mailen mag ook, naar {email}.",
    "iban": "Ik moest mijn rekeningnummer geven, {iban}, en toen was het geregeld.",
    "name_other": "{name} heeft me daar ook mee geholpen.",
}

# --- questionnaire open answers ------------------------------------------------------------------
VERANDERING = {
    "up": ["Ik heb meer rust in mijn hoofd.", "Ik durf meer dan vroeger.",
           "Ik heb nu een vast ritme in de week.", "Ik ken veel meer mensen in de buurt.",
           "Ik heb minder zorgen over geld.", "Ik heb mijn eerste certificaat gehaald.",
           "Mijn kinderen zijn trots op mij.", "Ik weet nu wat ik wil in werk."],
    "flat": ["Eigenlijk is er niet veel veranderd.", "Het gaat op en neer.",
             "Ik ben nog zoekende.", "Sommige dingen gaan beter, andere niet."],
}
OPMERKING = ["Graag meer tijd voor coaching.", "De vragenlijst was wel lang.",
             "Ik hoop dat de buurtbaan blijft.", "Dank voor het vragen.", "Meer uitleg over de regels graag.",
             "Het werk is zwaar, maar ik doe het graag."]
BEWONERS_TEKST = ["Ik kom nu elke week de deur uit.", "Ik heb een vriendin gevonden bij de maaltijd.",
                  "Mijn brieven zijn nu op orde.", "Ik voel me minder alleen.",
                  "Ik help nu zelf bij de koffie.", "Ik weet nu waar ik heen kan met vragen.",
                  "Niet zoveel, maar het is gezellig.", "Mijn Nederlands gaat beter."]

# How a careful coder codes each open answer: (words in the answer, code). An answer not listed, or
# with an empty list, gets no code (it says nothing the codebook covers).
ANSWER_CODES: dict[str, list[tuple[str, str]]] = {
    "Ik heb meer rust in mijn hoofd.": [("Ik heb meer rust in mijn hoofd", "zelfvertrouwen")],
    "Ik durf meer dan vroeger.": [("Ik durf meer dan vroeger", "zelfvertrouwen")],
    "Ik heb nu een vast ritme in de week.": [("een vast ritme in de week", "werkritme")],
    "Ik ken veel meer mensen in de buurt.": [("Ik ken veel meer mensen in de buurt", "verbinden")],
    "Ik heb minder zorgen over geld.": [("minder zorgen over geld", "belemmeringen")],
    "Ik heb mijn eerste certificaat gehaald.": [("mijn eerste certificaat gehaald", "leren")],
    "Mijn kinderen zijn trots op mij.": [("Mijn kinderen zijn trots op mij", "erkenning")],
    "Ik weet nu wat ik wil in werk.": [("Ik weet nu wat ik wil in werk", "motivatie")],
    "Ik ben nog zoekende.": [("Ik ben nog zoekende", "doorstroom")],
    "Graag meer tijd voor coaching.": [("meer tijd voor coaching", "leren")],
    "Ik hoop dat de buurtbaan blijft.": [("Ik hoop dat de buurtbaan blijft", "financiering")],
    "Meer uitleg over de regels graag.": [("Meer uitleg over de regels", "belemmeringen")],
    "Het werk is zwaar, maar ik doe het graag.": [("Het werk is zwaar", "grenzen"),
                                                  ("ik doe het graag", "motivatie")],
    "Ik kom nu elke week de deur uit.": [("Ik kom nu elke week de deur uit", "activiteiten")],
    "Ik heb een vriendin gevonden bij de maaltijd.": [("een vriendin gevonden", "verbinden"),
                                                      ("de maaltijd", "activiteiten")],
    "Mijn brieven zijn nu op orde.": [("Mijn brieven zijn nu op orde", "doorverwijzen")],
    "Ik voel me minder alleen.": [("Ik voel me minder alleen", "verbinden")],
    "Ik help nu zelf bij de koffie.": [("Ik help nu zelf bij de koffie", "nieuwe_vrijwilligers")],
    "Ik weet nu waar ik heen kan met vragen.": [("waar ik heen kan met vragen", "doorverwijzen")],
    "Niet zoveel, maar het is gezellig.": [("het is gezellig", "waardering")],
    "Mijn Nederlands gaat beter.": [("Mijn Nederlands gaat beter", "taal")],
}
# The open questions of the shipped instruments (as in their XLSForm labels).
OPEN_QUESTIONS = {("buurtbaners", "verandering"): "Wat is er voor u veranderd?",
                  ("buurtbaners", "opmerking"): "Wilt u nog iets zeggen?",
                  ("bewoners", "verandering_tekst"): "Kunt u in uw eigen woorden vertellen wat er veranderd is?"}

# --- Goal Attainment Scaling goals (own words; Windows-1252 safe) ----------------------------------
GOALS = ["Zelf een gesprek leiden in een groep", "Mijn rijbewijs halen", "Elke dag op tijd beginnen",
         "Een certificaat halen", "Beter Nederlands schrijven", "Mijn schulden op een rij krijgen",
         "Een nieuwe activiteit opzetten", "Nee zeggen als het te veel wordt", "Werken met de computer",
         "Een sollicitatiebrief schrijven", "Vrijwilligers begeleiden", "Een vervolgbaan vinden",
         "Beter voor mijn gezondheid zorgen", "Een verslag schrijven van een activiteit",
         "Samenwerken met het buurtteam"]

# --- Most Significant Change -----------------------------------------------------------------------
MSC_DOMAINS = ["werk", "contact in de buurt", "gezondheid", "meedoen"]
# Who tells a story of each domain.
MSC_TELLER = {"werk": "buurtbaner", "contact in de buurt": "bewoner", "gezondheid": "bewoner",
              "meedoen": "vrijwilliger"}
MSC_STORIES = [
    ("werk", "Twee jaar geleden zat ik thuis. Ik had geen ritme en weinig contact. Nu heb ik een contract "
             "bij de zorg. Mijn dochter zegt dat ze trots op me is. Dat is de grootste verandering."),
    ("contact in de buurt", "Ik kende niemand in mijn straat. De buurtbaner belde aan en nam me mee naar "
                            "de maaltijd. Daar zat een vrouw die ook alleen was. Nu lopen we elke dag "
                            "samen een rondje."),
    ("meedoen", "Eerst kwam ik alleen om te eten. Op een dag vroeg ze of ik wilde helpen met afwassen. "
                "Nu kook ik zelf één keer per maand. Ik heb mijn buurman ook gevraagd."),
    ("gezondheid", "Ik had veel stress door brieven die ik niet begreep. Ze ging mee naar het buurtteam. "
                   "Nu is het geregeld en slaap ik weer beter."),
    ("werk", "Ik durfde nooit te spreken in een groep. Op de cursus moest het wel. Nu leid ik het overleg "
             "met de bewoners. Ik had nooit gedacht dat ik dat kon."),
    ("contact in de buurt", "Door de taalles kan ik nu met mijn buren praten. Eerst groette ik alleen. "
                            "Nu drinken we thee en helpen we elkaar met boodschappen."),
    ("meedoen", "Ik ben begonnen als vrijwilliger bij de wandelgroep. Nu zijn we met twaalf mensen. "
                "Twee van hen doen nu zelf ook iets in de buurt."),
    ("gezondheid", "Na mijn ziekte zat ik alleen thuis. De wandelgroep gaf me een reden om op te staan. "
                   "Ik ben fitter en ik lach weer."),
    ("werk", "Mijn coach hielp me met mijn cv. Ik heb drie gesprekken gehad. Bij de kringloop mag ik "
             "blijven als er een plek vrijkomt."),
]
PANEL_REASONS = [
    "Dit verhaal laat zien hoe iemand van thuis zitten naar werk gaat.",
    "Hier zie je de opwaartse cirkel: iemand die hulp kreeg, helpt nu anderen.",
    "Het verhaal laat zien dat contact in de buurt ook gezondheid verbetert.",
]

# --- theory of change (data/raw/theory_of_change.yaml) -----------------------------------------------
# Two chains: the buurtbaan in the neighbourhood (reach -> volunteers -> a stronger neighbourhood) and the
# buurtbaner's own way (training and coaching -> the Participatieladder -> a follow-on job).
THEORY_OF_CHANGE = """\
# Onze verandertheorie: van wat we doen naar wat het oplevert.
# Elke stap heeft meetpunten: cijfers (docs/cijfers.md), codes uit het codeboek,
# vragen uit een vragenlijst (vragenlijst:vraag) of een maat (ladder, gas).
steps:
  - id: buurtbaan
    kind: activiteit
    label: Buurtbaners werken in hun eigen buurt
    label_en: Buurtbaners work in their own neighbourhood
    figures: [activities, doorbells_rung, key_persons_active]
    codes: [werkwijze, eigen_ervaring]

  - id: bereikt
    kind: resultaat
    label: Bewoners worden bereikt en doen mee
    label_en: Residents are reached and take part
    figures: [residents_reached, residents_taking_part, referrals]
    codes: [bereik, vertrouwen, activiteiten]
    items: [bewoners:tevreden]

  - id: actief
    kind: kort
    label: Bewoners worden zelf vrijwilliger
    label_en: Residents become volunteers themselves
    figures: [new_volunteers, volunteers_who_activate]
    codes: [nieuwe_vrijwilligers]

  - id: sterke_buurt
    kind: impact
    label: Een sterkere buurt waar mensen elkaar helpen
    label_en: A stronger neighbourhood where people help each other
    codes: [verbinden, waardering]
    codes_against: [grenzen]

  - id: opleiding
    kind: activiteit
    label: Opleiding en coaching voor buurtbaners
    label_en: Training and coaching for buurtbaners
    figures: [training_hours_median, coaching_hours_median, buurtbaners_certified]
    codes: [leren]

  - id: ladder
    kind: kort
    label: Buurtbaners gaan omhoog op de Participatieladder
    label_en: Buurtbaners go up the Participatieladder
    measures: [ladder, gas]
    codes: [zelfvertrouwen, motivatie, belemmeringen]
    items: [buurtbaners:ladder]

  - id: vervolgbaan
    kind: lang
    label: Buurtbaners vinden een vervolgbaan
    label_en: Buurtbaners find a follow-on job
    figures: [follow_on_jobs, contract_promises, follow_on_share_two_years]
    codes: [doorstroom]
    codes_against: [financiering]

# Een pijl zegt: deze stap leidt tot die stap. De aanname zegt waarom we dat denken.
arrows:
  - from: buurtbaan
    to: bereikt
    assumption: Bewoners doen eerder open voor iemand uit hun eigen buurt.
    assumption_en: Residents open up sooner to someone from their own neighbourhood.
  - from: bereikt
    to: actief
    assumption: Wie meedoet en persoonlijk gevraagd wordt, gaat zelf ook iets doen.
    assumption_en: People who take part and are asked in person start doing something themselves.
  - from: actief
    to: sterke_buurt
    assumption: Nieuwe vrijwilligers vragen weer anderen. Zo groeit het netwerk in de buurt.
    assumption_en: New volunteers ask others in turn. That is how the network in the neighbourhood grows.
  - from: opleiding
    to: ladder
    assumption: Opleiding en coaching geven buurtbaners kennis en zelfvertrouwen.
    assumption_en: Training and coaching give buurtbaners knowledge and self-confidence.
  - from: buurtbaan
    to: ladder
    assumption: Het werk in de buurt is zelf ook leren. Je went aan vaste tijden en afspraken.
    assumption_en: The work in the neighbourhood is learning too. You get used to fixed hours and agreements.
  - from: ladder
    to: vervolgbaan
    assumption: Wie hoger op de ladder staat, vindt makkelijker werk. Werkgevers moeten dan wel plek hebben.
    assumption_en: Those higher up the ladder find work more easily. Employers do need to have a place.
"""
