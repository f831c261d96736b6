"""The demo jurisdiction's knowledge base: topics, city answers and a real government FAQ.

Loaded by `civicdesk demo` through the same import as `civicdesk kb import`, so a re-run finds
everything unchanged. Sources and licences: src/civicdesk/demo/data/knowledge/README.md.
"""

from dataclasses import dataclass
from pathlib import Path

import civicdesk.demo
from civicdesk.knowledge.importfile import import_file_read
from civicdesk.knowledge.models import Topic
from civicdesk.knowledge.services.groups import knowledge_groups_ensure
from civicdesk.knowledge.services.imports import ImportReport, article_import
from civicdesk.knowledge.services.topics import topic_save

DEMO_KNOWLEDGE_DIR = Path(civicdesk.demo.__file__).resolve().parent / "data" / "knowledge"
DEMO_CITY_ANSWERS = DEMO_KNOWLEDGE_DIR / "city-answers.yaml"
DEMO_STATE_FAQ = DEMO_KNOWLEDGE_DIR / "state-gov-faq.json.gz"


@dataclass(frozen=True)
class DemoTopic:
    slug: str
    name: str
    name_es: str
    featured: bool


DEMO_TOPICS = (
    DemoTopic("trash", "Trash and recycling", "Basura y reciclaje", featured=True),
    DemoTopic("streets", "Streets and sidewalks", "Calles y aceras", featured=True),
    DemoTopic("parking", "Parking and tickets", "Estacionamiento y multas", featured=True),
    DemoTopic("requests", "Your requests", "Sus solicitudes", featured=True),
    DemoTopic("city-hall", "City Hall and 311", "Ayuntamiento y 311", featured=True),
    DemoTopic("snow", "Snow and winter", "Nieve e invierno", featured=False),
    DemoTopic("permits", "Permits and licenses", "Permisos y licencias", featured=False),
    DemoTopic("neighborhood", "Noise and neighborhood", "Ruido y vecindario", featured=False),
    DemoTopic("housing", "Housing", "Vivienda", featured=False),
    DemoTopic("parks", "Parks and trees", "Parques y árboles", featured=False),
    DemoTopic(
        "covid-19",
        "COVID-19: answers from health agencies",
        "COVID-19: respuestas de las agencias de salud",
        featured=False,
    ),
)


def demo_topics_ensure() -> int:
    """Create or update the demo topics in their order; returns how many changed."""
    existing = {topic.slug: topic for topic in Topic.objects.all()}
    changed = 0
    for position, spec in enumerate(DEMO_TOPICS, start=1):
        topic = existing.get(spec.slug) or Topic(slug=spec.slug)
        wanted = {
            "name": spec.name,
            "name_es": spec.name_es,
            "order": position * 10,
            "featured": spec.featured,
        }
        if topic.pk is not None and all(getattr(topic, k) == v for k, v in wanted.items()):
            continue
        for name, value in wanted.items():
            setattr(topic, name, value)
        topic_save(topic=topic)
        changed += 1
    return changed


def knowledge_demo_load() -> dict[str, ImportReport]:
    """Load the demo knowledge base (after the catalog, whose departments and services it
    names); returns the import report of each file."""
    knowledge_groups_ensure()
    demo_topics_ensure()
    reports = {}
    for path in (DEMO_CITY_ANSWERS, DEMO_STATE_FAQ):
        reports[path.name] = article_import(file=import_file_read(path), source_label=path.name)
    return reports
