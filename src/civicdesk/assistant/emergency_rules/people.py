"""People hurt, in a crash, or in a medical emergency."""

from civicdesk.assistant.choices import EmergencyCategory as C
from civicdesk.assistant.emergency_rules.cues import ANIMALS
from civicdesk.assistant.emergency_rules.rule import Family, HazardRule

INJURY = Family(
    triggers=(
        "hurt",
        "injur",
        "wound",
        "blee",
        "blood",
        "cant",
        "can't",
        "cannot",
        "unable",
        "fell",
        "fall",
        "head",
        "moving",
        "ambulance",
        "paramedic",
        "ems",
        "medic",
        "herid",
        "lastimad",
        "lesionad",
        "golpead",
        "sangr",
        "atrapad",
        "mueve",
        "levant",
        "cayo",
        "cabeza",
        "ambulancia",
        "hit",
        "struck",
        "run over",
        "ran over",
        "knocked",
        "mowed",
        "atropell",
        "flip",
        "roll",
        "crash",
        "choc",
        "estrell",
        "volc",
    ),
    rules=(
        HazardRule(
            "en.injury.person_hurt",
            C.INJURY,
            r"<person> (?:<be> |got |get |gets |getting |has been |have been |seems |seem"
            r" |looks |look |appears |still )?(?:badly |seriously |really |very |severely"
            r" |critically |pretty |so )?(?:hurt|injured|wounded)(?! (?:my|his|her|their|our"
            r"|your|him|me|them|itself|themselves|himself|herself|myself)\b)",
            "someone is hurt",
            unless_near=ANIMALS,
            casualty=True,
        ),
        HazardRule(
            "en.injury.got_hurt",
            C.INJURY,
            # "people can get hurt" is a worry, and "can" alone is no cue ("I can smell gas").
            r"(?<!can\x20)(?:got|get|gets|getting|been|was|were|is|are|'s) (?:badly"
            r" |seriously |really |very |severely )?(?:hurt|injured|wounded)|with injur(?:y|ies)"
            r"|injury (?:accident|crash|collision)",
            "a kid got hurt on the swings",
            unless_near=ANIMALS,
            casualty=True,
        ),
        HazardRule(
            "en.injury.first_person",
            C.INJURY,
            r"(?:i am|i'?m|im|we are|we'?re|i got|we got|i was|we were|i have been"
            r"|i'?ve been) (?:badly |seriously |really |very |just )?(?:hurt|injured"
            r"|bleeding|stabbed|shot|attacked|trapped)",
            "I'm hurt and bleeding",
            casualty=True,
        ),
        HazardRule(
            "en.injury.bleeding",
            C.INJURY,
            r"blee?d(?:ing|in)|bleeds|blood everywhere|lots of blood|a lot of blood"
            r"|covered in blood|pool of blood",
            "man bleeding outside the station",
            unless_near=ANIMALS,
            casualty=True,
        ),
        HazardRule(
            "en.injury.not_moving",
            C.INJURY,
            r"not moving|isn'?t moving|no longer moving|stopped moving",
            "she fell and is not moving",
            unless_near=r"traffic|cars?|vehicles?|line|lines|bus|buses|trains?|queue"
            r"|elevator|escalator|water|trucks?|clock|parked|parking|spot|suv|sedan|stickers?"
            r"|" + ANIMALS,
            requires=r"someone|somebody|person|man|woman|guy|lady|kid|child|boy|girl|baby|he|she"
            r"|they|him|her|driver|rider|cyclist|pedestrian|worker|mother|father|mom|dad|fell"
            r"|fallen|collapsed|lying|laying|ground|floor|unconscious",
            casualty=True,
        ),
        HazardRule(
            "en.injury.cant_get_up",
            C.INJURY,
            r"(?:can'?t|cannot|can not|unable to|couldn'?t) (?:get up(?! (?:the |my |our |this"
            r" |that )?(?:street|st|hill|road|driveway|ramp|alley|block|way))|stand up|stand"
            r"|move (?:his|her|their|my) (?:legs?|arms?|body))",
            "my mother fell and cant get up",
            casualty=True,
        ),
        HazardRule(
            "en.injury.fall_from_height",
            C.INJURY,
            r"(?:fell|fallen|falling|fall|jumped) (?:off|from|out of|down) (?:<my> )?"
            r"(?:[\w']+ )?(?:roof|ladder|scaffold|scaffolding|building|balcony|window|bridge"
            r"|stairs|staircase|tree|porch|deck|climbing wall|wall|cliff)",
            "a worker fell off the roof",
            # Things fall too: snow, ice, branches and bricks are a 311 report, not a casualty.
            unless_near=r"branch|branches|limb|limbs|snow|ice|icicles?|debris|rust|bricks?|glass"
            r"|downspouts?|facade"
            r"|water|leaves|paint|pieces?|parts?|signs?|gutters?|stones?|rocks?|shingles?|"
            + ANIMALS,
            casualty=True,
        ),
        HazardRule(
            "en.injury.head",
            C.INJURY,
            r"(?:hit|hurt|split|cracked|banged|struck) (?:his|her|their) head|head (?:injury"
            r"|wound)",
            "he fell and hit his head",
            unless_near=ANIMALS,
            casualty=True,
        ),
        HazardRule(
            "en.injury.ambulance",
            C.MEDICAL,
            r"(?:need|needs|needed|send|call|get|calling|requesting|request) (?:an |a |the )?"
            r"(?:ambulance|paramedics?|ems|medic|medics)",
            "please send an ambulance",
            unless_near=r"needles?|syringes?|sharps",
            casualty=True,
        ),
        HazardRule(
            "en.crash.person_hit",
            C.CRASH_WITH_INJURIES,
            r"(?:<person>|i|we) (?:was |got |just got |has been |is |were |are |just |been )?"
            r"(?:hit|struck|run over|ran over|knocked down|mowed down|dragged) by (?:a |an"
            r" |the |some |this )?(?:[\w']+ )?(?:<vehicle>|bike|bicycle)",
            "a kid got hit by a car",
            casualty=True,
        ),
        HazardRule(
            "en.crash.hit_person",
            C.CRASH_WITH_INJURIES,
            r"<vehicle> (?:just )?(?:hit|struck|ran over|run over|knocked down|mowed down"
            r"|plowed into|crashed into|slammed into) (?:a |an |the |some |this |two |three"
            r" |several )?(?:[\w']+ )?(?:pedestrians?|person|people|man|woman|kids?|child"
            r"|children|boy|girl|cyclists?|bikers?|bike rider|jogger|runner|lady|guy|crowd"
            r"|students?|workers?|crossing guard|someone|somebody)",
            "a car hit a pedestrian",
            casualty=True,
        ),
        HazardRule(
            "en.crash.into_building",
            C.CRASH_WITH_INJURIES,
            r"<vehicle> (?:just )?(?:crashed|slammed|plowed|drove|smashed|went) (?:into|through)"
            r" (?:<my> )?(?:[\w']+ )?(?:house|home|building|store|storefront|store front|shop"
            r"|restaurant|bus stop|porch|living room|apartment|school)",
            "a truck crashed into the restaurant",
        ),
        HazardRule(
            "en.crash.flipped",
            C.CRASH_WITH_INJURIES,
            r"(?:car|truck|vehicle|van|suv|bus) (?:just )?(?:flipped|rolled|turned) over"
            r"|(?:flipped|overturned|rolled over) (?:car|truck|vehicle|van|suv|bus)|rollover",
            "a car flipped over on the ramp",
        ),
        HazardRule(
            "es.injury.heridos",
            C.INJURY,
            r"(?:hay|con|varios|varias|dos|tres|muchos|muchas|algunos|algunas|un|una|unos"
            r"|unas) (?:persona |personas )?(?:herid[oa]s?|lesionad[oa]s?)"
            r"|(?:salio|salieron|resulto|resultaron|quedo|quedaron) (?:gravemente |muy )?"
            r"(?:herid[oa]s?|lesionad[oa]s?)",
            "hay un herido en la calle",
            unless_near=ANIMALS,
            casualty=True,
        ),
        HazardRule(
            "es.injury.persona_herida",
            C.INJURY,
            r"<persona> (?:esta |estan |se encuentra |se encuentran |muy |gravemente |mal )*"
            r"(?:herid[oa]s?|lastimad[oa]s?|lesionad[oa]s?|golpead[oa]s?|sangrando"
            r"|inconscientes?)",
            "una persona herida en la calle",
            unless_near=ANIMALS,
            casualty=True,
        ),
        HazardRule(
            "es.injury.sangre",
            C.INJURY,
            r"sangrando|sangra mucho|mucha sangre|sangre por todos lados|lleno de sangre"
            r"|llena de sangre|charco de sangre",
            "un hombre esta sangrando",
            unless_near=ANIMALS,
            casualty=True,
        ),
        HazardRule(
            "es.injury.no_se_mueve",
            C.INJURY,
            r"no se (?:puede )?(?:mueve|mover|levantar|levanta)|no (?:puede|pueden)"
            r" (?:levantarse|moverse|pararse)",
            "se cayo y no se puede levantar",
            unless_near=r"carro|carros|trafico|fila|autobus|tren|elevador|" + ANIMALS,
            casualty=True,
        ),
        HazardRule(
            "es.injury.caida",
            C.INJURY,
            r"se cayo (?:de|del|desde) (?:la |el |un |una |su )?(?:[\w']+ )?(?:techo|andamio"
            r"|escalera|balcon|ventana|edificio|puente|arbol|azotea|segundo piso|tercer piso)",
            "se cayo del techo",
            unless_near=ANIMALS,
            casualty=True,
        ),
        HazardRule(
            "es.injury.cabeza",
            C.INJURY,
            r"se (?:golpeo|pego|rompio|abrio) la cabeza|golpe en la cabeza|herida en la cabeza",
            "se golpeo la cabeza",
            unless_near=ANIMALS,
            casualty=True,
        ),
        HazardRule(
            "es.injury.ambulancia",
            C.MEDICAL,
            r"(?:necesit\w+|manden|mande|llamen|llamar|traigan|pidan|envien) (?:una |la |un )?"
            r"(?:ambulancia|paramedicos)",
            "necesitamos una ambulancia",
            casualty=True,
        ),
        HazardRule(
            "es.crash.atropello",
            C.CRASH_WITH_INJURIES,
            r"atropell(?:aron|o|an) (?:a )?(?:un |una |el |la |mi |unos |unas |dos |tres )?"
            r"(?:[\w']+ )?<persona>|<persona> (?:fue )?atropellad[oa]s?",
            "atropellaron a un peaton",
            casualty=True,
        ),
        HazardRule(
            "es.crash.contra_edificio",
            C.CRASH_WITH_INJURIES,
            r"(?:carro|coche|auto|camion|camioneta|moto|autobus|vehiculo|conductor) (?:se )?"
            r"(?:estrello|choco|se metio|entro) (?:contra|en) (?:la |el |una |un |mi )?"
            r"(?:casa|edificio|tienda|parada|restaurante|escuela|gente|personas|multitud)",
            "un carro se estrello contra la tienda",
        ),
        HazardRule(
            "es.crash.volcado",
            C.CRASH_WITH_INJURIES,
            r"(?:carro|coche|auto|camion|camioneta|vehiculo) (?:se )?(?:volco|dio vueltas"
            r"|esta volcado|volcado)|volcadura",
            "un carro se volco en la autopista",
        ),
    ),
)


