"""The register over the API: enterprises, unions, officers, people, contracts.

Each operation does what the matching staff page does, in the same order: fetch through the
access chokepoint (404 outside scope), bind the page's form, call the page's service.
"""

from .contracts import (
    ContractAdvanceView,
    ContractDetailView,
    ContractKindListView,
    ContractListView,
)
from .enterprises import (
    EnterpriseDetailView,
    EnterpriseListView,
    FederationListView,
    UnionDetailView,
    UnionListView,
)
from .people import (
    OfficerDetailView,
    OfficerEndView,
    OfficerListView,
    OfficerRegisterView,
    PersonDetailView,
    PersonUnmaskView,
)

__all__ = [
    "ContractAdvanceView",
    "ContractDetailView",
    "ContractKindListView",
    "ContractListView",
    "EnterpriseDetailView",
    "EnterpriseListView",
    "FederationListView",
    "OfficerDetailView",
    "OfficerEndView",
    "OfficerListView",
    "OfficerRegisterView",
    "PersonDetailView",
    "PersonUnmaskView",
    "UnionDetailView",
    "UnionListView",
]
