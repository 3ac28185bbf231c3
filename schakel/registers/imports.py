"""Import register items from Excel and CSV: fields, mapping, preview and an all-or-nothing commit.

The pure engine (`schakel.core.importers.tabular`) reads the file safely, guesses which
column feeds which field and parses cells by kind. This module adds what needs the
database and the user: the importable fields of each register with their English and
Dutch names, resolving people, categories, projects, scale levels and reference codes,
validating every row with the model's own rules, translating every error code into a
message, and writing the rows through `services.item_create` / `item_update` in one
transaction, so numbers, history and derived fields are those of items made by hand.

A job moves through `ImportJob.Status`: the upload stores the file and reads its sheets,
the mapping is guessed (and later changed by the user), the preview checks every row, and
the commit writes them all or nothing. Files of more than `BACKGROUND_ROWS` rows are
committed by a background task while the page polls `job_progress`.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import gzip
import hashlib
import json
import logging
import os
import re
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, cast

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from schakel.accounts.models import Membership, User
from schakel.core.importers import tabular
from schakel.core.importers.tabular import FieldKind, FieldSpec, ImportFileError, Table
from schakel.portfolio import access as portfolio_access
from schakel.portfolio.models import Project, Tag
from schakel.portfolio.services import tags_from_names

from . import access, services
from .models import (
    REGISTER_MODELS,
    Action,
    RegisterItem,
    RiskCategory,
    RiskScaleLevel,
    ScaleAxis,
)
from .models_import import RAID, ImportJob
from .registry import BY_KIND

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = tabular.DEFAULT_MAX_BYTES
MAX_ROWS = tabular.DEFAULT_MAX_ROWS
# Above this many rows a commit runs as a background task and the page shows progress.
BACKGROUND_ROWS = 500
PREVIEW_ROWS = 50
# How far down a sheet a header row is looked for (templates put titles above it).
HEADER_SEARCH_ROWS = 25
PROGRESS_EVERY = 50
# New items are written this many at a time (a lock, a numbering query and a few INSERTs
# each); the progress moves on after every batch.
WRITE_BATCH = 1000
# Problems kept with a job's preview to show (all are counted).
MAX_STORED_PROBLEMS = 5_000
TITLE_MAX = 300

Status = ImportJob.Status


# Fields --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportField:
    """One importable field of a register: how it is found, parsed and resolved.

    `key` is the model field (or "ref", "tags", "source" and the calculated columns of an
    export); `resolve` names how a parsed value becomes a model value. A `derived` field is
    recognised (so an export of ours maps completely) but not imported: it is calculated.
    """

    key: str
    label: Any
    kind: FieldKind = "text"
    resolve: str = "text"
    synonyms: tuple[str, ...] = ()
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()
    required: bool = False
    derived: bool = False

    def spec(self) -> FieldSpec:
        return FieldSpec(
            key=self.key,
            kind=self.kind,
            required=False,  # required values are checked here, per create or update row
            synonyms=list(self.synonyms),
            choices={value: list(names) for value, names in self.choices} or None,
        )


# The header names that mean each field, in English and Dutch, as PMO templates write them.
# One entry per line: "<register>.<field>  <how it is read>  names | names | ..."; a line
# that starts with spaces continues the one above; "*" means every register; "@due" and
# the like stand for the shared lists in MACROS. The model's verbose name (English and
# Dutch) and the labels of our own export are added to these in `fields_for`.
MACROS = {
    "@due": "Due | Due date | Deadline | Einddatum | Datum gereed | Uiterste datum | Vervaldatum",
    "@status": "Status | Current status | Huidige status | State | Stand | Toestand",
    "@priority": "Priority | Prioriteit | Prio",
}
HEADERS = """
*.ref                    ref         Ref | Ref. | Reference | Reference code | Code | Nummer
                         | Nr | Nr. | No | Referentie | Kenmerk | ID | Risk ID | Issue ID
                         | Assumption ID | Dep. ID | Dependency ID | Action ID | Decision ID
*.title                  text        Title | Titel | Name | Naam | Onderwerp | Subject | Summary
                         | Samenvatting | Korte omschrijving
*.description            text        Description | Omschrijving | Beschrijving | Toelichting
                         | Details | Description (If, then statement for risks)
                         | Risk Description | Risicobeschrijving | Issue Description
                         | Assumption Description | Dependency Description
                         | Action Description | Decision Description
*.owner                  person      Owner | Eigenaar | Actiehouder | Verantwoordelijke
                         | Risk owner | Risico-eigenaar | Risicoeigenaar | Assigned to
                         | Assigned to Owner | Toegewezen aan | Responsible | Houder | Wie | Who
*.status                 choice      @status
*.tags                   tags        Tags | Tag | Labels | Label | Trefwoorden
risk.title               text        Risk | Risico | Risk title | Risk name
issue.title              text        Issue | Issue title | Probleem | Knelpunt
assumption.title         text        Assumption | Aanname
dependency.title         text        Dependency | Afhankelijkheid
action.title             text        Action | Actie | Action item | Actiepunt | Wat | What
decision.title           text        Decision | Besluit | Beslissing
risk.nature              choice      Threat or opportunity | Threat/Opportunity | Nature
                         | Dreiging of kans | Aard
risk.category            category    Category | Categorie | Risk category | Risicocategorie
                         | Soort risico
risk.cause               text        Cause | Oorzaak | Trigger | Trigger / Cause | Aanleiding
risk.event               text        Event | Gebeurtenis | Risk event | Risicogebeurtenis
risk.effect              text        Effect | Gevolg | Gevolgen | Consequence | Consequentie
                         | Effect op project
risk.probability         scale       Probability | Kans | P | Likelihood | Waarschijnlijkheid
                         | Prob | Kans (1-5) | Probability (1-5)
risk.impact              scale       Impact | I | Impact (1-5) | Impact score | Ernst van het gevolg
risk.residual_probability  scale     Residual probability | Restkans | Residuele kans
                         | Residual P | Kans na maatregelen | Rest kans
risk.residual_impact     scale       Residual impact | Restimpact | Residuele impact
                         | Residual I | Impact na maatregelen | Rest impact | Restgevolg
risk.proximity           choice      Proximity | Nabijheid | Termijn
risk.response            choice      Response | Response strategy | Strategie
                         | Responsstrategie | Risicostrategie | Aanpak | Risk response
risk.response_plan       text        Response plan | Responsplan | Maatregelen
                         | Beheersmaatregelen | Maatregel | Mitigation | Mitigation plan
                         | Action Plan | Action Plan/Notes | Short Mitigation Brief
                         | Plan van aanpak | Mitigatie
risk.actionee            person      Actionee | Uitvoerder | Uitvoerende | Risk actionee
risk.review_date         date        Review date | Reviewdatum | Review | Beoordelingsdatum
                         | Herzieningsdatum | Next review | Volgende review | Datum review
                         | @due | Target date
issue.type               choice      Type | Issue type | Soort | Soort issue
issue.priority           choice      @priority
issue.severity           choice      Severity | Ernst | Impact | Zwaarte
issue.raised_by          person      Raised by | Gemeld door | Ingediend door | Melder
                         | Entered By | Reported by | Aangemeld door
issue.raised_on          date        Raised on | Date raised | Gemeld op | Datum gemeld
                         | Date Identified | Datum melding | Meldingsdatum
issue.target_date        date        Target date | Streefdatum | Doeldatum
                         | Expected Resolution Date | @due
issue.escalated_to       person      Escalated to | Geëscaleerd naar | Escalatie naar
issue.resolution         text        Resolution | Oplossing | Resolution Action
                         | Final Resolution and Rational | Afhandeling
issue.resolved_on        date        Resolved on | Opgelost op | Datum opgelost
                         | Actual Res. Date | Actual Resolution Date | Date closed
                         | Datum gesloten | Afgehandeld op
assumption.validate_by   date        Validate by | Te valideren voor | Valideren voor
                         | Valideren uiterlijk | Check by | @due
assumption.validated_on  date        Validated on | Gevalideerd op | Validation Date
                         | Validatiedatum | Datum gevalideerd
assumption.consequence   text        Consequence if invalid | Consequence
                         | Gevolg indien onjuist | Impact if Wrong | Impact if invalid
                         | Consequentie | Gevolgen
dependency.direction     choice      Direction | Richting
dependency.other_project project     Other project | Ander project | Andere project
                         | Dependent On | Depends on | Afhankelijk van | Related project
                         | Gerelateerd project
dependency.milestone     text        Our milestone | Onze mijlpaal | Milestone | Mijlpaal
dependency.other_milestone text      Their milestone | Hun mijlpaal | Other milestone
                         | Mijlpaal ander project
dependency.need_by       date        Needed by | Need by | Nodig op | Nodig voor | Required By
                         | Benodigd op | @due
action.priority          choice      @priority
action.due               date        @due | Gereed op | Uiterlijk | Streefdatum | Target date
                         | Opleverdatum
