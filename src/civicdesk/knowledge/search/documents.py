"""What the engine indexes: a plain document per article or service type, in one language."""

from dataclasses import dataclass

ARTICLE = "article"
SERVICE = "service"
KINDS = (ARTICLE, SERVICE)


@dataclass(frozen=True)
class SearchDocument:
    """The searchable text of one article or service type, and what a result shows of it.

    `key` is unique within the kind (an article's id, a service's code). `questions` are the
    ways residents ask for it (an article's question variants, a service's keywords);
    `fallback` marks an article shown in another language because it has no translation.
    """

    kind: str
    key: str
    language: str
    title: str
    questions: tuple[str, ...] = ()
    summary: str = ""
    body: str = ""
    topic: str = ""
    service_codes: tuple[str, ...] = ()
    url: str = ""
    external_id: str = ""
    fallback: bool = False

    def fields(self) -> dict[str, list[str]]:
        """The text of each weighted field."""
        return {
            "title": [self.title],
            "questions": list(self.questions),
            "summary": [self.summary],
            "topic": [self.topic],
            "body": [self.body],
        }