MEDICAL = Family(
    triggers=(
        "breath",
        "unconscious",
        "unresponsive",
        "passed out",
        "wake",
        "responding",
        "blacked",
        "faint",
        "collaps",
        "heart",
        "cardiac",
        "stroke",
        "seiz",
        "convuls",
        "overdos",
        "od",
        "anaphyla",
        "allergic",
        "chok",
        "chest",
        "diabet",
        "labor",
        "labour",
        "birth",
        "medical",
        "respir",
        "electrocut",
        "jump",
        "suicid",
        "kill",
        "matar",
        "tirar",
        "inconscien",
        "inconcien",
        "desmay",
        "conocimiento",
        "reacciona",
        "responde",
        "despierta",
        "infarto",
        "ataque",
        "paro",
        "derrame",
        "sobredosis",
        "pecho",
        "luz",
        "medica",
        "ahog",
        "asfix",
        "aire",
    ),
    rules=(
        HazardRule(
            "en.medical.breathing",
            C.MEDICAL,
            r"(?:not|isn'?t|is not|stopped|stop|no longer|barely) breath?(?:ing|in)"
            r"|(?:can'?t|cant|cannot|can not|couldn'?t|unable to) breathe?",
            "my dad is not breathing",
            unless_near=r"smell|smells|stink|stinks|stench|odou?r|dust|pollen",
            casualty=True,
        ),
        HazardRule(
            "en.medical.unconscious",
            C.MEDICAL,
            r"unconscious|unresponsive|not responding|won'?t wake up|not waking up"
            r"|<person> (?:just )?(?:collapsed|fainted|passed out|blacked out)",
            "a man is unconscious on the bench",
            unless_near=r"phone|app|website|site|system|line|computer|owners?|landlord|company"
            r"|city|management|office|calls?|emails?|" + ANIMALS,
            casualty=True,
        ),
        HazardRule(
            "en.medical.condition",
            C.MEDICAL,
            r"heart attack|cardiac arrest|(?:having|had) a stroke|stroke symptoms|seizures?"
            r"|seizing|convulsing|overdos(?:e|ed|ing)|od'?ing|anaphyla\w*|allergic reaction"
            r"|choking|chest pains?|diabetic (?:emergency|shock)|giving birth|in labou?r"
            r"|medical emergency",
            "someone is having a heart attack",
            unless_near=r"property|vehicle|assets|police|tow|towed|drugs seized|training"
            r"|class|classes|course|" + ANIMALS,
            casualty=True,
        ),
        HazardRule(
            "medical.self_harm_or_shock",
            C.MEDICAL,
            r"electrocut\w*|(?:threatening|going|about|trying|wants?) to (?:jump|kill"
            r" (?:himself|herself|themselves|myself))|suicidal|suicide attempt|attempted suicide"
            r"|se (?:quiere|va a) (?:suicidar|matar|tirar)|amenaza con (?:tirarse|suicidarse"
            r"|matarse)|intento de suicidio",
            "a man is threatening to jump off the bridge",
            unless_near=r"prevention|hotline|awareness|walk|training|prevencion|linea",
            casualty=True,
        ),
        HazardRule(
            "es.medical.respira",
            C.MEDICAL,
            r"no (?:esta )?respira|no (?:puede|pueden|puedo|podemos) respirar|dejo de respirar"
            r"|no respiraba|le falta el aire|se esta asfixiando|asfixiandose",
            "una mujer no respira",
            unless_near=r"olor|peste|apesta|hedor|polvo",
            casualty=True,
        ),
        HazardRule(
            "es.medical.inconsciente",
            C.MEDICAL,
            r"inconscientes?|desmayad[oa]s?|se desmayo|se desmayaron|perdio el conocimiento"
            r"|no reacciona|no despierta|sin conocimiento|<persona> no responde|inconcient\w*",
            "un senor esta inconsciente",
            unless_near=ANIMALS,
            casualty=True,
        ),
        HazardRule(
            "es.medical.condicion",
            C.MEDICAL,
            r"infarto|ataque (?:al corazon|cardiaco|de corazon)|paro cardiaco|derrame cerebral"
            r"|convulsion\w*|sobredosis|reaccion alergica|dolor (?:muy )?(?:fuerte )?(?:de"
            r"|en el) pecho|dando a luz|emergencia medica",
            "creo que es un infarto",
            unless_near=ANIMALS,
            casualty=True,
        ),
        HazardRule(
            "es.medical.ahogando",
            C.MEDICAL,
            r"se (?:esta |estan )?ahogando|se ahoga|ahogandose",
            "se esta ahogando con comida",
            unless=r"rio|lago|mar|playa|piscina|alberca|estanque|canal|presa|laguna"
            r"|corriente|bahia|puerto|hielo",
            casualty=True,
        ),
    ),
)