action.completed_on      date        Completed on | Afgerond op | Datum afgerond | Voltooid op
                         | Done on | Date closed
action.source            source      Source | Bron | Herkomst | Origin
decision.rationale       text        Rationale | Onderbouwing | Motivatie | Reason | Reden
decision.options         text        Options considered | Options | Opties | Overwogen opties
                         | Alternatives | Alternatieven
decision.impact          text        Impact | Gevolgen | Effect
decision.decided_by      decided_by  Decided by | Besloten door | Besluitnemer
                         | Decision maker | Genomen door
decision.forum           text        Forum | Gremium | Overleg | Board | Orgaan
decision.needed_by       date        Decision needed by | Needed by | Besluit nodig voor
                         | Nodig voor | @due
decision.decided_on      date        Decided on | Besloten op | Besluitdatum | Date of decision
                         | Decision date | Datum besluit
"""

# Extra spellings of choices, beyond the stored value and its English and Dutch labels:
# "<registers>.<field>.<value>  names | names"; "issue+action" applies to both.
CHOICE_NAMES = """
risk.status.open              Actief | Active | Lopend
risk.status.closed            Gesloten | Afgesloten | Vervallen | Inactive
risk.status.occurred          Opgetreden | Ingetreden | Realised | Realized | Materialised
risk.nature.threat            Dreiging | Bedreiging | Risk | Risico | Negative | Negatief
risk.nature.opportunity       Kans | Positive | Positief
risk.proximity.imminent       Direct | Nu | Acuut | Now
risk.proximity.month          Binnen een maand | Month | Maand | 1 month
risk.proximity.quarter        Binnen een kwartaal | Quarter | Kwartaal | 3 months
risk.proximity.year           Binnen een jaar | Year | Jaar | 12 months
risk.proximity.later          Later | Langer dan een jaar | Na een jaar | More than a year
risk.response.avoid           Vermijden | Voorkomen
risk.response.reduce          Verminderen | Reduceren | Beperken | Mitigate | Mitigeren
risk.response.fallback        Terugvallen | Terugvalplan | Contingency | Uitwijken
risk.response.transfer        Overdragen | Transfereren
risk.response.accept          Accepteren | Aanvaarden
risk.response.share           Delen
risk.response.exploit         Benutten | Exploiteren
risk.response.enhance         Versterken | Vergroten
risk.response.reject          Afwijzen | Laten lopen
issue.status.open             Nieuw | New
issue.status.in_progress      In behandeling | Bezig | Lopend | Onderhanden | Ongoing
issue.status.escalated        Geëscaleerd
issue.status.resolved         Opgelost | Fixed
issue.status.closed           Gesloten | Afgesloten | Afgehandeld
issue.type.change             RFC | Change request | Change | Wijzigingsverzoek | Wijziging
issue.type.off_spec           Off-spec | Afwijking | Afwijking van specificatie
issue.type.problem            Problem | Concern | Probleem | Zorg | Probleem of zorg | Issue
issue+action.priority.low     Laag | L
issue+action.priority.medium  Gemiddeld | Middel | Normaal | Normal | M
issue+action.priority.high    Hoog | H
issue+action.priority.critical  Kritiek | Kritisch | Urgent | Zeer hoog | Very high
issue.severity.minor          Klein | Gering | Low | Laag
issue.severity.significant    Aanzienlijk | Medium | Gemiddeld | Moderate
issue.severity.major          Groot | High | Hoog | Ernstig
issue.severity.critical       Kritiek | Kritisch | Very high | Zeer hoog
assumption.status.unvalidated  Niet gevalideerd | Ongevalideerd | Open | Te valideren
assumption.status.valid       Geldig | Juist | Bevestigd | Confirmed | Validated | Gevalideerd
assumption.status.invalid     Ongeldig | Onjuist | Niet juist | Wrong
dependency.status.open        Nieuw | New
dependency.status.at_risk     In gevaar | Bedreigd | Risico
dependency.status.delivered   Geleverd | Opgeleverd | Met
dependency.status.closed      Gesloten | Afgesloten
dependency.direction.inbound  Inbound | In | Inkomend | Wij zijn afhankelijk van hen
                              | Wij zijn afhankelijk | Afhankelijk van
dependency.direction.outbound  Outbound | Out | Uitgaand | Zij zijn afhankelijk van ons
action.status.open            Nieuw | New | To do | Todo | Te doen
action.status.in_progress     In behandeling | Bezig | Lopend | Onderhanden | Ongoing
action.status.done            Gereed | Klaar | Afgerond | Voltooid | Completed | Complete
                              | Closed
action.status.cancelled       Canceled | Geannuleerd | Vervallen
decision.status.proposed      Voorgesteld | Voorstel | Open | Pending | In afwachting
decision.status.approved      Goedgekeurd | Akkoord | Aangenomen | Besloten | Decided
decision.status.rejected      Afgewezen | Verworpen
decision.status.deferred      Uitgesteld | Aangehouden | Postponed
"""

# How each resolver's cells are parsed by the engine.
ENGINE_KIND: dict[str, FieldKind] = {
    "ref": "ref",
    "source": "ref",
    "text": "text",
    "category": "text",
    "project": "text",
    "scale": "text",
    "person": "person",
    "decided_by": "person",
    "choice": "choice",
    "date": "date",
    "tags": "list",
}


def _entries(table: str) -> list[tuple[str, str]]:
    """Split a catalogue into (first words, names) entries, joining continuation lines."""
    entries: list[list[str]] = []
    for line in table.splitlines():
        if not line.strip():
            continue
        if line[0].isspace() and entries:
            entries[-1][1] += " " + line.strip()
        else:
            head, rest = line.split(None, 1)
            entries.append([head, rest.strip()])
    return [(head, names) for head, names in entries]


def _names(text: str) -> tuple[str, ...]:
    expanded = " | ".join(MACROS.get(part.strip(), part.strip()) for part in text.split("|"))
    return tuple(name.strip() for name in expanded.split("|") if name.strip())


@cache
def _header_table() -> dict[str, list[tuple[str, str, tuple[str, ...]]]]:
    """Per register: (field key, resolver, header names), in the catalogue's order."""
    out: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {m.KIND: {} for m in REGISTER_MODELS}
    for head, rest in _entries(HEADERS):
        register, key = head.split(".")
        resolve, names = rest.split(None, 1)
        for kind in out if register == "*" else [register]:
            # A register may add names to a shared field ("Actie" is an action's title).
            before = out[kind].get(key, (resolve, ()))[1]
            out[kind][key] = (resolve, (*before, *_names(names)))
    return {
        kind: [(key, resolve, names) for key, (resolve, names) in fields.items()]
        for kind, fields in out.items()
    }


@cache
def _choice_table() -> dict[tuple[str, str, str], tuple[str, ...]]:
    """Extra spellings per (register, field, stored value)."""
    out: dict[tuple[str, str, str], tuple[str, ...]] = {}
    for head, names in _entries(CHOICE_NAMES):
        registers, key, value = head.split(".")
        for kind in registers.split("+"):
            out[(kind, key, value)] = _names(names)
    return out


# Columns an export of ours holds that are calculated, not entered: recognised, not imported.
DERIVED: dict[str, tuple[tuple[str, Promise, str], ...]] = {
    "risk": (
        (
            "score",
            gettext_lazy("Score (calculated, not imported)"),
            "Score | Inherent score | Risk score | Risicoscore | Exposure | Value | Risk Rating"
            " | Rating",
        ),
        (
            "residual_score",
            gettext_lazy("Residual score (calculated, not imported)"),
            "Residual | Residual score | Restscore | Restrisico",
        ),
        ("trend", gettext_lazy("Trend (calculated, not imported)"), "Trend"),
    ),
    # Where an item was born is recorded by the meeting, not typed into a sheet.
    "action": (("meeting", gettext_lazy("From meeting (not imported)"), "From meeting"),),
    "decision": (("meeting", gettext_lazy("From meeting (not imported)"), "From meeting"),),
}
PROJECT_COLUMN = ("project", gettext_lazy("Project (this project, not imported)"), "Project")

# The keys of our export's columns (`columns.COLUMNS`) that differ from the import field's.
EXPORT_KEYS = {"ends": "other_project"}

# Fields every new item needs besides its title (which may come from the description).
REQUIRED = {"risk": ("probability", "impact"), "dependency": ("other_project",)}

# Sheet names of a RAID workbook, in English and Dutch; then parts of names as hints.
SHEET_NAMES: dict[str, str] = {
    "risk": "Risks | Risk | Risico's | Risicos | Risico | Risk register | Risicoregister",
    "issue": "Issues | Issue | Issue register | Issue log | Issuelog | Problemen | Knelpunten",
    "assumption": "Assumptions | Assumption | Aannames | Aanname | Assumption log",
    "dependency": "Dependencies | Dependency | Afhankelijkheden | Afhankelijkheid",
    "action": "Actions | Action | Acties | Actie | Actielijst | Action log | Action items",
    "decision": "Decisions | Decision | Besluiten | Besluit | Besluitenlijst | Decision log",
}
SHEET_HINTS: tuple[tuple[str, str], ...] = (
    ("risic", "risk"),
    ("risk", "risk"),
    ("issue", "issue"),
    ("assum", "assumption"),
    ("aanname", "assumption"),
    ("depend", "dependency"),
    ("afhankelijk", "dependency"),
    ("actie", "action"),
    ("action", "action"),
    ("decision", "decision"),
    ("besluit", "decision"),
    ("beslis", "decision"),
)


