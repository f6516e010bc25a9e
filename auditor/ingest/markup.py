"""ToTA XML, HTML and plain text readers."""

from __future__ import annotations

import codecs
import re

from lxml import etree
from lxml import html as lxml_html

from auditor.errors import CorruptDocument, EmptyDocument, UnsupportedInput
from auditor.ingest.clean import RawPage
from auditor.model import DocumentMetadata, OutlineArticle
from auditor.numbering import normalise_number

# Longest alternatives first: "ARTÍCULO9.6" must not lose only "ART".
_ARTICLE_NUMBER = re.compile(r"^\s*(?:artículo|articulo|article|art\.?)\s*", re.IGNORECASE)
_CHAPTER_NUMBER = re.compile(r"^\s*(?:chapitre|chapter|capítulo|capitulo|título|titulo|title|titre|partie|parte|part)\s*",
                             re.IGNORECASE)


def _clean_number(value: str | None, prefix: re.Pattern[str]) -> str | None:
    if not value:
        return None
    cleaned = prefix.sub("", value).strip().rstrip(".:").strip()
    return normalise_number(cleaned) if cleaned else None


def _xml_root(data: bytes):
    """No entities resolved, no network, no DTD, and libxml2's size and depth limits kept (no huge_tree)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise CorruptDocument(f"The XML is not well-formed or exceeds the parser's limits ({exc}).",
                              "Check the file is complete.") from exc
    if root.getroottree().docinfo.internalDTD is not None:
        raise UnsupportedInput("The XML declares its own DTD; ToTA files do not, and entity tricks start there.",
                               "Remove the <!DOCTYPE …> declaration, or convert the file to text.")
    return root


def read_tota(data: bytes, source: str | None = None) -> tuple[DocumentMetadata, list[OutlineArticle]]:
    root = _xml_root(data)
    if root.tag != "treaty" or root.find("body") is None:
        raise UnsupportedInput(
            f"The XML root is <{root.tag}>, not a ToTA <treaty> with a <body>.",
            "Only ToTA treaty XML is read; convert other XML to text or HTML first.",
        )
    meta = root.find("meta")

    def text(path: str) -> str | None:
        value = meta.findtext(path) if meta is not None else None
        return value.strip() if value and value.strip() else None

    parties = [p.text.strip() for p in (meta.findall("parties/partyisocode") if meta is not None else []) if p.text]
    language = text("language")
    metadata = DocumentMetadata(
        title=text("name"),
        parties=parties,
        date_signed=text("date_signed"),
        date_into_force=text("date_into_force"),
        language=language if language in ("en", "fr", "es") else None,
        source=source,
        format="tota-xml",
        treaty_identifier=text("treaty_identifier"),
    )
    articles: list[OutlineArticle] = []
    for chapter in root.find("body").iter("chapter"):
        chapter_title = (chapter.get("name") or "").strip() or None
        chapter_number = _clean_number(chapter.get("number"), _CHAPTER_NUMBER)
        for article in chapter.iter("article"):
            body = "".join(article.itertext()).strip()
            if not body:
                continue
            articles.append(
                OutlineArticle(
                    identifier=article.get("article_identifier") or str(len(articles) + 1),
                    chapter_number=chapter_number,
                    chapter_title=chapter_title,
                    number=_clean_number(article.get("number"), _ARTICLE_NUMBER),
                    title=(article.get("name") or "").strip() or None,
                    text=body,
                )
            )
    if not articles:
        raise EmptyDocument("The ToTA file has no article text.", "Check that the right file was given.")
    return metadata, articles


_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
               "blockquote", "pre", "dd", "dt", "ul", "ol", "hr"}


# The encodings a browser accepts (the WHATWG Encoding Standard), by Python's codec names. A declared
# charset outside it is ignored: Python also has codecs that are not text encodings of documents, and
# some (punycode) decode in quadratic time.
DECLARABLE_CHARSETS = frozenset(codecs.lookup(name).name for name in (
    "utf-8", "utf-16-le", "utf-16-be", "utf-16", "cp866", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5",
    "iso8859-6", "iso8859-7", "iso8859-8", "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15", "iso8859-16",
    "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254",
    "cp1255", "cp1256", "cp1257", "cp1258", "latin-1", "ascii", "gbk", "gb18030", "big5", "euc_jp", "iso2022_jp",
    "shift_jis", "euc_kr"))


def declared_charset(name: str) -> str | None:
    """Python's codec for a declared charset, if it is a real text encoding of documents."""
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return codec if codec in DECLARABLE_CHARSETS else None


def _html_text(data: bytes) -> str:
    """Decode by the declared charset if it is a real one, else UTF-8 with a Windows-1252 fallback."""
    m = re.search(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", data[:4096], re.IGNORECASE)
    text = None
    codec = declared_charset(m.group(1).decode("ascii")) if m else None
    if codec:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            text = None
    if text is None:
        text = decode_text(data)
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text)


