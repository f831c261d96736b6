"""Downed or live wires, water flooding into homes, chemical spills and fumes."""

from civicdesk.assistant.choices import EmergencyCategory as C
from civicdesk.assistant.emergency_rules.cues import CHEMICAL, SICKNESS
from civicdesk.assistant.emergency_rules.rule import Family, HazardRule

LIVE_WIRES = Family(
    triggers=(
        "wire",
        "line",
        "cable",
        "pole",
        "transformer",
        "spark",
        "arcing",
        "live",
        "alambre",
        "poste",
        "transformador",
        "chispa",
        "tendido",
    ),
    rules=(
        HazardRule(
            "en.wires.down",
            C.LIVE_WIRES,
            r"(?:(?:<line_kind> )?(?:wires?|cables?|powerlines?)|<line_kind> lines?)"
            r" (?:are |is |were |was |have |has |came |just |still )?(?:down(?! (?:the )?"
            r"(?:street|road|block|alley|hill|way|avenue|ave|st)\b)|fallen|fell|collapsed"
            r"|on the (?:ground|street|road|sidewalk|car|cars|roof|house|fence|driveway|yard"
            r"|grass|pavement)|in the (?:street|road|yard|driveway|water)|across the (?:street"
            r"|road|sidewalk|driveway)|lying on|laying on|hanging (?:down|low|very low|to the"
            r" ground|on the ground|into the street|over the street|onto)|dangling (?:low"
            r"|down)|sparking|sparkin|arcing|sparks|smoking|on fire|burning)",
            "wires down across the street",
        ),
        HazardRule(
            "en.wires.downed",
            C.LIVE_WIRES,
            r"downed (?:power |electric |electrical |utility |live )?(?:wires?|lines?|cables?"
            r"|poles?|powerlines?)",
            "downed power line on Elm St",
        ),
        HazardRule(
            "en.wires.live",
            C.LIVE_WIRES,
            r"live (?:electrical |electric |power )?(?:wires?|lines?|cables?)"
            r"|(?:wires?|lines|cables?) (?:are |is |still |look |looks |appear to be"
            r" |appears to be |seem |seems )?(?:live|energi[sz]ed)",
            "live wires showing",
        ),
        HazardRule(
            "en.wires.sparks",
            C.LIVE_WIRES,
            r"(?:sparks?|sparking|arcing) <gap3>(?:from|on|at|off|in) (?:the |a |that |this )?"
            r"(?:pole|poles|wires?|lines|transformer|power lines?|utility pole|electric box"
            r"|street ?light|light pole)"
            r"|(?:pole|poles|transformer|transformers|power lines?|utility pole|wires?) (?:is"
            r" |are |keeps |keep )?(?:sparking|arcing|smoking|on fire|exploded|blew|blew up"
            r"|exploding|burning)",
            "sparks coming from the pole",
        ),
        HazardRule(
            "en.wires.transformer",
            C.LIVE_WIRES,
            r"transformer (?:exploded|blew|blew up|explosion|is on fire|on fire|fire|sparking"
            r"|smoking|burning)",
            "the transformer blew up",
        ),
        HazardRule(
            "en.wires.tree",
            C.LIVE_WIRES,
            r"(?:tree|branch|limb|branches|limbs|pole|poles) <gap>(?:fell|fallen|falling|came"
            r" down|coming down|is down|are down|landed|crashed|brought down|took down|pulled"
            r" down|knocked down|took out|snapped) (?:on |onto |across |into |through |over )?"
            r"(?:the |some |a |all the )?(?:power |electric |electrical |utility |live )?"
            r"(?:wires|lines|power lines|powerlines|wire)",
            "a tree fell on the power lines",
        ),
        HazardRule(
            "es.wires.caidos",
            C.LIVE_WIRES,
            r"(?:cables?|lineas?|alambres?|tendido) (?:electric[oa]s? |de luz |de la luz"
            r" |de electricidad |de alta tension |de corriente |de energia )?(?:[\w']+ )?"
            r"(?:caid[oa]s?|se cayeron|se cayo|en el suelo|en la calle|en el piso|en la acera"
            r"|tirad[oa]s?|colgando (?:muy )?(?:bajos?|hasta el suelo|en la calle|sobre la"
            r" (?:calle|acera))|echando chispas|sacando chispas|con chispas|chispeando"
            r"|soltando chispas|haciendo chispas|encima de|sobre el carro|sobre un carro"
            r"|con corriente|vivos?|energizad[oa]s?)",
            "cables caidos en la calle",
        ),
        HazardRule(
            "es.wires.chispas",
            C.LIVE_WIRES,
            r"(?:chispas|chispazos|chisporroteo) <gap3>(?:del|de los|de la|en el|en los|en la)"
            r" (?:poste|postes|cable|cables|transformador|linea|lineas|caja electrica)"
            r"|(?:poste|postes|transformador|cables?|lineas?) <gap>(?:echando|sacando"
            r"|soltando) (?:chispas|humo|fuego)",
            "salen chispas del poste",
        ),
        HazardRule(
            "es.wires.transformador",
            C.LIVE_WIRES,
            r"transformador (?:exploto|estallo|se incendio|esta en llamas|en llamas|echando"
            r" chispas|se quemo|revento)",
            "el transformador exploto",
        ),
        HazardRule(
            "es.wires.arbol",
            C.LIVE_WIRES,
            r"(?:arbol|rama|ramas|poste) <gap>(?:tumbo|derribo|arranco|cayo sobre|cayo encima"
            r" de|esta sobre|esta encima de|jalo) (?:los |las |el |la |unos |unas )?(?:cables"
            r"|lineas|alambres|cable)",
            "un arbol tumbo los cables",
        ),
    ),
)


