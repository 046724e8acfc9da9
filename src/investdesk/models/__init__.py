"""All tables, one file per aggregate, imported here so metadata is complete."""

from investdesk.models.audit import AuditEvent
from investdesk.models.document import Document, Evidence, ExtractedItem
from investdesk.models.engagement import Engagement
from investdesk.models.incentive import IncentivePolicyVersion
from investdesk.models.mission import Mission
from investdesk.models.mou import Blocker, FollowUp, Mou, MouStatusChange
from investdesk.models.notification import JobRun, Notification, NotificationPreference, OutboxMessage
from investdesk.models.offering import Offering, Policy
from investdesk.models.organization import Organization, OrganizationAlias
from investdesk.models.person import Person
from investdesk.models.pipeline import LeadOwnerDefault, Opportunity, OpportunityStageChange
from investdesk.models.search import SearchEntry
from investdesk.models.sector import Sector
from investdesk.models.user import ApiToken, LoginAttempt, LoginThrottle, User, UserSession

# isort: split

__all__ = [
    "ApiToken", "AuditEvent", "Blocker", "Document", "Engagement", "Evidence", "ExtractedItem", "FollowUp",
    "IncentivePolicyVersion", "LeadOwnerDefault",
    "JobRun", "LoginAttempt", "LoginThrottle", "Mission", "Mou", "MouStatusChange", "Notification",
    "NotificationPreference", "Offering", "Opportunity", "OpportunityStageChange", "OutboxMessage",
    "Organization", "OrganizationAlias", "Person", "Policy", "SearchEntry", "Sector", "User", "UserSession",
]