def norm(text: Any) -> str:
    """Fold a header or name for comparison: case, accents and punctuation do not matter."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return "".join(c for c in folded if c.isalnum())


def _fold_words(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(folded.split())


def _in_languages(value: Any) -> list[str]:
    """A lazy label in English and in Dutch."""
    names = []
    for language in ("en", "nl"):
        with translation.override(language):
            names.append(str(value))
    return names


def _export_labels(kind: str) -> dict[str, list[str]]:
    """The column labels of our own export of a register, per field key, in both languages."""
    from .columns import COLUMNS, export_columns

    labels: dict[str, list[str]] = defaultdict(list)
    for language in ("en", "nl"):
        with translation.override(language):
            for column in export_columns(COLUMNS.get(kind, ())):
                labels[EXPORT_KEYS.get(column.key, column.key)].append(column.label)
    return labels


@cache
def fields_for(kind: str) -> tuple[ImportField, ...]:
    """The importable fields of a register (kind "risk", ...), in the order of the form."""
    model = access.MODELS_BY_KIND[kind]
    exported = _export_labels(kind)
    spellings = _choice_table()
    out: list[ImportField] = []
    for key, resolve, synonyms in _header_table()[kind]:
        names = list(synonyms) + exported.get(key, [])
        choices: tuple[tuple[str, tuple[str, ...]], ...] = ()
        if key == "ref":
            label: Any = gettext_lazy("Reference code")
        elif key == "tags":
            label = gettext_lazy("Tags")
        elif key == "source":
            label = gettext_lazy("Source (code of a risk, issue or decision)")
        else:
            model_field = _model_field(model, key)
            label = model_field.verbose_name
            names += _in_languages(model_field.verbose_name)
            if resolve == "choice":
                choices = tuple(
                    (
                        str(value),
                        (*_in_languages(text), *spellings.get((kind, key, str(value)), ())),
                    )
                    for value, text in getattr(model_field, "choices", None) or ()
                )
        out.append(
            ImportField(
                key=key,
                label=label,
                kind=ENGINE_KIND[resolve],
                resolve=resolve,
                synonyms=tuple(dict.fromkeys(names)),
                choices=choices,
                required=key in REQUIRED.get(kind, ()),
            )
        )
    for key, label, synonyms_text in (*DERIVED.get(kind, ()), PROJECT_COLUMN):
        names = list(_names(synonyms_text)) + exported.get(key, [])
        out.append(
            ImportField(key=key, label=label, synonyms=tuple(dict.fromkeys(names)), derived=True)
        )
    return tuple(out)


def _model_field(model: type[models.Model], key: str) -> models.Field[Any, Any]:
    """A concrete model field by name (the registers' importable fields are all concrete)."""
    return cast("models.Field[Any, Any]", model._meta.get_field(key))


def field_map(kind: str) -> dict[str, ImportField]:
    return {f.key: f for f in fields_for(kind)}


def kind_for_sheet(name: str) -> str | None:
    """The register a RAID workbook's sheet holds, from its name (English or Dutch)."""
    key = norm(name)
    for kind, names in SHEET_NAMES.items():
        if key in {norm(n) for n in _names(names)}:
            return kind
    for hint, kind in SHEET_HINTS:
        if hint in key:
            return kind
    return None


# Messages ------------------------------------------------------------------------------


def file_error_message(error: ImportFileError) -> str:
    """Say in the user's language what is wrong with an uploaded file."""
    params = error.params
    code = error.code
    if code == "too_large":
        return _("The file is %(size)s; files up to %(max)s can be imported.") % {
            "size": filesizeformat(params.get("size", 0)),
            "max": filesizeformat(params.get("max_bytes", MAX_UPLOAD_BYTES)),
        }
    if code == "empty":
        return _(
            "The file holds no rows to import: it needs a row of column names and at least "
            "one row below it."
        )
    if code == "xls_not_supported":
        return _(
            "This is an old Excel file (.xls). Open it in Excel, save it as an Excel workbook "
            "(.xlsx) or as CSV, and upload that."
        )
    if code == "encrypted":
        return _(
            "The file is protected with a password. Remove the password in Excel, save it "
            "and upload it again."
        )
    if code == "zip_bomb":
        return _("The file unpacks into far more data than a register holds, so it was refused.")
    if code == "corrupt":
        return _(
            "The file cannot be read; it may be damaged. Open it in Excel, save it again and "
            "upload that."
        )
    if code == "unsupported_format":
        return _("This is neither an Excel workbook (.xlsx) nor a CSV file.")
    if code == "too_many_rows":
        return _(
            "The sheet “%(sheet)s” has more than %(max)s rows. Split it into smaller files."
        ) % {
            "sheet": params.get("sheet", ""),
            "max": formats.number_format(params.get("max_rows", MAX_ROWS), force_grouping=True),
        }
    if code == "too_many_columns":
        return _("A row has more than %(max)s columns. Remove the columns you do not need.") % {
            "max": params.get("max_columns", tabular.MAX_COLUMNS)
        }
    if code == "sheet_not_found":
        return _("The workbook has no sheet called “%(sheet)s”.") % {
            "sheet": params.get("sheet", "")
        }
    return _("The file cannot be imported.")


def problem_message(problem: Mapping[str, Any], kind: str | None) -> str:
    """Say in the user's language what is wrong with one cell, row or column."""
    if problem.get("message"):
        return str(problem["message"])
    params = dict(problem.get("params") or {})
    code = problem.get("code", "")
    value = params.get("value", "")
    fields = field_map(kind) if kind else {}
    spec = fields.get(problem.get("field") or "")
    label = capfirst(str(spec.label)) if spec else ""
    if code == "required":
        return _("A value is needed here.")
    if code == "invalid_int":
        return _("“%(value)s” is not a whole number.") % {"value": value}
    if code == "invalid_decimal":
        return _("“%(value)s” is not a number.") % {"value": value}
    if code == "invalid_date":
        return _("“%(value)s” is not a date; write it as 31-12-2026 or 2026-12-31.") % {
            "value": value
        }
    if code == "invalid_bool":
        return _("“%(value)s” is neither yes nor no.") % {"value": value}
    if code == "invalid_choice":
        names = [_choice_label(kind, problem.get("field"), v) for v in params.get("allowed", [])]
        return _("“%(value)s” is not one of: %(allowed)s.") % {
            "value": value,
            "allowed": ", ".join(names),
        }
    if code == "unmapped_required":
        if problem.get("field") == "title":
            return _("No column holds the title (or a description to take it from).")
        return _("No column holds the %(field)s, which every new item needs.") % {
            "field": label.lower()
        }
    if code == "duplicate_mapping":
        return _("Several columns (%(columns)s) feed the same field: %(field)s.") % {
            "columns": ", ".join(f"“{c}”" for c in params.get("columns", [])),
            "field": label,
        }
    if code == "unknown_person":
        return _("Nobody called “%(value)s” works on this project (username, e-mail or name).") % {
            "value": value
        }
    if code == "ambiguous_person":
        return _(
            "More than one person is called “%(value)s”; use the username or e-mail address."
        ) % {"value": value}
    if code == "unknown_category":
        return _("“%(value)s” is not a risk category. Known categories: %(allowed)s.") % {
            "value": value,
            "allowed": ", ".join(params.get("allowed", [])),
        }
    if code == "unknown_project":
        return _("“%(value)s” is not the key of a project you can see.") % {"value": value}
    if code == "out_of_scale":
        return _("“%(value)s” is not on the %(axis)s scale (%(low)s to %(high)s).") % {
            "value": value,
            "axis": label.lower(),
            "low": params.get("low", 1),
            "high": params.get("high", 5),
        }
    if code == "unknown_ref":
        return _("“%(value)s” is not the code of a %(item)s in this project.") % {
            "value": value,
            "item": params.get("item", ""),
        }
    if code == "duplicate_ref":
        return _("“%(value)s” appears more than once; an item can be updated only once.") % {
            "value": value
        }
    if code == "unknown_source":
        return _("“%(value)s” is not the code of a risk, issue or decision you can see.") % {
            "value": value
        }
    if code == "no_sheet":
        return _("Choose the register of at least one sheet.")
    return _("This value cannot be imported.")


def _choice_label(kind: str | None, key: str | None, value: str) -> str:
    if not kind or not key:
        return value
    model = access.MODELS_BY_KIND[kind]
    try:
        choices = dict(_model_field(model, key).choices or ())
    except Exception:
        return value
    return str(choices.get(value, value))


# Reading the file ----------------------------------------------------------------------


def _read_tables(data: bytes, filename: str) -> list[Table]:
    return tabular.read_workbook(data, filename, max_bytes=MAX_UPLOAD_BYTES, max_rows=MAX_ROWS)


# The sheets as the upload read them are kept next to the file, as gzipped JSON, so that
# a new mapping and the commit check the very cells the preview showed without parsing the
# workbook again (the slowest part of a large file). They name the file they came from by
# its SHA-256; when they are missing, stale or unreadable the file is read again.
TABLES_FORMAT = 1


def tables_name(stored_name: str) -> str:
    """Where the tables read from the upload `stored_name` are kept."""
    return f"{stored_name}.tables.json.gz"


def _cell_to_json(value: Any) -> Any:
    # The cells JSON cannot hold as they are: Excel date cells (a datetime is also a date).
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    raise TypeError(f"a cell of type {type(value).__name__} cannot be stored")


def _cell_from_json(value: dict[str, Any]) -> Any:
    if len(value) == 1 and "datetime" in value:
        return datetime.datetime.fromisoformat(value["datetime"])
    if len(value) == 1 and "date" in value:
        return datetime.date.fromisoformat(value["date"])
    return value


def _save_tables(stored_name: str, data: bytes, tables: Sequence[Table]) -> None:
    """Keep the tables read from an upload next to it (see `TABLES_FORMAT`)."""
    content = {
        "format": TABLES_FORMAT,
        "sha256": hashlib.sha256(data).hexdigest(),
        "tables": [
            {
                "name": table.name,
                "headers": table.headers,
                "rows": table.rows,
                "first_row_number": table.first_row_number,
            }
            for table in tables
        ],
    }
    try:
        text = json.dumps(content, default=_cell_to_json, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError):
        logger.warning("The tables of %s cannot be kept; the commit reads the file", stored_name)
        return
    name = tables_name(stored_name)
    saved = default_storage.save(name, ContentFile(gzip.compress(text, compresslevel=1, mtime=0)))
    if saved != name:  # the storage chose another name: it would never be found
        default_storage.delete(saved)


def _load_tables(stored_name: str, data: bytes) -> list[Table] | None:
    """The tables kept for an upload, or None when there are none for exactly this file."""
    name = tables_name(stored_name)
    try:
        with default_storage.open(name, "rb") as handle:
            content = json.loads(gzip.decompress(handle.read()), object_hook=_cell_from_json)
        if content.get("format") != TABLES_FORMAT:
            return None
        if content.get("sha256") != hashlib.sha256(data).hexdigest():
            logger.warning("The tables kept for %s are of another file; reading it again", name)
            return None
        return [
            Table(
                name=table["name"],
                headers=table["headers"],
                rows=table["rows"],
                first_row_number=table["first_row_number"],
            )
            for table in content["tables"]
        ]
    except FileNotFoundError:
        return None
    except (OSError, EOFError, zlib.error, ValueError, TypeError, KeyError, AttributeError):
        logger.warning("The tables kept for %s cannot be read; reading the file again", name)
        return None


def _header_score(cells: Sequence[Any], names: set[str]) -> int:
    return sum(1 for cell in cells if isinstance(cell, str) and norm(cell) in names)


def _names_of(kind: str | None) -> set[str]:
    kinds = [kind] if kind else [m.KIND for m in REGISTER_MODELS]
    return {norm(name) for k in kinds for spec in fields_for(k) for name in spec.synonyms}


def find_header(table: Table, kind: str | None) -> int:
    """Where the column names are: -1 for the first row, else the index of a lower row.

    Templates put a title, a document-control block or KPI cards above the header; the
    row below them that names the most known fields is taken for the header.
    """
    names = _names_of(kind)
    best, best_at = _header_score(table.headers, names), -1
    for index, row in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        score = _header_score(row, names)
        if score > best and score >= 2:
            best, best_at = score, index
    return best_at


def with_header(table: Table, index: int) -> Table:
    """The table read with row `index` (of its data rows) as the header; -1 leaves it."""
    if index < 0:
        return table
    header = [("" if cell is None else str(cell)) for cell in table.rows[index]]
    return Table(
        name=table.name,
        headers=header,
        rows=table.rows[index + 1 :],
        first_row_number=table.first_row_number + index + 1,
    )


def _cell_text(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sample(table: Table, column: int) -> str:
    for row in table.rows[:200]:
        value = row[column] if column < len(row) else None
        if value is not None and str(value).strip():
            text = _cell_text(value)
            return text if len(text) <= 60 else text[:59] + "…"
    return ""


def _describe(table: Table, header: int) -> dict[str, Any]:
    shown = with_header(table, header)
    return {
        "name": table.name,
        "header": header,
        "header_row": shown.header_row_number,
        "headers": shown.headers,
        "samples": [_sample(shown, index) for index in range(len(shown.headers))],
        "rows": sum(1 for row in shown.rows if any(cell is not None for cell in row)),
    }


def _guess(headers: Sequence[str], kind: str) -> list[str | None]:
    specs = [f.spec() for f in fields_for(kind)]
    guessed = tabular.guess_mapping(headers, specs)
    return [guessed.get(index) for index in range(len(headers))]


# Jobs ----------------------------------------------------------------------------------


def job_start(
    *,
    user: Any,
    project: Project,
    kind: str,
    data: bytes,
    filename: str,
    update: bool = False,
) -> ImportJob:
    """Read an uploaded file, store it and guess its mapping; raise ImportFileError if bad.

    Nothing is stored for a file that cannot be read. The preview is computed at once, so
    the review page shows it without reading the file again.
    """
    if kind != RAID and kind not in access.MODELS_BY_KIND:
        raise ValueError(f"unknown register kind {kind!r}")
    tables = _read_tables(data, filename)
    if kind == RAID:
        chosen = [(table, kind_for_sheet(table.name)) for table in tables]
    else:
        # A workbook with a sheet per register (our RAID export, say): take the sheet of
        # the register chosen; otherwise the first sheet that holds data.
        named = [t for t in tables if kind_for_sheet(t.name) == kind]
        chosen = [(named[0] if named else tables[0], kind)]
    sheets, mappings = [], []
    for table, sheet_kind in chosen:
        description = _describe(table, find_header(table, sheet_kind))
        sheets.append(description)
        mappings.append(
            {
                "kind": sheet_kind,
                "columns": _guess(description["headers"], sheet_kind) if sheet_kind else [],
            }
        )
    stored = default_storage.save(ImportJob.new_stored_name(), ContentFile(data))
    _save_tables(stored, data, [table for table, _kind in chosen])
    job = ImportJob.objects.create(
        user=user,
        project=project,
        kind=kind,
        original_name=os.path.basename(filename)[:255] or "upload",
        stored_name=stored,
        size=len(data),
        options={"update": bool(update)},
        sheets=sheets,
        status=Status.UPLOADED,
    )
    job.mapping = {"sheets": mappings}
    job.status = Status.MAPPED
    job.save(update_fields=["mapping", "status", "updated_at"])
    # The preview checks the tables just read, rather than reading the stored file again.
    read = [
        with_header(table, description.get("header", -1))
        for (table, _kind), description in zip(chosen, sheets, strict=True)
    ]
    job_preview(job, tables=read)
    return job


def job_remap(
    *, job: ImportJob, sheets: Sequence[Mapping[str, Any]], update: bool | None = None
) -> ImportJob:
    """Change a job's mapping (and the update option), then check every row again.

    `sheets` holds per sheet its register `kind` and the field of each column; a sheet whose
    register changed gets a fresh guess, since the old fields do not apply.
    """
    if not job.can_change:
        raise ValidationError(_("This import has already run; upload the file again."))
    current = job.sheet_mappings()
    mappings = []
    for index, description in enumerate(job.sheets):
        wanted = sheets[index] if index < len(sheets) else {}
        before = current[index] if index < len(current) else {"kind": None, "columns": []}
        kind = wanted.get("kind", before.get("kind")) if job.is_raid else job.kind
        if kind not in access.MODELS_BY_KIND:
            kind = None
        if kind is None:
            columns: list[str | None] = []
        elif kind != before.get("kind"):
            columns = _guess(description["headers"], kind)
        else:
            keys = field_map(kind)
            given = list(wanted.get("columns", before.get("columns", [])))
            columns = [
                (given[i] if i < len(given) and given[i] in keys else None)
                for i in range(len(description["headers"]))
            ]
        mappings.append({"kind": kind, "columns": columns})
    job.mapping = {"sheets": mappings}
    if update is not None:
        job.options = {**job.options, "update": bool(update)}
    job.status = Status.MAPPED
    job.error = {}
    job.save(update_fields=["mapping", "options", "status", "error", "updated_at"])
    return job_preview(job)


def job_preview(job: ImportJob, *, tables: Sequence[Table] | None = None) -> ImportJob:
    """Check every row as the commit would and store the counts, errors and first rows."""
    plan = build_plan(job, tables)
    job.preview = plan.as_preview()
    job.rows_total = plan.total
    job.status = Status.PREVIEWED
    job.save(update_fields=["preview", "rows_total", "status", "updated_at"])
    return job


def job_for_user(user: Any, pk: Any) -> ImportJob:
    """Return the user's own import job, else 404 (nobody else sees it, whatever their role)."""
    try:
        job = ImportJob.objects.select_related("project__programme__portfolio").get(
            pk=int(pk), user_id=int(getattr(user, "pk", None) or 0)
        )
    except (ValueError, TypeError, ImportJob.DoesNotExist) as exc:
        raise Http404 from exc
    return job


def recent_jobs(user: Any, project: Project, limit: int = 5) -> list[ImportJob]:
    return list(ImportJob.objects.filter(user=user, project=project)[:limit])


def _file_bytes(job: ImportJob) -> bytes:
    with default_storage.open(job.stored_name, "rb") as handle:
        data: bytes = handle.read()
    return data


def job_tables(job: ImportJob) -> list[Table]:
    """The job's sheets as the upload read them, each with its header row.

    The tables kept with the upload are used when they are of this very file; else the
    stored file is read again.
    """
    data = _file_bytes(job)
    kept = _load_tables(job.stored_name, data)
    read = kept if kept is not None else _read_tables(data, job.original_name)
    tables = {t.name: t for t in read}
    out = []
    for description in job.sheets:
        table = tables.get(description["name"])
        if table is None:
            raise ImportFileError("sheet_not_found", {"sheet": description["name"]})
        out.append(with_header(table, description.get("header", -1)))
    return out


# Resolving values ----------------------------------------------------------------------


CODE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9]{1,9})-([A-Za-z])(\d{1,9})\s*$")
GENERIC_LEVELS = {
    # Words for a five-step scale whatever its labels say (templates use High/Medium/Low).
    1: ("very low", "zeer laag", "zeer klein", "vl", "rare", "zeldzaam"),
    2: ("low", "laag", "klein", "l", "unlikely", "onwaarschijnlijk"),
    3: ("medium", "gemiddeld", "middel", "matig", "m", "possible", "mogelijk"),
    4: ("high", "hoog", "groot", "h", "likely", "waarschijnlijk"),
    5: ("very high", "zeer hoog", "zeer groot", "vh", "almost certain", "bijna zeker"),
}


