from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api import store
from api.deps import SessionsDep, TenantDep
from api.schemas import ProvisionHit, ProvisionsPublic

router = APIRouter(prefix="/provisions", tags=["provisions"])
Label = Literal["ecommerce", "digital_products", "cultural_exception", "convention_reference", "cultural_diversity",
                "cultural_cooperation", "preferential_treatment", "right_to_regulate"]


@router.get("", response_model=ProvisionsPublic)
def search_provisions(sessions: SessionsDep, tenant: TenantDep, label: Label | None = None,
                      q: Annotated[str | None, Query(max_length=200, description="Words, matched by the full-text index")] = None,
                      offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
                      limit: Annotated[int, Query(ge=1, le=200)] = 50) -> ProvisionsPublic:
    """Labelled provisions across all agreements you can see, by label and by words."""
    rows, total = store.search_provisions(sessions=sessions, tenant=tenant, label=label, q=q, offset=offset, limit=limit)
    data = [ProvisionHit(agreement_id=d.id, agreement_title=d.title, provision_id=p.provision_id, article=p.article,
                         title=p.title, labels=p.labels.split(), page_start=p.page_start, text=p.text) for p, d in rows]
    return ProvisionsPublic(data=data, count=total, offset=offset, limit=limit)
