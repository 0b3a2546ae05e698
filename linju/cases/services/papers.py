"""A case's papers: photos of the materials handed over, and the papers that show whole ID numbers
(photos, the decision) opened as an unmasking."""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.audit.events import case_paper_unmasked_event
from linju.core.errors import Conflict, DomainError, NotFound
from linju.core.photos import photo_kind
from linju.core.request_context import RequestContext

from ..models import CasePhoto
from ..selectors import case_get_for_viewer
from .common import offline_moment

if TYPE_CHECKING:
    from linju.accounts.models import User


def case_photo_add(
    *,
    actor: User,
    number: str,
    material: str,
    image: File,
    idempotency_key: str,
    taken_at: datetime.datetime | None = None,
) -> CasePhoto:
    """A photo of a paper handed over, sent by the field app after its case: the same key gives
    back the same photo, however often the phone sends it. The row is saved in one durable
    transaction (the picture is stored before it, and removed when a twin saved the key first)."""
    require(actor, "case.photo")
    key = str(idempotency_key).strip()
    if not key or len(key) > 80:
        raise DomainError(
            _("A photo needs its idempotency key (at most 80 characters)."), field="idempotency_key"
        )
    material = " ".join(str(material).split())[:120]
    if not material:
        raise DomainError(_("Say which material the photo shows."), field="material")
    kind = photo_kind(image, max_bytes=CasePhoto.MAX_BYTES)
    moment = offline_moment(taken_at) if taken_at is not None else timezone.now()
    case = case_get_for_viewer(viewer=actor, number=number)
    require(actor, "case.photo", case)
    existing = CasePhoto.objects.filter(bureau_id=case.bureau_id, idempotency_key=key).first()
    if existing is not None:
        if existing.case_id != case.pk:
            raise Conflict(_("This key belongs to another photo."), code="key_reused")
        return existing
    known = {m for m in case.materials_received + case.materials_missing}
    known |= set(case.item.materials.values_list("name", flat=True))
    if material not in known:
        raise DomainError(
            _("“%(m)s” is not one of this case's materials."), params={"m": material}, field="material"
        )
    photo = CasePhoto(
        bureau_id=case.bureau_id,
        case=case,
        material=material,
        taken_by=actor,
        taken_at=moment,
        idempotency_key=key,
    )
    photo.image.save(f"{case.number}-{uuid.uuid4().hex[:12]}.{kind}", image, save=False)
    try:
        with transaction.atomic(durable=True):
            photo.save()
    except IntegrityError:
        photo.image.delete(save=False)
        return CasePhoto.objects.get(bureau_id=case.bureau_id, idempotency_key=key)
    return photo


def case_paper_unmask(
    *, viewer: User, number: str, context: RequestContext, photo_id: int | None = None
) -> File:
    """A paper of the case itself: the photo of one handed over (`photo_id`), or else the decision
    attached on finishing. They show whole ID numbers, so they are opened only by a role that may see
    them whole, in the viewer's towns, and each opening is recorded as an unmasking (one insert,
    committed by itself)."""

    require(viewer, "case.papers_unmask")  # the role, before anything is read
    case = case_get_for_viewer(viewer=viewer, number=number)
    if photo_id is None:
        if not case.outcome_document:
            raise NotFound(_("No decision was attached to this case."))
        paper, what = case.outcome_document, "decision"
    else:
        photo = case.photos.filter(pk=photo_id).first()
        if photo is None:
            raise NotFound(_("No such photo."))
        paper, what = photo.image, "photo"
    case_paper_unmasked_event(actor=viewer, case=case, what=what, photo_id=photo_id, context=context)
    return paper
