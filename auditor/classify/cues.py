"""Cue phrases written from the codebook, in English, French and Spanish.

Each cue group is a list of phrases matched on lower-cased tokens by spaCy's
PhraseMatcher, so "agricultural" never matches "cultural" and "film" is a
word, not a substring. Label logic (which groups must co-occur in one
sentence) lives in ``rules.py``; the phrases live here as data.
"""

from __future__ import annotations

CUES: dict[str, dict[str, list[str]]] = {
    # ---- e-commerce and digital products
    "EC_CORE": {
        "en": ["electronic commerce", "e-commerce", "ecommerce", "digital trade", "electronic transactions",
               "electronic transaction", "electronic authentication", "electronic signature", "electronic signatures",
               "digital certificates", "online consumer", "online consumers", "consumers online",
               "paperless trading", "unsolicited commercial electronic messages", "unsolicited commercial electronic",
               "spam", "cross-border transfer of information", "transfer of information by electronic means",
               "location of computing facilities", "computing facilities", "source code", "access to and use of the internet",
               "internet interconnection", "online personal information", "personal information of users of electronic commerce",
               "trade conducted by electronic means", "trade by electronic means", "electronic trade", "digital economy",
               "electronic invoicing", "electronic payments", "net neutrality", "open government data",
               "electronic means of trade", "e-commerce chapter", "trade administration documents"],
        "es": ["comercio electrónico", "comercio electronico", "comercio digital", "firma electrónica", "firmas electrónicas",
               "autenticación electrónica", "transacciones electrónicas", "consumidores en línea", "protección al consumidor en línea",
               "comercio sin papel", "comercio sin papeles", "mensajes comerciales electrónicos no solicitados",
               "transferencia transfronteriza de información", "ubicación de las instalaciones informáticas",
               "instalaciones informáticas", "código fuente", "certificados digitales", "documentos de administración del comercio"],
        "fr": ["commerce électronique", "commerce numérique", "signature électronique", "signatures électroniques",
               "authentification électronique", "transactions électroniques", "consommateurs en ligne",
               "commerce sans papier", "messages électroniques commerciaux non sollicités", "installations informatiques",
               "code source", "transfert transfrontière d'informations"],
    },
    "DP_CORE": {
        "en": ["digital product", "digital products", "electronic transmission", "electronic transmissions",
               "transmitted electronically", "carrier medium", "carrier media", "electronically transmitted",
               "products delivered electronically", "content transmitted electronically"],
        "es": ["producto digital", "productos digitales", "transmisión electrónica", "transmisiones electrónicas",
               "transmitidos electrónicamente", "medio portador", "medios portadores"],
        "fr": ["produit numérique", "produits numériques", "transmission électronique", "transmissions électroniques",
               "transmis électroniquement", "support matériel"],
    },
    # ---- culture
    "CULT_SECTOR": {
        "en": ["cultural industries", "cultural industry", "culture", "cultural", "audiovisual", "audio-visual",
               "broadcasting", "broadcast", "radio", "television", "programming", "publishing",
               "music", "film", "films", "cinema", "cinematographic", "cultural goods", "cultural services",
               "cultural institutions", "cultural professionals", "creative sectors", "creative economy",
               "cultural policies", "cultural policy", "creative industries", "creative arts", "artists",
               "media", "books", "magazines", "newspapers", "sound recordings", "video", "cultural expressions",
               "cultural diversity", "arts", "cultural activities", "cultural heritage", "programme material",
               "cable distribution", "cultural sector", "cultural sectors", "entertainment services", "heritage"],
        "es": ["industrias culturales", "industria cultural", "cultura", "cultural", "culturales", "audiovisual",
               "audiovisuales", "radiodifusión", "radio", "televisión", "editorial", "música", "cine",
               "cinematográfica", "cinematográficas", "películas", "bienes culturales", "servicios culturales",
               "políticas culturales", "industrias creativas", "artistas", "medios de comunicación", "libros",
               "expresiones culturales", "diversidad cultural", "patrimonio cultural", "artes"],
        "fr": ["industries culturelles", "industrie culturelle", "culture", "culturel", "culturelle", "culturels",
               "culturelles", "audiovisuel", "audiovisuels", "audiovisuelle", "radiodiffusion", "radio", "télévision",
               "édition", "musique", "cinéma", "cinématographique", "films", "biens culturels", "services culturels",
               "politiques culturelles", "artistes", "médias", "livres", "expressions culturelles", "diversité culturelle",
               "patrimoine culturel", "arts"],
    },
    "CARVE": {
        "en": ["shall not apply", "does not apply", "do not apply", "not apply", "shall not be applied", "excluded",
               "exclude", "excludes", "excluding", "exempt", "exempted", "exemption", "exemptions", "nothing in this",
               "shall not be construed", "shall not prevent", "not prevent", "not preclude", "right to adopt",
               "right to preserve", "reserve the right", "reserves the right", "does not include", "shall not include",
               "not covered", "not be covered", "carve-out", "except", "exception", "exceptions", "not be subject",
               "shall not be subject", "flexibility", "ability to preserve", "to preserve, develop and implement",
               "compatible", "notwithstanding", "not affect", "shall not affect", "outside the scope",
               "preserve and promote", "without prejudice", "other than broadcasting"],
        "es": ["no se aplicará", "no se aplica", "no aplicará", "no aplica", "excluidos", "excluidas", "excluye",
               "excluyen", "exento", "exentos", "exención", "ninguna disposición", "nada de lo dispuesto",
               "nada en este", "se interpretará", "no impedirá", "derecho a adoptar", "se reserva el derecho",
               "no incluye", "no incluirá", "excepción", "excepciones", "no estará sujeto", "no estarán sujetos",
               "sin perjuicio"],
        "fr": ["ne s'applique pas", "ne s'appliquent pas", "exclu", "exclus", "exclue", "exclues", "exclut",
               "exempté", "exemption", "aucune disposition", "n'empêche", "droit d'adopter", "se réserve le droit",
               "n'inclut pas", "exception", "exceptions", "sans préjudice"],
    },
    "HERITAGE_ONLY": {
        "en": ["national treasures", "artistic, historic or archaeological value", "cultural property",
               "cultural heritage", "archaeological", "antiques", "heritage"],
        "es": ["tesoros nacionales", "patrimonio nacional", "valor artístico, histórico o arqueológico", "patrimonio cultural",
               "bienes culturales", "arqueológico"],
        "fr": ["trésors nationaux", "valeur artistique, historique ou archéologique", "patrimoine culturel", "archéologique"],
    },
    # "Cultural" as one adjective in a list of aims is not culture (codebook: cultural_cooperation).
    "PASSING": {
        "en": ["economic, social and cultural", "social and cultural development", "economic and cultural development",
               "social, economic and cultural", "political, economic, social and cultural", "economic, social, cultural",
               "social, cultural", "cultural and economic development", "economic, social and cultural rights",
               "scientific, cultural and economic development", "cultural diversity at work", "cultural and natural links",
               "cultural and educational", "educational and cultural", "scientific and cultural", "cultural and scientific",
               "economic, cultural, social", "economic, cultural", "sports", "sport", "competition culture",
               "culture of competition", "culture of transparency", "culture of compliance", "culture of peace", "business culture", "corporate culture", "safety culture",
               "security culture", "tourist industries", "tourism industry", "tourism industries",
               # where procurement notices are published, not the media sector
               "electronic or paper media", "paper or electronic media", "designated electronic media"],
        "es": ["económico, social y cultural", "económica, social y cultural", "desarrollo social y cultural",
               "social y cultural", "económicos, sociales y culturales", "educativa y cultural", "científica y cultural"],
        "fr": ["économique, social et culturel", "économique, sociale et culturelle", "social et culturel",
               "économiques, sociaux et culturels", "scientifique et culturelle"],
    },
    "CONVENTION": {
        "en": ["convention on the protection and promotion of the diversity of cultural expressions",
               "protection and promotion of the diversity of cultural expressions", "2005 unesco convention",
               "unesco convention on cultural diversity", "unesco 2005 convention",
               "convention on cultural diversity", "2005 convention"],
        "es": ["convención sobre la protección y la promoción de la diversidad de las expresiones culturales",
               "convención sobre la protección y promoción de la diversidad de las expresiones culturales",
               "protección y promoción de la diversidad de las expresiones culturales", "convención de la unesco de 2005"],
        "fr": ["convention sur la protection et la promotion de la diversité des expressions culturelles",
               "protection et la promotion de la diversité des expressions culturelles", "convention de l'unesco de 2005"],
    },
    "UNESCO_CONV": {
        "en": ["unesco convention", "convention of unesco", "unesco's convention"],
        "es": ["convención de la unesco", "convención unesco"],
        "fr": ["convention de l'unesco", "convention unesco"],
    },
    "CDIV": {
        "en": ["cultural diversity", "diversity of cultural expressions", "cultural identity", "cultural identities",
               "dual nature", "cultural and linguistic diversity", "cultural value", "cultural values",
               "importance of culture", "cultural specificity", "specificity of cultural", "intercultural dialogue",
               "cultural dimension", "cultural and economic", "economic and cultural nature",
               "diversity of culture", "cultural policies", "cultural policy"],
        "es": ["diversidad cultural", "diversidad de las expresiones culturales", "identidad cultural",
               "identidades culturales", "doble naturaleza", "políticas culturales", "diálogo intercultural"],
        "fr": ["diversité culturelle", "diversité des expressions culturelles", "identité culturelle",
               "identités culturelles", "double nature", "politiques culturelles", "dialogue interculturel"],
    },
    "COOP": {
        "en": ["cooperation", "co-operation", "cooperate", "co-operate", "collaboration", "collaborate",
               "exchanges", "exchange", "co-production", "co-productions", "coproduction", "coproductions",
               "co-distribution", "dialogue", "mobility", "protocol on cultural cooperation",
               "committee on cultural cooperation", "cooperation activities", "cooperative activities"],
        "es": ["cooperación", "cooperar", "colaboración", "intercambios", "intercambio", "coproducción",
               "coproducciones", "diálogo", "movilidad"],
        "fr": ["coopération", "coopérer", "collaboration", "échanges", "échange", "coproduction", "coproductions",
               "dialogue", "mobilité"],
    },
    # Softer verbs of support: a signal for the model, never a label by themselves.
    "SUPPORT": {
        "en": ["promote", "promotion of", "foster", "encourage", "support", "facilitate", "strengthen", "develop",
               "joint", "assistance", "programmes", "programs", "projects"],
        "es": ["promover", "promoción", "fomentar", "fomento", "apoyar", "apoyo", "facilitar", "fortalecer",
               "programas", "proyectos"],
        "fr": ["promouvoir", "promotion", "favoriser", "encourager", "soutenir", "soutien", "faciliter", "renforcer",
               "programmes", "projets"],
    },
    "COPRODUCTION": {
        "en": ["co-production", "co-productions", "coproduction", "coproductions", "co-produced", "co-distribution",
               "cultural cooperation", "cultural exchanges", "cultural exchange", "protocol on cultural cooperation"],
        "es": ["coproducción", "coproducciones", "cooperación cultural", "intercambios culturales", "intercambio cultural"],
        "fr": ["coproduction", "coproductions", "coopération culturelle", "échanges culturels"],
    },
    "DEV": {
        "en": ["developing", "least-developed", "least developed", "ldc", "ldcs", "newer asean member states",
               "developing countries", "developing parties", "cambodia, lao pdr, and myanmar", "cambodia", "lao pdr",
               "myanmar", "viet nam", "vietnam", "brunei", "brunei darussalam", "malaysia",
               "octs", "oct", "overseas countries and territories", "acp", "acp states", "cariforum", "cariforum states",
               "signatory cariforum states", "small island developing states"],
        "es": ["en desarrollo", "menor desarrollo", "menos adelantados", "menos desarrollados", "malasia", "vietnam",
               "brunéi", "brunéi darussalam", "camboya", "myanmar"],
        "fr": ["en développement", "moins avancés"],
    },
    "PREF": {
        "en": ["transition period", "transitional period", "shall not be obliged", "not be obliged", "shall not be required",
               "not be required", "defer", "deferred", "technical assistance", "capacity building", "capacity-building",
               "special and differential", "preferential treatment", "preferential", "flexibility", "not be subject to",
               "shall not be subject to dispute settlement", "for a period of", "years after the date of entry into force",
               "years after entry into force", "until", "market access", "not required to apply", "are not required",
               "is not required", "before the date on which", "more favourable treatment",
               "special treatment", "differential treatment", "grace period", "entry and temporary stay",
               "facilitate the entry"],
        "es": ["período de transición", "periodo de transición", "no estará obligado", "no estarán obligados",
               "asistencia técnica", "creación de capacidades", "fortalecimiento de capacidades", "trato especial y diferenciado",
               "trato preferencial", "preferencial", "no están obligados", "no está obligado", "no estará sujeto",
               "no estarán sujetos", "por un período de", "antes de la fecha", "trato más favorable"],
        "fr": ["période de transition", "ne sera pas tenu", "assistance technique", "renforcement des capacités",
               "traitement spécial et différencié", "traitement préférentiel", "préférentiel"],
    },
    # Assistance offered to a Party: an instrument of preference only next to a developing beneficiary
    # and to culture or digital trade (codebook: technical assistance, capacity building).
    "AID": {
        "en": ["assistance", "assist", "support", "capacity", "capacities", "help", "training", "financing",
               "financial resources"],
        "es": ["asistencia", "apoyo", "apoyar", "capacidad", "capacidades", "capacitación", "ayuda", "financiamiento",
               "financiación"],
        "fr": ["assistance", "soutien", "appui", "soutenir", "capacité", "capacités", "formation", "aide",
               "financement"],
    },
    "R2R": {
        "en": ["right to regulate", "general exceptions", "general exception", "article xx of gatt", "article xx of the gatt",
               "article xx of gatt 1994", "article xiv of gats", "article xiv of the gats", "legitimate public policy objectives",
               "legitimate policy objectives", "public policy objectives", "prudential reasons",
               "necessary to protect public morals", "protect public morals", "human, animal or plant life or health",
               "public morality, public policy or public security", "policy space", "regulatory autonomy",
               "regulatory flexibility", "right to adopt", "right of each party to regulate", "right of the parties to regulate",
               "preserve the flexibility", "capacity to regulate", "ability to regulate", "rights to regulate",
               "safeguard the public welfare", "flexibility to safeguard"],
        "es": ["derecho a regular", "derecho de regular", "excepciones generales", "artículo xx del gatt",
               "artículo xiv del agcs", "objetivos legítimos de política pública", "objetivos legítimos de política",
               "medidas prudenciales", "razones prudenciales", "moral pública", "vida o la salud de las personas",
               "proteger la moral", "bienestar público"],
        "fr": ["droit de réglementer", "exceptions générales", "article xx du gatt", "article xiv de l'agcs",
               "objectifs légitimes de politique publique", "mesures prudentielles", "moralité publique"],
    },
}

