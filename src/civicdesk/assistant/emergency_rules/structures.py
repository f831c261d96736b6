"""Collapses, people trapped, and people in the water."""

from civicdesk.assistant.choices import EmergencyCategory as C
from civicdesk.assistant.emergency_rules.cues import ANIMALS
from civicdesk.assistant.emergency_rules.rule import Family, HazardRule

COLLAPSE = Family(
    triggers=(
        "collaps",
        "cav",
        "came down",
        "coming down",
        "fell",
        "falling",
        "gave way",
        "giving way",
        "crumbl",
        "trap",
        "stuck",
        "pinned",
        "tree",
        "branch",
        "limb",
        "derrumb",
        "desplom",
        "colaps",
        "hund",
        "abajo",
        "cay",
        "atrapad",
        "encerrad",
        "locked",
        "left",
        "dejad",
        "solo",
        "sola",
        "arbol",
        "rama",
    ),
    rules=(
        HazardRule(
            "en.collapse.structure",
            C.COLLAPSE,
            r"(?:building|house|home|roof|ceiling|wall|walls|porch|deck|balcony|stairs"
            r"|staircase|stairway|floor|scaffold|scaffolding|crane|bridge|garage|structure"
            r"|chimney|trench|tunnel) (?:is |are |has |have |just |started |starting )?"
            r"(?:collapsing|collapsed|caving in|caved in|came down|coming down|fell in"
            r"|falling in|fell down|falling down|gave way|giving way|crumbling down)",
            "the ceiling collapsed",
        ),
        HazardRule(
            "en.collapse.on_people",
            C.COLLAPSE,
            r"(?:collapsed?|caved in|fell) (?:on|onto) (?:a |an |the |some |two |three )?"
            r"(?:someone|somebody|people|person|man|woman|workers?|kids?|child|children|him"
            r"|her|them|us|me)",
            "the wall fell on a worker",
            casualty=True,
        ),
        HazardRule(
            "en.collapse.trapped",
            C.COLLAPSE,
            r"(?:<person>|i|we|family|residents) (?:<be> |got |get |still |been |are still"
            r" |is still )?(?:(?:trapped|pinned)(?: (?:in|inside|under|beneath|between|on))?"
            r"|stuck (?:under|beneath|between))"
            r"|(?:elevator|lift) (?:is |got )?stuck (?:with|and) (?:[\w']+ )?(?:people|someone"
            r"|somebody|kids?|children|us|me|my|person|man|woman|residents?)"
            r"|(?:trapped|stuck) (?:in|inside|under) (?:the |a |an )?(?:car|vehicle|elevator"
            r"|lift|building|rubble|house|basement|trench|apartment|fire|water|wreck)",
            "kids trapped in the elevator",
            unless_near=r"traffic|snow|mud|line|queue|rain|ice|sand|a meeting|meeting|intersection"
            r"|the house all day|" + ANIMALS,
            casualty=True,
        ),
        HazardRule(
            "en.collapse.tree_on_house",
            C.COLLAPSE,
            r"(?:tree|trees|branch|limb|pole) (?:just )?(?:fell|has fallen|came down|crashed"
            r"|landed|is) (?:on|onto|through|into) (?:<my> )?(?:[\w']+ )?(?:house|home|roof"
            r"|building|apartment|bedroom|porch|person|someone|somebody|man|woman|kid|child"
            r"|people|(?:car|vehicle|bus|van) with (?:[\w']+ )?(?:people|someone|somebody|kids"
            r"|children|passengers|driver|family))",
            "a tree fell on the house",
        ),
        HazardRule(
            "es.collapse.estructura",
            C.COLLAPSE,
            r"(?:se )?(?:derrumbo|derrumbaron|desplomo|colapso|hundio|cayo|vino abajo"
            r"|se vino abajo) (?:el |la |un |una |parte del |parte de la )?(?:techo|edificio"
            r"|casa|pared|muro|balcon|porche|escalera|escaleras|andamio|piso|puente|grua"
            r"|cielo raso|plafon|terraza|zanja|estructura)"
            r"|(?:techo|edificio|casa|pared|muro|balcon|porche|escalera|escaleras|andamio|piso"
            r"|puente|grua|cielo raso|plafon|terraza|zanja|estructura) <gap>(?:se (?:esta"
            r" |estan )?(?:derrumbando|desplomando|cayendo|hundiendo|viniendo abajo)"
            r"|se derrumbo|se desplomo|se cayo|se hundio|colapso|se vino abajo|esta colapsando)",
            "el edificio se esta derrumbando",
        ),
        HazardRule(
            "es.collapse.atrapados",
            C.COLLAPSE,
            r"atrapad[oa]s?|encerrad[oa]s? en el (?:elevador|ascensor)",
            "hay gente atrapada",
            unless_near=r"trafico|nieve|lodo|fila|" + ANIMALS,
            casualty=True,
        ),
        HazardRule(
            "es.collapse.arbol",
            C.COLLAPSE,
            r"(?:(?:arbol|rama|poste) (?:[\w']+ )?(?:cayo|se cayo|esta)|(?:se cayo|cayo)"
            r" (?:un |el |una )?(?:arbol|rama|poste)) (?:sobre|encima de|en) (?:la |una |mi |el"
            r" |un |nuestra )?(?:casa|techo|edificio|persona|alguien|gente|nino|carro con)",
            "un arbol cayo sobre la casa",
        ),
        HazardRule(
            "en.collapse.locked_in_car",
            C.COLLAPSE,
            r"(?:kid|kids|child|children|baby|toddler|infant|boy|girl) (?:is |are |was |been )?"
            r"(?:locked|left|stuck|trapped) (?:alone )?in (?:a|the|his|her|their) (?:hot )?"
            r"(?:car|vehicle|van|suv)"
            r"|(?:nino|nina|ninos|ninas|bebe) (?:esta |estan )?(?:encerrad[oa]s?|solos?|solas?"
            r"|dejad[oa]s?) (?:dentro de|en) (?:un|el|una) (?:carro|coche|auto|camioneta)",
            "a baby left alone in a hot car",
            casualty=True,
        ),
    ),
)


