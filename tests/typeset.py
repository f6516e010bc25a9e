"""Typeset real ToTA articles as PDFs in layouts the parser has never seen.

Each ``Layout`` varies what real treaties vary: one or two columns, running
headers and footers, page-number styles, "Article 1" / "Article 1.1" /
"ARTICLE 101" numbering, chapters called Chapter, Title or Part, titles on
the heading line or below it. Tests parse the PDF back and compare with the
source XML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree


@dataclass
class SourceArticle:
    number: str
    title: str
    paragraphs: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.paragraphs)


@dataclass
class SourceChapter:
    number: str
    title: str
    articles: list[SourceArticle] = field(default_factory=list)


@dataclass(frozen=True)
class Layout:
    name: str
    columns: int = 1
    chapter_word: str = "CHAPTER"
    chapter_numerals: str = "arabic"  # arabic | roman
    chapter_title_same_line: bool = False
    article_word: str = "Article"
    article_numbering: str = "dotted"  # dotted (1.1) | restart (1) | continuous (101)
    article_title_same_line: bool = True
    article_sep: str = ": "
    header: str | None = None
    footer: str = "page"  # page | page-of | dashed | chapter-page
    language: str = "en"


LAYOUTS = [
    Layout("rcep-like", header=None, footer="chapter-page"),
    Layout("two-column-restart", columns=2, chapter_word="Chapter", chapter_title_same_line=True,
           article_numbering="restart", article_title_same_line=False, header="ASEAN–Partner Free Trade Agreement",
           footer="page-of"),
    Layout("title-continuous-caps", chapter_word="TITLE", chapter_numerals="roman", article_word="ARTICLE",
           article_numbering="continuous", article_title_same_line=False, header="Official Journal L 127/6",
           footer="dashed"),
    Layout("part-two-column", columns=2, chapter_word="PART", chapter_numerals="roman", article_numbering="continuous",
           article_sep=". ", header="Economic Partnership Agreement", footer="page"),
]


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def load_articles(xml_path: Path, *, chapters: int = 3, per_chapter: int = 4, max_chars: int = 1800) -> list[SourceChapter]:
    """Pick titled articles with clean text from the first chapters that have them."""
    root = etree.parse(str(xml_path)).getroot()
    out: list[SourceChapter] = []
    for chapter in root.find("body").iter("chapter"):
        name = (chapter.get("name") or "").strip()
        if not name or name.lower().startswith(("preamble", "préambule", "preámbulo")):
            continue
        picked: list[SourceArticle] = []
        for art in chapter.iter("article"):
            title = _clean(art.get("name") or "")
            raw = "".join(art.itertext())
            paragraphs = [_clean(p) for p in re.split(r"\n\s*\n", raw) if _clean(p)]
            # Keep whole paragraphs under the budget; skip articles with table debris or quoted headings.
            kept, size = [], 0
            for p in paragraphs:
                if size + len(p) > max_chars and kept:
                    break
                kept.append(p)
                size += len(p)
            if not title or not kept or len(title) > 70 or re.search(r"\b(article|chapter|artículo|capítulo)\s+\d", " ".join(kept)[:1], re.I):
                continue
            if any(re.match(r"^(article|chapter|annex|section|part|title|artículo|capítulo|anexo|sección|parte|título"
                            r"|chapitre|titre|annexe)\b", p, re.I) for p in kept):
                continue
            picked.append(SourceArticle(number="", title=title, paragraphs=kept))
            if len(picked) == per_chapter:
                break
        if len(picked) >= 2:
            out.append(SourceChapter(number="", title=_clean(name), articles=picked))
        if len(out) == chapters:
            break
    return out


def _roman(n: int) -> str:
    vals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


def number_articles(chapters: list[SourceChapter], layout: Layout) -> None:
    k = 100 if layout.article_numbering == "continuous" else 0
    for ci, chapter in enumerate(chapters, start=1):
        chapter.number = _roman(ci) if layout.chapter_numerals == "roman" else str(ci)
        for ai, art in enumerate(chapter.articles, start=1):
            if layout.article_numbering == "dotted":
                art.number = f"{ci}.{ai}"
            elif layout.article_numbering == "restart":
                art.number = str(ai)
            else:
                k += 1
                art.number = str(k)


def typeset(chapters: list[SourceChapter], layout: Layout, path: Path, *, title: str, preamble: str) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer

    number_articles(chapters, layout)
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13, spaceAfter=4)
    heading = ParagraphStyle("heading", fontName="Helvetica-Bold", fontSize=11, leading=14, spaceBefore=8, spaceAfter=4)
    chapter_style = ParagraphStyle("chapter", fontName="Helvetica-Bold", fontSize=12, leading=15, spaceBefore=14,
                                   spaceAfter=6, alignment=1)

    width, height = A4
    margin = 20 * mm
    gap = 8 * mm
    col_w = (width - 2 * margin - (layout.columns - 1) * gap) / layout.columns
    frames = [Frame(margin + i * (col_w + gap), margin, col_w, height - 2 * margin, id=f"c{i}")
              for i in range(layout.columns)]

    state = {"chapter": "1"}

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        if layout.header:
            canvas.drawCentredString(width / 2, height - 12 * mm, layout.header)
        page = doc.page
        footer = {
            "page": f"{page}",
            "page-of": f"Page {page} of 99",
            "dashed": f"- {page} -",
            "chapter-page": f"{state['chapter']}-{page}",
        }[layout.footer]
        if layout.footer == "chapter-page":
            canvas.drawCentredString(width / 2, height - 12 * mm, footer)
        else:
            canvas.drawCentredString(width / 2, 10 * mm, footer)
        canvas.restoreState()

    doc = BaseDocTemplate(str(path), pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin,
                          bottomMargin=margin, title=title)
    doc.addPageTemplates([PageTemplate(id="main", frames=frames, onPage=decorate)])

    story = [Paragraph(escape(title.upper()), chapter_style), Spacer(1, 6), Paragraph(escape(preamble), body)]
    for chapter in chapters:
        if layout.chapter_title_same_line:
            story.append(Paragraph(escape(f"{layout.chapter_word} {chapter.number}: {chapter.title}"), chapter_style))
        else:
            story.append(Paragraph(escape(f"{layout.chapter_word} {chapter.number}"), chapter_style))
            story.append(Paragraph(escape(chapter.title.upper()), chapter_style))
        for art in chapter.articles:
            if layout.article_title_same_line:
                story.append(Paragraph(escape(f"{layout.article_word} {art.number}{layout.article_sep}{art.title}"), heading))
            else:
                story.append(Paragraph(escape(f"{layout.article_word} {art.number}"), heading))
                story.append(Paragraph(escape(art.title), heading))
            for p in art.paragraphs:
                story.append(Paragraph(escape(p), body))
    doc.build(story)
    return path


def scanned_pdf(source_pdf: Path, pages: list[int], out: Path, *, dpi: int = 200) -> Path:
    """Render real pages to images and wrap them in a PDF with no text layer, as a scanner would."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(source_pdf))
    images = [pdf[i - 1].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in pages]
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    pdf.close()
    return out
