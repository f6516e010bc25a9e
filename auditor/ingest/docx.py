"""Word drafts (.docx): paragraphs, heading styles, numbered lists and footnotes, as text.

Drafts circulate in Word. python-docx reads the paragraphs; what it leaves out the text would need is
rebuilt here: the numbers Word draws for numbered paragraphs and lists ("1.", "(a)") from the
document's numbering definitions, and footnotes (word/footnotes.xml), kept in the text at their
reference as "[n: text]". The archive is checked before anything is inflated: a .docx is a ZIP, and
a ZIP can expand a few kilobytes into gigabytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from auditor.errors import CorruptDocument, DocumentTooLarge
from auditor.ingest.clean import RawPage

MAX_INFLATED_BYTES = 256 * 1024 * 1024
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def is_docx(data: bytes | str | Path) -> bool:
    """A ZIP whose directory lists word/document.xml (only the directory is read, nothing inflated)."""
    if isinstance(data, bytes) and not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _check_archive(archive: zipfile.ZipFile) -> None:
    inflated = sum(info.file_size for info in archive.infolist())
    if inflated > MAX_INFLATED_BYTES:
        raise DocumentTooLarge(f"The Word file inflates to {inflated:,} bytes, over the {MAX_INFLATED_BYTES:,} "
                               "this engine reads.", "Save the agreement as PDF, or split it.")


def _xml(archive: zipfile.ZipFile, name: str):
    from lxml import etree

    try:
        raw = archive.read(name)
    except KeyError:
        return None
    return etree.fromstring(raw, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))


def _number_formats(numbering) -> dict[tuple[str, str], tuple[str, str, int]]:
    """(numId, level) -> (format, level text such as '%1.' or '(%2)', start)."""
    if numbering is None:
        return {}
    abstract: dict[str, dict[str, tuple[str, str, int]]] = {}
    for a in numbering.iter(f"{W}abstractNum"):
        levels = {}
        for lvl in a.iter(f"{W}lvl"):
            fmt = lvl.find(f"{W}numFmt")
            text = lvl.find(f"{W}lvlText")
            start = lvl.find(f"{W}start")
            levels[lvl.get(f"{W}ilvl")] = (fmt.get(f"{W}val") if fmt is not None else "decimal",
                                           text.get(f"{W}val") if text is not None else "",
                                           int(start.get(f"{W}val")) if start is not None else 1)
        abstract[a.get(f"{W}abstractNumId")] = levels
    out = {}
    for num in numbering.iter(f"{W}num"):
        ref = num.find(f"{W}abstractNumId")
        if ref is not None:
            for level, spec in abstract.get(ref.get(f"{W}val"), {}).items():
                out[(num.get(f"{W}numId"), level)] = spec
    return out


def _render(value: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return chr(96 + (value - 1) % 26 + 1)
    if fmt == "upperLetter":
        return chr(64 + (value - 1) % 26 + 1)
    if fmt in ("lowerRoman", "upperRoman"):
        numerals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        out, rest = "", value
        for amount, numeral in numerals:
            while rest >= amount:
                out, rest = out + numeral, rest - amount
        return out if fmt == "lowerRoman" else out.upper()
    if fmt in ("bullet", "none"):
        return ""
    return str(value)


def read_docx(data: bytes) -> tuple[str | None, list[RawPage]]:
    """(title from the document's properties, one page of text)."""
    import docx

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_archive(archive)
            numbering = _number_formats(_xml(archive, "word/numbering.xml"))
            notes_xml = _xml(archive, "word/footnotes.xml")
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise CorruptDocument(f"The Word file could not be read ({exc}).", "Save it again from Word, or as PDF.") from exc
    footnotes = {}
    if notes_xml is not None:
        for note in notes_xml.iter(f"{W}footnote"):
            text = " ".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in note.iter(f"{W}p")).strip()
            if text:
                footnotes[note.get(f"{W}id")] = text
    counters: dict[tuple[str, str], int] = {}
    lines: list[str] = []
    for paragraph in document.paragraphs:
        text = _paragraph_text(paragraph, footnotes)
        label = _list_label(paragraph, numbering, counters)
        if label:
            text = f"{label} {text}"
        if paragraph.style is not None and paragraph.style.name.lower().startswith(("heading", "title")):
            lines.append("")  # a heading stands apart, as it does on the page
        lines.append(text)
    title = (document.core_properties.title or "").strip() or None
    return title, [RawPage(number=1, source="markup", text="\n".join(lines))]


def _paragraph_text(paragraph, footnotes: dict[str, str]) -> str:
    parts = []
    for node in paragraph._p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}footnoteReference"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}footnoteReference":
            note_id = node.get(f"{W}id")
            if note_id in footnotes:
                parts.append(f" [{note_id}: {footnotes[note_id]}]")
        else:
            parts.append(" " if node.tag == f"{W}tab" else "\n")
    return re.sub(r"[ \t]+", " ", "".join(parts)).strip()


def _list_label(paragraph, numbering, counters) -> str:
    props = paragraph._p.pPr
    num_pr = props.numPr if props is not None else None
    style = paragraph.style
    while (num_pr is None or num_pr.numId is None) and style is not None:  # numbering set by the style
        style_props = style.element.pPr
        num_pr = style_props.numPr if style_props is not None else None
        style = style.base_style
    if num_pr is None or num_pr.numId is None:
        return ""
    num_id = str(num_pr.numId.val)
    level = str(num_pr.ilvl.val) if num_pr.ilvl is not None else "0"
    spec = numbering.get((num_id, level))
    if spec is None:
        return ""
    fmt, pattern, start = spec
    key = (num_id, level)
    counters[key] = counters.get(key, start - 1) + 1
    for (other_id, other_level) in list(counters):  # a new item restarts the deeper levels below it
        if other_id == num_id and int(other_level) > int(level):
            del counters[(other_id, other_level)]

    def value(match: re.Match) -> str:
        lvl = str(int(match.group(1)) - 1)
        lvl_fmt = numbering.get((num_id, lvl), ("decimal", "", 1))[0]
        return _render(counters.get((num_id, lvl), 1), lvl_fmt)

    return re.sub(r"%(\d)", value, pattern).strip() if fmt not in ("bullet", "none") else ""