WATER_RESCUE = Family(
    triggers=(
        "drown",
        "fell",
        "fallen",
        "went",
        "slipped",
        "drove",
        "jumped",
        "swept",
        "swim",
        "water",
        "river",
        "lake",
        "pond",
        "harbo",
        "ocean",
        "canal",
        "creek",
        "ahog",
        "cayo",
        "cayeron",
        "metio",
        "salto",
        "hundio",
        "nadar",
        "arrastrad",
        "corriente",
    ),
    rules=(
        HazardRule(
            "en.water.drowning",
            C.WATER_RESCUE,
            r"drowning|can'?t swim|cannot swim|struggling in the water|(?:<person>|car|vehicle)"
            r" <gap>(?:swept away|being swept|got swept)"
            r"|(?:someone|somebody|person|kid|child|man|woman|boy|girl|people) (?:is |are )?"
            r"in the (?:river|lake|pond|harbor|harbour|ocean|sea|water|canal|creek|bay)",
            "someone is drowning",
            unless_near=r"areas?|grass|plants?|lawns?|gardens?|trees?|sorrows|debt|paperwork|work"
            r"|noise|emails?",
            casualty=True,
        ),
        HazardRule(
            "en.water.fell_in",
            C.WATER_RESCUE,
            r"(?:<person>|car|vehicle|truck|van|suv|i|we) (?:just )?(?:fell|has fallen|went"
            r"|slipped|drove|jumped|is|are|got swept) (?:[\w']+ )?(?:in|into|through|under)"
            r" (?:the |a )?(?:river|lake|pond|harbor|harbour|ocean|sea|canal|reservoir|water"
            r"|ice|creek|bay|channel|current)",
            "a kid fell into the river",
            casualty=True,
        ),
        HazardRule(
            "es.water.ahogando",
            C.WATER_RESCUE,
            r"se (?:esta |estan )?ahogando|se ahoga|ahogandose",
            "un nino se esta ahogando en la piscina",
            requires=r"rio|lago|mar|playa|piscina|alberca|estanque|canal|presa|laguna"
            r"|corriente|bahia|puerto|hielo",
            casualty=True,
        ),
        HazardRule(
            "es.water.cayo",
            C.WATER_RESCUE,
            r"(?:se cayo|cayo|se cayeron|cayeron|se metio|salto|se hundio|se fue) <gap>(?:al"
            r"|en el|en la|a la|dentro del) (?:rio|lago|mar|agua|canal|estanque|piscina"
            r"|alberca|presa|laguna|bahia|puerto|hielo)|no sabe nadar|arrastrad[oa]s? por"
            r" (?:el agua|la corriente|el rio)|(?:la corriente|el agua) se (?:lo|la|los) llevo",
            "una persona se cayo al rio",
            casualty=True,
        ),
    ),
)
