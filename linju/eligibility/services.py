"""Discovery over the registry (vectorised) and the self-check for one person (direct)."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require, require_personal_export
from linju.access.roles import is_platform_admin, is_town_cadre
from linju.access.scoping import towns_for_viewer
from linju.audit.events import residents_exported_event
from linju.cases.models import Case
from linju.catalog.models import ServiceItem
from linju.catalog.selectors import item_by_code
from linju.core import heartbeat
from linju.core.errors import DomainError, NotFound
from linju.core.pgcopy import insert_rows
from linju.core.replica import replica_reads
from linju.core.shared_cache import strict
from linju.core.xlsx import xlsx_bytes
from linju.geo.models import Bureau
from linju.geo.selectors import station_of, town_get
from linju.notify.sms import send_sms
from linju.people.models import Resident
from linju.people.phones import normalize_phone

from . import matches
from .matches import RuleMatches
from .models import DiscoveryList, DiscoveryRun
from .plain import Step, explain_plainly, step_items, step_of, steps_sentence
from .rules import Column, Explanation, ages_column, eligible_columns, explain, parse_rule
from .selectors import discovery_entries, facts_columns, finished_run, rules_in_force

if TYPE_CHECKING:
    from linju.accounts.models import User


def discovery_runs_fail_silent() -> int:
    """Runs whose worker died (linju/core/heartbeat.py) are failed, with a message for the page.
    No transaction: one UPDATE, from a periodic sweep and the page."""
    return heartbeat.fail_silent(
        DiscoveryRun,
        waiting=[DiscoveryRun.Status.QUEUED, DiscoveryRun.Status.RUNNING],
        failed=DiscoveryRun.Status.FAILED,
        error=heartbeat.silent_message()[:300],
    )


def _discovery_start(  # inside the caller's transaction
    *, actor: User, town_code: str | None = None, batch: uuid.UUID | None = None
) -> DiscoveryRun:
    """Queue a run over the viewer's towns (or one town); the huey job does the work. A durable
    transaction of its own (`discovery_start`): the page queues the job once it has returned, so
    after the run's row is committed."""
    require(actor, "discovery.run")
    town = towns_for_viewer(actor).filter(code=town_code).first() if town_code else None
    if town_code and town is None:
        raise DomainError(_("No such town among the towns you serve."), field="town_code")
    bureau_id = town.bureau_id if town else actor.bureau_id
    if bureau_id is None:
        raise DomainError(_("Choose a town: your account belongs to no bureau."), field="town_code")
    return _queued_run(bureau_id=bureau_id, started_by=actor, town=town, batch=batch)


# its own transaction; `discovery_fan_out` starts one inside its own, by `_discovery_start`
discovery_start = transaction.atomic(durable=True)(_discovery_start)


def _queued_run(*, bureau_id: int, started_by: User | None, town=None, batch=None, rules_total=None):
    return DiscoveryRun.objects.create(
        bureau_id=bureau_id,
        started_by=started_by,
        town=town,
        rules_total=rules_in_force().count() if rules_total is None else rules_total,
        batch=batch,
    )


@transaction.atomic(durable=True)
def discovery_fan_out(*, actor: User | None = None) -> list[DiscoveryRun]:
    """The runs for everything the starter may search, as separate jobs for the workers to share:
    one a bureau for the whole city (the `discover` command, or a platform administrator), one a
    town for a township cadre, one for a district's staff. Each reads only its own bureau's rows
    (or its town's), so no run waits for another and a city of 38 districts is 38 jobs. One durable
    transaction: every run or none; the jobs are queued by the caller once it has returned."""
    if actor is not None:
        require(actor, "discovery.run")
    batch, rules_total = uuid.uuid4(), rules_in_force().count()
    if actor is None or is_platform_admin(actor):
        scopes = [
            (bureau_id, None) for bureau_id in Bureau.objects.order_by("id").values_list("id", flat=True)
        ]
    elif is_town_cadre(actor):
        scopes = [(town.bureau_id, town) for town in towns_for_viewer(actor).order_by("code")]
    else:
        return [_discovery_start(actor=actor, batch=batch)]
    return [
        _queued_run(bureau_id=bureau_id, started_by=actor, town=town, batch=batch, rules_total=rules_total)
        for bureau_id, town in scopes
    ]


