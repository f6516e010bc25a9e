"""Heading grammar for English, French and Spanish treaties.

Only the shape of a line is judged here; whether a heading-shaped line really
opens an article (rather than being a wrapped cross-reference such as
"Article 10.8 (Reservations ...") is decided by the parser, which knows the
numbering so far.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from auditor.numbering import normalise_number

_NUMBER = (
    # Compound numbers: "I-1", "I.1", "1-01", "2-3" (chapter and article), "8.61-F" and "132-A" (inserted
    # articles: a hyphen and capitals, no spaces, so "5 - A Party" stays article 5).
    r"(?P<num>(?:\d{1,4}|[IVXLC]{1,7})(?:[.\-–]\d{1,3}){1,3}(?:-[A-Z]{1,2}(?![A-Za-z]))?(?![\d.]\d)"
    r"|\d{1,4}(?:\.\d{1,3}){0,3}-[A-Z]{1,2}(?![A-Za-z])"
    r"|\d{1,4}(?:\.\d{1,3}){0,3}(?:\s?(?:bis|ter|quater)|[A-Z](?![a-z]))?"
    r"|[IVXLC]{1,7}(?![A-Za-z])|[A-Z](?=\s*$|\s*[:.\-–—])"
    r"|(?i:(?:twenty|thirty|forty|fifty)(?:[- ]?(?:one|two|three|four|five|six|seven|eight|nine))?(?![A-Za-z]))"
    r"|(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|twenty|premier|première|1er|primero|primera|único|unico|unique)(?![A-Za-z]))"
)
_SEP = r"(?P<sep>\s*[:.\-–—]{1,2}\s*|\s+|$)"

# "Article – 1": some collections set a dash between the word and the number.
# "Artículo 1º", "ARTÍCULO 1°.-": an ordinal mark after the number.
ARTICLE = re.compile(rf"^\s*(?:ARTICLE|Article|ARTÍCULO|Artículo|ARTICULO|Articulo|Art\.)\s*(?:[–—-]\s*)?{_NUMBER}"
                     rf"(?:[º°ª]|o(?=$|[\s.:\-–—]))?{_SEP}(?P<title>.*)$")
CHAPTER = re.compile(rf"^\s*(?:CHAPTER|Chapter|CHAPITRE|Chapitre|CAPÍTULO|Capítulo|CAPITULO|Capitulo)\s+{_NUMBER}{_SEP}(?P<title>.*)$")
PART = re.compile(rf"^\s*(?P<word>PART|Part|PARTIE|Partie|PARTE|Parte|TITLE|Title|TITRE|Titre|TÍTULO|Título|TITULO|Titulo)\s+{_NUMBER}{_SEP}(?P<title>.*)$")
SECTION = re.compile(rf"^\s*(?:SECTION|Section|SECCIÓN|Sección|SECCION|Seccion)\s+{_NUMBER}{_SEP}(?P<title>.*)$")
SUBSECTION = re.compile(rf"^\s*(?:SUB-SECTION|Sub-section|Sub-Section|SUBSECTION|Subsection|SUBSECCIÓN|Subsección"
                        rf"|SOUS-SECTION|Sous-section)\s+{_NUMBER}{_SEP}(?P<title>.*)$")
ANNEX = re.compile(
    r"^\s*(?:ANNEX|Annex|ANNEXE|Annexe|ANEXO|Anexo|APPENDIX|Appendix|APÉNDICE|Apéndice)"
    r"(?:\s+(?P<num>[0-9]{1,3}[A-Z]?(?:[.\-][0-9A-Z]{1,3})?|[IVXLC]{1,6}|[A-Z]))?(?![A-Za-z0-9(])"
    r"(?P<sep>\s*[:.\-–—]\s*|\s+|$)(?P<title>.*)$"
)
PROTOCOL = re.compile(r"^\s*(?:PROTOCOL|PROTOCOLE|PROTOCOLO)(?:\s+(?P<num>\d{1,3}|[IVXLC]{1,6}|[A-Z]))?(?P<sep>\s*[:.\-–—]\s*|\s+|$)(?P<title>[A-Z ,\-]*)$")
# Side letters and exchanges of letters close many agreements; they are containers like annexes.
SIDE_LETTER = re.compile(r"^\s*(?P<head>SIDE LETTERS?|Side [Ll]etters?|EXCHANGE OF LETTERS|Exchange of [Ll]etters)"
                         r"(?P<sep>\s*[:.\-–—]\s*|\s+|$)(?P<title>.*)$")
# Joint declarations (of a Final Act, or after the annexes): titled, unnumbered, each a container of its own.
DECLARATION = re.compile(
    r"^\s*(?:(?:JOINT DECLARATION|Joint Declaration|DÉCLARATION COMMUNE|Déclaration commune|DECLARACIÓN CONJUNTA"
    r"|Declaración conjunta)\s+(?:relating to|on|concerning|regarding|by|of|in respect of|relative|relativa|sur|sobre"
    r"|RELATING TO|ON|CONCERNING|REGARDING|BY|OF)"
    # A declaration of one side says whose it is ("Declaration by Estonia concerning ..."), which "Declaration of
    # Origin" (an article on certification) does not.
    r"|(?:DECLARATION|Declaration)\s+(?:by|BY|concerning|CONCERNING|relating to|RELATING TO|of the (?:Community|European"
    r"|Commission|Council|Government|Parties|EFTA)|OF THE (?:COMMUNITY|EUROPEAN|COMMISSION|COUNCIL|GOVERNMENT|PARTIES)))"
    r"\s(?!.*\bmeans\b).{3,160}$")
PREAMBLE = re.compile(r"^\s*(PREAMBLE|Preamble|PRÉAMBULE|Préambule|PREÁMBULO|Preámbulo|PREAMBULO|Preambulo)\s*$")
FINAL_CLAUSE = re.compile(
    r"^\s*(IN WITNESS WHEREOF|In witness whereof|EN FE DE LO CUAL|En fe de lo cual|EN FOI DE QUOI|En foi de quoi"
    r"|EN TESTIMONIO DE LO CUAL|DONE (at|in) |Done (at|in) |HECHO en|Hecho en|FAIT à|Fait à)"
)
TOC = re.compile(r"^\s*(TABLE OF CONTENTS|Table of Contents|CONTENTS|Contents|ÍNDICE|Índice|INDICE|TABLE DES MATIÈRES"
                 r"|Table des matières|SOMMAIRE|Sommaire)\s*$")
ENUMERATOR = re.compile(r"^\s*(?:\(?[a-z]{1,2}\)|\(?[ivxlc]{1,6}\)|\(?\d{1,3}\)|\d{1,3}\.(?!\d)|[-•–]\s)")
PARAGRAPH_NUMBER = re.compile(r"^\s*(\d{1,3})\.(?!\d)\s+")


@dataclass(frozen=True)
class Heading:
    kind: str  # article | chapter | part | section | annex | protocol | preamble | final
    number: str | None
    title: str
    sep: str
    word: str = ""
    body: str = ""  # a run-in article: its first paragraph, on the heading line ("Article 2 - The products ...")


# A run-in title followed by the first numbered paragraph on the same line: "Tariff Elimination 1. Except ...".
_TITLE_THEN_PARAGRAPH = re.compile(r"^(?P<title>[^.;:]{3,100}?)\s+(?P<body>\(?1[.)]\s+\S.*)$")
_FIRST_PARAGRAPH = re.compile(r"^\(?1[.)]\s+\S")
RUN_IN_TITLE = 120  # a same-line "title" longer than this is the article's text


def _title_ok(title: str, sep: str) -> bool:
    """A same-line title must read like a title, not like the rest of a sentence."""
    t = title.strip()
    if not t:
        return True
    if t[0] in "(,;[" or t[0].islower():
        return False
    if t[:1].isdigit():
        return bool(_FIRST_PARAGRAPH.match(t))  # "Article 2 1. Sides do not impose ...": no title, paragraph 1 runs in
    return True


@lru_cache(maxsize=1 << 16)
def match_heading(line: str) -> Heading | None:
    """The heading a line is shaped as, if any. Cached: every stage of the parse asks about the same lines."""
    text = line.strip()
    if text.startswith("#"):  # Markdown: "## Article 11: Customs Duties on Electronic Transmissions"
        text = text.lstrip("#").strip()
    if not text:
        return None
    if len(text) > 220:
        return _run_in_article(text)
    if PREAMBLE.match(text):
        return Heading("preamble", None, "", "")
    for kind, pattern in (("article", ARTICLE), ("chapter", CHAPTER), ("section", SECTION), ("subsection", SUBSECTION),
                          ("part", PART)):
        m = pattern.match(text)
        if m and _title_ok(m.group("title"), m.group("sep")):
            word = m.groupdict().get("word") or ""
            if kind == "article":
                return _article_heading(m)
            return Heading(kind, normalise_number(m.group("num")), m.group("title").strip(), m.group("sep"), word)
    m = ANNEX.match(text)
    if m and _title_ok(m.group("title"), m.group("sep")):
        title = m.group("title").strip()
        # "Annex 8A (Financial Services)" inside a sentence is a reference; a heading
        # stands alone, or is in capitals, or separates its title with punctuation.
        if not title or text.split()[0].isupper() or m.group("sep").strip():
            return Heading("annex", m.group("num"), title, m.group("sep"))
    m = SIDE_LETTER.match(text)
    if m and (not m.group("title") or m.group("title")[:1].isupper() or m.group("title").split()[0].lower()
              in ("on", "concerning", "regarding", "relating", "between", "from", "to")):
        head = m.group("head")
        title = f"{head[:1].upper()}{head[1:].lower()} {m.group('title').strip()}".strip()
        return Heading("annex", None, title, m.group("sep"))
    m = DECLARATION.match(text)
    if m and not text.endswith((",", ";", ":", ".")):  # a sentence about a declaration is no heading
        return Heading("annex", None, tidy_title(text), "")
    m = PROTOCOL.match(text)
    if m:
        return Heading("protocol", m.group("num"), m.group("title").strip(), m.group("sep"))
    return None


def _article_heading(m: re.Match) -> Heading:
    """An article heading; a same-line "title" that is really the first paragraph goes to the body."""
    title, sep, body = m.group("title").strip(), m.group("sep"), ""
    split = _TITLE_THEN_PARAGRAPH.match(title)
    if _FIRST_PARAGRAPH.match(title):
        title, body = "", title
    elif split:
        title, body = split.group("title").strip(), split.group("body")
    elif (len(title) > RUN_IN_TITLE
          or (sep.strip() in (".-", ".–", ":-") and (len(title.split()) > 6 or title.endswith((":", "."))))
          or (sep.strip() in ("-", "–", "—") and (len(title.split()) > 8 or title.endswith((":", "."))))
          or _reads_as_sentence(title) or (title.endswith(":") and len(title.split()) >= 4)):
        title, body = "", title  # "Article I-1.- The objectives of this Agreement are:" opens the text
        run_in = _TITLE_THEN_SENTENCE.match(body) if not sep.strip() else None
        if run_in:  # "Customs duties of a fiscal nature The provisions of Article 4 shall ...": title, then text
            title, body = run_in.group("title"), run_in.group("body")
    return Heading("article", normalise_number(m.group("num")), title, sep, "", body)


# A title with no separator before the text, as one-line extractions leave it: a few words ending in a
# lower-case word, then a capitalised word that opens a sentence.
_TITLE_THEN_SENTENCE = re.compile(
    r"^(?P<title>[A-ZÀ-Ý][^.;:,()]{2,90}?[a-zà-ÿ])\s+(?P<body>(?:The|Each|No|Nothing|This|These|Where|When|If|Unless"
    r"|Notwithstanding|Subject to|For the purposes?|A|An|Any|All|Las?|Los|El|Cada|Le|Les|Chaque)\s.*)$")


def _reads_as_sentence(text: str) -> bool:
    """Eight words or more, mostly lower-case, ending in a full stop: the article's text, not its title."""
    words = [w for w in re.findall(r"[A-Za-zÀ-ÿ][\w\-’']*", text) if len(w) > 3]
    return len(text.split()) >= 8 and text.endswith(".") and sum(w[0].isupper() for w in words) < len(words) / 2


