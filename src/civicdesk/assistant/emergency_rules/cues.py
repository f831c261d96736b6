"""The words around a hazard that change what it means: routine phrases blanked before any rule
runs, and the cues that cancel a hazard (negation, a worry or near miss, the past, a habit, an
emergency already over). Written in folded form; see the package docstring."""

MACROS = {
    "my": r"(?:my|our|the|his|her|their|a|an|this|that|your|some)",
    "be": r"(?:is|are|was|were|am|be|been|being|s|re|'s|'re)",
    "person": (
        r"(?:someone|somebody|some one|anyone|person|people|persons|man|men|woman|women|guy|guys"
        r"|lady|ladies|kid|kids|child|children|boy|boys|girl|girls|baby|toddler|teen|teenager"
        r"|pedestrian|pedestrians|cyclist|cyclists|bicyclist|biker|bikers|bike rider|rider"
        r"|driver|drivers|passenger|passengers|jogger|runner|worker|workers|student|students"
        r"|neighbou?r|tenant|resident|senior|elderly|old man|old lady|victim|he|she|they"
        r"|he'?s|she'?s|they'?re|hes|shes|theyre|him|them|son|daughter|mom|mother|dad|father"
        r"|wife|husband|friend|brother|sister|grandmother|grandfather|grandma|grandpa"
        r"|roommate|partner|boyfriend|girlfriend|customer|patient)"
    ),
    "persona": (
        r"(?:alguien|persona|personas|gente|hombre|hombres|mujer|mujeres|senor|senora|senores"
        r"|nino|nina|ninos|ninas|joven|jovenes|chico|chica|muchacho|muchacha|anciano|anciana"
        r"|bebe|peaton|peatones|ciclista|ciclistas|conductor|conductora|motociclista|pasajero"
        r"|pasajeros|trabajador|trabajadores|estudiante|vecino|vecina|hijo|hija|mama|papa"
        r"|madre|padre|esposo|esposa|abuelo|abuela|hermano|hermana|amigo|amiga|el|ella"
        r"|ellos|victima)"
    ),
    "home": (
        r"(?:house|houses|home|homes|basement|apartment|apartments|apt|building|unit|first floor"
        r"|ground floor|kitchen|living room|bedroom|bedrooms|garage|cellar|room|rooms|hallway"
        r"|lobby|walls?|doors?|front door|back door|windows?|ceiling|floor|floors|place)"
    ),
    "casa": (
        r"(?:casa|casas|sotano|apartamento|apartamentos|departamento|cocina|edificio|primer piso"
        r"|planta baja|sala|cuarto|cuartos|recamara|garaje|hogar|vivienda|viviendas|puerta"
        r"|puertas|ventanas?|paredes|pared|pasillo)"
    ),
    "vehicle": (
        r"(?:car|cars|truck|trucks|bus|vehicle|van|suv|driver|motorcycle|train|cab|taxi"
        r"|motorist|moped|scooter|pickup|jeep)"
    ),
    "water_body": (
        r"(?:river|lake|pond|harbor|harbour|ocean|sea|canal|reservoir|water|ice|creek|bay"
        r"|channel|pool|current|rio|lago|mar|agua|estanque|piscina|alberca|presa|laguna|bahia"
        r"|puerto|hielo|playa)"
    ),
    "gap": r"(?:[\w']+ ){0,2}?",
    "gap3": r"(?:[\w']+ ){0,3}?",
    "line_kind": (
        r"(?:power|electric|electrical|electricity|utility|live|high voltage|high tension"
        r"|overhead|hydro)"
    ),
}