def read_html(data: bytes) -> tuple[str | None, list[RawPage]]:
    text = _html_text(data)
    parser = lxml_html.HTMLParser()
    try:
        doc = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        # libxml2 reports a failed allocation (the worker's memory limit) as an "unknown error".
        raise CorruptDocument(f"The HTML could not be parsed ({exc}).", "If it is very large, save it as PDF or "
                              "plain text, or split it.") from exc
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        # libxml2 stops reading past 256 nested elements and says so only in its log: refuse rather than
        # audit a document whose end (an exception clause, say) was silently dropped.
        raise CorruptDocument("The HTML nests elements deeper than the parser reads (256 levels); the text beyond "
                              "would be lost.", "Save the agreement as PDF or plain text and upload that.")
    for bad in doc.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    title = (doc.findtext(".//title") or "").strip() or None
    chunks: list[str] = []

    def walk(el) -> None:
        if not isinstance(el.tag, str):
            if el.tail:
                chunks.append(el.tail)
            return
        block = el.tag.lower() in _BLOCK_TAGS
        if block:
            chunks.append("\n")
        if el.text:
            chunks.append(el.text)
        for child in el:
            walk(child)
        if block:
            chunks.append("\n")
        if el.tail:
            chunks.append(el.tail)

    body = doc.find("body")
    walk(body if body is not None else doc)
    text = re.sub(r"[ \t\xa0]+", " ", "".join(chunks))
    text = re.sub(r"\n\s*\n+", "\n\n", text).strip()
    if not text:
        raise EmptyDocument("The HTML has no text.", "Check that the right file was given.")
    return title, [RawPage(number=1, source="markup", text=text)]


# Single-byte encodings of Western European text that a text file may be in when it is not UTF-8. They
# decode any bytes, so a detector's statistics cannot tell them apart on a treaty in which one byte in a
# thousand is above 127 (charset-normalizer scores cp1250, cp1252 and Mac OS Roman the same on the UK's
# Mac OS Roman texts); what tells them apart is what the high bytes become where they stand.
WESTERN = ("cp1252", "mac_roman", "latin_1", "cp850")
_LIKELY = set("’‘“”–—…•«»°§€£àâäçéèêëîïôöûùüÿñáíóúœæ")
_WORD_INNER_UNLIKELY = set("ÀÁÂÃÄÅÆÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞŽŠŒ¶Ω∂∆∑∏√∞≈≠≤≥÷")


def _plausibility(text: str) -> int:
    """How natural the non-ASCII characters of a decoding read: typographic punctuation and accented
    small letters are; capitals or symbols inside a lower-case word ("PartyÕs") and C1 controls are not."""
    score = 0
    for m in re.finditer(r"[^\x00-\x7f]", text[:2_000_000]):
        ch = m.group(0)
        if "\x80" <= ch <= "\x9f":
            score -= 5
            continue
        before = text[m.start() - 1:m.start()]
        after = text[m.end():m.end() + 1]
        if ch in _WORD_INNER_UNLIKELY and before.islower() and (after.islower() or after in " ,.;"):
            score -= 3
        elif ch in _LIKELY:
            score += 1
    return score


def detect_encoding(data: bytes) -> str:
    """The encoding of a text file: a byte-order mark, else strict UTF-8, else what charset-normalizer finds
    for non-Western scripts, else the Western single-byte encoding whose decoding reads most naturally."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    best = charset_normalizer.from_bytes(data[:500_000]).best()
    if best is not None and best.encoding not in WESTERN and declared_charset(best.encoding) \
            and best.encoding not in ("cp1250", "cp1253", "cp1254", "cp1257", "iso8859_15") and best.chaos < 0.1:
        return best.encoding
    return max(WESTERN, key=lambda e: (_plausibility(data.decode(e, errors="replace")), -WESTERN.index(e)))


def decode_text(data: bytes, encoding: str | None = None) -> str:
    """Text in the given encoding, else the one ``detect_encoding`` finds; never fails."""
    return data.decode(encoding or detect_encoding(data), errors="replace")


def read_rtf(data: bytes) -> list[RawPage]:
    """RTF (Word's interchange format) to text with striprtf, in the code page the file declares."""
    from striprtf.striprtf import rtf_to_text

    m = re.search(rb"\\ansicpg(\d{3,5})", data[:2048])
    codec = declared_charset(f"cp{m.group(1).decode()}") if m else None
    try:
        text = rtf_to_text(data.decode("latin-1"), encoding=codec or "cp1252", errors="replace")
    except Exception as exc:  # noqa: BLE001 - striprtf raises plain exceptions on malformed groups
        raise CorruptDocument(f"The RTF could not be read ({type(exc).__name__}: {exc}).",
                              "Save it again from the word processor, or as PDF.") from exc
    return read_text(text.encode("utf-8"), "utf-8")


def read_text(data: bytes, encoding: str | None = None) -> list[RawPage]:
    text = decode_text(data, encoding)
    if not text.strip():
        raise EmptyDocument("The text file is empty.", "Check that the right file was given.")
    # Form feeds mark pages in text exported from PDFs (pdftotext); honour them.
    return [RawPage(number=i + 1, source="plain-text", text=chunk) for i, chunk in enumerate(text.split("\f"))
            if chunk.strip() or i == 0]
