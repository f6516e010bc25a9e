from __future__ import annotations

from fastapi import APIRouter

from api import store
from api.deps import SessionsDep, TenantDep
from api.schemas import JobPublic, job_public

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("/{job_id}", response_model=JobPublic)
def get_job(job_id: str, sessions: SessionsDep, tenant: TenantDep) -> JobPublic:
    return job_public(store.get_job(sessions=sessions, tenant=tenant, job_id=job_id))