# Routine phrases that contain a hazard word. They are blanked out before any rule runs, so
# "fire hydrant" never counts as fire and "gas station" never as gas. Each group runs only when
# the text contains one of its key words.
MASKS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("fire",): (
        r"fire ?(?:hydrants?|lanes?|escapes?|exits?|doors?|station|stations|house|houses|dept"
        r"|department|departments|fighters?|fighting|m[ae]n|trucks?|engines?|chief|marshall?"
        r"|inspectors?|inspections?|codes?|safety|drills?|prevention|extinguishers?|alarms?"
        r"|pits?|place|places|wood|works|proof|retardant|insurance|sprinklers?|box|boxes"
        r"|command|watch|road|roads|access|apparatus|tow|zones?|hazards?|risk|permits?"
        r"|damaged?|globe|plug|plugs|signs?|curb|line|lines|report|reports|map"
        r"|emergency ?lanes?|emergency access|call ?box(?:es)?|poles?|lights?|lamps?"
        r"|connections?|standpipes?|sections?|regulations?|violations?|officials?|h[iy]d\w*"
        r"|vehicles?|gates?|land|only|pipes?|suppression|protection|refuge|says|said|told"
        r"|hoses?|sites?|h\w{2,5}nts?|traps?|details?|ordinances?)",
        r"fire emergency (?:[a-z]+ )?(?:zone|lane|lanes|access|route|street|road|way)",
        r"(?:situation|people|residents) in a fire|in the event of (?:a )?fire"
        r"|in case of (?:a )?fire",
        r"fire (?:and|&|or) (?:safety|police|ambulance|emergency|rescue|health|building|life"
        r"|emt|ems|bus|medical|garbage|trash|delivery|service|truck|trucks)",
        r"(?:to|will|gonna|should|must|please|can|could|would|and|i'?ll|we'?ll) fire (?:him"
        r"|her|them|my|the|our|this|that|his|their|your)|(?:please|should|must|gonna) fire",
        r"(?:tow|no parking|fire department|fire dept) zone",
        r"fire up the (?:grill|bbq|barbecue)",
    ),
    ("explo",): (r"explosion (?:hazard|risk)|risk of (?:an )?explosion",),
    ("smok",): (
        r"(?:to|allowed to|let them|people|they|employees|workers|kids|teens|guys"
        r"|students) smoke",
        r"smoke (?:alarms?|detectors?|monitors?|shops?|shop's|breaks?|free|stacks?)",
        r"(?:second ?hand|cigarette|cigar|weed|marijuana|pot|vape|hookah) smoke",
    ),
    ("flam",): (r"flames? (?:restaurant|grill|bar|cafe|pizza|hockey|game|team|jersey)",),
    ("burn", "blown"): (
        r"(?:burn(?:ed|t)|blown) out",
        r"burn (?:permit|ban|barrel)",
    ),
    ("gas",): (
        r"(?:natural )?gas (?:stations?|prices?|grills?|cans?|caps?|tanks?|bills?|company"
        r"|companies|powered|pumps?|mileage|money|guzzlers?|pedal|card|mowers?|blowers?"
        r"|generators?|utility|crews?|trucks?|meter reading|heat)",
        r"gas (?:lines?|mains?|pipes?) (?:work|construction|replacement|projects?|upgrades?"
        r"|repairs?|installation|crews?)",
        r"(?:sewer|tear|laughing|greenhouse|exhaust|marsh|swamp|nerve|bus) gas",
        r"(?:out of|passing|pass) gas",
        r"(?:estacion|estaciones|recibo|factura|cuenta|compania|empresa|precio|precios|tanque"
        r"|bombona|cilindro|parrilla|asador|lata|contrato) (?:de|del) gas",
        r"(?:trabajos?|obras?|construccion|reparacion|reparaciones) (?:de|en) (?:la "
        r"|el )?(?:linea|tuberia|red) de gas",
        r"gases? (?:del|de) (?:escape|alcantarilla|drenaje|cloaca)",
    ),
    ("wire", "line", "cable"): (
        r"(?:telephone|phone|cable tv|tv|internet|fiber|fibre|comcast|verizon|fios|rcn|xfinity"
        r"|coax|coaxial|clothes|laundry|fishing|dog|barbed|chicken|fence|cable|guy|guide"
        r"|support|anchor|tie|tension) (?:wires?|lines?|cables?)",
        r"cables? (?:de|del) (?:internet|television|tele|tv|telefono|cable|fibra)",
    ),
    ("gun", "knife"): (
        r"(?:nail|glue|staple|water|squirt|toy|nerf|heat|radar|spray|paint|caulk|caulking"
        r"|grease|hot glue|massage|bb|airsoft|paintball|foam|bubble|label|starting) guns?",
        r"(?:gun|knife) (?:shops?|stores?|shows?|range|club|permits?|licen[cs]es?|control)",
    ),
    ("shoot",): (
        r"shooting (?:hoops|baskets|a video|videos?|photos|pictures|a film|films?|a movie"
        r"|movies?|range|stars?|gallery)",
        r"(?:photo|film|video|movie|fashion) ?shoots?",
        r"shooting (?:out|up|from|heroin|drugs|dope)",
        r"shoot(?:ing)? (?:hoops|baskets|photos|pictures|videos?|a video|a film|some hoops)",
    ),
    ("ambulanc",): (
        r"ambulance (?:zone|lane|only|parking|bay|entrance|route|access|had to|could|couldn'?t"
        r"|can'?t|cannot)",
        r"(?:zona|carril|estacionamiento|entrada) de ambulancias?|solo ambulancias?",
    ),
    ("waiting",): (r"(?:accidents?|crash(?:es)?|disaster|tragedy) waiting to happen",),
    ("sure", "know", "no se", "segur"): (
        r"(?:not sure|unsure|don'?t know|dont know|no se|no estoy seguro"
        r"|no estoy segura) (?:if|whether|si)",
    ),
    ("injur",): (r"(?:no|zero) injur(?:y|ies)|injur(?:y|ies) none",),
    ("incendio",): (
        r"(?:boca|bocas|salida|salidas|escalera|escaleras|alarma|alarmas|inspeccion"
        r"|inspecciones|prevencion|peligro|riesgo|seguro|puerta|puertas) (?:de"
        r"|contra) incendios?",
    ),
    ("bombero",): (
        r"(?:estacion|estaciones|carril|carriles|zona|zonas|camion|camiones|departamento"
        r"|cuerpo|reporte|informe) de bomberos",
    ),
    ("fuego",): (
        r"fuegos? artificiales",
        r"armas? de fuego",
    ),
    ("humo",): (r"(?:detector|detectores|alarma|alarmas|sensor|sensores) de humo",),
    ("pistola",): (
        r"pistolas? (?:de|para) (?:clavos|agua|silicon|silicona|pintura|juguete|calor|grapas)",
    ),
}

