"""Hostile files of the December 2026 security review (shared/reviews/security-2026-12), made on the fly."""

from __future__ import annotations

import random
import zlib

TEXT = b"BT /F1 12 Tf 72 720 Td (Article 1 Nothing in this Agreement shall apply to cultural industries.) Tj ET"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def pdf(objects: list[bytes]) -> bytes:
    """A PDF from object bodies (object 1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def render_bomb(points: int = 14400) -> bytes:
    """One page of ``points`` x ``points`` (5 m at 14400), a 1x1 grey image stretched over it, no text: OCR bait."""
    content = f"q {points} 0 0 {points} 0 0 cm /Im1 Do Q".encode()
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {points} {points}] /Contents 4 0 R "
                f"/Resources << /XObject << /Im1 5 0 R >> >> >>".encode(),
                _stream(content),
                _stream(zlib.compress(b"\x80"), b"/Type /XObject /Subtype /Image /Width 1 /Height 1 "
                                                b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode")])


def deep_page_tree(depth: int = 5000) -> bytes:
    """A page tree of ``depth`` nested /Pages nodes above one page."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for d in range(depth):
        me = 2 + d
        parent = f"/Parent {me - 1} 0 R " if d else ""
        objects.append(f"<< /Type /Pages {parent}/Kids [{me + 1} 0 R] /Count 1 >>".encode())
    page = 2 + depth
    objects.append(f"<< /Type /Page /Parent {page - 1} 0 R /MediaBox [0 0 612 792] /Contents {page + 1} 0 R "
                   f"/Resources << /Font << /F1 {page + 2} 0 R >> >> >>".encode())
    return pdf(objects + [_stream(TEXT), FONT])


def punycode_html(chars: int = 800_000) -> bytes:
    """HTML declaring <meta charset="punycode">: Python's punycode decoder is quadratic."""
    rng = random.Random(0)
    body = "".join(rng.choice("éàüñçøåßœ") for _ in range(chars))
    html = ('<html><head><meta charset="punycode"><title>Puny</title></head><body><p>Article 1 Nothing in this '
            'Agreement shall apply to cultural industries.</p><p>' + body + '</p></body></html>')
    return html.encode("punycode")


def many_tags_html(megabytes: int = 50) -> bytes:
    """Legal HTML of millions of tiny elements: a big tree to build."""
    return (b"<html><body><p>Nothing in this Agreement shall apply to cultural industries.</p>"
            + b"<b>a</b>" * (megabytes * 1024 * 1024 // 8) + b"</body></html>")


def deep_html(levels: int = 300) -> bytes:
    """An exception clause after ``levels`` nested divs: past libxml2's 256, silently dropped before."""
    return (b"<html><body>" + b"<div>" * levels + b"x" + b"</div>" * levels
            + b"<p>AFTER: Nothing in this Agreement shall apply to audiovisual services.</p></body></html>")


def long_fields_tota() -> bytes:
    """ToTA XML whose date and article number overflow the database's columns (PostgreSQL refused the write)."""
    return ("<?xml version='1.0' encoding='utf-8'?><treaty><meta><name>Long fields</name><language>en</language>"
            f"<date_signed>{'2001-01-01 or thereabouts, according to the depositary' * 1}</date_signed></meta>"
            f"<body><chapter name='Culture'><article number='{'9' * 200}' name='Cultural industries'>"
            "Nothing in this Agreement shall apply to measures with respect to cultural industries.</article>"
            "</chapter></body></treaty>").encode()


def formula_tota() -> bytes:
    """Spreadsheet formulas and a script where an analyst's CSV or Markdown would carry them."""
    return ("<?xml version='1.0' encoding='utf-8'?><treaty><meta><name>=HYPERLINK(\"http://evil.example\",\"x\")"
            "</name><language>en</language></meta><body><chapter name='Culture'>"
            "<article number='1' name=\"=cmd|' /C calc'!A0\">Nothing in this Agreement shall apply to measures "
            "with respect to cultural industries. &lt;script&gt;alert(1)&lt;/script&gt;</article>"
            "</chapter></body></treaty>").encode()
