"""Register demo data: the RAID logs and decision logs of the demo organisation.

`schakel demo` runs `DEMO_EXTENSION` once the organisation is built (see
`schakel.portfolio.demo.DemoExtension`).

Size S is what a person explores, in Dutch like the rest of the demo: per project a handful
of risks (cause, event and effect, categories, inherent and residual scores spread over the
heatmap, responses, review dates), issues, assumptions, actions and steering-committee
decisions, dependencies between projects (across both programmes too), links, comments
with @mentions, and programme-level items on the change programme ("VOD"). Everything goes
through the services, so numbers, scores, trends and history are real. A few items are
placed on purpose, so every persona meets their work: `member` owns overdue actions, a risk
due for review this week and a dependency at risk, and is @mentioned; `manager` has
decisions waiting and an escalated issue; a risk occurred and became an issue; an
assumption proved invalid and raised one. The archived project QWS stays empty: archived
projects are read-only.

Sizes M and L add bulk volumes (`VOLUMES`) over the generated projects with
`bulk_create_with_history`: every bulk row gets its "created" history row. Size L takes
about 40–60 s on SQLite and 30 s on PostgreSQL on a busy two-core machine (2026-11), so
history is kept. Tag links, comment mentions and links between items are plain bulk
inserts without history rows of their own, as in the foundation's demo. Trends of bulk
risks stay "stable": one history row has nothing to compare with.

Deterministic by seed: the random source is seeded from the demo's seed and this app's
name, so the organisation's data does not shift it, and dates are relative to `ctx.today`.
Texts the services write themselves (the issue raised by an occurred risk or an invalid
assumption) come out in Dutch once the catalogue translates them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from simple_history.utils import bulk_create_with_history

from schakel.accounts.models import Membership, Role, User
from schakel.portfolio.demo import (
    BATCH_SIZE,
    DEMO_EMAIL_DOMAIN,
    STEPS,
    SUBJECTS,
    DemoContext,
    DemoExtension,
    step,
)
from schakel.portfolio.models import Portfolio, Programme, Project, State, Tag

from . import services
from .models import (
    REGISTER_MODELS,
    Action,
    Assumption,
    Comment,
    Decision,
    Dependency,
    Issue,
    Link,
    Priority,
    RegisterItem,
    Risk,
    RiskCategory,
)

M = TypeVar("M", bound=RegisterItem)

THREAT, OPPORTUNITY = Risk.Nature.THREAT, Risk.Nature.OPPORTUNITY
STEERING = "Stuurgroep"
STEERING_PMO = "Stuurgroep PMO"


# Size S: what the registers say -----------------------------------------------------


@dataclass(frozen=True)
class RiskSpec:
    """A risk of the demo; `pin` fixes fields the story needs (owner, status, dates)."""

    title: str
    cause: str
    event: str
    effect: str
    category: str  # English name of a RiskCategory of the default list
    response: str
    plan: str
    nature: str = THREAT
    pin: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class IssueSpec:
    title: str
    description: str
    type: str = Issue.Type.PROBLEM
    pin: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AssumptionSpec:
    title: str
    consequence: str
    pin: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ActionSpec:
    title: str
    description: str = ""
    pin: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DecisionSpec:
    title: str
    description: str
    rationale: str
    options: str
    impact: str
    status: str
    pin: dict[str, Any] = field(default_factory=dict)


def pin(**fields: Any) -> dict[str, Any]:
    """Fields of an item fixed by the story. Offsets in days from today end in `_in`."""
    return fields


R = RiskSpec
RISKS: dict[str, list[RiskSpec]] = {
    "ODI": [
        R(
            "Negatief advies van de ondernemingsraad",
            "Het nieuwe ontwerp verschuift functies tussen de zorgbedrijven en de "
            "ondersteunende diensten.",
            "De ondernemingsraad brengt een negatief advies uit over het organisatieontwerp.",
            "Het besluit van de raad van bestuur schuift minstens drie maanden op en de "
            "plaatsingsprocedure kan niet starten.",
            "Stakeholders",
            Risk.Response.REDUCE,
            "De ondernemingsraad vanaf de schetsfase meenemen: maandelijks overleg en een "
            "werksessie over de formatie.",
            pin=pin(
                owner="member",
                actionee="bram.meijer",
                probability=3,
                impact=5,
                residual_probability=2,
                residual_impact=4,
                review_in=2,
                status=Risk.Status.OPEN,
                proximity=Risk.Proximity.WITHIN_QUARTER,
            ),
        ),
        R(
            "Sleutelpersonen vertrekken tijdens de reorganisatie",
            "Onzekerheid over de eigen functie in het nieuwe ontwerp.",
            "Ervaren medewerkers van financiën en IT vertrekken voordat de nieuwe organisatie "
            "staat.",
            "Kennis gaat verloren en de dienstverlening aan de zorgbedrijven hapert.",
            "People and HR",
            Risk.Response.REDUCE,
            "Vroeg duidelijkheid geven over de plaatsing; sleutelfuncties in beeld brengen en "
            "behoudgesprekken voeren.",
            pin=pin(status=Risk.Status.OPEN),
        ),
        R(
            "Zorgbedrijven herkennen zich niet in het ontwerp",
            "De werksessies werden vooral bezocht door de ondersteunende diensten zelf.",
            "De directeuren van de zorgbedrijven wijzen het vaste aanspreekpunt per zorgbedrijf "
            "af.",
            "Het ontwerp moet opnieuw en het draagvlak voor het programma neemt af.",
            "Stakeholders",
            Risk.Response.AVOID,
            "Per zorgbedrijf een validatiesessie met de directeur, vóór de stuurgroep.",
        ),
        R(
            "Formatieplan past niet binnen het budget",
            "Het ontwerp voegt accountmanagers toe zonder dat er elders functies vervallen.",
            "Het formatieplan kost meer dan de huidige formatie.",
            "De raad van bestuur stemt niet in, of de besparing van het programma blijft uit.",
            "Financial",
            Risk.Response.REDUCE,
            "Scenario's met en zonder natuurlijk verloop doorrekenen met control.",
        ),
        R(
            "Vrijvallende formatie inzetten voor de servicedesk",
            "Door het samenvoegen van afdelingen vallen administratieve taken weg.",
            "Medewerkers komen beschikbaar voor het nieuwe servicedeskteam.",
            "Minder externe werving nodig en de kennis blijft binnen de organisatie.",
            "Organisational",
            Risk.Response.EXPLOIT,
            "Met project SDK afstemmen welke profielen de servicedesk nodig heeft.",
            nature=OPPORTUNITY,
        ),
    ],
    "SSC": [
        R(
            "Rekeningschema's van de zorgbedrijven verschillen sterk",
            "Elk zorgbedrijf heeft zijn administratie in de loop der jaren zelf ingericht.",
            "De overgang naar één grootboek vraagt een volledige herinrichting van de "
            "administraties.",
            "De start van het shared service center schuift op en de migratie kost meer.",
            "Financial",
            Risk.Response.REDUCE,
            "Eén rekeningschema vaststellen vóór de migratie; per zorgbedrijf een vertaaltabel.",
            pin=pin(probability=4, impact=4, status=Risk.Status.OPEN),
        ),
        R(
            "Dubbel werk tijdens de overgang",
            "De oude administraties lopen door tot de jaarafsluiting.",
            "Medewerkers werken maandenlang in twee systemen.",
            "Fouten in de boekhouding en overbelasting van het team.",
            "Organisational",
            Risk.Response.ACCEPT,
            "Tijdelijk extra capaciteit inhuren voor de overgangsperiode.",
        ),
        R(
            "Zorgbedrijven willen een eigen controller houden",
            "Directeuren vrezen minder grip op hun cijfers.",
            "Zorgbedrijven houden eigen financiële medewerkers naast het SSC.",
            "De besparing van het SSC blijft uit.",
            "Stakeholders",
            Risk.Response.SHARE,
            "Rollen vastleggen in een dienstverleningsovereenkomst per zorgbedrijf.",
        ),
        R(
            "Key-users financiën niet beschikbaar door de jaarafsluiting",
            "De jaarafsluiting valt samen met de migratieplanning.",
            "De key-users kunnen niet testen in december en januari.",
            "De acceptatietest schuift twee maanden op.",
            "Planning",
            Risk.Response.AVOID,
            "De migratie niet in december en januari plannen.",
        ),
    ],
    "ITB": [
        R(
            "Applicatielandschap groter dan geïnventariseerd",
            "Zorgbedrijven kopen zelf software in, buiten IT om.",
            "Tijdens de sanering duiken onbekende applicaties op.",
            "Het saneringsplan klopt niet en de besparing valt lager uit.",
            "IT and data",
            Risk.Response.REDUCE,
            "De inventarisatie aanvullen met de licentiefacturen uit de crediteurenadministratie.",
        ),
        R(
            "Leverancier ECD weigert een koppeling via een standaard-API",
            "Het contract met de leverancier van het ECD noemt geen open koppelingen.",
            "De leverancier rekent maatwerk voor elke koppeling.",
            "Hogere kosten en een afhankelijkheid die het IT-beleid juist wil voorkomen.",
            "Suppliers",
            Risk.Response.TRANSFER,
            "Koppelingen contractueel vastleggen bij de verlenging van het contract.",
        ),
        R(
            "Architectuurboard wordt een vertragende factor",
            "Elke aanvraag, groot of klein, moet langs de board.",
            "Projecten wachten weken op een toets.",
            "Zorgbedrijven omzeilen de board en het beleid verliest gezag.",
            "Organisational",
            Risk.Response.REDUCE,
            "Een snelle toets voor kleine aanvragen, binnen vijf werkdagen.",
        ),
        R(
            "Cloudbeleid botst met de eisen van NEN 7510",
            "Cliëntgegevens mogen niet zomaar buiten de eigen omgeving staan.",
            "De security officer keurt het cloudbeleid af.",
            "Het beleid moet worden herschreven en de uitrol van de standaardwerkplek vertraagt.",
            "Legal and compliance",
            Risk.Response.AVOID,
            "De security officer toetst elk principe; een privacy impact assessment vóór de "
            "vaststelling.",
        ),
    ],
    "VGB": [
        R(
            "Zorgvisie laat lang op zich wachten",
            "De raad van bestuur wil eerst de nieuwe zorgvisie vaststellen.",
            "Het vastgoedbeleid kan niet worden afgerond.",
            "Investeringsbeslissingen over locaties blijven liggen.",
            "Strategic",
            Risk.Response.ACCEPT,
            "Project gepauzeerd; de stuurgroep besluit elk kwartaal opnieuw.",
            pin=pin(status=Risk.Status.OPEN, probability=4, impact=3),
        ),
        R(
            "Onderhoudsachterstand loopt op tijdens de pauze",
            "Onderhoud wordt uitgesteld in afwachting van het beleid.",
            "Installaties op oudere locaties vallen uit.",
            "Onveilige situaties voor cliënten en hoge spoedkosten.",
            "Quality",
            Risk.Response.FALLBACK,
            "Noodzakelijk onderhoud gaat door buiten het project om.",
        ),
        R(
            "Aanvraagtermijn subsidie verduurzaming verloopt",
            "De subsidieregeling sluit in het voorjaar.",
            "De aanvraag wordt niet op tijd ingediend.",
            "De verduurzaming van drie locaties wordt duurder.",
            "Financial",
            Risk.Response.REDUCE,
            "De aanvraag voor de meest kansrijke locaties alvast voorbereiden.",
        ),
    ],
    "PTP": [
        R(
            "Koppeling e-facturatie met het grootboek niet op tijd klaar",
            "De leverancier van het e-factuurplatform heeft te weinig ontwikkelcapaciteit.",
            "De koppeling met het grootboek is er niet bij de livegang.",
            "Facturen moeten met de hand worden geboekt en betalingen lopen vertraging op.",
            "Suppliers",
            Risk.Response.REDUCE,
            "Wekelijks voortgangsoverleg met de leverancier; handmatig boeken als terugvaloptie.",
            pin=pin(probability=3, impact=4, status=Risk.Status.OPEN, owner="eva.degraaf"),
        ),
        R(
            "Leveranciers kunnen geen e-factuur aanleveren",
            "Kleine leveranciers hebben geen software voor e-facturen.",
            "Een deel van de facturen komt nog op papier of als pdf binnen.",
            "De doorlooptijd van facturen daalt minder dan beloofd.",
            "Suppliers",
            Risk.Response.REDUCE,
            "Leveranciers met meer dan vijftig facturen per jaar persoonlijk benaderen.",
            pin=pin(owner="member", status=Risk.Status.OPEN, review_in=9),
        ),
        R(
            "Budgethouders keuren facturen niet op tijd goed",
            "Budgethouders op de locaties werken vooral in de zorg en zelden achter een pc.",
            "Facturen blijven langer dan tien dagen liggen.",
            "De betaaltermijn van dertig dagen wordt niet gehaald.",
            "Organisational",
            Risk.Response.REDUCE,
            "Herinneringen en vervanging bij afwezigheid in de workflow inregelen.",
        ),
        R(
            "Catalogus mist de artikelen die locaties bestellen",
            "De catalogus is opgezet vanuit de inkoopcontracten, niet vanuit het gebruik.",
            "Locaties bestellen buiten de catalogus om.",
            "Geen grip op de uitgaven en geen inkoopvoordeel.",
            "Quality",
            Risk.Response.REDUCE,
            "De bestellingen van het afgelopen jaar analyseren en de catalogus aanvullen.",
        ),
        R(
            "Betaalkorting bij betaling binnen tien dagen",
            "Snellere verwerking van facturen door het nieuwe proces.",
            "Leveranciers bieden korting bij betaling binnen tien dagen.",
            "Een besparing van enkele tienduizenden euro's per jaar.",
            "Financial",
            Risk.Response.EXPLOIT,
            "Met de grootste leveranciers kortingsafspraken maken.",
            nature=OPPORTUNITY,
        ),
    ],
    "SDK": [
        R(
            "Medewerkers blijven bekende collega's direct bellen",
            "Gewoonte: men weet wie je moet hebben.",
            "Meldingen komen buiten de servicedesk om binnen.",
            "Geen zicht op de werkvoorraad en geen afspraken over reactietijden.",
            "Organisational",
            Risk.Response.REDUCE,
            "Communicatiecampagne en doorverbinden naar het centrale nummer.",
        ),
        R(
            "ITSM-tool niet geschikt voor facilitaire meldingen",
            "Het pakket is ingericht voor IT-meldingen.",
            "Facilitair en vastgoed kunnen hun meldingen niet goed registreren.",
            "Twee systemen naast elkaar, en dus geen één loket.",
            "IT and data",
            Risk.Response.REDUCE,
            "Een demonstratie voor facilitair en een proefinrichting van twee meldingssoorten.",
        ),
        R(
            "Reactietijden niet haalbaar met de huidige bezetting",
            "De servicedesk bestaat uit vier medewerkers in dagdienst.",
            "De beloofde reactietijden worden in de eerste maanden niet gehaald.",
            "Zorgbedrijven verliezen vertrouwen in de servicedesk.",
            "People and HR",
            Risk.Response.REDUCE,
            "Bezettingsplan met piekuren; reactietijden gefaseerd invoeren.",
        ),
        R(
            "Telefonieleverancier zet het nummer niet op tijd over",
            "Het nummerbehoud loopt via twee providers.",
            "Het centrale nummer werkt niet op de startdatum.",
            "De start van de servicedesk schuift op.",
            "Suppliers",
            Risk.Response.FALLBACK,
            "Doorschakelen vanaf de oude nummers tot het nieuwe nummer werkt.",
        ),
    ],
    "MAF": [
        R(
            "Zorgbedrijven leveren hun gegevens te laat aan",
            "De aanlevering van productiecijfers is niet geautomatiseerd.",
            "De cijfers komen pas op werkdag vier binnen.",
            "De afsluiting in vijf werkdagen is niet haalbaar.",
            "Planning",
            Risk.Response.REDUCE,
            "Een aanleverkalender met de controllers van de zorgbedrijven afspreken.",
        ),
        R(
            "Automatisch afletteren vraagt een licentie-uitbreiding",
            "De huidige licentie dekt de module niet.",
            "Extra licentiekosten die niet begroot zijn.",
            "Het projectbudget wordt overschreden.",
            "Financial",
            Risk.Response.ACCEPT,
            "Meenemen in de begroting van volgend jaar.",
        ),
        R(
            "Start hangt af van het shared service center",
            "De afsluiting kan pas versnellen als de administraties zijn samengevoegd.",
            "Het SSC start later dan gepland.",
            "Het project start later en levert later resultaat.",
            "Planning",
            Risk.Response.ACCEPT,
            "De afhankelijkheid maandelijks bespreken in het programmateam.",
        ),
    ],
    "QWL": [
        R(
            "Levertijd van laptops loopt op",
            "Wereldwijd tekort aan onderdelen.",
            "Laptops worden niet op tijd geleverd.",
            "Nieuwe medewerkers beginnen zonder laptop.",
            "Suppliers",
            Risk.Response.FALLBACK,
            "Een voorraad van tien laptops aanhouden.",
            pin=pin(status=Risk.Status.CLOSED),
        ),
        R(
            "HR meldt nieuwe medewerkers te laat aan",
            "Het aanmeldformulier gaat per e-mail en blijft liggen.",
            "Accounts worden pas na de eerste werkdag aangemaakt.",
            "Nieuwe medewerkers kunnen niet werken op hun eerste dag.",
            "Organisational",
            Risk.Response.REDUCE,
            "De aanmelding koppelen aan het tekenen van het contract.",
            pin=pin(status=Risk.Status.CLOSED),
        ),
        R(
            "Laptops zonder ECD-client",
            "Het standaardimage bevat de ECD-client niet.",
            "Zorgmedewerkers kunnen het cliëntdossier niet openen.",
            "Zorgmedewerkers werken op papier tot IT langskomt.",
            "IT and data",
            Risk.Response.REDUCE,
            "De ECD-client toevoegen aan het standaardimage.",
            pin=pin(status=Risk.Status.CLOSED),
        ),
    ],
    "KDS": [
        R(
            "Projectleiders hebben geen tijd voor intervisie",
            "Projectleiders combineren hun project met een lijnfunctie.",
            "Intervisiebijeenkomsten worden slecht bezocht.",
            "Kennisdeling komt niet op gang.",
            "People and HR",
            Risk.Response.REDUCE,
            "Vaste datum op de eerste dinsdag van de maand, in de agenda gezet door het PMO.",
        ),
        R(
            "Sjablonenbibliotheek raakt verouderd",
            "Niemand is eigenaar van de sjablonen.",
            "Projectleiders gebruiken oude versies.",
            "Rapportages en plannen zijn niet vergelijkbaar.",
            "Quality",
            Risk.Response.REDUCE,
            "Een eigenaar per sjabloon en een jaarlijkse opschoning.",
        ),
        R(
            "Geleerde lessen blijven vrijblijvend",
            "Lessen worden vastgelegd maar niet gebruikt.",
            "Nieuwe projecten maken dezelfde fouten.",
            "Verspilling van tijd en geld.",
            "Organisational",
            Risk.Response.REDUCE,
            "Geleerde lessen verplicht bespreken bij de start van elk project.",
        ),
    ],
    "CAP": [
        R(
            "Aanspreekpunt overspoeld met vragen buiten projecten",
            "Er is geen ander loket voor vragen over veranderingen.",
            "Het aanspreekpunt krijgt vragen over alles.",
            "Vragen over projecten blijven liggen.",
            "Organisational",
            Risk.Response.REDUCE,
            "Duidelijk afbakenen welke vragen het aanspreekpunt behandelt, met doorverwijzing.",
        ),
        R(
            "Projectleiders communiceren buiten het aanspreekpunt om",
            "Projectleiders zijn gewend zelf hun communicatie te regelen.",
            "Medewerkers krijgen tegenstrijdige informatie.",
            "Het aanspreekpunt verliest zijn waarde.",
            "Stakeholders",
            Risk.Response.REDUCE,
            "Afspraken over communicatie in de projectopdracht opnemen.",
        ),
        R(
            "Eén persoon is het aanspreekpunt",
            "Het aanspreekpunt is belegd bij één medewerker.",
            "Bij ziekte of vakantie is niemand bereikbaar.",
            "Vragen blijven dagen liggen.",
            "People and HR",
            Risk.Response.REDUCE,
            "Een vaste vervanger uit het PMO en een gedeelde mailbox.",
        ),
    ],
    "URP": [
        R(
            "Projectleiders ervaren het format als extra administratie",
            "Het nieuwe format komt bovenop de bestaande verantwoording.",
            "Rapportages komen te laat of onvolledig binnen.",
            "Het portfoliobeeld voor de raad van bestuur klopt niet.",
            "Stakeholders",
            Risk.Response.REDUCE,
            "Het format vult zich deels uit de registers; het PMO helpt de eerste drie maanden.",
        ),
        R(
            "Cijfers sluiten niet aan op de financiële administratie",
            "Projecten houden hun eigen budgetoverzichten bij.",
            "De rapportage wijkt af van de cijfers van control.",
            "Discussies over cijfers in plaats van over voortgang.",
            "Quality",
            Risk.Response.REDUCE,
            "Budgetcijfers maandelijks uit de financiële administratie overnemen.",
        ),
        R(
            "Rapportagecyclus botst met de vergaderplanning van de raad van bestuur",
            "De raad van bestuur vergadert in de eerste week van de maand.",
            "De rapportages zijn niet klaar voor de vergadering.",
            "Besluiten worden een maand later genomen.",
            "Planning",
            Risk.Response.AVOID,
            "De peildatum van de rapportage op de twintigste van de maand leggen.",
        ),
    ],
    "OPL": [
        R(
            "Verwachtingen van projectleiders groter dan de capaciteit van het PMO",
            "Het PMO bestaat uit twee medewerkers.",
            "Projectleiders vragen meer ondersteuning dan het PMO kan geven.",
            "Teleurstelling en minder vertrouwen in het PMO.",
            "Organisational",
            Risk.Response.REDUCE,
            "Een dienstencatalogus van het PMO met duidelijke grenzen.",
        ),
        R(
            "PMO wordt alleen notulist",
            "Ontzorgen wordt opgevat als het overnemen van verslaglegging.",
            "Het PMO krijgt geen inhoudelijke rol.",
            "De waarde van het PMO blijft onzichtbaar.",
            "People and HR",
            Risk.Response.ACCEPT,
            "Na drie maanden evalueren en het takenpakket stap voor stap uitbreiden.",
        ),
        R(
            "Financiering van het PMO na de pilot onzeker",
            "De pilot wordt betaald uit het programmabudget.",
            "Na de pilot is er geen structureel budget.",
            "Het PMO stopt voordat het zijn waarde heeft bewezen.",
            "Financial",
            Risk.Response.REDUCE,
            "De resultaten van de pilot meten en vóór de begroting voorleggen.",
        ),
    ],
}

GENERAL_RISKS: list[RiskSpec] = [
    R(
        "Onvoldoende capaciteit bij de zorgbedrijven voor werksessies",
        "Zorgmedewerkers en leidinggevenden hebben weinig tijd naast de zorg.",
        "Werksessies worden afgezegd of slecht bezocht.",
        "Het ontwerp mist de kennis van de werkvloer.",
        "Planning",
        Risk.Response.REDUCE,
        "Werksessies ruim vooraf plannen en op de locaties zelf houden.",
    ),
    R(
        "Scope groeit door wensen van individuele zorgbedrijven",
        "Elk zorgbedrijf brengt eigen wensen in.",
        "De scope groeit zonder besluit van de stuurgroep.",
        "Het project loopt uit en wordt duurder.",
        "Planning",
        Risk.Response.AVOID,
        "Wijzigingen alleen via een wijzigingsverzoek aan de stuurgroep.",
    ),
    R(
        "Projectleider valt langdurig uit",
        "De projectleider draagt veel kennis alleen.",
        "De projectleider is langer dan een maand afwezig.",
        "Het project staat stil.",
        "People and HR",
        Risk.Response.FALLBACK,
        "Een vervanger uit de pool van het PMO; dossier actueel houden.",
    ),
    R(
        "Besluitvorming in de stuurgroep loopt vertraging op",
        "Besluitvoorstellen komen laat of onvolledig op de agenda.",
        "De stuurgroep stelt besluiten uit.",
        "Het project wacht op besluiten en loopt uit.",
        "Organisational",
        Risk.Response.REDUCE,
        "Besluitvoorstellen twee weken vooraf bij het PMO; besluitenlijst na elke vergadering.",
    ),
    R(
        "Privacyrisico bij het delen van medewerkersgegevens",
        "Voor het ontwerp zijn gegevens van medewerkers nodig.",
        "Persoonsgegevens worden gedeeld zonder grondslag.",
        "Een datalek en reputatieschade.",
        "Legal and compliance",
        Risk.Response.AVOID,
        "Alleen geanonimiseerde overzichten delen; de functionaris gegevensbescherming toetst.",
    ),
    R(
        "Externe adviseurs vertrekken met de kennis",
        "Veel werk wordt gedaan door ingehuurde adviseurs.",
        "Na hun vertrek weet niemand hoe het werkt.",
        "De lijn kan het resultaat niet beheren.",
        "Suppliers",
        Risk.Response.REDUCE,
        "Overdrachtsdocumentatie als voorwaarde in het inhuurcontract.",
    ),
    R(
        "Communicatie bereikt de medewerkers op de locaties niet",
        "Zorgmedewerkers lezen zelden intranet of e-mail.",
        "Medewerkers horen pas bij de invoering wat er verandert.",
        "Weerstand en onrust op de werkvloer.",
        "Stakeholders",
        Risk.Response.REDUCE,
        "Teamleiders als ambassadeurs; korte berichten in het teamoverleg.",
    ),
    R(
        "Kosten van inhuur overschrijden het budget",
        "Vacatures worden ingevuld met interim-krachten.",
        "De inhuurkosten lopen op.",
        "Het projectbudget wordt overschreden.",
        "Financial",
        Risk.Response.REDUCE,
        "Maandelijkse budgetbewaking met control; vaste werving waar het kan.",
    ),
    R(
        "Aanbesteding duurt langer dan gepland",
        "Europese aanbestedingsregels en bezwaarprocedures.",
        "De gunning schuift op.",
        "De implementatie start later.",
        "Suppliers",
        Risk.Response.ACCEPT,
        "Ruimte in de planning; voorbereidend werk loopt door.",
    ),
    R(
        "Weerstand tegen de nieuwe werkwijze",
        "Medewerkers zien de voordelen niet voor zichzelf.",
        "Medewerkers blijven op de oude manier werken.",
        "De beoogde besparing wordt niet gehaald.",
        "People and HR",
        Risk.Response.REDUCE,
        "Medewerkers betrekken bij het ontwerp; successen zichtbaar maken.",
    ),
    R(
        "Testomgeving niet op tijd beschikbaar",
        "IT heeft de testomgeving niet ingepland.",
        "Testen kan niet starten op de geplande datum.",
        "De livegang schuift op.",
        "IT and data",
        Risk.Response.REDUCE,
        "De testomgeving nu al aanvragen bij IT.",
    ),
    R(
        "Tegenstrijdige prioriteiten tussen projecten in het programma",
        "Projecten doen een beroep op dezelfde mensen.",
        "Sleutelpersonen worden door twee projecten tegelijk gevraagd.",
        "Beide projecten lopen vertraging op.",
        "Strategic",
        Risk.Response.REDUCE,
        "Het programmateam bepaalt de volgorde; conflicten gaan naar de stuurgroep.",
    ),
    R(
        "Brongegevens van onvoldoende kwaliteit",
        "Gegevens zijn jarenlang per locatie anders vastgelegd.",
        "De overgang naar het nieuwe systeem stuit op fouten.",
        "Handmatig herstel en vertraging.",
        "IT and data",
        Risk.Response.REDUCE,
        "Een opschoonronde vóór de migratie, met een eigenaar per gegevensbron.",
    ),
    R(
        "Zomervakantie vertraagt besluitvorming en uitrol",
        "Veel sleutelpersonen zijn in juli en augustus afwezig.",
        "Besluiten en uitrol liggen zes weken stil.",
        "De planning loopt in het najaar uit.",
        "Planning",
        Risk.Response.ACCEPT,
        "Geen mijlpalen in de zomer plannen.",
    ),
    R(
        "Samen inkopen met een andere zorggroep",
        "Een zorggroep in de regio werkt aan hetzelfde vraagstuk.",
        "De zorggroep stelt een gezamenlijke aanpak voor.",
        "Lagere kosten en gedeelde kennis.",
        "Strategic",
        Risk.Response.SHARE,
        "Een verkennend gesprek tussen de programmamanagers.",
        nature=OPPORTUNITY,
    ),
    R(
        "Landelijke subsidie voor digitalisering in de zorg",
        "Het ministerie stelt middelen beschikbaar voor digitale zorg.",
        "Het project komt in aanmerking voor subsidie.",
        "Een deel van de kosten wordt vergoed.",
        "Financial",
        Risk.Response.ENHANCE,
        "De subsidievoorwaarden laten toetsen door control.",
        nature=OPPORTUNITY,
    ),
]

# The risk that occurs and becomes an issue, and the assumption that proves invalid.
OCCURRED_RISK = ("PTP", "Koppeling e-facturatie met het grootboek niet op tijd klaar")
INVALID_ASSUMPTION = ("SSC", "Alle zorgbedrijven gebruiken hetzelfde rekeningschema")

I = IssueSpec  # noqa: E741 - a short alias for the tables, like R
ISSUES: dict[str, list[IssueSpec]] = {
    "ODI": [
        I(
            "Wijzigingsverzoek: vastgoed pas in de tweede fase in het ontwerp",
            "De directeur vastgoed vraagt vastgoed pas mee te nemen als het vastgoedbeleid er "
            "is. Gevolg: het ontwerp komt in twee stappen.",
            Issue.Type.CHANGE,
            pin=pin(status=Issue.Status.OPEN, priority=Priority.HIGH, raised_by="anouk.smit"),
        ),
    ],
    "SSC": [
        I(
            "Migratiebudget ontbreekt in de begroting",
            "De kosten voor de migratie van de administraties zijn niet begroot.",
        ),
    ],
    "ITB": [
        I(
            "Inventarisatie mist applicaties van twee zorgbedrijven",
            "Zorgbedrijven **Wonen** en **Jeugd** hebben hun applicatielijst nog niet aangeleverd.",
            pin=pin(status=Issue.Status.IN_PROGRESS),
        ),
    ],
    "VGB": [
        I(
            "Stuurgroep heeft het project gepauzeerd",
            "Het project wacht op de nieuwe zorgvisie. Het team is tijdelijk ingezet op andere "
            "projecten.",
            pin=pin(status=Issue.Status.OPEN, priority=Priority.MEDIUM),
        ),
    ],
    "PTP": [
        I(
            "Dubbele crediteuren in het leveranciersbestand",
            "Bij de voorbereiding van de e-facturatie bleken ruim tweehonderd leveranciers "
            "dubbel voor te komen.",
            pin=pin(owner="member", status=Issue.Status.IN_PROGRESS, target_in=12),
        ),
    ],
    "SDK": [
        I(
            "Geen overeenstemming over reactietijden met zorgbedrijf Wonen",
            "Zorgbedrijf Wonen eist een reactietijd van één uur voor alle meldingen; de "
            "servicedesk kan dat niet waarmaken. Het projectteam komt er niet uit.",
            pin=pin(
                status=Issue.Status.ESCALATED,
                escalated_to="manager",
                priority=Priority.HIGH,
                severity=Issue.Severity.MAJOR,
                target_in=7,
            ),
        ),
    ],
    "QWL": [
        I(
            "Laptops zonder voorgeïnstalleerde ECD-client geleverd",
            "De eerste levering bevatte het oude standaardimage.",
            Issue.Type.OFF_SPEC,
            pin=pin(
                status=Issue.Status.CLOSED,
                resolution="De leverancier heeft het image vervangen en de laptops opnieuw "
                "geïnstalleerd.",
            ),
        ),
    ],
    "URP": [
        I(
            "Wijzigingsverzoek: rapportage ook per zorgbedrijf",
            "De directeuren willen de rapportage ook per zorgbedrijf kunnen lezen.",
            Issue.Type.CHANGE,
        ),
    ],
}
GENERAL_ISSUES: list[IssueSpec] = [
    I(
        "Werksessie met een zorgbedrijf twee keer verplaatst",
        "De werksessie is twee keer op het laatste moment afgezegd.",
    ),
    I(
        "Opleverdocument voldoet niet aan de acceptatiecriteria",
        "Het document mist de afspraken over beheer.",
        Issue.Type.OFF_SPEC,
    ),
    I(
        "Verzoek om een extra rapportage voor de raad van toezicht",
        "De raad van toezicht wil per kwartaal een samenvatting.",
        Issue.Type.CHANGE,
    ),
    I(
        "Projectruimte op locatie niet meer beschikbaar",
        "De ruimte is nodig voor de zorg; het team werkt verspreid.",
    ),
    I(
        "Licentiekosten hoger dan begroot",
        "De leverancier heeft de prijzen met twaalf procent verhoogd.",
    ),
    I(
        "Wijzigingsverzoek: extra locatie in de pilot",
        "Een tweede locatie wil meedoen met de pilot.",
        Issue.Type.CHANGE,
    ),
    I(
        "Onduidelijk wie na de overdracht proceseigenaar is",
        "De lijn wil het resultaat pas overnemen als de eigenaar is benoemd.",
    ),
    I(
        "Twee zorgbedrijven leveren tegenstrijdige eisen aan",
        "De eisen van de zorgbedrijven spreken elkaar tegen; het projectteam kan niet kiezen.",
    ),
    I(
        "Projectmedewerker langdurig ziek",
        "Het werk van de projectmedewerker ligt stil; vervanging is nog niet geregeld.",
    ),
    I(
        "Wijzigingsverzoek: planning afstemmen op de jaarafsluiting",
        "Control vraagt om geen mijlpalen in december en januari te plannen.",
        Issue.Type.CHANGE,
    ),
    I(
        "Notulen van de werksessies ontbreken",
        "Afspraken uit de werksessies zijn niet vastgelegd en worden opnieuw besproken.",
    ),
    I(
        "Conceptrapport mist de financiële onderbouwing",
        "Het rapport kan zo niet naar de stuurgroep.",
        Issue.Type.OFF_SPEC,
    ),
    I(
        "Vergaderruimte voor de stuurgroep dubbel geboekt",
        "De stuurgroep moest uitwijken; twee besluiten zijn doorgeschoven.",
    ),
]

A = AssumptionSpec
ASSUMPTIONS: dict[str, list[AssumptionSpec]] = {
    "ODI": [
        A(
            "De ondernemingsraad geeft binnen zes weken advies",
            "De planning van het besluit en de plaatsingsprocedure schuift op.",
        ),
        A(
            "De functiebeschrijvingen van de ondersteunende diensten zijn actueel",
            "Eerst nieuwe functiebeschrijvingen en een weging, voordat er geplaatst kan worden.",
        ),
    ],
    "SSC": [
        A(
            "Alle zorgbedrijven gebruiken hetzelfde rekeningschema",
            "Elke administratie moet worden omgezet naar één rekeningschema vóór de migratie.",
            pin=pin(owner="noor.bos"),
        ),
        A(
            "Het huidige ERP kan meerdere administraties voeren",
            "Er is een nieuw ERP nodig, met een aanbesteding.",
            pin=pin(status=Assumption.Status.VALID),
        ),
    ],
    "ITB": [
        A(
            "Elke applicatie heeft een bekende eigenaar",
            "Sanering loopt vast op applicaties waar niemand over beslist.",
        ),
    ],
    "VGB": [
        A(
            "De zorgvisie is in het tweede kwartaal vastgesteld",
            "Het project blijft langer gepauzeerd.",
        ),
    ],
    "PTP": [
        A(
            "Leveranciers kunnen e-facturen in UBL-formaat aanleveren",
            "Een scan- en herkenningsdienst is nodig voor papieren facturen.",
        ),
        A(
            "Budgethouders kunnen facturen op hun telefoon goedkeuren",
            "Goedkeuren alleen op een pc vertraagt de doorlooptijd.",
            pin=pin(status=Assumption.Status.VALID),
        ),
    ],
    "SDK": [
        A(
            "Het ITSM-pakket kan worden uitgebreid voor facilitaire meldingen",
            "Een tweede pakket of een nieuwe aanbesteding.",
        ),
        A(
            "Bezetting tussen 8 en 17 uur is voldoende",
            "Avond- en weekendbereikbaarheid moet apart worden geregeld.",
        ),
    ],
    "MAF": [
        A(
            "Zorgbedrijven leveren hun cijfers op werkdag twee aan",
            "Afsluiten in vijf werkdagen is niet haalbaar.",
        ),
    ],
    "QWL": [
        A(
            "HR meldt nieuwe medewerkers twee weken vooraf aan",
            "Accounts en laptops zijn niet op tijd klaar.",
            pin=pin(status=Assumption.Status.VALID),
        ),
    ],
    "KDS": [
        A(
            "Projectleiders willen leren van elkaars projecten",
            "Kennisdeling moet eerst worden verkocht voordat het werkt.",
        ),
    ],
    "CAP": [
        A(
            "Vragen over projecten komen vooral per e-mail binnen",
            "Telefonische bereikbaarheid moet ook worden geregeld.",
        ),
    ],
    "URP": [
        A(
            "Eén A4 is genoeg voor een maandrapportage",
            "Het format wordt langer en kost projectleiders meer tijd.",
        ),
    ],
    "OPL": [
        A(
            "Het PMO krijgt na de pilot twee extra fte",
            "Het ontzorgen blijft beperkt tot een paar projecten.",
        ),
    ],
}
GENERAL_ASSUMPTIONS: list[AssumptionSpec] = [
    A(
        "Zorgbedrijven stellen voor elke werksessie een vertegenwoordiger beschikbaar",
        "Het ontwerp mist de inbreng van de zorgbedrijven.",
    ),
    A(
        "Het budget voor externe inhuur blijft gelijk",
        "Minder capaciteit en een langere doorlooptijd.",
    ),
    A(
        "De vergaderplanning van de raad van bestuur verandert niet",
        "Besluiten schuiven een maand op.",
    ),
]

T = ActionSpec
ACTIONS: dict[str, list[ActionSpec]] = {
    "ODI": [
        T(
            "Formatieoverzicht per afdeling aanleveren voor het formatieplan",
            "Per afdeling: functies, fte en vacatures, zoals control ze kent.",
            pin=pin(owner="member", status=Action.Status.OPEN, due_in=-6, priority=Priority.HIGH),
        ),
        T(
            "Verslag van de werksessie met zorgbedrijf Wonen rondsturen",
            pin=pin(owner="member", status=Action.Status.DONE, due_in=-10, done_in=-9),
        ),
        T(
            "Reactie van de ondernemingsraad op de schets verwerken",
            pin=pin(owner="member", status=Action.Status.OPEN, due_in=8),
        ),
        T("Organogram van de huidige situatie valideren met de afdelingshoofden"),
        T("Werksessie over het ontwerp met de ondernemingsraad plannen"),
        T("Scenario's voor het formatieplan doorrekenen met control"),
        T("Plaatsingsprocedure opstellen met HR"),
        T("Validatiesessie per zorgbedrijf plannen"),
    ],
    "SSC": [
        T("Rekeningschema's van de zorgbedrijven naast elkaar leggen"),
        T("Dienstverleningsovereenkomst opstellen"),
        T("Migratieplan voor het grootboek opstellen"),
        T("Werkplekken voor het SSC regelen met vastgoed"),
        T("Vertaaltabel rekeningschema per zorgbedrijf maken"),
    ],
    "ITB": [
        T("Applicatielijst aanvullen met de licentiefacturen"),
        T("Architectuurprincipes voorleggen aan de architectuurboard"),
        T("Saneringsplan opstellen voor dubbele applicaties"),
        T("Privacy impact assessment van het cloudbeleid laten uitvoeren"),
        T("Zorgbedrijven Wonen en Jeugd om hun applicatielijst vragen"),
    ],
    "VGB": [
        T("Overzicht van locaties met hun onderhoudsstaat bijwerken"),
        T("Subsidieaanvraag verduurzaming voorbereiden"),
        T("Kwartaalcheck op de zorgvisie inplannen"),
    ],
    "PTP": [
        T(
            "Leveranciers zonder e-factuur persoonlijk benaderen",
            "Beginnen bij de leveranciers met de meeste facturen.",
            pin=pin(
                owner="member",
                status=Action.Status.IN_PROGRESS,
                due_in=-3,
                priority=Priority.HIGH,
            ),
        ),
        T(
            "Goedkeuringsworkflow testen met twee budgethouders",
            pin=pin(owner="member", status=Action.Status.OPEN, due_in=6),
        ),
        T("Catalogus aanvullen met artikelen van de zorglocaties"),
        T("Budgethouders trainen in de goedkeuringsworkflow"),
        T("Betaaltermijnen van leveranciers analyseren"),
        T("Leveranciersbestand opschonen"),
    ],
    "SDK": [
        T("Reactietijden per soort melding voorstellen"),
        T("Centraal telefoonnummer laten reserveren"),
        T("ITSM-tool demonstreren aan facilitair"),
        T("Bezettingsplan van de servicedesk opstellen"),
        T("Teksten voor het portaal laten schrijven door communicatie"),
    ],
    "MAF": [
        T("Huidige afsluitkalender in kaart brengen"),
        T("Knelpunten per werkdag inventariseren met de controllers"),
        T("Projectplan opstellen"),
    ],
    "QWL": [
        T("Aanmeldproces voor nieuwe medewerkers vastleggen met HR"),
        T("Voorraad van tien laptops aanleggen"),
        T("Evaluatie houden met nieuwe medewerkers"),
        T("Resultaten delen op intranet"),
        T("Standaardimage laten aanpassen met de ECD-client"),
    ],
    "KDS": [
        T("Eerste intervisiebijeenkomst organiseren"),
        T("Sjablonenbibliotheek op intranet inrichten"),
        T("Format voor geleerde lessen opstellen"),
        T("Projectleiders uitnodigen voor de kennismarkt"),
    ],
    "CAP": [
        T("Gedeelde mailbox voor projectvragen inrichten"),
        T("Veelgestelde vragen verzamelen"),
        T("Vervanging bij afwezigheid regelen"),
        T("Intranetpagina van het centrale aanspreekpunt maken"),
    ],
    "URP": [
        T("Rapportageformat testen met drie projectleiders"),
        T("Koppeling van de registers met de rapportage uitwerken"),
        T("Rapportagekalender afstemmen met het bestuurssecretariaat"),
    ],
    "OPL": [
        T("Dienstencatalogus van het PMO opstellen"),
        T("Intakegesprekken met projectleiders plannen"),
        T("Financiering na de pilot voorbereiden"),
    ],
}
GENERAL_ACTIONS: list[ActionSpec] = [
    T("Planning bijwerken na de stuurgroep"),
    T("Risicosessie met het projectteam organiseren"),
    T("Communicatieplan afstemmen met de afdeling communicatie"),
    T("Voortgangsrapportage aanleveren bij het PMO"),
    T("Werksessie met de zorgbedrijven voorbereiden"),
    T("Budgetprognose actualiseren met control"),
    T("Geleerde lessen van de vorige fase vastleggen"),
    T("Afspraken met de ondernemingsraad per mail bevestigen"),
    T("Projectplan laten reviewen door het PMO"),
    T("Stakeholderanalyse bijwerken"),
    T("Overdracht aan de lijn voorbereiden"),
]

D = DecisionSpec
APPROVED, PROPOSED = Decision.Status.APPROVED, Decision.Status.PROPOSED
DEFERRED, REJECTED = Decision.Status.DEFERRED, Decision.Status.REJECTED
DECISIONS: dict[str, list[DecisionSpec]] = {
    "ODI": [
        D(
            "Eén vast aanspreekpunt per zorgbedrijf",
            "Elk zorgbedrijf krijgt één accountmanager voor financiën, IT en vastgoed.",
            "Zorgbedrijven willen niet langer zoeken wie waarover gaat; één aanspreekpunt maakt "
            "de dienstverlening zichtbaar en aanspreekbaar.",
            "- Een aanspreekpunt per discipline (financiën, IT, vastgoed)\n"
            "- **Eén aanspreekpunt per zorgbedrijf** (gekozen)\n"
            "- Een centrale servicedesk zonder vast aanspreekpunt\n",
            "Vier accountmanagers; de functies komen uit de bestaande formatie.",
            APPROVED,
            pin=pin(decided_in=-45),
        ),
        D(
            "Organisatieontwerp voorleggen aan de raad van bestuur",
            "Het definitieve ontwerp, met het formatieplan, ter besluitvorming naar de raad van "
            "bestuur en daarna ter advies naar de ondernemingsraad.",
            "Het ontwerp is besproken met alle zorgbedrijven; uitstel vertraagt de plaatsing.",
            "- Nu voorleggen\n- Eerst een tweede validatieronde met de zorgbedrijven\n",
            "Bij een positief besluit start de adviesaanvraag aan de ondernemingsraad.",
            PROPOSED,
            pin=pin(needed_in=9),
        ),
    ],
    "SSC": [
        D(
            "Eén grootboek voor alle zorgbedrijven",
            "Alle administraties gaan over naar één grootboek met een administratie per "
            "zorgbedrijf.",
            "Eén grootboek maakt één betaalrun en vergelijkbare rapportages mogelijk.",
            "- Eén grootboek (gekozen)\n- Eigen grootboeken met een consolidatielaag\n",
            "Eén rekeningschema is een voorwaarde.",
            APPROVED,
            pin=pin(decided_in=-70),
        ),
        D(
            "Start van het SSC uitstellen naar 1 april",
            "Het SSC start niet op 1 januari maar op 1 april.",
            "De rekeningschema's verschillen sterker dan aangenomen; de omzetting kost drie "
            "maanden extra.",
            "- Starten op 1 januari met twee zorgbedrijven\n- **Alle zorgbedrijven op 1 april**\n",
            "Drie maanden langer dubbele kosten; de maandafsluiting (MAF) start later.",
            PROPOSED,
            pin=pin(needed_in=5),
        ),
    ],
    "ITB": [
        D(
            "Cloud, tenzij",
            "Nieuwe applicaties draaien in de cloud, tenzij wet- of regelgeving dat verbiedt.",
            "Minder beheer op eigen servers en sneller vernieuwen.",
            "- Cloud, tenzij (gekozen)\n- Eigen datacenter, tenzij\n- Per geval beslissen\n",
            "Het datacenter wordt in drie jaar afgebouwd.",
            APPROVED,
            pin=pin(decided_in=-90),
        ),
        D(
            "Eigen datacenter vernieuwen",
            "Voorstel van de afdeling IT om het datacenter te vervangen.",
            "Past niet bij het besluit 'cloud, tenzij' en vraagt een grote investering.",
            "- Vernieuwen\n- Afbouwen naar de cloud\n",
            "Geen investering in het datacenter.",
            REJECTED,
            pin=pin(decided_in=-60),
        ),
    ],
    "VGB": [
        D(
            "Vastgoedbeleid vaststellen",
            "Het meerjarig vastgoedbeleid ter vaststelling.",
            "De stuurgroep wil eerst de nieuwe zorgvisie; daarna volgt het vastgoed.",
            "- Nu vaststellen\n- Uitstellen tot na de zorgvisie (gekozen)\n",
            "Investeringen in locaties wachten.",
            DEFERRED,
            pin=pin(needed_in=100),
        ),
    ],
    "PTP": [
        D(
            "Vanaf 1 juli alleen nog e-facturen",
            "Leveranciers sturen vanaf 1 juli alleen nog e-facturen.",
            "Papieren en pdf-facturen kosten veel handwerk en vertragen de betaling.",
            "- Vanaf 1 juli (gekozen)\n- Vanaf 1 januari\n- Geen verplichting\n",
            "Kleine leveranciers krijgen een overgangsperiode van drie maanden.",
            APPROVED,
            pin=pin(decided_in=-30),
        ),
        D(
            "Betalen binnen tien dagen tegen betaalkorting",
            "Leveranciers die korting geven, betalen we binnen tien dagen.",
            "De korting levert meer op dan het renteverlies.",
            "- Alle leveranciers binnen tien dagen\n- Alleen bij korting\n- Niet doen\n",
            "Vraagt een snellere goedkeuring door budgethouders.",
            PROPOSED,
            pin=pin(needed_in=16),
        ),
    ],
    "SDK": [
        D(
            "Eén telefoonnummer voor IT, facilitair en vastgoed",
            "De servicedesk is bereikbaar via één nummer en één portaal.",
            "Eén loket is de kern van het project en wordt door de zorgbedrijven gevraagd.",
            "- Eén nummer (gekozen)\n- Een nummer per discipline met een keuzemenu\n",
            "De oude nummers schakelen drie maanden door.",
            APPROVED,
            pin=pin(decided_in=-20),
        ),
        D(
            "Openingstijden van de servicedesk",
            "De servicedesk is bereikbaar van 7 tot 19 uur.",
            "De zorg begint vroeg; een servicedesk vanaf 8 uur sluit niet aan.",
            "- 8 tot 17 uur\n- 7 tot 19 uur\n- 24 uur per dag\n",
            "Twee extra medewerkers nodig.",
            DEFERRED,
            pin=pin(needed_in=40),
        ),
    ],
    "MAF": [
        D(
            "Projectopdracht maandafsluiting vaststellen",
            "De projectopdracht met doel, aanpak en budget.",
            "Het project kan starten zodra het SSC een datum heeft.",
            "- Vaststellen\n- Aanhouden tot het SSC draait\n",
            "Start van het project.",
            PROPOSED,
            pin=pin(needed_in=20),
        ),
    ],
    "QWL": [
        D(
            "Voorraad van tien laptops aanhouden",
            "IT houdt een voorraad van tien laptops voor nieuwe medewerkers.",
            "De levertijd van laptops is onvoorspelbaar.",
            "- Voorraad aanhouden (gekozen)\n- Bestellen per aanmelding\n",
            "Eenmalige investering in de voorraad.",
            APPROVED,
            pin=pin(decided_in=-150),
        ),
    ],
    "KDS": [
        D(
            "Intervisie op de eerste dinsdag van de maand",
            "Intervisie voor projectleiders op een vaste dag.",
            "Een vaste dag maakt het makkelijker om tijd vrij te houden.",
            "- Vaste dag (gekozen)\n- Per keer plannen\n",
            "Het PMO organiseert en zet de data in de agenda's.",
            APPROVED,
            pin=pin(decided_in=-50),
        ),
    ],
    "CAP": [
        D(
            "Eén mailadres en telefoonnummer voor vragen over projecten",
            "Het centrale aanspreekpunt is bereikbaar via projecten@ en één nummer.",
            "Eenvoudig te onthouden en te delen met een vervanger.",
            "- Persoonlijke contactgegevens\n- Eén mailadres en nummer (gekozen)\n",
            "Het PMO bewaakt de mailbox.",
            APPROVED,
            pin=pin(decided_in=-10),
        ),
    ],
    "URP": [
        D(
            "Rapportageformat verplicht voor alle projecten vanaf januari",
            "Alle projecten rapporteren vanaf januari in het nieuwe format.",
            "Eén format maakt een portfoliobeeld voor de raad van bestuur mogelijk.",
            "- Verplicht vanaf januari\n- Vrijwillig, eerst een pilot\n",
            "Projectleiders krijgen uitleg en hulp van het PMO.",
            PROPOSED,
            pin=pin(needed_in=24),
        ),
    ],
    "OPL": [
        D(
            "Pilot ontzorgen met vier projectleiders",
            "Het PMO ondersteunt vier projectleiders drie maanden lang.",
            "Eerst bewijzen dat ontzorgen werkt, daarna uitbreiden.",
            "- Pilot met vier projectleiders\n- Direct voor alle projectleiders\n",
            "Na drie maanden een evaluatie in de stuurgroep PMO.",
            PROPOSED,
            pin=pin(needed_in=30),
        ),
    ],
}

# Programme-level items: the change programme "VOD" and the PMO programme "PMO".
RISKS["VOD"] = [
    R(
        "Verandermoeheid bij de ondersteunende diensten",
        "Meerdere projecten veranderen tegelijk het werk van dezelfde afdelingen.",
        "Medewerkers haken af en verzetten zich tegen nieuwe veranderingen.",
        "Verzuim loopt op en de projecten halen hun resultaten niet.",
        "People and HR",
        Risk.Response.REDUCE,
        "Veranderkalender per afdeling; niet meer dan twee grote veranderingen tegelijk.",
        pin=pin(owner="manager", status=Risk.Status.OPEN, probability=4, impact=4, review_in=4),
    ),
    R(
        "Tweede tranche van het programmabudget niet toegekend",
        "De raad van bestuur bezuinigt op alle overhead.",
        "Het budget voor 2027 wordt niet of maar deels toegekend.",
        "Projecten in de planningsfase kunnen niet starten.",
        "Financial",
        Risk.Response.REDUCE,
        "De besparingen van de afgeronde quick wins zichtbaar maken in de businesscase.",
        pin=pin(owner="manager", status=Risk.Status.OPEN, probability=3, impact=5),
    ),
]
ISSUES["VOD"] = [
    I(
        "Programmabudget 2027 nog niet vastgesteld",
        "De begroting van het programma voor 2027 ligt nog bij de raad van bestuur. Zonder "
        "budget kunnen SSC en MAF niet starten.",
        pin=pin(
            owner="manager",
            status=Issue.Status.ESCALATED,
            escalated_to="anouk.smit",
            priority=Priority.HIGH,
            severity=Issue.Severity.MAJOR,
            target_in=14,
        ),
    ),
]
ASSUMPTIONS["VOD"] = [
    A(
        "Elk zorgbedrijf levert een vaste contactpersoon voor het programma",
        "Afstemming per project met wisselende mensen; besluiten worden later teruggedraaid.",
        pin=pin(owner="manager", status=Assumption.Status.VALID),
    ),
]
DECISIONS["VOD"] = [
    D(
        "Programmaplan tweede tranche vastgesteld",
        "Het programmaplan voor de tweede tranche, met de projecten SSC, SDK en MAF.",
        "De eerste tranche heeft de organisatie in kaart gebracht; de tweede realiseert de "
        "besparingen.",
        "- Tweede tranche zoals voorgesteld (gekozen)\n- Eerst de eerste tranche afronden\n",
        "Drie nieuwe projecten starten dit jaar.",
        APPROVED,
        pin=pin(decided_in=-75),
    ),
    D(
        "Volgorde van de uitrol per zorgbedrijf",
        "In welke volgorde de zorgbedrijven overgaan naar de nieuwe dienstverlening.",
        "Starten bij het zorgbedrijf dat het meest vraagt en de meeste capaciteit heeft.",
        "- Eerst zorgbedrijf Wonen\n- Eerst zorgbedrijf Jeugd\n- Alle zorgbedrijven tegelijk\n",
        "Bepaalt de planning van SDK en PTP.",
        PROPOSED,
        pin=pin(needed_in=7),
    ),
    D(
        "Programma uitbreiden met HR-dienstverlening",
        "HR als vierde ondersteunende dienst in het programma opnemen.",
        "Eerst de huidige drie diensten op orde; daarna opnieuw bekijken.",
        "- Nu uitbreiden\n- Na de tweede tranche (gekozen)\n",
        "Geen uitbreiding dit jaar.",
        DEFERRED,
        pin=pin(needed_in=180),
    ),
]
ACTIONS["VOD"] = [
    T(
        "Voortgangsrapportage voor de stuurgroep opstellen",
        "Voortgang per project, de top-5 risico's en de openstaande besluiten.",
        pin=pin(owner="pmo", status=Action.Status.IN_PROGRESS, due_in=4, priority=Priority.HIGH),
    ),
    T(
        "Programmaplanning bijwerken met de nieuwe startdatum van het SSC",
        pin=pin(owner="pmo", status=Action.Status.OPEN, due_in=-2),
    ),
    T(
        "Besluitenlijst van de stuurgroep rondsturen",
        pin=pin(owner="pmo", status=Action.Status.DONE, due_in=-12, done_in=-12),
    ),
    T(
        "Risicosessie met alle projectleiders organiseren",
        pin=pin(
            owner="pmo",
            status=Action.Status.OPEN,
            due_in=14,
            source=("risk", "Verandermoeheid bij de ondersteunende diensten"),
        ),
    ),
    T(
        "Evaluatie van de strandmiddag delen met de leidinggevenden",
        pin=pin(owner="pmo", status=Action.Status.DONE, due_in=-60, done_in=-58),
    ),
]
DECISIONS["PMO"] = [
    D(
        "Het PMO rapporteert rechtstreeks aan de raad van bestuur",
        "Het PMO valt onder de raad van bestuur, niet onder een van de diensten.",
        "Een PMO dat voor de hele organisatie werkt, moet boven de afdelingen staan.",
        "- Onder financiën\n- Onder de raad van bestuur (gekozen)\n",
        "De manager van het PMO heeft maandelijks overleg met de raad van bestuur.",
        APPROVED,
        pin=pin(decided_in=-95),
    ),
]
ACTIONS["PMO"] = [
    T(
        "Jaarplan van het PMO opstellen",
        pin=pin(owner="daan.hendriks", status=Action.Status.OPEN, due_in=21),
    ),
]

# Actions that come from a risk, issue or decision of the same scope: (kind, title).
SOURCES: dict[tuple[str, str], tuple[str, str]] = {
    ("ODI", "Validatiesessie per zorgbedrijf plannen"): (
        "risk",
        "Zorgbedrijven herkennen zich niet in het ontwerp",
    ),
    ("ODI", "Reactie van de ondernemingsraad op de schets verwerken"): (
        "risk",
        "Negatief advies van de ondernemingsraad",
    ),
    ("PTP", "Leveranciers zonder e-factuur persoonlijk benaderen"): (
        "risk",
        "Leveranciers kunnen geen e-factuur aanleveren",
    ),
    ("PTP", "Leveranciersbestand opschonen"): (
        "issue",
        "Dubbele crediteuren in het leveranciersbestand",
    ),
    ("SSC", "Vertaaltabel rekeningschema per zorgbedrijf maken"): (
        "risk",
        "Rekeningschema's van de zorgbedrijven verschillen sterk",
    ),
    ("ITB", "Privacy impact assessment van het cloudbeleid laten uitvoeren"): (
        "decision",
        "Cloud, tenzij",
    ),
    ("SDK", "Centraal telefoonnummer laten reserveren"): (
        "decision",
        "Eén telefoonnummer voor IT, facilitair en vastgoed",
    ),
    ("QWL", "Voorraad van tien laptops aanleggen"): (
        "decision",
        "Voorraad van tien laptops aanhouden",
    ),
    ("KDS", "Eerste intervisiebijeenkomst organiseren"): (
        "decision",
        "Intervisie op de eerste dinsdag van de maand",
    ),
    ("VOD", "Risicosessie met alle projectleiders organiseren"): (
        "risk",
        "Verandermoeheid bij de ondersteunende diensten",
    ),
}


@dataclass(frozen=True)
class DependencySpec:
    project: str
    other: str
    direction: str
    title: str
    milestone: str
    other_milestone: str
    need_in: int
    owner: str
    status: str = Dependency.Status.OPEN


INBOUND, OUTBOUND = Dependency.Direction.INBOUND, Dependency.Direction.OUTBOUND
DEPENDENCIES: list[DependencySpec] = [
    DependencySpec(
        "SSC", "PTP", INBOUND, "Eén inkoop-tot-betaalproces vóór de start van het SSC",
        "Start SSC", "Proces vastgesteld", 60, "noor.bos",
    ),
    DependencySpec(
        "PTP", "SSC", INBOUND, "Rekeningschema van het SSC voor de e-facturatie",
        "Livegang e-facturatie", "Rekeningschema vastgesteld", 10, "member",
        Dependency.Status.AT_RISK,
    ),
    DependencySpec(
        "SDK", "ITB", INBOUND, "Standaardwerkplek en ITSM-tool uit de architectuur",
        "Start servicedesk", "Architectuurprincipes vastgesteld", 30, "iris.vandijk",
    ),
    DependencySpec(
        "MAF", "SSC", INBOUND, "Samengevoegde administraties in het SSC",
        "Eerste afsluiting in vijf dagen", "Start SSC", 150, "noor.bos",
    ),
    DependencySpec(
        "ODI", "VGB", OUTBOUND, "Huisvestingsvraag volgt uit het organisatieontwerp",
        "Besluit organisatieontwerp", "Vastgoedbeleid vastgesteld", 120, "bram.meijer",
    ),
    DependencySpec(
        "SDK", "ODI", INBOUND, "Vrijvallende medewerkers voor het servicedeskteam",
        "Servicedeskteam compleet", "Plaatsing afgerond", 60, "iris.vandijk",
    ),
    # Across the two programmes.
    DependencySpec(
        "URP", "ODI", OUTBOUND,
        "Rapportageformat voor de maandrapportage van het veranderprogramma",
        "Format vastgesteld", "Eerste maandrapportage", 25, "daan.hendriks",
    ),
    DependencySpec(
        "CAP", "SDK", INBOUND, "Portaal van de servicedesk voor vragen over projecten",
        "Aanspreekpunt bereikbaar via het portaal", "Portaal live", 45, "lotte.peters",
    ),
    DependencySpec(
        "KDS", "QWL", INBOUND, "Geleerde lessen van ‘Laptop op de eerste werkdag’",
        "Kennismarkt", "Projectevaluatie", -30, "daan.hendriks",
        Dependency.Status.DELIVERED,
    ),
]  # fmt: skip

# Links between items (scope, kind, title) ↔ (scope, kind, title).
Ref = tuple[str, str, str]
LINKS: list[tuple[Ref, Ref]] = [
    (
        ("ODI", "risk", "Negatief advies van de ondernemingsraad"),
        ("ODI", "decision", "Organisatieontwerp voorleggen aan de raad van bestuur"),
    ),
    (
        ("ODI", "risk", "Negatief advies van de ondernemingsraad"),
        ("ODI", "assumption", "De ondernemingsraad geeft binnen zes weken advies"),
    ),
    (
        ("ODI", "risk", "Vrijvallende formatie inzetten voor de servicedesk"),
        ("SDK", "dependency", "Vrijvallende medewerkers voor het servicedeskteam"),
    ),
    (
        ("SSC", "risk", "Rekeningschema's van de zorgbedrijven verschillen sterk"),
        ("SSC", "assumption", "Alle zorgbedrijven gebruiken hetzelfde rekeningschema"),
    ),
    (
        ("SSC", "risk", "Rekeningschema's van de zorgbedrijven verschillen sterk"),
        ("SSC", "decision", "Start van het SSC uitstellen naar 1 april"),
    ),
    (
        ("PTP", "dependency", "Rekeningschema van het SSC voor de e-facturatie"),
        ("SSC", "decision", "Start van het SSC uitstellen naar 1 april"),
    ),
    (
        ("SDK", "issue", "Geen overeenstemming over reactietijden met zorgbedrijf Wonen"),
        ("SDK", "decision", "Openingstijden van de servicedesk"),
    ),
    (
        ("VOD", "risk", "Tweede tranche van het programmabudget niet toegekend"),
        ("VOD", "issue", "Programmabudget 2027 nog niet vastgesteld"),
    ),
    (
        ("VOD", "decision", "Volgorde van de uitrol per zorgbedrijf"),
        ("SDK", "decision", "Eén telefoonnummer voor IT, facilitair en vastgoed"),
    ),
]

# Comments: on (scope, kind, title), by whom, what. @mentions reach the persona's My work.
COMMENTS: list[tuple[Ref, str, str]] = [
    (
        ("ODI", "risk", "Negatief advies van de ondernemingsraad"),
        "bram.meijer",
        "@member kun je vóór het projectoverleg van donderdag de reactie van de "
        "ondernemingsraad op de schets hier toevoegen? Dan beoordelen we het risico opnieuw.",
    ),
    (
        ("ODI", "risk", "Negatief advies van de ondernemingsraad"),
        "member",
        "De ondernemingsraad wil eerst de formatie per afdeling zien. Ik lever het overzicht "
        "aan zodra control de cijfers heeft.",
    ),
    (
        ("ODI", "action", "Formatieoverzicht per afdeling aanleveren voor het formatieplan"),
        "bram.meijer",
        "@member lukt het om dit vrijdag aan te leveren? Control wacht erop voor de scenario's.",
    ),
    (
        ("ODI", "decision", "Organisatieontwerp voorleggen aan de raad van bestuur"),
        "pmo",
        "@manager het besluitvoorstel staat klaar voor de stuurgroep van volgende week. Graag "
        "je akkoord op de agendering.",
    ),
    (
        ("PTP", "issue", OCCURRED_RISK[1]),
        "eva.degraaf",
        "@member wil jij bijhouden welke leveranciers nu met de hand worden geboekt? Dan weten "
        "we wat er straks gecontroleerd moet worden.",
    ),
    (
        ("PTP", "dependency", "Rekeningschema van het SSC voor de e-facturatie"),
        "noor.bos",
        "@member het rekeningschema komt later dan gepland; zie het besluitvoorstel over de "
        "startdatum van het SSC.",
    ),
    (
        ("SDK", "issue", "Geen overeenstemming over reactietijden met zorgbedrijf Wonen"),
        "iris.vandijk",
        "@manager graag agenderen voor de stuurgroep: zonder besluit kunnen we de "
        "reactietijden niet publiceren.",
    ),
    (
        ("SSC", "decision", "Start van het SSC uitstellen naar 1 april"),
        "noor.bos",
        "@manager @pmo het voorstel is afgestemd met control. De gevolgen voor MAF staan in de "
        "toelichting.",
    ),
    (
        ("VOD", "risk", "Verandermoeheid bij de ondersteunende diensten"),
        "manager",
        "@pmo neem dit risico mee in de voortgangsrapportage voor de stuurgroep.",
    ),
    (
        ("VOD", "action", "Voortgangsrapportage voor de stuurgroep opstellen"),
        "manager",
        "@pmo graag ook de besluiten opnemen die nog openstaan.",
    ),
    (
        ("KDS", "action", "Eerste intervisiebijeenkomst organiseren"),
        "daan.hendriks",
        "Goed bezocht: twaalf projectleiders. @fleur.vanleeuwen dank voor de organisatie!",
    ),
]
GENERIC_COMMENTS = [
    "Besproken in het projectteam; blijft staan tot het volgende overleg.",
    "Stand van zaken bijgewerkt na het overleg met de leverancier.",
    "Dit komt ook terug in de voortgangsrapportage van deze maand.",
    "Navraag gedaan bij control: de cijfers kloppen.",
    "@{user} graag bijwerken vóór het volgende projectoverleg.",
    "@{user} kun je hier deze week naar kijken?",
    "@{user} ter info: dit staat op de agenda van de stuurgroep.",
]
RESOLUTIONS = [
    "Opgelost in overleg met het projectteam.",
    "Besproken in de stuurgroep; de planning is aangepast.",
    "Afgehandeld door de leverancier.",
    "Opgevangen binnen de toleranties van het project.",
]

# Date pins (offsets in days from today) and the fields they fill; user pins by username.
DATE_PINS = {
    "review_in": "review_date",
    "target_in": "target_date",
    "due_in": "due",
    "done_in": "completed_on",
    "decided_in": "decided_on",
    "needed_in": "needed_by",
}
USER_PINS = ("owner", "actionee", "raised_by", "escalated_to", "decided_by")


def _weighted(rng: random.Random, choices: dict[Any, int]) -> Any:
    return rng.choices(list(choices), weights=list(choices.values()))[0]


def _pick(specs: Sequence[Any], extra: Sequence[Any], low: int, high: int, rng: random.Random):
    """Choose a scope's items: every pinned spec, then its own, then general ones to a quota."""
    pinned = [s for s in specs if s.pin]
    quota = max(len(pinned), rng.randint(low, high))
    chosen = list(pinned)
    for spec in [s for s in specs if not s.pin] + rng.sample(list(extra), len(extra)):
        if len(chosen) >= quota:
            break
        if spec.title not in {c.title for c in chosen}:
            chosen.append(spec)
    return chosen