def _run_in_article(text: str) -> Heading | None:
    """A long line is no heading, unless an article opens it with its text run in after a separator."""
    m = ARTICLE.match(text)
    if m is None or not _title_ok(m.group("title"), m.group("sep")):
        return None
    title = m.group("title")
    if not m.group("sep").strip() and not (_TITLE_THEN_PARAGRAPH.match(title) or _CAPITALISED_START.match(title)
                                           or _FIRST_PARAGRAPH.match(title) or _SENTENCE_START.match(title)):
        return None  # "Article 5 of the Agreement ..." runs on; a run-in heading has a title, punctuation or a sentence
    return _article_heading(m)


# An untitled article whose text runs in: "Article 1 Guided by the principles of equality, ... Sides will develop".
_SENTENCE_START = re.compile(r"^[A-ZÀ-Ý][a-zà-ÿ]+\b")
_CAPITALISED_START = re.compile(r"^[A-ZÀ-Ý][\w’'-]*\s+(?:(?:of|and|on|the|to|for|in|de|del|la|y|et|des)\s+)*[A-ZÀ-Ý]")


_SMALL = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with",
          "de", "del", "la", "las", "los", "el", "y", "en", "et", "des", "du", "le", "les", "à", "au", "aux", "o"}


def tidy_title(title: str, acronyms: frozenset[str] = frozenset()) -> str:
    """Collapse whitespace, drop trailing punctuation, title-case ALL-CAPS titles (keeping the document's acronyms)."""
    t = re.sub(r"\s+", " ", title).strip().rstrip(".:;").strip()
    letters = [c for c in t if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 3:
        words = t.split(" ")
        t = " ".join(_title_word(w, i, acronyms) for i, w in enumerate(words))
    return t


def _title_word(word: str, index: int, acronyms: frozenset[str]) -> str:
    parts = re.split(r"([-/])", word)
    out = []
    for part in parts:
        core = re.sub(r"[^\w]", "", part)
        if core and core in acronyms:
            out.append(part)
        elif part in "-/":
            out.append(part)
        else:
            low = part.lower()
            out.append(low if (index and low in _SMALL and len(parts) == 1) else _cap(low))
    return "".join(out)


_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,9}\b")