class Problem(Exception):
    """A value that cannot be imported, with a code and parameters for its message."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class Resolver:
    """Turn parsed cells into model values for one project, loading each lookup once."""

    def __init__(self, user: Any, project: Project) -> None:
        self.user = user
        self.project = project
        self._people: dict[str, list[User]] | None = None
        self._categories: dict[str, RiskCategory] | None = None
        self._category_names: list[str] = []
        self._projects: dict[str, list[Project]] | None = None
        self._levels: dict[str, dict[int, RiskScaleLevel]] | None = None
        self._level_names: dict[str, dict[str, int]] = {}
        self._items: dict[str, dict[int, RegisterItem]] = {}
        self._sources: dict[str, RegisterItem | None] = {}

    # People
    def people(self) -> dict[str, list[User]]:
        if self._people is None:
            project = self.project
            members = Membership.objects.filter(
                Q(project_id=project.pk)
                | Q(programme_id=project.programme_id)
                | Q(portfolio_id=project.programme.portfolio_id)
            ).values("user_id")
            users = User.objects.filter(Q(pk__in=members) | Q(is_superuser=True), is_active=True)
            index: dict[str, list[User]] = defaultdict(list)
            for person in users:
                keys = {person.username.casefold(), _fold_words(person.get_full_name())}
                if person.email:
                    keys.add(person.email.casefold())
                for key in keys - {""}:
                    index[key].append(person)
            self._people = dict(index)
        return self._people

    def person(self, text: str) -> User:
        text = text.strip()
        found = self.people().get(text.casefold()) or self.people().get(_fold_words(text))
        if not found:
            raise Problem("unknown_person", value=text)
        unique = {p.pk: p for p in found}
        if len(unique) > 1:
            raise Problem("ambiguous_person", value=text)
        return next(iter(unique.values()))

    # Risk categories
    def category(self, text: str) -> RiskCategory:
        if self._categories is None:
            self._categories = {}
            for category in RiskCategory.objects.filter(active=True):
                for name in (category.name_en, category.name_nl):
                    self._categories.setdefault(_fold_words(name), category)
                self._category_names.append(category.name)
        found = self._categories.get(_fold_words(text))
        if found is None:
            raise Problem("unknown_category", value=text, allowed=self._category_names)
        return found

    # Other projects (dependencies)
    def other_project(self, text: str) -> Project:
        if self._projects is None:
            index: dict[str, list[Project]] = defaultdict(list)
            for project in portfolio_access.visible_projects(self.user):
                index[project.key.casefold()].append(project)
                index[_fold_words(project.name)].append(project)
            self._projects = dict(index)
        # Our export writes both ends of a dependency: "ODI → CAR".
        value = re.split(r"\s*(?:→|->)\s*", text.strip())[-1].strip()
        found = self._projects.get(value.casefold()) or self._projects.get(_fold_words(value))
        if not found:
            # "CAR Care app" or "CAR – Care app": the key first.
            head = re.split(r"[\s–—:·-]+", value, maxsplit=1)[0]
            found = [p for p in self._projects.get(head.casefold(), []) if p.key == head.upper()]
        if not found or len({p.pk for p in found}) > 1:
            raise Problem("unknown_project", value=text)
        return found[0]

    # The risk scale
    def levels(self, axis: str) -> dict[int, RiskScaleLevel]:
        if self._levels is None:
            self._levels = {ScaleAxis.PROBABILITY: {}, ScaleAxis.IMPACT: {}}
            for level in RiskScaleLevel.objects.all():
                self._levels.setdefault(level.axis, {})[level.value] = level
            for name, levels in self._levels.items():
                names: dict[str, int] = {}
                if len(levels) == 5:
                    for value, words in GENERIC_LEVELS.items():
                        for word in words:
                            names[_fold_words(word)] = value
                for level in levels.values():
                    names[_fold_words(level.label_en)] = level.value
                    names[_fold_words(level.label_nl)] = level.value
                self._level_names[name] = names
        return self._levels.get(axis, {})

    def scale(self, key: str, text: str) -> int:
        axis = ScaleAxis.IMPACT if key.endswith("impact") else ScaleAxis.PROBABILITY
        levels = self.levels(axis)
        values = sorted(levels) or [1, 2, 3, 4, 5]
        low, high = values[0], values[-1]
        value = self._scale_value(axis, text.strip(), len(values))
        if value is None or (levels and value not in levels) or not low <= (value or 0) <= high:
            raise Problem("out_of_scale", value=text, low=low, high=high)
        return value

    def _scale_value(self, axis: str, text: str, steps: int) -> int | None:
        by_name = self._level_names.get(axis, {})
        if _fold_words(text) in by_name:
            return by_name[_fold_words(text)]
        # "3 – Medium", as the item form shows a level.
        match = re.match(r"^(\d+)(?:\s*[–—:-]\s*[^\d\s].*)?$", text)
        if match:
            return int(match.group(1))
        # A chance as a fraction (0.75) or a percentage (75%), as some templates hold it.
        percent = text.endswith("%")
        number_text = text.rstrip("%").strip().replace(",", ".")
        try:
            number = Decimal(number_text)
        except InvalidOperation:
            return None
        if percent:
            number = number / 100
        if 0 < number < 1 or (percent and number == 1):
            step = int((number * steps).to_integral_value(rounding="ROUND_CEILING"))
            return max(1, min(steps, step))
        if number == number.to_integral_value():
            return int(number)
        return None

    # Reference codes
    def item_by_ref(self, model: type[RegisterItem], text: str) -> RegisterItem:
        match = CODE.match(text)
        item = None
        if (
            match
            and match.group(1).upper() == self.project.key
            and (match.group(2).upper() == model.PREFIX)
        ):
            item = self.items(model).get(int(match.group(3)))
        if item is None:
            raise Problem("unknown_ref", value=text, item=str(model._meta.verbose_name))
        return item

    def preload_refs(self, model: type[RegisterItem], texts: Iterable[str]) -> None:
        numbers = set()
        for text in texts:
            match = CODE.match(text or "")
            if match and match.group(2).upper() == model.PREFIX:
                numbers.add(int(match.group(3)))
        items = self._items.setdefault(model.KIND, {})
        if numbers:
            for item in model.objects.filter(project=self.project, number__in=numbers):
                item.project = self.project
                items[item.number] = item

    def items(self, model: type[RegisterItem]) -> dict[int, RegisterItem]:
        return self._items.get(model.KIND, {})

    def source(self, text: str) -> RegisterItem:
        key = text.strip().upper()
        if key not in self._sources:
            self._sources[key] = self._find_source(key)
        found = self._sources[key]
        if found is None:
            raise Problem("unknown_source", value=text)
        return found

    def _find_source(self, code: str) -> RegisterItem | None:
        match = CODE.match(code)
        if not match:
            return None
        scope_key, prefix, number = match.group(1), match.group(2), int(match.group(3))
        for model in REGISTER_MODELS:
            if prefix == model.PREFIX and model is not Action:
                return (
                    access.visible_items(self.user, model)
                    .filter(Q(project__key=scope_key) | Q(programme__key=scope_key), number=number)
                    .first()
                )
        return None


# Planning the rows ---------------------------------------------------------------------


@dataclass
class PlannedRow:
    """One row ready to write: a new item's fields or an existing item's changes."""

    sheet: int
    number: int
    kind: str
    item: RegisterItem | None
    fields: dict[str, Any]
    tags: list[str] | None
    source: RegisterItem | None = None
    display: dict[str, str] = field(default_factory=dict)
    # A new item as checked (built from `fields`, not saved): the commit writes this one.
    candidate: RegisterItem | None = None


@dataclass
class Plan:
    """Every row of a job, checked: what to write and what is wrong."""

    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    sheets: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def error_rows(self) -> set[tuple[int, int]]:
        return {(p["sheet"], p["row"]) for p in self.problems if not p.get("header")}

    def as_preview(self) -> dict[str, Any]:
        bad = self.error_rows()
        return {
            "total": self.total,
            "error_rows": len(bad),
            "ready": self.total - len(bad),
            # Every problem counts; a file wrong on every row keeps the first ones to show.
            "problem_count": len(self.problems),
            "problems": self.problems[:MAX_STORED_PROBLEMS],
            "sheets": self.sheets,
            "creates": sum(1 for r in self.rows if r.item is None),
            "updates": sum(1 for r in self.rows if r.item is not None),
        }


def _problem(
    sheet: int,
    row: int,
    field_key: str | None,
    column: str,
    code: str,
    params: Mapping[str, Any] | None = None,
    *,
    message: str = "",
    header: bool = False,
    position: int = -1,
) -> dict[str, Any]:
    return {
        "sheet": sheet,
        "row": row,
        "field": field_key,
        "column": column,
        "position": position,
        "code": code,
        "params": {k: _jsonable(v) for k, v in (params or {}).items()},
        "message": message,
        "header": header,
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return str(value)


def build_plan(
    job: ImportJob, tables: Sequence[Table] | None = None, *, display: bool = True
) -> Plan:
    """Read the job's file, parse and resolve every row and check it with the model's rules.

    `display=False` leaves out the preview's text of each value (the commit needs none).
    """
    tables = list(tables) if tables is not None else job_tables(job)
    resolver = Resolver(job.user, job.project)
    plan = Plan()
    mappings = job.sheet_mappings()
    seen_refs: set[tuple[str, str]] = set()
    if not any(m.get("kind") for m in mappings):
        plan.problems.append(_problem(0, 0, None, "", "no_sheet", header=True))
    for index, table in enumerate(tables):
        mapping = mappings[index] if index < len(mappings) else {"kind": None, "columns": []}
        kind = mapping.get("kind")
        if not kind:
            plan.sheets.append({"kind": None, "fields": [], "rows": []})
            continue
        _plan_sheet(job, index, table, kind, mapping["columns"], resolver, plan, seen_refs, display)
    return plan


def _plan_sheet(
    job: ImportJob,
    sheet: int,
    table: Table,
    kind: str,
    columns: Sequence[str | None],
    resolver: Resolver,
    plan: Plan,
    seen_refs: set[tuple[str, str]],
    display: bool = True,
) -> None:
    model = access.MODELS_BY_KIND[kind]
    fields = field_map(kind)
    mapping = {i: key for i, key in enumerate(columns) if key in fields and i < len(table.headers)}
    parsed = tabular.parse_rows(table, mapping, [f.spec() for f in fields.values()])
    first_column = {key: i for i, key in sorted(mapping.items(), reverse=True)}
    header_row = table.header_row_number
    context = _SheetContext(
        job=job,
        sheet=sheet,
        kind=kind,
        model=model,
        fields=fields,
        mapped=set(mapping.values()),
        labels={key: table.headers[i] for key, i in first_column.items()},
        positions=first_column,
        resolver=resolver,
        seen_refs=seen_refs,
        relations={f.name for f in model._meta.get_fields() if f.is_relation or f.name == "number"},
        display=display,
    )

    errors_by_row: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows_by_number = {row.number: row for row in parsed.rows}
    for error in parsed.errors:
        if error.code == "invalid_date" and error.row in rows_by_number and error.field:
            short = _short_year_date(str(error.params.get("value", "")))
            if short is not None:
                rows_by_number[error.row].values[error.field] = short
                continue
        problem = _problem(
            sheet,
            error.row,
            error.field,
            context.label(error.field),
            error.code,
            error.params,
            header=error.row == header_row,
            position=context.position(error.field),
        )
        if error.row == header_row:
            plan.problems.append(problem)
        else:
            errors_by_row[error.row].append(problem)
    if not job.update_existing:
        for key in ("title", *REQUIRED.get(kind, ())):
            from_description = key == "title" and "description" in context.mapped
            if key not in context.mapped and not from_description:
                plan.problems.append(
                    _problem(sheet, header_row, key, "", "unmapped_required", header=True)
                )
    if job.update_existing and "ref" in context.mapped:
        resolver.preload_refs(model, (row.values.get("ref") or "" for row in parsed.rows))

    shown = [key for _, key in sorted(mapping.items()) if not fields[key].derived and key != "ref"]
    samples: list[dict[str, Any]] = []
    for parsed_row in parsed.rows:
        plan.total += 1
        # Only the first rows are shown, so only they need the text of each value.
        context.display = display and len(samples) < PREVIEW_ROWS
        problems = errors_by_row.get(parsed_row.number, [])
        planned = _plan_row(context, parsed_row, problems)
        # In the order people read the row: left to right, the row's own rules last.
        problems.sort(key=lambda p: p["position"] if p["position"] >= 0 else 10_000)
        plan.problems.extend(problems)
        if planned is not None and not problems:
            plan.rows.append(planned)
        if len(samples) < PREVIEW_ROWS:
            samples.append(
                {
                    "row": parsed_row.number,
                    "ref": planned.item.ref if planned and planned.item else "",
                    "cells": [planned.display.get(k, "") if planned else "" for k in shown],
                    "bad": bool(problems),
                }
            )
    plan.sheets.append({"kind": kind, "fields": shown, "rows": samples})


@dataclass
class _SheetContext:
    """What every row of one sheet is checked against."""

    job: ImportJob
    sheet: int
    kind: str
    model: type[RegisterItem]
    fields: dict[str, ImportField]
    mapped: set[str]
    labels: dict[str, str]
    positions: dict[str, int]
    resolver: Resolver
    seen_refs: set[tuple[str, str]]
    relations: set[str]
    display: bool = True  # write the preview's text of each value (of the rows shown)

    def label(self, key: str | None) -> str:
        return self.labels.get(key or "", "")

    def position(self, key: str | None) -> int:
        return self.positions.get(key or "", -1)


def _plan_row(
    context: _SheetContext, parsed_row: tabular.ParsedRow, problems: list[dict[str, Any]]
) -> PlannedRow | None:
    """Resolve one row's values and check it with the model's rules; add what is wrong."""
    model, fields, kind = context.model, context.fields, context.kind
    update_mode = context.job.update_existing
    values = parsed_row.values
    failed = {p["field"] for p in problems}

    def report(key: str | None, code: str, message: str = "", **params: Any) -> None:
        failed.add(key)
        problems.append(
            _problem(
                context.sheet,
                parsed_row.number,
                key,
                context.label(key),
                code,
                params,
                message=message,
                position=context.position(key),
            )
        )

    item: RegisterItem | None = None
    ref_text = values.get("ref")
    if update_mode and ref_text:
        try:
            item = context.resolver.item_by_ref(model, ref_text)
        except Problem as problem:
            report("ref", problem.code, **problem.params)
            return None
        if (kind, item.ref) in context.seen_refs:
            report("ref", "duplicate_ref", value=ref_text)
            return None
        context.seen_refs.add((kind, item.ref))
    creating = item is None

    changes: dict[str, Any] = {}
    display: dict[str, str] = {}
    tags: list[str] | None = None
    source: RegisterItem | None = None
    for key, value in values.items():
        spec = fields[key]
        if spec.derived or key == "ref":
            continue
        try:
            resolved = _resolve(spec, value, context.resolver)
        except Problem as problem:
            report(key, problem.code, **problem.params)
            continue
        if spec.resolve == "tags":
            tags = list(resolved)
            display[key] = ", ".join(tags)
        elif spec.resolve == "source":
            source = resolved
            display[key] = resolved.ref if resolved is not None else ""
        elif spec.resolve == "decided_by":
            person, forum = resolved
            changes["decided_by"] = person
            if forum and "forum" not in context.mapped:
                changes["forum"] = forum
                display["forum"] = forum
            names = ((person.display_name if person else ""), forum)
            display[key] = " · ".join(name for name in names if name)
        elif resolved in (None, "") and not _model_field(model, key).blank:
            # A value the model needs: an empty cell keeps the default (a new item) or the
            # current value (an update) when there is one, and is an error otherwise.
            if not _model_field(model, key).has_default() and key != "title":
                report(key, "required")
        else:
            if resolved is None and not _model_field(model, key).null:
                resolved = ""  # an empty text or choice is stored as ""
            changes[key] = resolved
            if context.display:
                display[key] = _display(model, key, resolved)

    if not changes.get("title") and "title" not in failed:
        if changes.get("description"):
            # Templates often have only a description: its first line becomes the title.
            changes["title"] = _title_from(changes["description"])
            display["title"] = changes["title"]
        elif (creating and update_mode) or "title" in context.mapped:
            report("title", "required")
    if creating and update_mode:
        for key in REQUIRED.get(kind, ()):
            if key not in changes and key not in failed:
                report(key, "required")

    candidate = _candidate(model, context.job.project, item, changes)
    # Only the values from the file are checked field by field (the rest are defaults or
    # already stored); the model's `clean()` rules always run on the whole item.
    unchecked = {f.name for f in model._meta.concrete_fields if f.name not in changes}
    try:
        candidate.full_clean(
            exclude=sorted(context.relations | unchecked | {k for k in failed if k}),
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            target = None if key == NON_FIELD_ERRORS else key
            if target in failed and target is not None:
                continue
            for message in messages:
                report(target if target in fields else None, "invalid", message=message)
    return PlannedRow(
        context.sheet,
        parsed_row.number,
        kind,
        item,
        changes,
        tags,
        source,
        display,
        candidate=candidate if creating else None,
    )


SHORT_YEAR_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2})$")


def _short_year_date(text: str) -> datetime.date | None:
    """Read 15/03/26 as 15 March 2026: some templates keep dates as text with two-digit years."""
    match = SHORT_YEAR_DATE.match(text.strip())
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return datetime.date(2000 + year, month, day)
    except ValueError:
        return None


def _title_from(description: str) -> str:
    first = next((line.strip() for line in description.splitlines() if line.strip()), "")
    if len(first) <= TITLE_MAX:
        return first
    return first[: TITLE_MAX - 1].rstrip() + "…"


def _resolve(spec: ImportField, value: Any, resolver: Resolver) -> Any:
    resolve = spec.resolve
    if resolve == "text":
        return "" if value is None else str(value)
    if resolve == "date":
        return value
    if resolve == "choice":
        return value
    if resolve == "tags":
        return value or []
    if value in (None, ""):
        return (None, "") if resolve == "decided_by" else None
    text = str(value)
    if resolve == "person":
        return resolver.person(text)
    if resolve == "category":
        return resolver.category(text)
    if resolve == "project":
        return resolver.other_project(text)
    if resolve == "scale":
        return resolver.scale(spec.key, text)
    if resolve == "source":
        return resolver.source(text)
    if resolve == "decided_by":
        # Our export writes "person · forum"; a lone name that is nobody is a forum.
        person_text, _sep, forum = (part.strip() for part in text.partition(" · "))
        try:
            return resolver.person(person_text), forum
        except Problem:
            if forum:
                raise
            return None, person_text
    raise ValueError(f"unknown resolver {resolve!r}")


def _candidate(
    model: type[RegisterItem], project: Project, item: RegisterItem | None, changes: dict[str, Any]
) -> RegisterItem:
    """The item as it would be saved, built without saving, for the model's checks."""
    if item is None:
        candidate = model(**changes)
        candidate.project = project
        return candidate
    values = {
        f.attname: getattr(item, f.attname)
        for f in model._meta.concrete_fields
        if not f.primary_key
    }
    candidate = model(**values)
    candidate.pk = item.pk
    candidate.project = project
    for key, value in changes.items():
        setattr(candidate, key, value)
    return candidate


