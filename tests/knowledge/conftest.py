from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group, User

from civicdesk.catalog.models import Department, ServiceType
from civicdesk.knowledge.choices import ArticleStatus
from civicdesk.knowledge.models import Article, Topic
from civicdesk.knowledge.services import article_create, article_translate
from civicdesk.knowledge.services.groups import EDITORS, PUBLISHERS, knowledge_groups_ensure


@pytest.fixture
def department(db: None) -> Department:
    return Department.objects.create(
        code="sanitation",
        name="Waste Reduction and Sanitation",
        name_es="Reducción de Residuos y Saneamiento",
        email="sanitation@city.example",
        phone="617-555-0103",
        hours="Mon-Fri 7:00 a.m.-4:00 p.m.",
    )


@pytest.fixture
def other_department(db: None) -> Department:
    return Department.objects.create(
        code="parks", name="Parks", phone="617-555-0104", email="parks@city.example"
    )


@pytest.fixture
def missed_trash(department: Department) -> ServiceType:
    return ServiceType.objects.create(
        code="missed-trash",
        name="Missed trash pickup",
        name_es="Basura no recogida",
        default_department=department,
    )


@pytest.fixture
def topic(db: None) -> Topic:
    return Topic.objects.create(
        slug="trash", name="Trash and recycling", name_es="Basura y reciclaje"
    )


@pytest.fixture
def groups(db: None) -> None:
    knowledge_groups_ensure()


def _user(username: str, group: str | None) -> User:
    user = User.objects.create_user(username=username, password="x", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return User.objects.get(pk=user.pk)  # a fresh instance: permission caches start empty


@pytest.fixture
def editor(groups: None) -> User:
    return _user("editor", EDITORS)


@pytest.fixture
def publisher(groups: None) -> User:
    return _user("publisher", PUBLISHERS)


@pytest.fixture
def bystander(groups: None) -> User:
    """Staff, but in neither knowledge group."""
    return _user("agent", None)


@pytest.fixture
def make_article(db: None) -> Callable[..., Article]:
    counter = iter(range(1, 10_000))

    def make(**fields: Any) -> Article:
        number = next(counter)
        fields.setdefault("title", f"Question number {number}")
        fields.setdefault("summary", f"Short answer number {number}.")
        fields.setdefault("status", ArticleStatus.PUBLISHED)
        return article_create(actor=None, **fields)

    return make


@pytest.fixture
def trash_day(
    make_article: Callable[..., Article],
    department: Department,
    topic: Topic,
    missed_trash: ServiceType,
) -> Article:
    return make_article(
        title="When is my trash picked up?",
        summary="Trash is picked up once a week on your street's collection day.",
        body="Put your trash out **by 7 a.m.** on your collection day.\n\n[Collection calendar](https://calendar.example.org/trash)",
        questions=["what day is trash day", "garbage pickup day"],
        department=department,
        topic=topic,
        service_types=[missed_trash],
        external_id="city:trash-day",
        quick_link=True,
    )


@pytest.fixture
def trash_day_es(trash_day: Article) -> Article:
    return article_translate(
        original=trash_day,
        language="es",
        actor=None,
        title="¿Cuándo recogen la basura?",
        summary="La basura se recoge una vez por semana, el día de recolección de su calle.",
        body="Saque la basura **antes de las 7 a.m.** el día de recolección.",
        status=ArticleStatus.PUBLISHED,
        external_id="city:trash-day:es",
    )