FLOODING_HOME = Family(
    triggers=("water", "flood", "sewage", "sewer", "inund", "agua", "anega"),
    rules=(
        HazardRule(
            "en.flood.water_in",
            C.FLOODING_HOME,
            r"(?:water|sewage|sewer water|flood ?water|river|rain ?water) (?:is |are |keeps"
            r" |keep |started |starting |has started )?(?:coming|comin|pouring|rushing"
            r"|gushing|flowing|flooding|getting|running|pushing|backing up|bubbling up"
            r"|coming up|filling up|pouring) <gap>(?:in|into|inside|through|under) (?:<my> )?"
            r"(?:[\w']+ )?<home>",
            "water is pouring into my basement",
        ),
        HazardRule(
            "en.flood.home_flooding",
            C.FLOODING_HOME,
            r"<home> (?:is |are |keeps |keep |starting |started )?(?:flooding|under ?water"
            r"|filling (?:up )?with water|full of water|taking on water|getting flooded)"
            r"|<home> (?:is|are|'s|s) (?:[\w']+ )?flooded",
            "my basement is flooding",
        ),
        HazardRule(
            "en.flood.flooding_home",
            C.FLOODING_HOME,
            r"flooding (?:into )?(?:<my> )?(?:[\w']+ )?(?:house|home|basement|apartment|building"
            r"|first floor|houses|homes)",
            "the river is flooding our homes",
        ),
        HazardRule(
            "en.flood.deep",
            C.FLOODING_HOME,
            r"water (?:is )?up to (?:my|our|the|his|her) (?:knees|waist|chest)",
            "water up to my knees in the living room",
        ),
        HazardRule(
            "es.flood.inundando",
            C.FLOODING_HOME,
            r"se (?:esta |estan |sigue |siguen )?(?:inundando|llenando de agua|anegando)"
            r" (?:[\w']+ )?(?:mi |la |el |nuestra |nuestro |las |los |su )?<casa>"
            r"|<casa> (?:[\w']+ )?(?:se esta inundando|se estan inundando|esta inundad[oa]"
            r"|estan inundad[oa]s|se esta llenando de agua|se llena de agua|se inunda"
            r"|esta bajo el agua|llen[oa] de agua)",
            "se esta inundando mi casa",
        ),
        HazardRule(
            "es.flood.entra_agua",
            C.FLOODING_HOME,
            r"(?:entra|entro|entrando|se mete|se metio|se esta metiendo|esta entrando"
            r"|estan entrando|se nos mete|se nos metio|se nos esta metiendo) <gap>agua <gap>"
            r"(?:a|al|en|por|dentro de) (?:la |el |mi |nuestra |nuestro |las |los )?<casa>"
            r"|agua <gap3>(?:esta |estan |sigue )?(?:entrando|metiendose|se mete|se metio|entra"
            r"|entro) (?:a|al|en|por|dentro de) (?:la |el |mi |las |los |nuestra )?<casa>"
            r"|(?:el )?agua (?:ya )?(?:me |nos |les )?llega (?:a|hasta) (?:las|la|el|los)"
            r" (?:rodillas|cintura|pecho)",
            "entra agua a mi casa",
        ),
        HazardRule(
            "es.flood.aguas_negras",
            C.FLOODING_HOME,
            r"aguas negras <gap>(?:saliendo|brotando|subiendo|regresando|entrando) <gap>"
            r"(?:en|por|al|del|a) (?:el |la |mi )?(?:sotano|casa|bano|cocina|apartamento)",
            "aguas negras saliendo por el sotano",
        ),
    ),
)


HAZARDOUS_MATERIALS = Family(
    triggers=(
        "chemical",
        "toxic",
        "hazardous",
        "acid",
        "chlorine",
        "ammonia",
        "mercury",
        "hazmat",
        "fume",
        "quimic",
        "toxic",
        "derrame",
        "fuga",
        "cloro",
        "amoniaco",
        "vapor",
    ),
    rules=(
        HazardRule(
            "en.hazmat.spill",
            C.HAZARDOUS_MATERIALS,
            r"(?:chemical|chemicals|toxic|hazardous|acid|chlorine|ammonia|mercury|hazmat)"
            r" (?:spill|spilled|spilling|leak|leaking|release|cloud)",
            "chemical spill on the highway",
        ),
        HazardRule(
            "en.hazmat.sick",
            C.HAZARDOUS_MATERIALS,
            r"(?:making|made|got|getting|feel|feels|feeling|felt|are|is) (?:people |us"
            r" |everyone |kids |me |them |the kids |everybody )?(?:sick|dizzy|nauseous|ill)"
            r"|coughing|vomiting|throwing up|eyes (?:are )?burning|burning eyes"
            r"|trouble breathing|hard to breathe",
            "chemical fumes are making people sick",
            requires=CHEMICAL,
        ),
        HazardRule(
            "es.hazmat.derrame",
            C.HAZARDOUS_MATERIALS,
            r"derrame (?:quimico|de quimicos|de sustancias?|toxico|de acido|de cloro"
            r"|de amoniaco)|fuga (?:quimica|de quimicos|de amoniaco|de cloro|de acido)"
            r"|nube toxica",
            "derrame quimico en la calle",
        ),
        HazardRule(
            "es.hazmat.sintomas",
            C.HAZARDOUS_MATERIALS,
            SICKNESS,
            "olor a quimicos y la gente esta tosiendo",
            requires=CHEMICAL,
        ),
    ),
)
