"""Fire, smoke, gas and carbon monoxide."""

from civicdesk.assistant.choices import EmergencyCategory as C
from civicdesk.assistant.emergency_rules.cues import BURNING_ROUTINE, SMOKE_ROUTINE
from civicdesk.assistant.emergency_rules.rule import Family, HazardRule

FIRE = Family(
    triggers=(
        "fire",
        "fier",
        "flam",
        "burn",
        "smok",
        "spark",
        "explo",
        "blaze",
        "fuego",
        "incend",
        "llama",
        "quem",
        "humo",
        "ardiendo",
        "chispa",
        "estall",
    ),
    rules=(
        HazardRule(
            "en.fire.on_fire",
            C.FIRE,
            r"on (?:fire|fier)|ablaze|in flames|engulfed|burst into flames|caught fire"
            r"|catching fire|going up in flames",
            "the garage is on fire",
        ),
        HazardRule(
            "en.fire.word",
            C.FIRE,
            # Plural "fires" is fires in general ("police show up to fires"), not one burning now.
            r"fire|fier",
            "fire at the end of the street",
        ),
        HazardRule(
            "en.fire.flames",
            C.FIRE,
            r"flames?|flaming",
            "flames coming out of the window",
            unless_near=r"grill|bbq|barbecue|candles?|stove top|gas burner|torch|lighter"
            r"|fire pit|pilot",
        ),
        HazardRule(
            "en.fire.burning",
            C.FIRE,
            r"(?:is |are |it'?s |its |something |something'?s |somethings )?burn(?:ing|in)"
            r"|(?:burnt|burned|burning) (?:smell|odou?r)|smell(?:s|ing)? (?:of |like )?(?:burning"
            r"|something burning|burnt|burned)",
            "something is burning in the walls",
            unless=BURNING_ROUTINE,
        ),
        HazardRule(
            "en.fire.smoke",
            C.FIRE,
            r"smoke|smoky",
            "smoke in the hallway",
            unless=SMOKE_ROUTINE,
        ),
        HazardRule(
            "en.fire.smoking_thing",
            C.FIRE,
            r"(?:outlet|outlets|plug|socket|panel|breaker|wiring|extension cord|cord|appliance"
            r"|stove|oven|dryer|heater|microwave|engine|hood|roof|wall|walls|building|house"
            r"|car|box) (?:is |are |keeps |started |just )?(?:sparking|smoking|melting"
            r"|smou?ldering)",
            "the outlet is sparking",
            unless_near=r"marijuana|weed|pot|cigarettes?|cigars?|vape|vaping|joint|blunt",
        ),
        HazardRule(
            "en.fire.explosion",
            C.FIRE,
            r"explosions?|exploded|explode|exploding|blew up",
            "an explosion at the building",
            unless=r"fireworks|firecrackers|m80s?|balloons?|popped|phone|inbox|notifications",
            unless_near=r"water|pipes?|toilet|faucet|tap",
        ),
        HazardRule(
            "es.fire.quemando",
            C.FIRE,
            r"se (?:esta |estan |estaba )?(?:quemando|incendiando|quema|queman|incendia"
            r"|incendio|quemo|prendio fuego|prendio en fuego)|agarr[oa] fuego|prendio fuego",
            "se esta quemando la casa",
            unless_near=r"focos?|bombillas?|bombillos?|luz|luces|lamparas?|fusibles?|foquitos?",
        ),
        HazardRule(
            "es.fire.llamas",
            C.FIRE,
            r"en llamas|las llamas|unas llamas|llamas (?:salen|saliendo|grandes|enormes|altas"
            r"|por)|(?:salen|saliendo|hay|veo) llamas|flamas|ardiendo|arde",
            "el carro esta en llamas",
        ),
        HazardRule(
            "es.fire.word",
            C.FIRE,
            r"fuego|incendio|incendios",
            "hay fuego en la cocina",
        ),
        HazardRule(
            "es.fire.humo",
            C.FIRE,
            r"humo|humareda",
            "sale humo del techo",
            unless=SMOKE_ROUTINE,
        ),
        HazardRule(
            "es.fire.quemado",
            C.FIRE,
            r"(?:huele|huelo|olor|oler|uele|holor) (?:muy |mucho |fuerte |bien )*(?:a |de )"
            r"(?:quemado|algo quemado|cable quemado|plastico quemado)",
            "huele a quemado en la pared",
            unless=SMOKE_ROUTINE,
        ),
        HazardRule(
            "es.fire.chispas",
            C.FIRE,
            r"(?:enchufe|enchufes|tomacorriente|contacto|panel|breaker|estufa|horno|secadora"
            r"|calentador|medidor|motor) (?:esta |estan )?(?:echando|sacando|soltando|con|echa"
            r"|saca|suelta) (?:chispas|humo|fuego)",
            "el enchufe esta echando chispas",
        ),
        HazardRule(
            "es.fire.explosion",
            C.FIRE,
            r"explosion|exploto|estallo|estallido|exploto",
            "hubo una explosion en el edificio",
            unless=r"cohetes|globos?",
        ),
    ),
)