def discovery_execute(
    *, run: DiscoveryRun, today: datetime.date | None = None, progress=None
) -> DiscoveryRun:
    """Evaluate every rule in force over the residents in scope; store who qualifies and has
    neither a case for the item nor (by the rule itself) an enrolment. Not one transaction: the huey
    job commits the run's progress after each rule, for the page to show; the lists are one INSERT
    at the end, so a run that fails leaves none."""
    today = today or timezone.localdate()
    run.status = DiscoveryRun.Status.RUNNING
    run.save(update_fields=["status", "updated_at"])
    try:
        residents = Resident.objects.filter(bureau_id=run.bureau_id)  # one bureau's registry a run
        if run.started_by is not None:
            residents = residents.visible_to(run.started_by)
        if run.town_id:
            residents = residents.filter(village__town_id=run.town_id)
        with replica_reads():  # the registry as of a moment ago is fine for a list to go out with
            ids, villages, columns = facts_columns(residents, bureau_id=run.bureau_id)
        run.residents = len(ids)
        rules = list(rules_in_force(today))
        run.rules_total = len(rules)
        total, lists = 0, []
        memo: dict = {}  # age(), `age() < 60` and the like, computed once for all the rules
        offered: list[RuleMatches] = []  # the matches of rules the bureau offers (linju.offers)
        for index, rule in enumerate(rules, start=1):
            parsed = parse_rule(rule.expression)
            eligible = eligible_columns(parsed, columns, today, memo)
            chosen = np.flatnonzero(eligible)
            if rule.offered:
                offered.append(_rule_matches(rule, parsed, chosen, ids, villages, columns, today))
            # people who already have a case for the item: cases are few next to residents, so
            # one look-up per rule by item (not by a huge list of resident ids), then numpy
            applied = np.fromiter(
                Case.objects.filter(bureau_id=run.bureau_id, item=rule.item)
                .values_list("applicant_id", flat=True)
                .distinct(),
                dtype=np.int64,
            )
            keep = chosen[~np.isin(ids[chosen], applied)]
            lists += _village_lists(rule.item_id, ids[keep], villages[keep])
            total += len(keep)
            run.rules_done = index
            run.hits = total
            run.save(update_fields=["rules_done", "hits", "residents", "rules_total", "updated_at"])
            if progress:
                progress(index, len(rules), rule.item.code, len(keep))
        # all the lists at once, when every rule has run: a run that fails leaves none behind
        insert_rows(
            DiscoveryList,
            ["bureau", "run", "item", "village", "packed_ids", "size"],
            [(run.bureau_id, run.pk, *row) for row in lists],
        )
        matches.run_matched(run, offered, today)  # the offers made from it (registered by linju.offers)
        run.status = DiscoveryRun.Status.DONE
    except Exception as error:  # recorded on the run for the page; the job itself re-raises
        run.status, run.error = DiscoveryRun.Status.FAILED, str(error)[:300]
        run.save(update_fields=["status", "error", "updated_at"])
        raise
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at", "updated_at"])
    return run


def _rule_matches(
    rule, parsed, chosen: np.ndarray, ids: np.ndarray, villages: np.ndarray, columns: dict, today
) -> RuleMatches:
    """Whom an offered rule matched (every match: whether to offer is the offers' to decide), with
    the facts it read at those rows; the birth date only as the age."""
    return RuleMatches(
        rule=rule,
        resident_ids=ids[chosen],
        village_ids=villages[chosen],
        facts={
            name: Column(columns[name].values[chosen], columns[name].known[chosen], columns[name].words)
            for name in sorted(parsed.facts_used() - {"birth_date"})
        },
        ages=(
            ages_column(
                Column(columns["birth_date"].values[chosen], columns["birth_date"].known[chosen]), today
            )
            if matches.uses_age(parsed)
            else None
        ),
    )


def _village_lists(item_id: int, residents: np.ndarray, villages: np.ndarray) -> list[tuple]:
    """One list per village for this rule's item, as rows for DiscoveryList (item, village, ids,
    size): group the ids by village with numpy (lexsort keeps them ascending within a village)."""
    if not len(residents):
        return []
    order = np.lexsort((residents, villages))
    residents, villages = residents[order], villages[order]
    starts = np.flatnonzero(np.r_[True, villages[1:] != villages[:-1]])
    ends = np.r_[starts[1:], len(villages)]
    return [
        (item_id, int(villages[start]), DiscoveryList.pack(residents[start:end]), int(end - start))
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True)
    ]