NEGATIONS = frozenset(
    {
        "no", "not", "never", "nobody", "noone", "none", "nothing", "without", "isnt", "isn't",
        "wasnt", "wasn't", "arent", "aren't", "werent", "weren't", "dont", "don't", "doesnt",
        "doesn't", "didnt", "didn't", "nor", "neither", "zero", "nadie", "ningun", "ninguna",
        "ninguno", "sin", "nunca", "jamas", "tampoco", "ni", "nada",
    }
)  # fmt: skip
NEGATION_WINDOW = 3

# A hazard after one of these in its clause is a worry, a question or a near miss, not a fact.
MODAL = (
    r"will|would|could|might|should|gonna|going to|before|if|unless|afraid|worried|worry"
    r"|worries|fear|fears|scared|risk|danger of|hazard|hazards|potential|potentially|possible"
    r"|possibly|prevent|avoid|almost|nearly|near miss|in case|someday|eventually|chance|may"
    r"|hopefully|what to do|how do i|how to|safety tips|until|after|following|due to"
    r"|because of|terrified|forbid|waiting for|during|thought it was|people think|would think"
    r"|(?:issue|issues|problem|problems|complaints?"
    r"|questions?) (?:with|about|regarding)"
    r"|va a|van a|vas a|podria|podrian|pudiera|pueda|puedan|antes de que|en caso de|por si|casi"
    r"|peligro de|riesgo de|miedo|temo|me preocupa|preocupa|algun dia|evitar|prevenir|ojala|si"
    r"|que hacer|como hago"
)
PAST = (
    r"yesterday|last (?:night|week|weekend|month|year|time|spring|summer|fall|autumn|winter"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|storm|snow|rain)"
    r"|(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|few|several|couple|couple of"
    r"|many) (?:days?|weeks?|months?|years?) ago|days ago|weeks ago|months ago|years ago"
    r"|the other day|earlier this (?:week|month|year)|over the weekend|back in|used to"
    r"|previously|\d{1,2} \d{1,2} \d{2,4}|(?:over|in|during) the (?:past|last) (?:week|weeks"
    r"|month|months|year|years|few days|couple of days|couple of weeks)"
    r"|in the (?:fall|spring|summer|winter)|recent|recently|earlier|there had been"
    r"|in (?:early |late |mid )?(?:january|february|march|april|june|july|august|september"
    r"|october|november|december)"
    r"|(?:years?|months?|weeks?|days?) since|had (?:a|an)|on (?:monday|tuesday|wednesday"
    r"|thursday|friday|saturday|sunday)|on \d{1,2} \d{1,2}"
    r"|there has been|looks like there was|(?:in|since|around|during|of|back in) (?:[a-z]+ )?"
    r"(?:19|20)\d\d|(?:january|february|march|april|may|june|july|august|september|october"
    r"|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec) \d{1,2}"
    r"(?:st|nd|rd|th)?|el \d{1,2} de (?:enero|febrero|marzo|abril|mayo|junio|julio|agosto"
    r"|septiembre|octubre|noviembre|diciembre)"
    r"|ayer|anoche|anteayer|antier|(?:semana|mes|ano|lunes|martes|miercoles|jueves|viernes"
    r"|sabado|domingo|fin de semana|invierno|verano|primavera|otono|vez) pasad[oa]"
    r"|hace (?:\d+|un|una|unos|unas|dos|tres|cuatro|cinco|varios|varias|algunos|algunas"
    r"|muchos|muchas|mucho) (?:dias?|semanas?|mes|meses|anos?|tiempo)|hace tiempo|el otro dia"
)
HABITUAL = (
    r"every ?time|whenever|each time|always|every (?:day|night|morning|evening|afternoon|week"
    r"|weekend|month|year|winter|summer|storm|rain|monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday)|all the time|when it rains|keeps happening|on a (?:daily|weekly|regular)"
    r" basis|nightly|usually|regularly"
    r"|cada vez|siempre|todos los dias|todas las noches|todas las mananas|cada (?:dia|noche"
    r"|semana|mes|ano|invierno|tormenta|lluvia|lunes|martes|miercoles|jueves|viernes|sabado"
    r"|domingo)|cuando llueve|seguido|frecuentemente|a menudo|a diario"
)
# "Right now" outweighs a past or habitual cue in the same sentence ("it happened last year and
# now it is happening again").
PRESENT = (
    r"now|right now|just now|currently|at the moment|as we speak|in progress|ahora|ahorita"
    r"|ahora mismo|en este momento|en estos momentos|en curso"
)
RESOLVED = (
    r"(?:fire|it|flames?) (?:is|was|has been|got|were) (?:out|put out|extinguished)"
    r"|put (?:it |the fire )?out|extinguished|under control|false alarm|already (?:fixed"
    r"|repaired|handled|resolved|taken care of|been fixed|gone)|(?:on|at) (?:the )?scene"
    r"|(?:smoke|smell|it|fire) (?:went away|is gone|has gone|cleared|has cleared|dissipated)"
    r"|contained|(?:shut|turned) (?:the gas |it |the power |the water )?off"
    r"|ya (?:se )?(?:apago|apagaron|lo apagaron|la apagaron|esta apagad[oa]|esta controlad[oa]"
    r"|controlaron|arreglaron|repararon|paso)|falsa alarma"
)
# A negation whose reach is the whole clause before the hazard ("no sign of fire or smoke").
NEGATION_PHRASE = (
    r"no (?:sign|signs|evidence|trace|smell) of|no hay (?:senales|rastro|olor) de"
    r"|sin (?:senales|rastro) de"
)
CLAUSE_BREAK = r"but|however|although|though|pero|aunque|sin embargo"

