from fanarchive.archive.models.accounts import Invitation
from fanarchive.archive.models.api import ApiJob, ApiToken, Webhook, WebhookDelivery
from fanarchive.archive.models.claims import Claim
from fanarchive.archive.models.hits import WorkHit
from fanarchive.archive.models.outbox import SearchOutbox
from fanarchive.archive.models.readers import (
    Block,
    ExcludedTag,
    InboxItem,
    Mute,
    Preferences,
    ReadingHistory,
    Report,
)
from fanarchive.archive.models.series import SerialWork, Series
from fanarchive.archive.models.social import Bookmark, Comment, ExternalWork, Kudos, Subscription
from fanarchive.archive.models.tags import FilterTagging, MetaTagging, Tag, Tagging, TagParent
from fanarchive.archive.models.users import Creatorship, Pseud, User
from fanarchive.archive.models.works import Chapter, RelatedWork, StatCounter, Work

__all__ = [
    "ApiJob",
    "ApiToken",
    "Block",
    "Bookmark",
    "Chapter",
    "Claim",
    "Comment",
    "Creatorship",
    "ExcludedTag",
    "ExternalWork",
    "FilterTagging",
    "InboxItem",
    "Invitation",
    "Kudos",
    "MetaTagging",
    "Mute",
    "Preferences",
    "Pseud",
    "ReadingHistory",
    "RelatedWork",
    "Report",
    "SearchOutbox",
    "SerialWork",
    "Series",
    "StatCounter",
    "Subscription",
    "Tag",
    "TagParent",
    "Tagging",
    "User",
    "Webhook",
    "WebhookDelivery",
    "Work",
    "WorkHit",
]
