"""Department rules: which department works a new request, and the sentence that says why.

The most specific active rule that matches wins: service type, district and out of hours, then
service type and district, service type and out of hours, service type, district and out of
hours, district, out of hours alone; without a match the service type's default department
works the request. Equally specific rules go by `priority`, then by age.

The rules are held per process and rebuilt when the catalog revision moves, which every rule
write here does, so routing a request costs no query on most calls and none at all for the
business calendar unless an out-of-hours rule could apply.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from civicdesk.catalog.cache import catalog_changed
from civicdesk.catalog.models import Department, ServiceType
from civicdesk.catalog.sla import sla_calendar
from civicdesk.core.revisions import CATALOG, RevisionMemo
from civicdesk.geo.models import Area
from civicdesk.routing.models import RoutingRule

# (service type id, district id, out of hours) to that key's active rules, best first.
_Key = tuple[int | None, int | None, bool]
_Index = dict[_Key, tuple[RoutingRule, ...]]


@dataclass(frozen=True)
class Route:
    """Where a new request goes: the department, the rule that sent it there (None for the
    service type's default department), and why, in the active language."""

    department: Department
    rule: RoutingRule | None
    service_type: ServiceType

    @property
    def explanation(self) -> str:
        return route_explain(self)

    def explanation_stored(self) -> str:
        """The explanation in the site's language, as it is kept on the case for every reader."""
        with translation.override(settings.LANGUAGE_CODE):
            return route_explain(self)


def _load() -> _Index:
    index: dict[_Key, list[RoutingRule]] = {}
    rules = RoutingRule.objects.filter(is_active=True, department__is_active=True).select_related(
        "service_type", "district", "department"
    )
    for rule in rules.order_by("priority", "id"):
        key = (rule.service_type_id, rule.district_id, rule.out_of_hours)
        index.setdefault(key, []).append(rule)
    return {key: tuple(found) for key, found in index.items()}


_rules = RevisionMemo(
    CATALOG,
    _load,
    check_seconds=lambda: float(getattr(settings, "CIVICDESK_CATALOG_CACHE_CHECK_SECONDS", 2.0)),
)


def _candidate_keys(service_type_id: int, district_id: int | None) -> list[_Key]:
    """The rule keys that could match, most specific first."""
    keys: list[_Key] = []
    if district_id is not None:
        keys += [(service_type_id, district_id, True), (service_type_id, district_id, False)]
    keys += [(service_type_id, None, True), (service_type_id, None, False)]
    if district_id is not None:
        keys += [(None, district_id, True), (None, district_id, False)]
    keys.append((None, None, True))
    return keys


def is_out_of_hours(*, service_type: ServiceType, at: dt.datetime) -> bool:
    """Whether `at` falls outside the working hours of the service type's business calendar
    (its own, else its default department's, else the default one); holidays and days without
    hours are out of hours."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("at must be timezone-aware.")
    calendar = sla_calendar(service_type=service_type)
    window = calendar.window(at.astimezone(calendar.timezone).date())
    return window is None or not (window[0] <= at < window[1])


def department_route(*, service_type: ServiceType, district: Area | None, at: dt.datetime) -> Route:
    """The department that works a request of this service type, in this district (None when
    the request has no district), arriving at `at` (aware)."""
    index = _rules.get()
    if index:
        out_of_hours: bool | None = None
        for key in _candidate_keys(service_type.pk, district.pk if district else None):
            rules = index.get(key)
            if not rules:
                continue
            if key[2]:
                if out_of_hours is None:
                    out_of_hours = is_out_of_hours(service_type=service_type, at=at)
                if not out_of_hours:
                    continue
            rule = rules[0]
            return Route(department=rule.department, rule=rule, service_type=service_type)
    return Route(department=service_type.default_department, rule=None, service_type=service_type)


def route_explain(route: Route) -> str:
    """Why the request went where it did, in the active language."""
    department = route.department.display_name
    rule = route.rule
    if rule is None:
        return _("Routed to %(department)s, the service's default department.") % {
            "department": department
        }
    values = {
        "department": department,
        "service": rule.service_type.display_name if rule.service_type else "",
        "district": rule.district.name if rule.district else "",
    }
    messages = {
        (True, True, True): _(
            "Routed to %(department)s because service=%(service)s, district=%(district)s "
            "and the request came in out of hours."
        ),
        (True, True, False): _(
            "Routed to %(department)s because service=%(service)s and district=%(district)s."
        ),
        (True, False, True): _(
            "Routed to %(department)s because service=%(service)s and the request came in "
            "out of hours."
        ),
        (True, False, False): _("Routed to %(department)s because service=%(service)s."),
        (False, True, True): _(
            "Routed to %(department)s because district=%(district)s and the request came in "
            "out of hours."
        ),
        (False, True, False): _("Routed to %(department)s because district=%(district)s."),
        (False, False, True): _(
            "Routed to %(department)s because the request came in out of hours."
        ),
    }
    shape = (rule.service_type_id is not None, rule.district_id is not None, rule.out_of_hours)
    return messages[shape] % values


def routing_rule_save(*, rule: RoutingRule) -> RoutingRule:
    """Create or change a department rule; every process routes by it from its next check."""
    with transaction.atomic():
        rule.full_clean()
        rule.save()
        _rules_changed()
    return rule


def routing_rule_delete(*, rule: RoutingRule) -> None:
    """Remove a department rule; requests it caught go to the next matching rule."""
    with transaction.atomic():
        rule.delete()
        _rules_changed()


def _rules_changed() -> None:
    catalog_changed()
    _rules.clear()
    transaction.on_commit(_rules.clear)


def routing_rules_cache_clear() -> None:
    """Forget this process's copy of the rules (tests roll back the rows it was built from)."""
    _rules.clear()