GAS = Family(
    triggers=("gas", "propane"),
    rules=(
        HazardRule(
            "en.gas.smell",
            C.GAS,
            r"(?:smell|smells|smelled|smelling|smel|smeel|smel+s|odou?rs?|stench|stink|stinks"
            r"|stinking|reeks?|reeking) <gap3>(?:of |like )?(?:(?:natural |propane )?gas{1,2}"
            r"|propane)"
            r"|(?:smell|smells|smelling|odou?r) (?:of |like )rotten eggs",
            "I smell gas in the kitchen",
        ),
        HazardRule(
            "en.gas.leak",
            C.GAS,
            r"(?:natural |propane )?gas{1,2} (?:smell|smells|smelling|odou?rs?|leaks?|leaking"
            r"|leakin|leek|leeks|leakage|escaping|hissing|coming out|is leaking|is escaping"
            r"|everywhere)",
            "gas leak on our street",
        ),
        HazardRule(
            "en.gas.leaking",
            C.GAS,
            r"(?:leaking|hissing|escaping) (?:natural )?gas",
            "there is leaking gas at the meter",
            unless_near=r"abandoned|fuel|license plate|make of",
        ),
        HazardRule(
            "en.gas.line_hit",
            C.GAS,
            r"(?:hit|broke|broken|ruptured|cut|struck|damaged|busted|punctured) (?:into )?"
            r"(?:a |the )?(?:natural )?gas (?:line|main|pipe|service|meter)"
            r"|gas (?:line|main|pipe|meter) (?:is |was |just )?(?:broken|broke|burst|ruptured|hit"
            r"|damaged|busted|leaking|hissing|cracked)",
            "the crew hit a gas line",
        ),
        HazardRule(
            "es.gas.olor",
            C.GAS,
            r"(?:huele|huelo|olor|oler|uele|holor|olores|apesta) <gap3>(?:a |de )?gas",
            "huele a gas en la casa",
        ),
        HazardRule(
            "es.gas.fuga",
            C.GAS,
            r"(?:fuga|fugas|escape|escapes|perdida|salida) de gas|gas (?:saliendo|escapando"
            r"|se esta saliendo|se sale|esta saliendo)|(?:saliendo|sale|se sale|se esta saliendo"
            r"|escapando|se escapa) (?:el )?gas",
            "hay una fuga de gas",
        ),
        HazardRule(
            "es.gas.tuberia",
            C.GAS,
            r"(?:rompieron|rompio|golpearon|golpeo|perforaron|perforo|se rompio|danaron|dano)"
            r" (?:una |la |el |un )?(?:tuberia|linea|toma|caneria|tubo|conducto|medidor) de gas"
            r"|(?:tuberia|linea|caneria|tubo) de gas (?:rota|roto|danada|rompida)",
            "rompieron una tuberia de gas",
        ),
    ),
)


CARBON_MONOXIDE = Family(
    triggers=("monox", "co "),
    rules=(
        HazardRule(
            "en.co.alarm",
            C.CARBON_MONOXIDE,
            r"(?:carbon monoxide|co|c o) (?:alarms?|detectors?|monitors?|sensors?) <gap>"
            r"(?:going off|went off|goes off|go off|sounding|beeping|ringing|alarming"
            r"|activated|is on)",
            "the carbon monoxide alarm is going off",
            unless=r"batter(?:y|ies)|chirp\w*|low batt\w*|replace|install\w*|free|expired"
            r"|test|testing|need(?:s)? (?:a )?new",
        ),
        HazardRule(
            "en.co.presence",
            C.CARBON_MONOXIDE,
            r"carbon monoxide (?:leak|leaking|poisoning|in (?:the|my|our|this))"
            r"|high (?:carbon monoxide|co) (?:levels?|readings?)",
            "carbon monoxide in the apartment",
        ),
        HazardRule(
            "es.co.alarma",
            C.CARBON_MONOXIDE,
            r"(?:alarmas?|detector|detectores|sensor|sensores|monitor) de (?:monoxido"
            r"(?: de carbono)?|co) <gap>(?:sonando|suena|sono|se activo|activad[oa]"
            r"|pitando|pita|se prendio|se disparo)",
            "la alarma de monoxido de carbono esta sonando",
            unless=r"baterias?|pilas?|cambiar|instalar|gratis|nuevo|nueva",
        ),
        HazardRule(
            "es.co.presencia",
            C.CARBON_MONOXIDE,
            r"monoxido de carbono (?:en|adentro|dentro)|(?:intoxicacion|envenenamiento)"
            r" (?:por|de|con) monoxido",
            "hay monoxido de carbono en la casa",
        ),
    ),
)