def _display(model: type[RegisterItem], key: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, User):
        return str(value.display_name)
    if isinstance(value, Project):
        return f"{value.key} {value.name}"
    if isinstance(value, RiskCategory):
        return value.name
    if hasattr(value, "isoformat"):
        return str(formats.date_format(value, "SHORT_DATE_FORMAT"))
    model_field = _model_field(model, key)
    if getattr(model_field, "choices", None):
        return str(dict(model_field.choices or ()).get(value, value))  # type: ignore[arg-type]
    text = str(value)
    return text if len(text) <= 120 else text[:119] + "…"


# Committing ----------------------------------------------------------------------------


class ImportStopped(Exception):
    """The commit could not finish; nothing was written."""


def job_commit(job: ImportJob, *, background: bool | None = None) -> ImportJob:
    """Write the job's rows (all or nothing), now or, for a large file, in the background.

    Refused (a ValidationError) while the preview shows errors. Returns the job: done or
    failed when run now, running when queued.
    """
    if not job.can_change:
        raise ValidationError(_("This import has already run."))
    preview = job.preview or {}
    if preview.get("problem_count") or preview.get("problems") or not preview.get("total"):
        raise ValidationError(_("Fix the errors in the preview before importing."))
    if background is None:
        background = job.rows_total > BACKGROUND_ROWS
    claimed = ImportJob.objects.filter(pk=job.pk, status__in=[Status.PREVIEWED, Status.FAILED])
    if not claimed.update(status=Status.RUNNING, rows_done=0, error={}, updated_at=timezone.now()):
        raise ValidationError(_("This import is already running."))
    job.status = Status.RUNNING
    job.rows_done = 0
    if background:
        from .tasks import run_import

        _write_progress(job, 0, job.rows_total)
        result = run_import.enqueue(job.pk)
        ImportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(task_id=result.id)
        job.refresh_from_db()
        return job
    return job_run(job)


