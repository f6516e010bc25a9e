"""Read an agreement together with the documents it needs: an agreement it incorporates by reference, a protocol
or schedules that the text declares part of it but that were published separately.

The supplied documents' provisions join the agreement's, each under a Part named after its document
("EU-Singapore FTA › Chapter 8 › Article 8.57"), so citations stay unambiguous and the audit of the whole is
decided on everything the user has.
"""

from __future__ import annotations

from auditor.model import Agreement, DivisionRef


def read_together(main: Agreement, supplements: list[Agreement]) -> Agreement:
    combined = main.model_copy(deep=True)
    combined.text = main.text
    for n, extra in enumerate(supplements, start=1):
        name = extra.title or extra.source or f"document {n}"
        part = DivisionRef(kind="part", title=name)
        combined.divisions.append(part)
        offset = len(combined.text) + 2
        combined.text = f"{combined.text}\n\n{extra.text}"
        for p in extra.provisions:
            combined.provisions.append(p.model_copy(update={
                "id": f"with{n}:{p.id}", "part": p.part or part,
                "start": p.start + offset, "end": p.end + offset,
            }))
        combined.divisions.extend(extra.divisions)
        combined.read_with.append(name)
    return combined


__all__ = ["read_together"]
