"""The public digest (向群众汇报): a unit's figures over a period for the residents' groups
bound under it — no personal data, only counts, rates, the categories most resolved and a
few masked examples — previewed and published by a supervisor (/digest), or published on a
schedule (weekly, monthly)."""

from gridbot.services.digests.compose import DigestDraft, draft_digest, post_digest
from gridbot.services.digests.publishing import (
    DigestOf,
    DigestPreview,
    PublishDigest,
    Published,
    preview_digest,
    publish_digest,
)
from gridbot.services.digests.schedule import ensure_digests, on_digest, publish_scheduled

__all__ = [
    "DigestDraft",
    "DigestOf",
    "DigestPreview",
    "PublishDigest",
    "Published",
    "draft_digest",
    "ensure_digests",
    "on_digest",
    "post_digest",
    "preview_digest",
    "publish_digest",
    "publish_scheduled",
]