def job_run(job: ImportJob, *, progress: Callable[[int, int], None] | None = None) -> ImportJob:
    """Check and write every row of a claimed (running) job in one transaction.

    Any error, in the data or in the code, rolls everything back and marks the job failed
    with a message for the page; a success stores the counts and the new codes.
    """
    with _running_lock(job) as still_ours:
        if not still_ours:
            # Marked failed meanwhile (its worker was taken for dead): leave it to a restart.
            job.refresh_from_db()
            return job
        return _run_locked(job, progress)


def _run_locked(job: ImportJob, progress: Callable[[int, int], None] | None) -> ImportJob:
    started = timezone.now()
    try:
        if not access.can_contribute_to(job.user, job.project):
            raise ImportStopped(_("You may no longer add items to this project."))
        plan = build_plan(job, display=False)
        if not plan.ok:
            job.preview = build_plan(job).as_preview()
            job.save(update_fields=["preview", "updated_at"])
            raise ImportStopped(
                _(
                    "The rows changed since the preview (a person left the project, say): "
                    "check the preview again."
                )
            )
        total = len(plan.rows)
        report = progress or (lambda done, total: _write_progress(job, done, total))
        # The rows and the job's "done" in one transaction: a process killed at any moment
        # leaves either both or neither, never items behind a job that still says running.
        with transaction.atomic():
            result = _write(job, plan, lambda done: report(done, total))
            job.status = Status.DONE
            job.result = result
            job.rows_done = result["total"]
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "result", "rows_done", "finished_at", "updated_at"])
    except Exception as error:
        message = _failure_message(error)
        if not isinstance(error, ImportStopped | ValidationError):
            logger.exception("Import %s failed", job.pk)
        job.status = Status.FAILED
        job.result = {}
        job.error = {"message": message, **getattr(error, "where", {})}
        job.finished_at = timezone.now()
        job.rows_done = 0
        job.save(
            update_fields=["status", "result", "error", "finished_at", "rows_done", "updated_at"]
        )
        _clear_progress(job)
        return job
    logger.info("Import %s wrote %s rows in %s", job.pk, result["total"], job.finished_at - started)
    _clear_progress(job)
    default_storage.delete(job.stored_name)
    default_storage.delete(tables_name(job.stored_name))
    return job