CRASH = (
    r"crash|crashed|crashes|accident|accidents|collision|collisions|collided|wreck|wrecked"
    r"|pile ?up|hit and run|rollover|rolled over|flipped over|flipped|t ?boned|rear ?ended"
    r"|head ?on (?:collision|crash)|run over|ran over|mowed down"
    r"|choque|choques|chocaron|choco|accidente|accidentes|colision|volcadura|se volco|volcado"
    r"|atropell\w+|carambola|se estrello|estrellaron"
)

ANIMALS = (
    r"animal|animals|dog|dogs|puppy|cat|cats|kitten|bird|birds|duck|ducks|duckling|goose|geese"
    r"|pigeon|pigeons|raccoon|squirrel|deer|rabbit|possum|opossum|skunk|fox|coyote|rat|turtle"
    r"|swan|seagull|gull|hawk|owl|horse"
    r"|animales|perro|perros|perrito|gato|gatos|gatito|pajaro|pajaros|ave|aves|pato|patos"
    r"|paloma|palomas|mapache|ardilla|venado|conejo|zorrillo|zarigueya|rata|tortuga|caballo"
)

SMOKE_ROUTINE = (
    r"cigarettes?|cigars?|weed|marijuana|vape|vaping|hookah|smokers?|bus|buses|trucks?|exhaust"
    r"|tailpipe|idling|diesel|grill|grilling|bbq|barbecue|cookout|fireplace|chimney|wood stove"
    r"|fireworks|firecrackers|restaurant|factory|incinerator|leaves|bonfire|campfire|embers"
    r"|pits?"
    r"|cigarros?|cigarrillos?|fumar|fuman|fumando|fumadores|marihuana|autobus|autobuses"
    r"|camion|camiones|escape|mofle|parrilla|asador|carne asada|chimenea|fabrica|cohetes"
)
BURNING_ROUTINE = (
    r"leaves|trash|garbage|brush pile|firewood|candles?|incense|fireplace|grill|bbq|barbecue"
    r"|permit|fireworks|eyes|sensation|rubber|tires|calories|restaurant|exhaust"
)
SICKNESS = (
    r"sick|dizzy|nauseous|ill|coughing|vomiting|throwing up|eyes (?:are )?burning|burning eyes"
    r"|can'?t breathe|cant breathe|trouble breathing|hard to breathe|passing out|passed out"
    r"|se siente mal|se sienten mal|nos sentimos mal|me siento mal|mareados?|mareadas?"
    r"|enfermos?|enfermas?|tosiendo|vomitando|arden los ojos|ardor en los ojos"
    r"|no (?:puede|pueden|podemos|puedo) respirar"
)
CHEMICAL = (
    r"chemicals?|fumes|toxic|chlorine|ammonia|bleach|pesticides?|vapou?rs?|spill|acid"
    r"|quimic[oa]s?|toxic[oa]s?|cloro|amoniaco|vapores|derrame|acido|pesticidas?|fumigacion"
)

# Words that tell the two languages apart, for `EmergencyFinding.language`.
ENGLISH_WORDS = frozenset(
    {
        "the", "and", "is", "are", "of", "my", "our", "to", "it", "there", "this", "that", "at",
        "from", "with", "i", "you", "he", "she", "they", "we", "was", "not", "in", "on", "its",
        "it's", "someone", "please", "street", "house", "car", "help",
    }
)  # fmt: skip
SPANISH_WORDS = frozenset(
    {
        "el", "la", "los", "las", "de", "del", "y", "es", "hay", "un", "una", "mi", "que",
        "por", "con", "se", "al", "muy", "calle", "casa", "carro", "para", "pero", "donde",
        "ayuda", "alguien", "esta", "estan", "nadie",
    }
)  # fmt: skip