# Customs duties, the subject of the codebook's first kind of digital-products provision (the
# moratorium on duties on electronic transmissions). A regular expression: also read by attributes.py.
CUSTOMS_DUTIES = r"customs\s+dut|derechos\s+aduaneros|aranceles\s+aduaneros|derechos\s+de\s+aduana|droits\s+de\s+douane"

# How a provision keeps policy space: an exception, a "nothing in ... shall prevent", a right or
# flexibility to regulate. Regular expressions over the whole provision (lower case), because these
# frames vary too much for phrase lists. Codebook: right_to_regulate preserves the capacity to
# regulate; an SPS objective "protecting human, animal or plant life or health" or a licence that
# "may only be refused for prudential reasons" names a policy aim but keeps no space for it.
POLICY_SPACE_FRAMES: dict[str, list[str]] = {
    "en": [r"nothing\s+in", (r"(?:shall|does|do|should|will|may)\s+not\s+(?:be\s+construed\s+to\s+)?"
                              r"(?:prevent|preclude|limit|restrict|affect)"), r"not\s+be\s+(?:construed|prevented)",
           r"prevent\s+(?:a|any|the|either|each)\s+part", r"preclud", r"exception", r"exempt",
           r"rights?\s+(?:to|of)\b", r"(?:ability|capacity|authority)\s+to", r"flexibilit", r"policy\s+space",
           r"regulatory\s+autonomy", r"article\s+x[xi]v?\b", r"(?:reserves?|retains?)\s+the\s+right", r"sovereign",
           r"justified\s+on\s+the\s+grounds"],
    "es": [r"ninguna\s+disposición", r"nada\s+de\s+lo\s+dispuesto", r"no\s+se\s+interpretará", r"impedir", r"impida",
           r"excepci", r"derecho", r"artículo\s+x[xi]v?\b", r"flexibilidad", r"facultad", r"no\s+obstante",
           r"podrán\s+adoptar"],
    "fr": [r"aucune\s+disposition", r"interprét", r"empêch", r"exception", r"droit", r"article\s+x[xi]v?\b",
           r"flexibilité", r"conserv", r"faculté", r"justifié"],
}

# Words that pass a provision to the classifier at all. A provision without any
# of these stems cannot carry a codebook label; skipping it keeps whole-corpus
# runs fast and keeps precision on whole agreements.
GATE_STEMS = [
    "electr", "digital", "e-commerce", "ecommerce", "online", "internet", "paperless", "computing", "source code",
    "cultur", "audio", "broadcast", "radio", "televis", "film", "cinem", "music", "publish", "artist", "creative",
    "media", "unesco", "coproduc", "co-produc", "heritage", "treasure", "regulat", "exception", "article xx",
    "article xiv", "prudential", "public polic", "public moral", "developing", "least", "capacity", "preferen",
    "numériq", "électron", "electrón", "cine", " arts", "diversi", "excepci", "artículo xx", "moral", "policy",
    "polític", "politique", "entertainment", "nothing in this", "legitimate", "right to", "necessary to protect",
    "ninguna disposición", "nada de lo dispuesto", "derecho a", "aucune disposition", "droit de",
]