def _failure_message(error: Exception) -> str:
    where = getattr(error, "where", None)
    if isinstance(error, ImportStopped):
        text = str(error)
    elif isinstance(error, ValidationError):
        text = " ".join(error.messages)
    elif isinstance(error, ImportFileError):
        text = file_error_message(error)
    else:
        text = _("Something went wrong while writing the items.")
    if where:
        text = _("Row %(row)s of “%(sheet)s”: %(text)s") % {**where, "text": text}
    return _("Nothing was imported. %(reason)s") % {"reason": text}


def _write(job: ImportJob, plan: Plan, progress: Callable[[int], None]) -> dict[str, Any]:
    created: Counter[str] = Counter()
    updated: Counter[str] = Counter()
    refs: dict[str, list[str]] = defaultdict(list)
    names = {n for row in plan.rows for n in (row.tags or [])}
    sheets = job.sheets
    with transaction.atomic():
        tag_objects = {t.name.casefold(): t for t in tags_from_names(sorted(names))}
        done = 0
        # Changes to existing items one by one (each checks and records its own change);
        # new items a register and a batch at a time, numbered in the file's order.
        new_rows: dict[str, list[PlannedRow]] = defaultdict(list)
        for row in plan.rows:
            if row.item is None:
                new_rows[row.kind].append(row)
                continue
            try:
                item = services.item_update(
                    item=row.item,
                    version=None,
                    by=job.user,
                    tags=_tags(row, tag_objects),
                    **row.fields,
                )
            except Exception as error:
                error.where = _where(row, sheets)  # type: ignore[attr-defined]
                raise
            updated[row.kind] += 1
            refs[row.kind].append(item.ref)
            done += 1
            if done % PROGRESS_EVERY == 0:
                progress(done)
        if done % PROGRESS_EVERY:
            progress(done)
        for kind, rows in new_rows.items():
            model = access.MODELS_BY_KIND[kind]
            for start in range(0, len(rows), WRITE_BATCH):
                batch = rows[start : start + WRITE_BATCH]
                items = services.items_create_bulk(
                    model=model,
                    scope=job.project,
                    by=job.user,
                    checked=True,  # build_plan ran the model's checks on every row just now
                    rows=[
                        services.BulkRow(
                            row.fields,
                            tags=_tags(row, tag_objects),
                            source=row.source if kind == "action" else None,
                            where=_where(row, sheets),
                            item=row.candidate,
                        )
                        for row in batch
                    ],
                )
                created[kind] += len(items)
                refs[kind] += [item.ref for item in items]
                done += len(batch)
                progress(done)
    return {
        "created": dict(created),
        "updated": dict(updated),
        "refs": {kind: codes[:200] for kind, codes in refs.items()},
        "total": len(plan.rows),
    }


