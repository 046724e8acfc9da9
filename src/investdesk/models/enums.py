"""The vocabularies of the trade, shared by tables, schemas, API and CLI."""

from __future__ import annotations

from enum import StrEnum


class OrgKind(StrEnum):
    company = "company"
    industry_association = "industry_association"
    government_agency = "government_agency"
    investment_promotion_agency = "investment_promotion_agency"
    research_institute = "research_institute"
    university = "university"
    diplomatic_mission = "diplomatic_mission"
    platform_network = "platform_network"
    financial_institution = "financial_institution"
    other = "other"


class Side(StrEnum):
    home = "home"
    counterpart = "counterpart"
    facilitator = "facilitator"
    mentioned = "mentioned"


class OfferingKind(StrEnum):
    industrial_park = "industrial_park"
    cluster = "cluster"
    corridor = "corridor"
    incubator = "incubator"
    fund = "fund"
    scheme = "scheme"
    other = "other"


class OpportunityKind(StrEnum):
    manufacturing_base = "manufacturing_base"
    rnd_centre = "rnd_centre"
    manufacturing_rnd_base = "manufacturing_rnd_base"
    joint_venture = "joint_venture"
    technology_transfer = "technology_transfer"
    co_development = "co_development"
    research_partnership = "research_partnership"
    training_exchange = "training_exchange"
    startup_soft_landing = "startup_soft_landing"
    gcc = "gcc"
    supply_agreement = "supply_agreement"
    investment = "investment"
    enquiry = "enquiry"
    other = "other"


class OpportunityStage(StrEnum):
    identified = "identified"
    engaged = "engaged"
    interested = "interested"
    mou_signed = "mou_signed"
    grounded = "grounded"
    on_hold = "on_hold"
    dropped = "dropped"


class MouStatus(StrEnum):
    signed = "signed"
    land_identified = "land_identified"
    land_allotted = "land_allotted"
    approvals = "approvals"
    construction = "construction"
    commercial_operation = "commercial_operation"
    stalled = "stalled"
    withdrawn = "withdrawn"


class BlockerCategory(StrEnum):
    land = "land"
    clearance = "clearance"
    right_of_way = "right_of_way"
    power = "power"
    water = "water"
    finance = "finance"
    other = "other"


class EscalationLevel(StrEnum):
    officer = "officer"
    department_head = "department_head"
    chief_secretary = "chief_secretary"


class ReviewState(StrEnum):
    pending = "pending"
    accepted = "accepted"
    rejected = "rejected"


class ItemState(StrEnum):
    pending = "pending"
    accepted = "accepted"
    edited = "edited"
    rejected = "rejected"


class Role(StrEnum):
    admin = "admin"
    manager = "manager"
    officer = "officer"
    nodal_officer = "nodal_officer"
    viewer = "viewer"


class RecordKind(StrEnum):
    """The records a follow-up can hang on."""

    organization = "organization"
    person = "person"
    mission = "mission"
    engagement = "engagement"
    opportunity = "opportunity"
    mou = "mou"
    blocker = "blocker"
    document = "document"