class SmallBuilder:
    """Fill the registers of the size-S organisation through the services."""

    def __init__(self, ctx: DemoContext):
        from schakel.portfolio.demo import CHANGE_PROJECTS, PMO_PROJECTS

        assert ctx.portfolio is not None
        self.ctx = ctx
        self.rng = random.Random(f"registers:{ctx.seed}")
        self.users = ctx.users
        self.pmo = ctx.users["pmo"]
        self.categories = {c.name_en: c for c in RiskCategory.objects.all()}
        keys = [spec.key for spec in CHANGE_PROJECTS + PMO_PROJECTS]
        projects = {
            p.key: p
            for p in Project.all_objects.filter(
                programme__portfolio=ctx.portfolio, key__in=keys
            ).select_related("programme", "manager")
        }
        programmes = {
            p.key: p
            for p in Programme.objects.filter(portfolio=ctx.portfolio, key__isnull=False)
            .exclude(key="")
            .select_related("manager")
        }
        # Archived projects are read-only: they keep no register items in the demo.
        self.scopes: dict[str, Project | Programme] = {
            key: projects[key]
            for key in keys
            if key in projects and projects[key].archived_at is None
        }
        self.scopes.update({key: programmes[key] for key in ("VOD", "PMO") if key in programmes})
        self.teams: dict[str, list[User]] = {}
        members: dict[int, list[User]] = defaultdict(list)
        for membership in (
            Membership.objects.filter(project__in=projects.values(), role=Role.MEMBER)
            .select_related("user")
            .order_by("user__username")
        ):
            members[membership.project_id].append(membership.user)
        for key, scope in self.scopes.items():
            team = [scope.manager] if scope.manager else []
            if isinstance(scope, Project):
                team += [u for u in members[scope.pk] if u not in team]
            else:
                team.append(self.pmo)
            self.teams[key] = team
        self.tags: dict[str, list[Tag]] = {
            key: list(scope.tags.order_by("name")) if isinstance(scope, Project) else []
            for key, scope in self.scopes.items()
        }
        self.items: dict[Ref, RegisterItem] = {}
        self.mention_pool = User.objects.filter(email__iendswith=f"@{DEMO_EMAIL_DOMAIN}")

    # Helpers ---------------------------------------------------------------------

    def closed(self, key: str) -> bool:
        scope = self.scopes[key]
        return isinstance(scope, Project) and scope.state == State.CLOSED

    def decider(self, key: str) -> User:
        """Who takes the decisions of a scope: the programme manager (steering committee)."""
        scope = self.scopes[key]
        programme = scope.programme if isinstance(scope, Project) else scope
        return programme.manager or self.pmo

    def forum(self, key: str) -> str:
        scope = self.scopes[key]
        programme = scope.programme if isinstance(scope, Project) else scope
        return STEERING if programme.key == "VOD" else STEERING_PMO

    def resolve(self, pins: dict[str, Any]) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for name, value in pins.items():
            if name in DATE_PINS:
                fields[DATE_PINS[name]] = self.ctx.day(value)
            elif name in USER_PINS:
                fields[name] = self.users[value]
            elif name != "source":
                fields[name] = value
        return fields

    def create(
        self,
        key: str,
        model: type[M],
        *,
        source: RegisterItem | None = None,
        **fields: Any,
    ) -> M:
        scope = self.scopes[key]
        rng = self.rng
        by = self.pmo if rng.random() < 0.6 else (scope.manager or self.pmo)
        tags = self.tags[key]
        chosen = rng.sample(tags, rng.randint(0, min(2, len(tags))))
        item = services.item_create(
            model=model, scope=scope, by=by, tags=chosen or None, source=source, **fields
        )
        self.items[(key, model.KIND, item.title)] = item
        return item

    def other(self, key: str, not_this: User | None) -> User | None:
        candidates = [u for u in self.teams[key] if u != not_this]
        return self.rng.choice(candidates) if candidates else None

    # The registers ---------------------------------------------------------------

    def risks(self) -> None:
        rng, day = self.rng, self.ctx.day
        for key in self.scopes:
            own, general = RISKS.get(key, []), GENERAL_RISKS if key in RISKS else []
            is_programme = isinstance(self.scopes[key], Programme)
            specs = own if is_programme else _pick(own, general, 3, 8, rng)
            for spec in specs:
                pins = self.resolve(spec.pin)
                probability = pins.pop(
                    "probability", _weighted(rng, {1: 2, 2: 3, 3: 4, 4: 3, 5: 2})
                )
                impact = pins.pop("impact", _weighted(rng, {1: 1, 2: 3, 3: 4, 4: 3, 5: 2}))
                owner = rng.choice(self.teams[key])
                fields: dict[str, Any] = {
                    "title": spec.title,
                    "nature": spec.nature,
                    "category": self.categories.get(spec.category),
                    "cause": spec.cause,
                    "event": spec.event,
                    "effect": spec.effect,
                    "probability": probability,
                    "impact": impact,
                    "response": spec.response,
                    "response_plan": spec.plan,
                    "proximity": rng.choice(Risk.Proximity.values),
                    "owner": owner,
                    "actionee": self.other(key, owner) if rng.random() < 0.5 else None,
                }
                reducing = spec.response not in (Risk.Response.ACCEPT, Risk.Response.REJECT)
                if spec.nature == THREAT and reducing and rng.random() < 0.6:
                    fields["residual_probability"] = max(1, probability - rng.randint(1, 2))
                    fields["residual_impact"] = max(1, impact - rng.randint(0, 1))
                if self.closed(key):
                    fields["status"] = Risk.Status.CLOSED
                else:
                    fields["status"] = _weighted(rng, {Risk.Status.OPEN: 6, Risk.Status.CLOSED: 1})
                if fields["status"] == Risk.Status.OPEN:
                    offset = _weighted(
                        rng,
                        {rng.randint(0, 6): 3, rng.randint(7, 45): 5, rng.randint(-12, -1): 2},
                    )
                    fields["review_date"] = day(offset)
                fields.update(pins)
                self.create(key, Risk, **fields)

    def issues(self) -> None:
        rng, day = self.rng, self.ctx.day
        for key in self.scopes:
            own = ISSUES.get(key, [])
            is_programme = isinstance(self.scopes[key], Programme)
            # The issues that the story raises later count towards the quota of 1–4.
            story = int(key == OCCURRED_RISK[0]) + int(key == INVALID_ASSUMPTION[0])
            specs = own if is_programme else _pick(own, GENERAL_ISSUES, 1, 4 - story, rng)
            for spec in specs:
                owner = rng.choice(self.teams[key])
                raised = rng.randint(3, 120)
                status = (
                    Issue.Status.CLOSED
                    if self.closed(key)
                    else _weighted(
                        rng,
                        {
                            Issue.Status.OPEN: 3,
                            Issue.Status.IN_PROGRESS: 3,
                            Issue.Status.RESOLVED: 2,
                            Issue.Status.CLOSED: 1,
                        },
                    )
                )
                status = spec.pin.get("status", status)
                fields: dict[str, Any] = {
                    "title": spec.title,
                    "description": spec.description,
                    "type": spec.type,
                    "priority": _weighted(
                        rng,
                        {
                            Priority.LOW: 2,
                            Priority.MEDIUM: 5,
                            Priority.HIGH: 3,
                            Priority.CRITICAL: 1,
                        },
                    ),
                    "severity": rng.choice(Issue.Severity.values),
                    "owner": owner,
                    "raised_by": rng.choice(self.teams[key]),
                    "raised_on": day(-raised),
                    "status": status,
                }
                if status in Issue.OPEN_STATUSES:
                    fields["target_date"] = day(rng.randint(-5, 30))
                else:
                    fields["resolution"] = rng.choice(RESOLUTIONS)
                    fields["resolved_on"] = day(-rng.randint(0, raised - 1) if raised > 1 else 0)
                fields.update(self.resolve(spec.pin))
                self.create(key, Issue, **fields)

    def assumptions(self) -> None:
        rng, day = self.rng, self.ctx.day
        for key in self.scopes:
            own = ASSUMPTIONS.get(key, [])
            is_programme = isinstance(self.scopes[key], Programme)
            specs = own if is_programme else _pick(own, GENERAL_ASSUMPTIONS, 1, 3, rng)
            for spec in specs:
                valid = self.closed(key) or rng.random() < 0.3
                if "status" in spec.pin:
                    valid = spec.pin["status"] == Assumption.Status.VALID
                fields: dict[str, Any] = {
                    "title": spec.title,
                    "consequence": spec.consequence,
                    "owner": rng.choice(self.teams[key]),
                    "status": Assumption.Status.VALID if valid else Assumption.Status.UNVALIDATED,
                    "validate_by": day(rng.randint(-40, -5) if valid else rng.randint(-10, 60)),
                }
                if valid:
                    fields["validated_on"] = day(-rng.randint(1, 60))
                if (key, spec.title) == INVALID_ASSUMPTION:
                    # Invalidated below, through the service, so the issue is raised.
                    fields["status"] = Assumption.Status.UNVALIDATED
                    fields["validate_by"] = day(-3)
                    fields.pop("validated_on", None)
                fields.update(self.resolve(spec.pin))
                self.create(key, Assumption, **fields)

    def decisions(self) -> None:
        rng = self.rng
        for key in self.scopes:
            for spec in DECISIONS.get(key, []):
                scope = self.scopes[key]
                fields: dict[str, Any] = {
                    "title": spec.title,
                    "description": spec.description,
                    "rationale": spec.rationale,
                    "options": spec.options,
                    "impact": spec.impact,
                    "status": spec.status,
                    "owner": scope.manager,
                    "forum": self.forum(key),
                    # Open decisions wait for the programme manager, who chairs the committee.
                    "decided_by": self.decider(key),
                }
                if spec.status in (APPROVED, REJECTED):
                    fields["needed_by"] = self.ctx.day(
                        spec.pin.get("decided_in", -30) + rng.randint(0, 10)
                    )
                fields.update(self.resolve(spec.pin))
                self.create(key, Decision, **fields)

    def dependencies(self) -> None:
        for spec in DEPENDENCIES:
            if spec.project not in self.scopes or spec.other not in self.scopes:
                continue
            other = self.scopes[spec.other]
            fields: dict[str, Any] = {
                "title": spec.title,
                "description": f"{spec.milestone} wacht op: {spec.other_milestone} ({other.key}).",
                "direction": spec.direction,
                "other_project": other,
                "milestone": spec.milestone,
                "other_milestone": spec.other_milestone,
                "need_by": self.ctx.day(spec.need_in),
                "owner": self.users[spec.owner],
                "status": spec.status,
            }
            if spec.direction == OUTBOUND:
                fields["description"] = (
                    f"{other.key} wacht op: {spec.milestone}, voor {spec.other_milestone}."
                )
            self.create(spec.project, Dependency, **fields)

    def actions(self) -> None:
        rng, day = self.rng, self.ctx.day
        for key in self.scopes:
            own = ACTIONS.get(key, [])
            is_programme = isinstance(self.scopes[key], Programme)
            # Actions named in SOURCES are always chosen, like pinned ones.
            own = [
                T(s.title, s.description, pin={**s.pin, "source": SOURCES[(key, s.title)]})
                if (key, s.title) in SOURCES and "source" not in s.pin
                else s
                for s in own
            ]
            specs = own if is_programme else _pick(own, GENERAL_ACTIONS, 5, 12, rng)
            sources = [
                item
                for (scope_key, kind, _title), item in self.items.items()
                if scope_key == key and kind in ("risk", "decision")
            ]
            for spec in specs:
                if self.closed(key):
                    status = _weighted(rng, {Action.Status.DONE: 5, Action.Status.CANCELLED: 1})
                else:
                    status = _weighted(
                        rng,
                        {
                            Action.Status.OPEN: 8,
                            Action.Status.IN_PROGRESS: 4,
                            Action.Status.DONE: 6,
                            Action.Status.CANCELLED: 1,
                        },
                    )
                status = spec.pin.get("status", status)
                fields: dict[str, Any] = {
                    "title": spec.title,
                    "description": spec.description,
                    "owner": rng.choice(self.teams[key]),
                    "priority": _weighted(
                        rng,
                        {
                            Priority.LOW: 2,
                            Priority.MEDIUM: 5,
                            Priority.HIGH: 2,
                            Priority.CRITICAL: 1,
                        },
                    ),
                    "status": status,
                }
                if status in Action.OPEN_STATUSES:
                    fields["due"] = day(rng.randint(-14, 35))
                else:
                    due = rng.randint(-90, -2)
                    fields["due"] = day(due)
                    if status == Action.Status.DONE:
                        fields["completed_on"] = day(min(-1, due + rng.randint(-5, 4)))
                fields.update(self.resolve(spec.pin))
                source = None
                if "source" in spec.pin:
                    kind, title = spec.pin["source"]
                    source = self.items[(key, kind, title)]
                elif sources and rng.random() < 0.25:
                    source = rng.choice(sources)
                self.create(key, Action, source=source, **fields)

    # The story -------------------------------------------------------------------

    def story(self) -> None:
        """What happened since: a risk occurred, an assumption failed, risks were re-scored."""
        rng, pmo = self.rng, self.pmo
        key, title = OCCURRED_RISK
        if key in self.scopes:
            risk = self.items[(key, "risk", title)]
            assert isinstance(risk, Risk)
            issue = services.risk_occurred(risk=risk, version=risk.version, by=pmo)
            issue = services.item_update(
                item=issue,
                version=issue.version,
                by=pmo,
                status=Issue.Status.IN_PROGRESS,
                target_date=self.ctx.day(10),
            )
            self.items[(key, "issue", issue.title)] = issue
            self.items[(key, "risk", title)] = Risk.objects.get(pk=risk.pk)
            self.create(
                key,
                Action,
                source=issue,
                title="Facturen tijdelijk met de hand boeken",
                description="Tot de koppeling met het grootboek werkt.",
                owner=self.users["eva.degraaf"],
                status=Action.Status.IN_PROGRESS,
                priority=Priority.HIGH,
                due=self.ctx.day(12),
            )
        key, title = INVALID_ASSUMPTION
        if key in self.scopes:
            assumption = self.items[(key, "assumption", title)]
            assert isinstance(assumption, Assumption)
            issue = services.assumption_invalidate(
                assumption=assumption, version=assumption.version, by=self.users["noor.bos"]
            )
            self.items[(key, "issue", issue.title)] = issue
            link = ("SSC", "decision", "Start van het SSC uitstellen naar 1 april")
            if link in self.items:
                services.link_add(a=issue, b=self.items[link], by=pmo)
        # Re-scored risks: the trend follows from the history (rising or falling).
        open_risks = [
            item
            for (_key, kind, _title), item in self.items.items()
            if isinstance(item, Risk) and item.status == Risk.Status.OPEN
        ]
        for risk in rng.sample(open_risks, len(open_risks) // 4):
            assert isinstance(risk, Risk)
            step_ = rng.choice([-1, 1])
            probability = min(5, max(1, risk.probability + step_))
            if probability == risk.probability:
                continue
            fresh = Risk.objects.get(pk=risk.pk)
            updated = services.item_update(
                item=fresh,
                version=fresh.version,
                by=fresh.owner or pmo,
                probability=probability,
                # A lower probability moves the residual along, so it stays the smaller one.
                **(
                    {"residual_probability": min(fresh.residual_probability, probability)}
                    if fresh.residual_probability
                    else {}
                ),
            )
            self.items[(self.key_of(updated), "risk", updated.title)] = updated

    def key_of(self, item: RegisterItem) -> str:
        return item.scope.key or ""

    def links(self) -> None:
        for a, b in LINKS:
            if a in self.items and b in self.items:
                services.link_add(a=self.items[a], b=self.items[b], by=self.pmo)

    def comments(self) -> None:
        for ref, username, text in COMMENTS:
            if ref in self.items:
                services.comment_add(
                    item=self.items[ref],
                    body=text,
                    by=self.users[username],
                    mention_pool=self.mention_pool,
                )
        rng = self.rng
        for (key, _kind, _title), item in list(self.items.items()):
            if rng.random() >= 0.2:
                continue
            author = rng.choice(self.teams[key])
            body = rng.choice(GENERIC_COMMENTS)
            if "{user}" in body:
                target = item.owner if item.owner and item.owner != author else None
                if target is None:
                    continue
                body = body.format(user=target.username)
            services.comment_add(item=item, body=body, by=author, mention_pool=self.mention_pool)

    def spread_over_time(self) -> None:
        """Date the story back: items were logged over past months, not all this minute.

        Each item's history rows, `created_at` and `updated_at` move to moments that fit
        its dates (an issue on the day it was raised, an action some weeks before its due
        date); later changes (the story) land in the last day, in order; comments
        fall in the last three weeks, so mentions stay recent. Only timestamps move.
        """
        rng, today = self.rng, self.ctx.today
        now = timezone.now()
        latest = now - timedelta(hours=1)
        together = timedelta(seconds=1)

        def moment(day: date) -> datetime:
            at = datetime.combine(day, time(rng.randint(8, 16), rng.randint(0, 59)))
            return min(latest, timezone.make_aware(at))

        done: dict[type[RegisterItem], list[int]] = defaultdict(list)
        born: dict[tuple[int, int], datetime] = {}
        for item in self.items.values():
            model = type(item)
            if item.pk in done[model]:
                continue
            done[model].append(item.pk)
            history = list(
                model.history.filter(id=item.pk).order_by("history_date", "history_id")  # type: ignore[attr-defined]
            )
            stamps = [moment(self.started_on(item, rng, today))]
            for before, row in pairwise(history):
                gap = row.history_date - before.history_date
                if gap > together:
                    # A later change (re-scored, occurred, invalidated): in the last day.
                    recent = latest - timedelta(hours=rng.randint(0, 20))
                    stamps.append(max(stamps[-1] + timedelta(minutes=1), recent))
                else:
                    stamps.append(stamps[-1] + gap)
            for row, stamp in zip(history, stamps, strict=False):
                type(row).objects.filter(pk=row.pk).update(history_date=stamp)
            model.all_objects.filter(pk=item.pk).update(created_at=stamps[0], updated_at=stamps[-1])
            born[(ContentType.objects.get_for_model(model).pk, item.pk)] = stamps[0]
        condition = Q(pk__in=[])
        for model, pks in done.items():
            condition |= Q(item_type=ContentType.objects.get_for_model(model), item_id__in=pks)
        for comment in Comment.objects.filter(condition).order_by("pk"):
            stamp = now - timedelta(days=rng.randint(0, 20), hours=rng.randint(1, 9))
            # Never before the item itself was logged.
            first = born[(comment.item_type_id, comment.item_id)] + timedelta(minutes=30)
            stamp = min(now, max(stamp, first))
            Comment.objects.filter(pk=comment.pk).update(created_at=stamp)
            Comment.history.filter(id=comment.pk).update(history_date=stamp)  # type: ignore[attr-defined]

    @staticmethod
    def started_on(item: RegisterItem, rng: random.Random, today: date) -> date:
        """The day an item was logged, fitting its own dates."""
        if isinstance(item, Issue):
            start = item.raised_on
        elif isinstance(item, Decision):
            start = (item.decided_on or item.needed_by or today) - timedelta(rng.randint(7, 30))
        elif isinstance(item, Action):
            anchor = item.completed_on or item.due or today
            start = anchor - timedelta(rng.randint(7, 35))
        else:
            start = today - timedelta(rng.randint(14, 150))
        return min(start, today)

    def build(self) -> None:
        ctx = self.ctx
        with step(ctx, "registers: risks"):
            self.risks()
        with step(ctx, "registers: issues, assumptions, decisions"):
            self.issues()
            self.assumptions()
            self.decisions()
        with step(ctx, "registers: dependencies and actions"):
            self.dependencies()
            self.actions()
        with step(ctx, "registers: story, links, comments"):
            self.story()
            self.links()
            self.comments()
            self.spread_over_time()


# Sizes M and L: bulk volumes over the generated projects ------------------------------


@dataclass(frozen=True)
class Volume:
    """How many register rows a size adds on top of size S (issues include raised ones)."""

    risks: int
    issues: int
    assumptions: int
    dependencies: int
    actions: int
    decisions: int
    comments: int

    def scaled(self, scale: float) -> Volume:
        return Volume(**{name: max(1, round(n * scale)) for name, n in vars(self).items()})


VOLUMES = {
    # About as many items per generated project as size L has (M: ~37 projects, L: ~490).
    "M": Volume(
        risks=750, issues=375, assumptions=150, dependencies=75, actions=2_250,
        decisions=375, comments=375,
    ),
    "L": Volume(
        risks=10_000, issues=5_000, assumptions=2_000, dependencies=1_000, actions=30_000,
        decisions=5_000, comments=5_000,
    ),
}  # fmt: skip

# Texts for generated items; {s} is the subject of the project ("roosterplanning").
BULK_RISKS: list[tuple[str, str, str, str, str, str, str]] = [
    # title, cause, event, effect, category, response, nature
    ("Leverancier levert {s} te laat op", "De leverancier heeft te weinig capaciteit.",
     "De oplevering van {s} schuift op.", "De uitrol en de overdracht aan de lijn vertragen.",
     "Suppliers", "reduce", THREAT),
    ("Onvoldoende draagvlak voor {s} op de locaties",
     "Locaties zijn niet betrokken bij het ontwerp.", "Teams gaan niet met {s} werken.",
     "De beoogde verbetering blijft uit.", "Stakeholders", "reduce", THREAT),
    ("Gegevens voor {s} onvolledig", "Gegevens zijn per locatie anders vastgelegd.",
     "De overgang van {s} stuit op fouten.", "Handmatig herstel en vertraging.",
     "IT and data", "reduce", THREAT),
    ("Budget voor {s} ontoereikend", "De kosten zijn op een grove schatting gebaseerd.",
     "Het budget voor {s} raakt halverwege op.", "Het project stopt of wordt uitgekleed.",
     "Financial", "reduce", THREAT),
    ("Sleutelgebruikers {s} niet beschikbaar", "Zorgmedewerkers hebben weinig tijd naast de zorg.",
     "De acceptatietest van {s} kan niet starten.", "De livegang schuift op.",
     "People and HR", "avoid", THREAT),
    ("Privacy-eisen vertragen {s}", "Cliëntgegevens vallen onder strenge regels.",
     "De functionaris gegevensbescherming keurt {s} niet goed.", "Het ontwerp moet worden "
     "aangepast.", "Legal and compliance", "avoid", THREAT),
    ("Nieuwe regelgeving raakt {s}", "Wet- en regelgeving in de zorg verandert snel.",
     "Nieuwe eisen gelden voor {s}.", "Extra werk en een latere oplevering.",
     "Legal and compliance", "accept", THREAT),
    ("Scope van {s} groeit", "Elke locatie brengt eigen wensen in.",
     "De wensenlijst voor {s} groeit zonder besluit.", "Het project loopt uit.",
     "Planning", "avoid", THREAT),
    ("Koppeling van {s} met het ECD werkt niet", "De leverancier van het ECD werkt niet mee.",
     "Gegevens moeten dubbel worden ingevoerd.", "Meer administratieve last in plaats van "
     "minder.", "IT and data", "transfer", THREAT),
    ("Opleiding voor {s} loopt achter", "Trainers zijn schaars en roosters zitten vol.",
     "Medewerkers werken met {s} zonder opleiding.", "Fouten en frustratie op de werkvloer.",
     "Quality", "reduce", THREAT),
    ("Projectleider {s} valt uit", "Kennis zit bij één persoon.",
     "De projectleider is langere tijd afwezig.", "Het project staat stil.",
     "People and HR", "fallback", THREAT),
    ("Andere zorggroep wil {s} samen oppakken", "Een zorggroep in de regio werkt aan hetzelfde.",
     "Een gezamenlijke aanpak wordt voorgesteld.", "Lagere kosten en gedeelde kennis.",
     "Strategic", "share", OPPORTUNITY),
    ("Subsidie beschikbaar voor {s}", "Een landelijke regeling stimuleert innovatie in de zorg.",
     "Het project komt in aanmerking voor subsidie.", "Een deel van de kosten wordt vergoed.",
     "Financial", "exploit", OPPORTUNITY),
]  # fmt: skip
BULK_ISSUES: list[tuple[str, str]] = [
    ("Oplevering {s} voldoet niet aan de acceptatiecriteria", Issue.Type.OFF_SPEC),
    ("Wijzigingsverzoek: {s} ook voor de dagbesteding", Issue.Type.CHANGE),
    ("Wijzigingsverzoek: extra locatie in de pilot van {s}", Issue.Type.CHANGE),
    ("Testomgeving voor {s} niet beschikbaar", Issue.Type.PROBLEM),
    ("Klachten van zorgmedewerkers over {s}", Issue.Type.PROBLEM),
    ("Kosten van {s} hoger dan begroot", Issue.Type.PROBLEM),
    ("Proceseigenaar van {s} onduidelijk na de overdracht", Issue.Type.PROBLEM),
    ("Rapportage uit {s} wijkt af van de specificatie", Issue.Type.OFF_SPEC),
]
BULK_ASSUMPTIONS: list[tuple[str, str]] = [
    ("Gebruikers van {s} zijn beschikbaar voor de acceptatietest", "De test schuift op."),
    ("De leverancier van {s} houdt zich aan de planning", "De uitrol schuift op."),
    ("Het budget voor {s} blijft gelijk", "De scope moet kleiner."),
    ("Bestaande gegevens van {s} kunnen worden overgezet", "Gegevens moeten opnieuw worden "
     "ingevoerd."),
    ("De ondernemingsraad hoeft niet te adviseren over {s}", "Een adviesaanvraag kost drie "
     "maanden."),
]  # fmt: skip
BULK_ACTIONS = [
    "Werksessie over {s} voorbereiden", "Testplan voor {s} opstellen",
    "Gebruikers trainen in {s}", "Offerte opvragen voor {s}",
    "Communicatie over {s} afstemmen", "Overdracht van {s} aan de lijn voorbereiden",
    "Geleerde lessen over {s} vastleggen", "Acceptatietest van {s} plannen",
    "Contactpersonen voor {s} per locatie verzamelen", "Budgetprognose actualiseren",
    "Risicosessie met het projectteam houden", "Voortgangsrapportage aanleveren bij het PMO",
    "Besluitvoorstel voor de stuurgroep schrijven", "Planning bijwerken na de stuurgroep",
]  # fmt: skip
BULK_DECISIONS: list[tuple[str, str, str]] = [
    ("Pilot van {s} op één locatie starten", "Eerst leren, dan uitrollen.",
     "- Direct overal uitrollen\n- Pilot op één locatie\n- Pilot op drie locaties\n"),
    ("Leverancier voor {s} gekozen", "Beste prijs-kwaliteitverhouding in de aanbesteding.",
     "- Leverancier A\n- Leverancier B\n- Zelf ontwikkelen\n"),
    ("Uitrol van {s} na de zomer", "Te veel sleutelpersonen met vakantie in de zomer.",
     "- Uitrol in juni\n- Uitrol in september\n"),
    ("Extra budget voor {s}", "De businesscase blijft positief met de hogere kosten.",
     "- Extra budget\n- Scope verkleinen\n- Stoppen\n"),
    ("Scope van {s} beperkt tot de kernprocessen", "Eerst de basis op orde.",
     "- Volledige scope\n- Kernprocessen\n"),
    ("Eén werkwijze voor {s} in alle zorgbedrijven", "Vergelijkbaarheid en lagere kosten.",
     "- Eén werkwijze\n- Ruimte per zorgbedrijf\n"),
    ("Externe inhuur voor {s} goedgekeurd", "De kennis is intern niet beschikbaar.",
     "- Inhuren\n- Intern opleiden\n"),
]  # fmt: skip
FORUMS = [STEERING, STEERING, "Programmateam", "Projectteam"]


def _subject(name: str, rng: random.Random) -> str:
    for subject in SUBJECTS:
        if subject in name:
            return subject
    return rng.choice(SUBJECTS)


class BulkBuilder:
    """Fill the registers of the generated projects with bulk inserts (sizes M and L)."""

    def __init__(self, ctx: DemoContext, volume: Volume, *, scale: float = 1.0):
        from schakel.portfolio.demo import CHANGE_PROJECTS, PMO_PROJECTS

        assert ctx.portfolio is not None
        self.ctx = ctx
        self.rng = random.Random(f"registers-bulk:{ctx.seed}")
        self.volume = volume.scaled(scale)
        self.pmo = ctx.users["pmo"]
        small = [spec.key for spec in CHANGE_PROJECTS + PMO_PROJECTS]
        self.projects = list(
            Project.all_objects.filter(programme__portfolio=ctx.portfolio)
            .exclude(key__in=small)
            .order_by("key")
        )
        self.by_id = {p.pk: p for p in self.projects}
        self.by_programme: dict[int, list[Project]] = defaultdict(list)
        for project in self.projects:
            self.by_programme[project.programme_id].append(project)
        self.team: dict[int, list[int]] = defaultdict(list)
        for project_id, user_id in (
            Membership.objects.filter(
                project__in=self.projects, role__in=[Role.MANAGER, Role.MEMBER]
            )
            .order_by("project_id", "user__username")
            .values_list("project_id", "user_id")
        ):
            self.team[project_id].append(user_id)
        for project in self.projects:
            if not self.team[project.pk] and project.manager_id:
                self.team[project.pk].append(project.manager_id)
        self.tags: dict[int, list[int]] = defaultdict(list)
        for project_id, tag_id in (
            Project.tags.through.objects.filter(project__in=self.projects)
            .order_by("project_id", "tag__name")
            .values_list("project_id", "tag_id")
        ):
            self.tags[project_id].append(tag_id)
        rng = self.rng
        self.subject = {p.pk: _subject(p.name, rng) for p in self.projects}
        self.weights = [rng.uniform(0.2, 1.8) for _ in self.projects]
        self.categories = list(RiskCategory.objects.order_by("position", "pk"))
        self.category_of = {c.name_en: c.pk for c in self.categories}
        self.numbers: dict[tuple[str, int], int] = defaultdict(int)
        self.content_types = {
            model: ContentType.objects.get_for_model(model).pk for model in REGISTER_MODELS
        }
        # (model, pk) of items per project that actions may come from.
        self.sources: dict[int, list[tuple[type[RegisterItem], int]]] = defaultdict(list)
        self.links: list[Link] = []
        self.made: dict[type[RegisterItem], list[RegisterItem]] = {}

    # Helpers ---------------------------------------------------------------------

    def spread(self, n: int) -> list[Project]:
        """`n` projects, drawn unevenly: some projects keep long registers, others short."""
        if not self.projects:
            return []
        return self.rng.choices(self.projects, weights=self.weights, k=n)

    def closed(self, project: Project) -> bool:
        return project.state == State.CLOSED or (
            project.end_date is not None and project.end_date < self.ctx.today
        )

    def base(self, model: type[M], project: Project, title: str) -> dict[str, Any]:
        self.numbers[(model.KIND, project.pk)] += 1
        return {
            "project_id": project.pk,
            "number": self.numbers[(model.KIND, project.pk)],
            "title": title.format(s=self.subject[project.pk])[:300],
            "owner_id": self.rng.choice(self.team[project.pk]) if self.team[project.pk] else None,
            "created_by_id": self.pmo.pk,
        }

    def due(self, overdue_share: float = 0.2) -> date:
        rng = self.rng
        if rng.random() < overdue_share:
            return self.ctx.day(-rng.randint(1, 45))
        return self.ctx.day(rng.randint(0, 60))

    def past(self, low: int = 2, high: int = 180) -> date:
        return self.ctx.day(-self.rng.randint(low, high))

    def save(self, model: type[M], objs: list[M]) -> list[M]:
        saved = bulk_create_with_history(
            objs,
            model,
            batch_size=BATCH_SIZE,
            default_user=self.pmo,
            default_change_reason="demo",
        )
        self.made.setdefault(model, []).extend(saved)
        return saved

    def link(self, a: RegisterItem, b: RegisterItem) -> None:
        self.links.append(
            Link(
                from_type_id=self.content_types[type(a)],
                from_id=a.pk,
                to_type_id=self.content_types[type(b)],
                to_id=b.pk,
                created_by_id=self.pmo.pk,
            )
        )

    def ref(self, item: RegisterItem) -> str:
        return f"{self.by_id[item.project_id].key}-{item.PREFIX}{item.number}"  # type: ignore[index]

    # The registers ---------------------------------------------------------------

    def risks(self) -> list[Risk]:
        rng = self.rng
        objs = []
        for project in self.spread(self.volume.risks):
            title, cause, event, effect, category, response, nature = rng.choice(BULK_RISKS)
            fields = self.base(Risk, project, title)
            probability, impact = rng.randint(1, 5), rng.randint(1, 5)
            if self.closed(project):
                status = Risk.Status.CLOSED
            else:
                status = _weighted(
                    rng, {Risk.Status.OPEN: 80, Risk.Status.CLOSED: 16, Risk.Status.OCCURRED: 4}
                )
            risk = Risk(
                **fields,
                nature=nature,
                category_id=self.category_of.get(category),
                cause=cause,
                event=event.format(s=self.subject[project.pk]),
                effect=effect,
                probability=probability,
                impact=impact,
                response=response,
                proximity=rng.choice(Risk.Proximity.values),
                status=status,
            )
            if nature == THREAT and response != "accept" and rng.random() < 0.5:
                risk.residual_probability = max(1, probability - rng.randint(1, 2))
                risk.residual_impact = max(1, impact - rng.randint(0, 1))
            if rng.random() < 0.5 and len(self.team[project.pk]) > 1:
                risk.actionee_id = rng.choice(self.team[project.pk])
            if status == Risk.Status.OPEN:
                offset = _weighted(
                    rng, {rng.randint(0, 6): 2, rng.randint(7, 60): 6, rng.randint(-30, -1): 2}
                )
                risk.review_date = self.ctx.day(offset)
            elif status == Risk.Status.OCCURRED:
                risk.occurred_on = self.past(1, 60)
            risk.compute_scores()
            objs.append(risk)
        risks = self.save(Risk, objs)
        for risk in risks:
            self.sources[risk.project_id].append((Risk, risk.pk))  # type: ignore[index]
        return risks

    def issue(self, project: Project, title: str, **fields: Any) -> Issue:
        rng = self.rng
        base = self.base(Issue, project, title)
        raised = fields.pop("raised_on", None) or self.past(3, 200)
        if self.closed(project):
            status = Issue.Status.CLOSED
        else:
            status = _weighted(
                rng,
                {
                    Issue.Status.OPEN: 30,
                    Issue.Status.IN_PROGRESS: 30,
                    Issue.Status.ESCALATED: 5,
                    Issue.Status.RESOLVED: 20,
                    Issue.Status.CLOSED: 15,
                },
            )
        values: dict[str, Any] = {
            "type": Issue.Type.PROBLEM,
            "priority": _weighted(
                rng, {Priority.LOW: 2, Priority.MEDIUM: 5, Priority.HIGH: 3, Priority.CRITICAL: 1}
            ),
            "severity": rng.choice(Issue.Severity.values),
            "raised_by_id": rng.choice(self.team[project.pk]) if self.team[project.pk] else None,
            "raised_on": raised,
            "status": status,
            **base,
            **fields,
        }
        if status in Issue.OPEN_STATUSES:
            values["target_date"] = self.due()
            if status == Issue.Status.ESCALATED:
                values["escalated_to_id"] = project.sponsor_id or self.pmo.pk
        else:
            values["resolution"] = rng.choice(RESOLUTIONS)
            values["resolved_on"] = min(self.ctx.today, raised + _days(rng.randint(1, 40)))
        return Issue(**values)

    def issues_and_assumptions(self, risks: list[Risk]) -> None:
        rng = self.rng
        occurred = [r for r in risks if r.status == Risk.Status.OCCURRED]
        from_risks = []
        for risk in occurred:
            project = self.by_id[risk.project_id]  # type: ignore[index]
            score = risk.current_score
            from_risks.append(
                self.issue(
                    project,
                    risk.title,
                    description=f"Risico {self.ref(risk)} is opgetreden.\n\n{risk.effect}",
                    priority=Priority.CRITICAL
                    if score >= 20
                    else Priority.HIGH
                    if score >= 12
                    else Priority.MEDIUM,
                    source_risk_id=risk.pk,
                    raised_on=risk.occurred_on,
                )
            )
        # Assumptions: invalid ones raise an issue, as `assumption_invalidate` does.
        assumptions = []
        from_assumptions: list[Issue] = []
        for project in self.spread(self.volume.assumptions):
            title, consequence = rng.choice(BULK_ASSUMPTIONS)
            fields = self.base(Assumption, project, title)
            status = _weighted(
                rng,
                {
                    Assumption.Status.UNVALIDATED: 0 if self.closed(project) else 60,
                    Assumption.Status.VALID: 35,
                    Assumption.Status.INVALID: 5,
                },
            )
            assumption = Assumption(
                **fields, consequence=consequence, status=status, validate_by=self.due(0.25)
            )
            if status != Assumption.Status.UNVALIDATED:
                assumption.validate_by = self.past(5, 120)
                assumption.validated_on = self.past(1, 90)
            if status == Assumption.Status.INVALID:
                from_assumptions.append(
                    self.issue(
                        project,
                        f"Aanname {project.key}-{Assumption.PREFIX}{fields['number']} klopt niet: "
                        f"{fields['title']}",
                        description=consequence,
                        raised_on=assumption.validated_on,
                    )
                )
            assumptions.append(assumption)
        plain = []
        n_plain = max(0, self.volume.issues - len(from_risks) - len(from_assumptions))
        for project in self.spread(n_plain):
            title, type_ = rng.choice(BULK_ISSUES)
            plain.append(self.issue(project, title, type=type_))

        issues = self.save(Issue, from_risks + from_assumptions + plain)
        for issue in issues:
            self.sources[issue.project_id].append((Issue, issue.pk))  # type: ignore[index]
        for risk, issue in zip(occurred, issues, strict=False):
            self.link(risk, issue)
        raised = iter(issues[len(from_risks) : len(from_risks) + len(from_assumptions)])
        invalid = []
        for assumption in assumptions:
            if assumption.status == Assumption.Status.INVALID:
                issue = next(raised)
                assumption.raised_issue_id = issue.pk
                invalid.append((assumption, issue))
        self.save(Assumption, assumptions)
        for assumption, issue in invalid:
            self.link(assumption, issue)

    def dependencies(self) -> None:
        rng = self.rng
        objs = []
        if len(self.projects) < 2:
            return
        for project in self.spread(self.volume.dependencies):
            siblings = [p for p in self.by_programme[project.programme_id] if p.pk != project.pk]
            other = (
                rng.choice(siblings)
                if siblings and rng.random() < 0.8
                else rng.choice([p for p in self.projects if p.pk != project.pk])
            )
            direction = rng.choice(Dependency.Direction.values)
            wanted = _subject(other.name, rng) if direction == INBOUND else self.subject[project.pk]
            title = (
                f"{other.key} levert {wanted}"
                if direction == INBOUND
                else f"{other.key} wacht op {wanted}"
            )
            fields = self.base(Dependency, project, title)
            status = (
                Dependency.Status.CLOSED
                if self.closed(project)
                else _weighted(
                    rng,
                    {
                        Dependency.Status.OPEN: 55,
                        Dependency.Status.AT_RISK: 15,
                        Dependency.Status.DELIVERED: 25,
                        Dependency.Status.CLOSED: 5,
                    },
                )
            )
            objs.append(
                Dependency(
                    **fields,
                    direction=direction,
                    other_project_id=other.pk,
                    milestone=rng.choice(STEPS).capitalize(),
                    other_milestone=rng.choice(STEPS).capitalize(),
                    need_by=self.due(0.15) if status in Dependency.OPEN_STATUSES else self.past(),
                    status=status,
                )
            )
        self.save(Dependency, objs)

    def decisions(self) -> None:
        rng = self.rng
        objs = []
        for project in self.spread(self.volume.decisions):
            title, rationale, options = rng.choice(BULK_DECISIONS)
            fields = self.base(Decision, project, title)
            if self.closed(project):
                status = _weighted(rng, {APPROVED: 4, REJECTED: 1})
            else:
                status = _weighted(rng, {APPROVED: 50, PROPOSED: 25, DEFERRED: 10, REJECTED: 15})
            programme_manager = project.programme.manager_id if project.programme else None
            decision = Decision(
                **fields,
                rationale=rationale,
                options=options,
                status=status,
                forum=rng.choice(FORUMS),
                decided_by_id=programme_manager or fields["owner_id"],
            )
            if status in (APPROVED, REJECTED):
                decision.decided_on = self.past(2, 300)
                decision.needed_by = decision.decided_on + _days(rng.randint(0, 14))
            else:
                decision.needed_by = self.due(0.2)
            objs.append(decision)
        decisions = self.save(Decision, objs)
        risks_of: dict[int, list[RegisterItem]] = defaultdict(list)
        for risk in self.made.get(Risk, []):
            risks_of[risk.project_id].append(risk)  # type: ignore[index]
        for decision in decisions:
            self.sources[decision.project_id].append((Decision, decision.pk))  # type: ignore[index]
            candidates = risks_of[decision.project_id]  # type: ignore[index]
            if candidates and rng.random() < 0.15:
                self.link(decision, rng.choice(candidates))

    def actions(self) -> None:
        rng = self.rng
        objs = []
        for project in self.spread(self.volume.actions):
            fields = self.base(Action, project, rng.choice(BULK_ACTIONS))
            if self.closed(project):
                status = _weighted(rng, {Action.Status.DONE: 9, Action.Status.CANCELLED: 1})
            else:
                status = _weighted(
                    rng,
                    {
                        Action.Status.OPEN: 40,
                        Action.Status.IN_PROGRESS: 20,
                        Action.Status.DONE: 35,
                        Action.Status.CANCELLED: 5,
                    },
                )
            action = Action(
                **fields,
                status=status,
                priority=_weighted(
                    rng,
                    {Priority.LOW: 2, Priority.MEDIUM: 5, Priority.HIGH: 2, Priority.CRITICAL: 1},
                ),
            )
            if status in Action.OPEN_STATUSES:
                action.due = self.due(0.2)
            else:
                action.due = self.past(2, 200)
                if status == Action.Status.DONE:
                    action.completed_on = min(
                        self.ctx.day(-1), action.due + _days(rng.randint(-5, 4))
                    )
            sources = self.sources[project.pk]
            if sources and rng.random() < 0.25:
                model, pk = rng.choice(sources)
                action.source_type_id = self.content_types[model]
                action.source_id = pk
            objs.append(action)
        self.save(Action, objs)

    def comments(self) -> None:
        rng = self.rng
        pool = [
            item for model in (Risk, Issue, Action, Decision) for item in self.made.get(model, [])
        ]
        if not pool:
            return
        comments, mentioned = [], []
        for _ in range(self.volume.comments):
            item = rng.choice(pool)
            team = self.team[item.project_id] or [self.pmo.pk]  # type: ignore[index]
            author = rng.choice(team)
            others = [u for u in team if u != author]
            body = rng.choice(GENERIC_COMMENTS)
            target = rng.choice(others) if others else None
            if "{user}" in body and target is None:
                body = GENERIC_COMMENTS[0]
            comments.append(
                Comment(
                    item_type_id=self.content_types[type(item)],
                    item_id=item.pk,
                    author_id=author,
                    body=body,
                )
            )
            mentioned.append(target if "{user}" in body else None)
        usernames = dict(
            User.objects.filter(pk__in={u for u in mentioned if u}).values_list("pk", "username")
        )
        for comment, user_id in zip(comments, mentioned, strict=True):
            if user_id:
                comment.body = comment.body.format(user=usernames[user_id])
        comments = bulk_create_with_history(
            comments,
            Comment,
            batch_size=BATCH_SIZE,
            default_user=self.pmo,
            default_change_reason="demo",
        )
        through = Comment.mentions.through
        through.objects.bulk_create(
            [
                through(comment_id=comment.pk, user_id=user_id)
                for comment, user_id in zip(comments, mentioned, strict=True)
                if user_id
            ],
            batch_size=BATCH_SIZE,
        )

    def tags_and_links(self) -> None:
        rng = self.rng
        for model, items in self.made.items():
            through: Any = model.tags.through
            column = f"{model._meta.model_name}_id"
            rows = []
            for item in items:
                tags = self.tags[item.project_id]  # type: ignore[index]
                if tags and rng.random() < 0.4:
                    for tag_id in rng.sample(tags, min(len(tags), rng.randint(1, 2))):
                        rows.append(through(**{column: item.pk, "tag_id": tag_id}))
            through.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        Link.objects.bulk_create(self.links, batch_size=BATCH_SIZE)

    def build(self) -> None:
        ctx, volume = self.ctx, self.volume
        if not self.projects:
            return
        with step(ctx, f"registers: risks ({volume.risks})"):
            risks = self.risks()
        with step(ctx, f"registers: issues ({volume.issues}) and assumptions"):
            self.issues_and_assumptions(risks)
        with step(ctx, f"registers: dependencies ({volume.dependencies})"):
            self.dependencies()
        with step(ctx, f"registers: decisions ({volume.decisions})"):
            self.decisions()
        with step(ctx, f"registers: actions ({volume.actions})"):
            self.actions()
        with step(ctx, f"registers: comments ({volume.comments})"):
            self.comments()
        with step(ctx, "registers: tags and links"):
            self.tags_and_links()


def _days(n: int) -> timedelta:
    return timedelta(days=n)


# The extension ---------------------------------------------------------------------


def build(ctx: DemoContext, *, size: str, scale: float = 1.0) -> None:
    """Fill the registers: the story of size S, plus the bulk volumes of sizes M and L."""
    # Texts the services write themselves ("Risk ODI-R3 occurred.") follow the demo's language.
    with translation.override("nl"):
        SmallBuilder(ctx).build()
        if size in VOLUMES:
            BulkBuilder(ctx, VOLUMES[size], scale=scale).build()


def reset(portfolios: QuerySet[Portfolio]) -> None:
    """Delete every register item of the demo portfolios, with its comments, links and tags.

    Items protect their projects and programmes from deletion, so they go first. A
    dependency of another portfolio's project on a demo project goes too: its other side
    disappears. The items go in plain DELETE statements, not through the ORM's collector,
    which would load every item and write a "deleted" history row per item (minutes at
    size L); their "created" history rows stay, as the foundation's reset keeps history.
    """
    projects = Project.all_objects.filter(programme__portfolio__in=portfolios).values("pk")
    programmes = Programme.all_objects.filter(portfolio__in=portfolios).values("pk")
    scoped: dict[type[RegisterItem], QuerySet[Any]] = {}
    for model in REGISTER_MODELS:
        condition = Q(project__in=projects) | Q(programme__in=programmes)
        if model is Dependency:
            condition |= Q(other_project__in=projects)
        scoped[model] = model.all_objects.filter(condition)
    # Rows that point at the items go first, so no foreign key is left dangling.
    Issue.all_objects.filter(source_risk__in=scoped[Risk].values("pk")).update(source_risk=None)
    Assumption.all_objects.filter(raised_issue__in=scoped[Issue].values("pk")).update(
        raised_issue=None
    )
    for model, items in scoped.items():
        ids = items.values("pk")
        item_type = ContentType.objects.get_for_model(model)
        Link.objects.filter(
            Q(from_type=item_type, from_id__in=ids) | Q(to_type=item_type, to_id__in=ids)
        ).delete()
        Comment.objects.filter(item_type=item_type, item_id__in=ids).delete()
        through: Any = model.tags.through
        through.objects.filter(**{f"{model._meta.model_name}__in": ids}).delete()
    for items in scoped.values():
        items._raw_delete(items.db)  # type: ignore[attr-defined]


DEMO_EXTENSION = DemoExtension(build=build, reset=reset)