def _where(row: PlannedRow, sheets: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Where a row is in the file, for an error message."""
    return {
        "row": row.number,
        "sheet": sheets[row.sheet]["name"] if row.sheet < len(sheets) else "",
    }


def _tags(row: PlannedRow, tag_objects: Mapping[str, Tag]) -> list[Tag] | None:
    if row.tags is None:
        return None
    return [tag_objects[n.casefold()] for n in row.tags if n.casefold() in tag_objects]


# Progress (outside the import's transaction, so another request can read it) -----------


def _progress_path(job: ImportJob) -> str | None:
    try:
        return str(default_storage.path(job.stored_name)) + ".progress"
    except NotImplementedError:  # a storage without local files: no live progress
        return None


def _write_progress(job: ImportJob, done: int, total: int) -> None:
    path = _progress_path(job)
    if path is None:
        return
    temporary = f"{path}.tmp"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(temporary, "w", encoding="ascii") as handle:
        handle.write(f"{done} {total}")
    os.replace(temporary, path)


def _clear_progress(job: ImportJob) -> None:
    path = _progress_path(job)
    if path and os.path.exists(path):
        os.remove(path)


def job_progress(job: ImportJob) -> tuple[int, int]:
    """Rows written so far and the rows in total, read live while the import runs."""
    if job.status != Status.RUNNING:
        return job.rows_done, job.rows_total
    path = _progress_path(job)
    try:
        with open(path or "", encoding="ascii") as handle:
            done, total = (int(part) for part in handle.read().split())
    except (OSError, ValueError):
        return 0, job.rows_total
    return done, total


def job_check_task(job: ImportJob) -> ImportJob:
    """Mark a running job failed when whatever ran it died without saying so.

    A task that failed says so. A worker or web process that was killed (SIGKILL, a crash,
    a restart) says nothing: its transaction is rolled back, so nothing was written, but the
    job would show "running" for ever. While a job runs, its process holds an exclusive lock
    on a file next to the upload (`_running_lock`); the operating system drops that lock
    when the process dies. So a job that is running, whose task is no longer waiting in the
    queue, and whose lock anyone can take, has no process left: it is marked failed, and
    the user starts it again from its page.
    """
    if job.status != Status.RUNNING:
        return job
    waiting = False
    if job.task_id:
        result = _task_result(job)
        if result is None:
            return job
        state = _task_state(result)
        if state.endswith("FAILED"):
            return _mark_stopped(job)
        waiting = state.endswith("READY")
        since = getattr(result, "started_at", None) or job.updated_at
    else:
        since = job.updated_at
    # A process that has just claimed the job takes its lock a moment later.
    if waiting or since is None or timezone.now() - since < LOCK_GRACE:
        return job
    with _free_lock(job) as free:
        if free:
            return _mark_stopped(job)
    return job


def job_waiting_for_worker(job: ImportJob) -> bool:
    """Queued for a while and not picked up: is `schakel worker` running?"""
    if job.status != Status.RUNNING or not job.task_id or job.updated_at is None:
        return False
    if timezone.now() - job.updated_at <= WAITING_TOO_LONG:
        return False
    result = _task_result(job)
    return result is not None and _task_state(result).endswith("READY")


def _task_result(job: ImportJob) -> Any:
    """The queue's record of the job's task; None when it is gone or cannot be read."""
    from .tasks import run_import

    try:
        return run_import.get_result(job.task_id)
    except Exception:  # the result was pruned, or the backend keeps none
        return None


def _task_state(result: Any) -> str:
    return str(getattr(result, "status", "")).upper()


def _mark_stopped(job: ImportJob) -> ImportJob:
    stopped = ImportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
        status=Status.FAILED,
        error={"message": _("Nothing was imported. The import stopped unexpectedly.")},
        finished_at=timezone.now(),
        rows_done=0,
        updated_at=timezone.now(),
    )
    if stopped:
        _clear_progress(job)
    job.refresh_from_db()
    return job


# Whether the process running a job is alive -----------------------------------------------

# How long after a job was claimed its process may take to lock it.
LOCK_GRACE = datetime.timedelta(seconds=30)
# A queued import that no worker picked up within this time is reported on its page.
WAITING_TOO_LONG = datetime.timedelta(seconds=20)


def _lock_path(job: ImportJob) -> str | None:
    try:
        return str(default_storage.path(job.stored_name)) + ".lock"
    except NotImplementedError:  # a storage without local files: no check
        return None


@contextlib.contextmanager
def _running_lock(job: ImportJob) -> Iterator[bool]:
    """Hold the job's lock while it runs; yield whether the job is still running (ours).

    The status is read after the lock is taken, so a job that `job_check_task` marked
    failed (while holding the lock itself) is never run as well.
    """
    path = _lock_path(job)
    handle = None
    if path is not None:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        handle = open(path, "a+b")  # noqa: SIM115 - held until the job ends
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
    try:
        yield ImportJob.objects.filter(pk=job.pk, status=Status.RUNNING).exists()
    finally:
        if handle is not None:
            # Removed while still held: whoever looks from now on finds no holder, which is
            # true once the job is done, failed or its process on its way out.
            with contextlib.suppress(OSError):
                os.remove(str(path))
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            handle.close()


@contextlib.contextmanager
def _free_lock(job: ImportJob) -> Iterator[bool]:
    """Take the job's lock if nobody holds it (yield True, holding it), else yield False."""
    path = _lock_path(job)
    if path is None:
        yield False
        return
    try:
        descriptor = os.open(path, os.O_RDWR)
    except FileNotFoundError:  # no process ever got as far as locking it
        yield True
        return
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


# Summaries for the page ----------------------------------------------------------------


def result_lines(job: ImportJob) -> list[dict[str, Any]]:
    """Per register: how many items were created and updated, for the summary."""
    lines = []
    created = job.result.get("created", {})
    updated = job.result.get("updated", {})
    for kind, register in BY_KIND.items():
        made, changed = created.get(kind, 0), updated.get(kind, 0)
        if not (made or changed):
            continue
        lines.append(
            {
                "register": register,
                "created": made,
                "updated": changed,
                "refs": job.result.get("refs", {}).get(kind, []),
                "text": _summary_text(register.model, made, changed),
            }
        )
    return lines


def _summary_text(model: type[models.Model], created: int, updated: int) -> str:
    name = model._meta.verbose_name_plural
    parts = []
    if created:
        parts.append(
            ngettext("%(count)s created", "%(count)s created", created) % {"count": created}
        )
    if updated:
        parts.append(
            ngettext("%(count)s updated", "%(count)s updated", updated) % {"count": updated}
        )
    return f"{capfirst(str(name))}: {', '.join(parts)}"


__all__ = [
    "BACKGROUND_ROWS",
    "MAX_UPLOAD_BYTES",
    "ImportField",
    "fields_for",
    "file_error_message",
    "job_commit",
    "job_for_user",
    "job_preview",
    "job_progress",
    "job_remap",
    "job_run",
    "job_start",
    "kind_for_sheet",
    "problem_message",
    "result_lines",
]
