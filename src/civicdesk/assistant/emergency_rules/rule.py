"""The shape of a hazard rule and of a family of rules."""

from dataclasses import dataclass

from civicdesk.assistant.choices import EmergencyCategory


@dataclass(frozen=True)
class HazardRule:
    """One way of describing danger now. `example` must be detected as `category`; the tests
    check every rule's example."""

    name: str
    category: EmergencyCategory
    pattern: str
    example: str
    unless: str = ""  # anywhere in the text: the words are about something routine
    unless_near: str = ""  # in the same clause
    requires: str = ""  # must also be somewhere in the text
    casualty: bool = (
        False  # a person hurt, trapped or unconscious; beside a crash, a crash with injuries
    )


@dataclass(frozen=True)
class Family:
    """Rules that share vocabulary. They run only when the text contains one of the triggers
    (plain substrings of the folded text), which keeps the common routine report cheap."""

    triggers: tuple[str, ...]
    rules: tuple[HazardRule, ...]
