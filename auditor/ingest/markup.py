"""ToTA XML, HTML and plain text readers."""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from auditor.errors import CorruptDocument, EmptyDocument, UnsupportedInput
from auditor.ingest.clean import RawPage
from auditor.model import DocumentMetadata, OutlineArticle
from auditor.structure.headings import normalise_number

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
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise CorruptDocument(f"The XML is not well-formed ({exc}).", "Check the file is complete.") from exc


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


def _html_text(data: bytes) -> str:
    """Decode by the declared charset, else UTF-8 with a Windows-1252 fallback."""
    m = re.search(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", data[:4096], re.IGNORECASE)
    text = None
    if m:
        try:
            text = data.decode(m.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text = decode_text(data)
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text)


def read_html(data: bytes) -> tuple[str | None, list[RawPage]]:
    text = _html_text(data)
    try:
        doc = lxml_html.fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise CorruptDocument(f"The HTML could not be parsed ({exc}).") from exc
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


def decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_text(data: bytes) -> list[RawPage]:
    text = decode_text(data)
    if not text.strip():
        raise EmptyDocument("The text file is empty.", "Check that the right file was given.")
    # Form feeds mark pages in text exported from PDFs (pdftotext); honour them.
    return [RawPage(number=i + 1, source="plain-text", text=chunk) for i, chunk in enumerate(text.split("\f"))
            if chunk.strip() or i == 0]
