"""Weapons, shootings, assaults and break-ins in progress."""

from civicdesk.assistant.choices import EmergencyCategory as C
from civicdesk.assistant.emergency_rules.rule import Family, HazardRule

VIOLENCE = Family(
    triggers=(
        "gun",
        "knife",
        "knives",
        "pistol",
        "rifle",
        "weapon",
        "machete",
        "firearm",
        "blade",
        "shot",
        "shoot",
        "gunfire",
        "stab",
        "break",
        "broke",
        "intruder",
        "robb",
        "mugg",
        "attack",
        "assault",
        "beat",
        "hitting",
        "punch",
        "kick",
        "strangl",
        "drag",
        "domestic",
        "help",
        "threat",
        "fight",
        "brawl",
        "carjack",
        "kidnap",
        "invasion",
        "pistola",
        "arma",
        "cuchillo",
        "navaja",
        "escopeta",
        "revolver",
        "dispar",
        "balaz",
        "balac",
        "bala",
        "tirote",
        "bale",
        "tiros",
        "apunal",
        "acuchill",
        "robando",
        "asalt",
        "golpeando",
        "pegando",
        "atacando",
        "agrediendo",
        "pateando",
        "secuestr",
        "amenaz",
        "entrar",
        "metieron",
        "robo",
        "violencia",
        "ayuda",
        "auxilio",
        "pelea",
    ),
    rules=(
        HazardRule(
            "en.violence.weapon",
            C.VIOLENCE,
            r"(?:has|have|with|waving|pointing|holding|carrying|pulled|pulling|brandishing"
            r"|armed with|got) (?:a |an |his |her |their |two )?(?:guns?|knife|knives"
            r"|pistol|rifle|weapons?|machete|firearm|shotgun|handgun|blade)",
            "a man with a knife is threatening people",
        ),
        HazardRule(
            "en.violence.shooting",
            C.VIOLENCE,
            r"shots? (?:fired|being fired)|gun ?shots?|gunfire|gun fire|shooting|shootout"
            r"|shoot out|being shot at|opened fire|open fire|shooting at",
            "shots fired on our street",
        ),
        HazardRule(
            "en.violence.wounded",
            C.VIOLENCE,
            r"stabbed|stabbing|been shot|got shot|was shot|is shot|getting shot"
            r"|gunshot wound|shot (?:him|her|someone|somebody|a man|a woman|a kid|them|me|us)",
            "someone got stabbed",
            casualty=True,
        ),
        HazardRule(
            "en.violence.break_in",
            C.VIOLENCE,
            r"breaking (?:into|in)|trying to break in|broke in <gap3>still (?:inside|in the"
            r" house|there|here)|intruders? (?:in|inside)|(?:break ?in|home invasion|burglary"
            r"|robbery|mugging|carjacking) (?:in progress|happening)|(?:being|getting)"
            r" (?:robbed|mugged|attacked|assaulted|beaten|beat up|kidnapped|carjacked)"
            r"|(?:is|are) robbing|robbing (?:the|a|my|our|someone)",
            "someone is breaking into my house",
            unless_near=r"box|boxes|meters?|vending",
        ),
        HazardRule(
            "en.violence.assault",
            C.VIOLENCE,
            r"(?:beating|hitting|punching|kicking|attacking|assaulting|choking|strangling"
            r"|stabbing|dragging) (?:up )?(?:his |her |their |a |an |the |some |my |our |this"
            r" |that )?(?:wife|husband|girlfriend|boyfriend|partner|kids?|child|children|son"
            r"|daughter|mother|father|woman|man|girl|boy|person|people|lady|guy|someone"
            r"|somebody|elderly|old man|old lady|neighbou?r|baby|him|her(?!\x20head)|me|us)",
            "my neighbor is beating his wife",
            unless_near=r"banners?|signs?|branch(?:es)?|doors?|gates?|wind|balls?",
        ),
        HazardRule(
            "en.violence.distress",
            C.VIOLENCE,
            r"domestic (?:violence|abuse|dispute)|(?:screaming|yelling|crying|calling) for help"
            r"|threatening (?:me|us|people|someone|him|her|them|my|the|everyone|neighbou?rs"
            r"|kids) (?:[\w']+ )?with|(?:threatening|threatened) to (?:kill|shoot|stab|hurt)"
            r"|(?:fight|fighting|brawl) (?:with|involving) (?:a |an )?(?:guns?|knife|knives"
            r"|weapons?|bats?|machetes?)",
            "a woman is screaming for help",
        ),
        HazardRule(
            "es.violence.arma",
            C.VIOLENCE,
            r"(?:tiene|tienen|con|trae|traen|saco|sacaron|saca|apuntando con|amenazando con"
            r"|armado con|armados con) (?:una |un |su |unos |unas )?(?:pistolas?|armas?"
            r"|cuchillos?|navajas?|machetes?|rifle|escopeta|revolver)",
            "un hombre tiene una pistola",
        ),
        HazardRule(
            "es.violence.disparos",
            C.VIOLENCE,
            r"disparos|disparando|dispararon|balazos|balacera|balaceras|tiroteo|balearon"
            r"|baleado|baleada|le dispararon|tiros|balazo|balas?",
            "se escuchan disparos",
        ),
        HazardRule(
            "es.violence.apunalado",
            C.VIOLENCE,
            r"apunal\w+|acuchill\w+|le (?:clavaron|enterraron) (?:un|el) cuchillo",
            "apunalaron a un hombre",
            casualty=True,
        ),
        HazardRule(
            "es.violence.ataque",
            C.VIOLENCE,
            r"(?:esta|estan|estaban) (?:robando|asaltando|secuestrando)|(?:esta|estan"
            r"|estaban) (?:golpeando|pegando|atacando|agrediendo|pateando|apunalando) a"
            r"|(?:me|nos|lo|la|los|les) (?:esta|estan) (?:amenazando|atacando|golpeando)"
            r"|(?:entraron|se metieron|se estan metiendo|estan entrando|quieren entrar"
            r"|tratando de entrar) a (?:robar|la casa|mi casa|casa)|(?:robo|asalto) en"
            r" (?:progreso|curso)",
            "estan robando la casa",
        ),
        HazardRule(
            "es.violence.auxilio",
            C.VIOLENCE,
            r"violencia (?:domestica|familiar)|(?:pidiendo|grita\w*) (?:por )?(?:ayuda"
            r"|auxilio)|auxilio|pelea con (?:cuchillos|armas|pistolas|machetes|navajas)",
            "una mujer esta gritando auxilio",
        ),
    ),
)
