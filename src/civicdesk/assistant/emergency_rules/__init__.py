"""The words the emergency detector knows, in English and Spanish: what it reads as danger now,
what it reads as routine, and the cues that cancel a hazard (negation, hypothesis, the past,
habit, an emergency already over). `civicdesk.assistant.emergency` compiles them once.

`cues` holds the context words, the other modules the hazard families by topic.

Patterns are regular expressions over *folded* text: lowercase, accents removed (ñ is n), every
punctuation mark a space except apostrophes, commas (clause ends) and sentence ends (all turned
into "."). Write words in that form, separated by single spaces: a space stands for any run of
spaces and commas. `<name>` is replaced by the macro of that name. Each pattern matches whole
words only. docs/assistant.md says how to add one.
"""

from civicdesk.assistant.choices import EmergencyCategory as C
from civicdesk.assistant.emergency_rules.fire import CARBON_MONOXIDE, FIRE, GAS
from civicdesk.assistant.emergency_rules.people import INJURY, MEDICAL
from civicdesk.assistant.emergency_rules.rule import Family, HazardRule
from civicdesk.assistant.emergency_rules.structures import COLLAPSE, WATER_RESCUE
from civicdesk.assistant.emergency_rules.utilities import (
    FLOODING_HOME,
    HAZARDOUS_MATERIALS,
    LIVE_WIRES,
)
from civicdesk.assistant.emergency_rules.violence import VIOLENCE

FAMILIES: dict[str, Family] = {
    "fire": FIRE,
    "gas": GAS,
    "carbon_monoxide": CARBON_MONOXIDE,
    "live_wires": LIVE_WIRES,
    "flooding_home": FLOODING_HOME,
    "injury": INJURY,
    "medical": MEDICAL,
    "violence": VIOLENCE,
    "collapse": COLLAPSE,
    "water_rescue": WATER_RESCUE,
    "hazardous_materials": HAZARDOUS_MATERIALS,
}

# When the words describe more than one danger, the category shown first is the most specific.
PRIORITY = (
    C.CRASH_WITH_INJURIES,
    C.LIVE_WIRES,
    C.GAS,
    C.CARBON_MONOXIDE,
    C.FIRE,
    C.HAZARDOUS_MATERIALS,
    C.FLOODING_HOME,
    C.COLLAPSE,
    C.WATER_RESCUE,
    C.VIOLENCE,
    C.MEDICAL,
    C.INJURY,
)

__all__ = ["FAMILIES", "PRIORITY", "Family", "HazardRule"]