@dataclass(frozen=True)
class SelfCheckAnswer:
    item: ServiceItem
    eligible: bool | None  # once the steps are taken, when there are any
    met: list[str]
    not_met: list[str]
    unknown: list[str]
    steps: list[Step] = field(default_factory=list)  # in the rule's order; empty: nothing to do first
    steps_sentence: str = ""  # "您可以:先办失业登记,再办理失业保险金申领。" (empty: nothing first)


def facts_from_answers(answers: dict, today: datetime.date) -> dict:
    """A person's facts from the self-check's plain answers: an age, months since the job was lost,
    a hardship "recently", as the dates the rules read."""
    facts = dict(answers)
    age = facts.pop("age", None)
    if age is not None:
        if not 0 <= age <= 120:
            raise DomainError(_("Enter an age between 0 and 120."), field="age")
        # the day of a birthday exactly `age` years ago (29 February falls back to the 28th)
        day = today.replace(day=28) if (today.month, today.day) == (2, 29) else today
        facts["birth_date"] = day.replace(year=today.year - age)
    months = facts.pop("months_since_job_loss", None)
    if months is not None:
        facts["job_lost_on"] = today - datetime.timedelta(days=int(months) * 30 + 1)
    if facts.pop("hardship_recently", None):
        facts["hardship_on"] = today - datetime.timedelta(days=15)
    return facts


def _item_names(codes: list[str]) -> dict[str, str]:
    """The names of the items that do a rule's steps, from the held catalogue (no query)."""
    names = {}
    for code in codes:
        try:
            names[code] = item_by_code(code=code).name
        except NotFound:  # an item retired since: the step's own words still say what to do
            continue
    return names


def self_check(*, answers: dict, today: datetime.date | None = None) -> list[SelfCheckAnswer]:
    """What a person may apply for, from a few plain answers. Nothing is stored.

    A condition marked as a step (registering, enrolling, bringing a paper) that is not met yet
    does not hide the item: it is listed with the steps to take first."""
    today = today or timezone.localdate()
    facts = facts_from_answers(answers, today)
    results = []
    # the page and the API list each item's materials: read with the rules, not once an item
    for rule in rules_in_force(today).prefetch_related("item__materials"):
        parsed = parse_rule(rule.expression)
        if rule.plain:
            outcome = explain_plainly(
                parsed, rule.plain, facts, today, item_names=_item_names(step_items(rule.plain))
            )
            eligible, steps = outcome.after_steps, outcome.steps
        else:  # a rule saved before it had sentences: its own description, never the formula
            whole = explain(parsed, facts, today)
            outcome = Explanation(
                whole.eligible,
                [rule.description] if whole.eligible else [],
                [],
                [str(_("Ask your town's station whether you meet: %(rule)s") % {"rule": rule.description})]
                if whole.eligible is None
                else [],
            )
            eligible, steps = whole.eligible, []
        if eligible is not False:
            results.append(
                SelfCheckAnswer(
                    rule.item,
                    eligible,
                    outcome.met,
                    outcome.not_met,
                    outcome.unknown,
                    steps,
                    steps_sentence(steps, rule.item.name) if steps else "",
                )
            )

    # qualifying now first, then a step away, then those we need to know more about; within each,
    # the rules with the most conditions met (the most specific)
    def rank(answer: SelfCheckAnswer) -> tuple:
        group = 2 if answer.eligible is not True else 1 if answer.steps else 0
        return group, -len(answer.met), answer.item.code

    return sorted(results, key=rank)


SELF_CHECK_TEXTS_PER_PHONE_A_DAY = 3


