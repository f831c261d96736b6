"""The demo jurisdiction: its catalog, boundaries, history and staff, loaded idempotently."""

import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from civicdesk.catalog.models import Department
from civicdesk.catalog.services import ImportSummary as CatalogSummary
from civicdesk.catalog.services import catalog_import
from civicdesk.geo.choices import AreaKind
from civicdesk.geo.services import (
    AddressImportSummary,
    address_import_openaddresses,
    area_dissolve_jurisdiction,
    area_import_geojson,
)
from civicdesk.geo.services import ImportSummary as GeoSummary
from civicdesk.knowledge.services.groups import EDITORS, PUBLISHERS, knowledge_groups_ensure
from civicdesk.routing.choices import TrainingSource
from civicdesk.routing.selectors import classifier_version_list, dataset_from_cases
from civicdesk.routing.services import classifier_train_and_save

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
DEMO_CATALOG = DEMO_DIR / "catalog.yaml"
DEMO_BOUNDARIES = DEMO_DIR / "boundaries" / "boston-neighborhoods.geojson"
DEMO_OPEN311_SAMPLE = DEMO_DIR / "data" / "boston-open311-sample.json.gz"
DEMO_ADDRESSES = DEMO_DIR / "data" / "boston-addresses.csv.gz"
DEMO_OPEN311_MAPPING = DEMO_DIR / "mappings" / "boston-open311.yaml"
DEMO_PASSWORD = "civicdesk-demo"  # noqa: S105 - printed to the person running the demo


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    superuser: bool
    groups: tuple[str, ...]


DEMO_ACCOUNTS = (
    DemoAccount("admin", "administrator", superuser=True, groups=()),
    DemoAccount(
        "supervisor", "contact-center supervisor", superuser=False, groups=("Supervisors",)
    ),
    DemoAccount("agent", "contact-center agent", superuser=False, groups=("Agents",)),
    DemoAccount("dpw", "Public Works staff", superuser=False, groups=("Department staff",)),
    DemoAccount("editor", "knowledge base editor", superuser=False, groups=(EDITORS,)),
    DemoAccount("publisher", "knowledge base publisher", superuser=False, groups=(PUBLISHERS,)),
)

GROUP_PERMISSIONS = {
    "Agents": [
        ("cases", "view_case"),
        ("cases", "add_case"),
        ("cases", "change_case"),
        ("cases", "view_casenote"),
        ("cases", "add_casenote"),
        ("cases", "view_caseevent"),
        ("cases", "view_attachment"),
        ("cases", "add_attachment"),
        ("contacts", "view_contact"),
        ("contacts", "add_contact"),
        ("people", "view_resident"),
        ("people", "view_contactpoint"),
        ("catalog", "view_servicetype"),
        ("catalog", "view_department"),
        ("catalog", "view_contactreason"),
        ("geo", "view_area"),
        # The triage queue: agents give a service type to contacts the classifier could not place.
        ("contacts", "change_contact"),
    ],
    "Department staff": [
        ("cases", "view_case"),
        ("cases", "change_case"),
        ("cases", "view_casenote"),
        ("cases", "add_casenote"),
        ("cases", "view_caseevent"),
        ("cases", "view_attachment"),
        ("catalog", "view_servicetype"),
        ("catalog", "view_department"),
        ("geo", "view_area"),
    ],
}
GROUP_PERMISSIONS["Supervisors"] = [
    *GROUP_PERMISSIONS["Agents"],
    ("catalog", "change_servicetype"),
    ("catalog", "change_department"),
    ("catalog", "add_contactreason"),
    ("catalog", "change_contactreason"),
    ("people", "change_resident"),
    ("people", "change_contactpoint"),
    ("catalog", "view_provider"),
    ("core", "view_failedtask"),
]


def demo_catalog_load() -> CatalogSummary:
    """Create or update the demo service catalog (idempotent by code)."""
    return catalog_import(data=yaml.safe_load(DEMO_CATALOG.read_text(encoding="utf-8")))


def demo_districts_load() -> GeoSummary:
    """Load the demo districts and make their union the jurisdiction boundary."""
    boundaries = json.loads(DEMO_BOUNDARIES.read_text(encoding="utf-8"))
    summary = area_import_geojson(data=boundaries, kind=AreaKind.DISTRICT)
    area_dissolve_jurisdiction(
        from_kind=AreaKind.DISTRICT, code="boston", name=settings.CIVICDESK_JURISDICTION_NAME
    )
    return summary


def demo_addresses_load() -> AddressImportSummary:
    """Load the demo address gazetteer (after the districts, so each address gets its own).

    Idempotent: a re-run finds every address unchanged and writes nothing.
    """
    return address_import_openaddresses(path=DEMO_ADDRESSES, source="boston-demo")


def demo_classifier_train() -> list[str]:
    """Train the text classifier on the demo's own cases (a couple of seconds), so service
    types are suggested from the start; kept as it is when any version exists already."""
    existing = classifier_version_list().first()
    if existing is not None:
        return [f"version {existing.number} exists, kept (`civicdesk routing train` retrains)"]
    version, outcome = classifier_train_and_save(
        dataset=dataset_from_cases(), source=TrainingSource.DATABASE
    )
    scores = outcome.metrics["model"]
    return [
        f"version {version.number}: {len(version.labels)} service types from "
        f"{outcome.metrics['refit_rows']:,} cases; macro-F1 {scores['macro_f1']:.3f} and "
        f"accuracy {scores['accuracy']:.3f} on the latest {scores['rows']:,}"
    ]


def demo_staff_ensure() -> list[tuple[DemoAccount, bool]]:
    """Create the demo groups and accounts; existing accounts keep their passwords."""
    user_model = get_user_model()
    results = []
    knowledge_groups_ensure()
    with transaction.atomic():
        for group_name, permissions in GROUP_PERMISSIONS.items():
            group, _ = Group.objects.get_or_create(name=group_name)
            group.permissions.set(
                [
                    Permission.objects.get(content_type__app_label=app, codename=codename)
                    for app, codename in permissions
                ]
            )
        for account in DEMO_ACCOUNTS:
            user, created = user_model.objects.get_or_create(
                username=account.username,
                defaults={
                    "is_staff": True,
                    "is_superuser": account.superuser,
                    "email": f"{account.username}@boston-demo.example",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.set(Group.objects.filter(name__in=account.groups))
            results.append((account, created))
        # Late and at-risk requests escalate to a named person in the demo, not to nobody.
        Department.objects.filter(supervisor=None).update(
            supervisor=user_model.objects.get(username="supervisor")
        )
    return results
