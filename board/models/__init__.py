from .common import Audience
from .consultations import (
    Answer,
    Consultation,
    ConsultationEvent,
    ConsultationQuerySet,
    Option,
    Question,
    Response,
)
from .notices import Notice, NoticeAck, NoticeAttachment, NoticeEvent, NoticeQuerySet, NoticeRead

__all__ = [
    "Answer",
    "Audience",
    "Consultation",
    "ConsultationEvent",
    "ConsultationQuerySet",
    "Notice",
    "NoticeAck",
    "NoticeAttachment",
    "NoticeEvent",
    "NoticeQuerySet",
    "NoticeRead",
    "Option",
    "Question",
    "Response",
]