def _steps_by_item(step_keys: list[str], item_codes: list[str]) -> dict[str, list[str]]:
    """The steps the page showed, as "UI-002:3" (the item, the number of its rule's condition), in
    words: only a condition the rule in force marks as a step is taken, so a text says nothing a
    rule does not."""
    wanted: dict[str, list[int]] = {}
    for key in step_keys:
        code, _colon, number = key.partition(":")
        if code not in item_codes or not (number.isascii() and number.isdigit() and len(number) <= 2):
            raise DomainError(_("Check first, then send what was found."), field="steps")
        wanted.setdefault(code, []).append(int(number))
    words: dict[str, list[str]] = {}
    for rule in rules_in_force().filter(item__code__in=list(wanted)):
        for number in sorted(set(wanted.pop(rule.item.code, []))):
            entry = rule.plain[number - 1] if 0 < number <= len(rule.plain or []) else {}
            if "step" not in entry:
                raise DomainError(_("Check first, then send what was found."), field="steps")
            words.setdefault(rule.item.code, []).append(step_of(entry, number, {}).text)
    if wanted:  # an item with no rule in force
        raise DomainError(_("Check first, then send what was found."), field="steps")
    return words


def self_check_text(*, phone: str, town_code: str, item_codes: list[str], step_keys: list[str] = ()) -> str:
    """Send the items a self-check found to the resident's own phone, with the steps to take first
    and the station of their town to ask. Only what the page showed (item names, steps, a station,
    a link): no answer of theirs is kept or sent. A phone gets at most three such texts a day,
    whoever asks. No transaction: it writes only the text, claimed in the outbox by itself."""
    number = normalize_phone(phone)
    if "-" in number:
        raise DomainError(_("A landline cannot receive texts: enter a mobile number."), field="phone")
    town = town_get(code=town_code)
    codes = list(dict.fromkeys(item_codes))
    names = []
    for code in codes:
        try:
            names.append(item_by_code(code=code).name)
        except NotFound:
            raise DomainError(_("Check first, then send what was found."), field="items") from None
    key = f"linju:self-check-text:{number}:{timezone.localdate()}"
    with translation.override("zh-hans"):
        steps = _steps_by_item(list(step_keys), codes)
        # strict: a phone's count that cannot be read refuses the text (503), never sends it unguarded
        if strict("get_or_set", key, 0, 24 * 3600) >= SELF_CHECK_TEXTS_PER_PHONE_A_DAY:
            raise DomainError(
                _("This phone has had three such texts today; try again tomorrow."),
                code="rate_limited",
                field="phone",
            )
        strict("incr", key)
        station = station_of(town_id=town.pk)
        where = f"{station.name} {station.phone}" if station else town.name
        items = [
            str(
                _("%(item)s (first %(steps)s)") % {"item": name, "steps": str(_(", then ")).join(steps[code])}
            )
            if code in steps
            else name
            for code, name in zip(codes, names, strict=True)
        ]
        values = {
            "items": "、".join(items),
            "where": where,
            "url": f"{settings.LINJU_PUBLIC_URL}/self-check/",
        }
        text = (
            str(
                _(
                    "[Qijiang HRSS] You may be able to apply for: %(items)s. Bring your ID card and ask at "
                    "%(where)s or a market-day booth. Details: %(url)s"
                )
            )
            % values
        )
    send_sms(bureau_id=town.bureau_id, phone=number, text=text, purpose="self_check", params=values)
    return text


def discovery_export_job(viewer: User, params: dict, context) -> tuple[bytes, int]:
    """The export job's builder (linju/audit/exports.py): one finished run's lists, one village."""
    run = finished_run(viewer=viewer, run_id=params.get("run", ""))
    if run is None:
        raise NotFound(_("No finished run to export."))
    content, count = discovery_export_audited(
        viewer=viewer, run=run, village_code=params.get("village") or None, context=context
    )
    return content, count


# no transaction: its one write is the audit row, a single INSERT
@replica_reads()  # read, then the audit record is written (on the primary) before the file leaves
def discovery_export_audited(
    *, viewer: User, run: DiscoveryRun, village_code: str | None, context
) -> tuple[bytes, int]:
    """The list as a spreadsheet (ID numbers masked); the export is recorded."""
    require_personal_export(viewer)
    content, count = xlsx_bytes(
        sheet=_("Discovery"),
        header=(_("Village"), _("Name"), _("ID number"), _("Service item")),
        rows=(
            (
                f"{entry.village.town.name}{entry.village.name}",
                entry.resident.name,
                entry.resident.masked_id_number,
                entry.item.name,
            )
            for entry in discovery_entries(viewer=viewer, run=run, village_code=village_code)
        ),
    )
    residents_exported_event(
        actor=viewer,
        count=count,
        filters={"discovery_run": run.pk, "village": village_code or ""},
        file_format="xlsx",
        context=context,
    )
    return content, count
