"""A small trip report and its extraction, written out so the review tests do not depend on the model."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy.orm import Session

from investdesk.documents import service as documents
from investdesk.extraction import DocumentText, Extraction
from tests.factories import SYSTEM

S1 = "A delegation led by Asha Verma, CEO of Invest UP, visited Osaka and Tokyo in July 2025."
S2 = ("In Osaka, the delegation met Dr. Hayashi Yoshikazu, Director General of the Kansai Pharmaceutical "
      "Industries Association (KPIA), to discuss clinical research.")
S3 = "Tanaka Electric Co. Ltd. expressed interest in a manufacturing and R&D base in Lucknow worth Rs 1,200 crore."
S4 = "The team presented the FDI & FCI Policy 2023 and the Pharma and Medical Device Park."
TEXT = f"Uttar Pradesh delegation visits Japan\n\n{S1}\n{S2}\n{S3}\n{S4}"


def extraction() -> Extraction:
    return Extraction.model_validate({
        "home": {"jurisdiction": "Uttar Pradesh", "country": "IN"},
        "destinations": [{"country": "JP", "cities": ["Osaka", "Tokyo"]}],
        "delegates": [{"name": "Asha Verma", "titles": ["CEO"], "organization": "Invest UP", "evidence": S1}],
        "people": [
            {"name": "Asha Verma", "titles": ["CEO"], "organization": "Invest UP", "side": "home", "evidence": S1},
            {"name": "Hayashi Yoshikazu", "honorific": "Dr.", "titles": ["Director General"],
             "organization": "Kansai Pharmaceutical Industries Association", "side": "counterpart", "evidence": S2}],
        "organizations": [
            {"name": "Invest UP", "kind": "investment_promotion_agency", "country": "IN", "role": "home",
             "evidence": S1},
            {"name": "Kansai Pharmaceutical Industries Association", "acronym": "KPIA",
             "kind": "industry_association", "country": "JP", "role": "counterpart", "evidence": S2},
            {"name": "Tanaka Electric Co. Ltd.", "kind": "company", "country": "JP", "role": "counterpart",
             "evidence": S3}],
        "engagements": [
            {"counterparts": ["Kansai Pharmaceutical Industries Association"], "city": "Osaka", "date": "2025-07-08",
             "sectors": ["pharmaceuticals"], "topics": ["clinical research"], "evidence": S2},
            {"counterparts": ["Tanaka Electric Co. Ltd."], "city": "Tokyo", "sectors": [], "evidence": S3}],
        "sectors": ["pharmaceuticals"],
        "policies": [{"name": "FDI & FCI Policy 2023", "evidence": S4}],
        "offerings": [{"name": "Pharma and Medical Device Park", "kind": "industrial_park", "evidence": S4}],
        "opportunities": [
            {"counterpart": "Tanaka Electric Co. Ltd.", "kind": "manufacturing_rnd_base", "stage": "interest_expressed",
             "amount": {"value": 1200, "currency": "INR", "unit": "crore"}, "location": "Lucknow", "evidence": S3}],
    })


def store(session: Session, tmp_path: Path, *, text: str = TEXT, x: Extraction | None = None,
          auto_accept: bool = False, name: str = "trip.txt") -> documents.Stored:
    data = text.encode()
    doc = DocumentText(text=text, sha256=hashlib.sha256(data).hexdigest(), path=None, media_type="text/plain")
    return documents.upload(session, actor=SYSTEM, documents_dir=tmp_path / "documents", data=data, doc=doc,
                           extraction=x or extraction(), filename=name, auto_accept=auto_accept)