def document_acronyms(lines: list[str]) -> frozenset[str]:
    """All-caps words the document uses inside ordinary sentences (ASEAN, GATT, WTO): kept when titles are re-cased.

    A capital word beside another is part of a heading set in capitals ("... REPUBLIC OF MACEDONIA" run into a
    flattened line), not an acronym, and is not counted."""
    found = set()
    for line in lines:
        if is_upper_line(line):
            continue
        found.update(_ISOLATED_ACRONYM.findall(line))
    return frozenset(found)


_ISOLATED_ACRONYM = re.compile(r"(?<![A-ZÀ-Ý]\s)\b[A-Z][A-Z0-9]{1,9}\b(?!\s[A-ZÀ-Ý]{2})")


def _cap(word: str) -> str:
    # Capitalise each hyphen- or slash-separated part: "non-conforming" -> "Non-Conforming".
    return re.sub(r"(^|[-/(“\"'])([a-zà-ÿ])", lambda m: m.group(1) + m.group(2).upper(), word)


def looks_like_title_line(line: str) -> bool:
    """A short line set as a title: capitalised words, no sentence punctuation at the end."""
    t = line.strip()
    if not t or len(t) > 130 or ENUMERATOR.match(t) or match_heading(t):
        return False
    if t[0].islower() or t[0] in "(,;":
        return False
    if t.endswith((",", ";")):
        return False
    words = [w for w in re.findall(r"[A-Za-zÀ-ÿ][\w\-’']*", t) if len(w) > 3]
    if not words:
        return bool(re.match(r"^[A-ZÀ-Ý]", t))
    capitalised = sum(1 for w in words if w[0].isupper())
    if t.endswith("."):  # "Establishment Of The Union." is a title; a sentence is not all capitals
        return capitalised == len(words) and len(t) <= 80
    return capitalised / len(words) >= 0.7


def is_upper_line(line: str) -> bool:
    if not line.isupper():  # cheap test first: most lines have a lower-case letter
        return False
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)
