"""Rules of the register: identifiers, terms, chairs, contracts, the action log and the tree."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from shuangliang.core.models import ActionLogEntry
from shuangliang.register import services
from shuangliang.register.models import (
    CollectiveContract,
    ContractKind,
    ContractStep,
    ContractStepRecord,
    Enterprise,
    Federation,
    IndustrySection,
    Officer,
    OperatingStatus,
    Ownership,
    Position,
    Union,
)
from shuangliang.register.selectors import stats_summary, three_contracts_q
from shuangliang.register.validators import (
    credit_code_check_character,
    validate_credit_code,
    validate_union_credit_code,
)

from .factories import (
    EnterpriseFactory,
    FederationFactory,
    OfficerFactory,
    PersonFactory,
    TownshipFactory,
    UnionFactory,
    UserFactory,
    make_credit_code,
)

# Published codes: the worked example of GB 32100-2015 and codes of well-known companies.
REAL_CODES = [
    "91350100M000100Y43",
    "914403001922038216",
    "91440300708461136T",
    "91330100716105852F",
    "91110000600037341L",
]


def error_code(validator, value) -> str:
    with pytest.raises(ValidationError) as caught:
        validator(value)
    return caught.value.error_list[0].code


# Credit codes -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", REAL_CODES)
def test_credit_code_real_codes_pass(code):
    validate_credit_code(code)
    assert credit_code_check_character(code[:17]) == code[17]


@pytest.mark.parametrize("code", REAL_CODES)
def test_credit_code_any_other_check_character_fails(code):
    for wrong in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        if wrong != code[17]:
            assert error_code(validate_credit_code, code[:17] + wrong) == "credit_code_check"


def test_credit_code_check_error_names_the_expected_character():
    with pytest.raises(ValidationError) as caught:
        validate_credit_code("91350100M000100Y44")
    assert caught.value.error_list[0].params == {"expected": "3"}


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("91350100M000100Y4", "credit_code_length"),
        ("91350100M000100Y431", "credit_code_length"),
        ("", "credit_code_length"),
        ("91350100I000100Y43", "credit_code_chars"),  # I, O, Z, S and V are not used
        ("91350100O000100Y43", "credit_code_chars"),
        ("91350100Z000100Y43", "credit_code_chars"),
        ("91350100S000100Y43", "credit_code_chars"),
        ("91350100V000100Y43", "credit_code_chars"),
        ("91350100M000100Y4!", "credit_code_chars"),
        ("91350100M000010Y43", "credit_code_check"),  # two digits swapped
        ("91350100M000100Y34", "credit_code_check"),
    ],
)
def test_credit_code_bad_values_fail(value, code):
    assert error_code(validate_credit_code, value) == code


def test_credit_code_lower_case_and_full_width_are_normalised():
    validate_credit_code("91350100m000100y43")
    validate_credit_code("９１３５０１００Ｍ０００１００Ｙ４３")


def test_union_credit_code_must_start_with_81():
    body = "81350100M000100Y4"
    union_code = body + credit_code_check_character(body)
    validate_union_credit_code(union_code)
    assert (
        error_code(validate_union_credit_code, "91350100M000100Y43") == "union_credit_code_prefix"
    )
    bad_check = union_code[:17] + ("0" if union_code[17] != "0" else "1")
    assert error_code(validate_union_credit_code, bad_check) == "credit_code_check"


def test_union_model_rejects_enterprise_code(db):
    union = UnionFactory.build(federation=TownshipFactory(), credit_code=make_credit_code("91"))
    with pytest.raises(ValidationError) as caught:
        union.full_clean()
    assert "credit_code" in caught.value.message_dict


def test_enterprise_credit_code_is_unique(db):
    enterprise = EnterpriseFactory()
    twin = EnterpriseFactory.build(
        federation=enterprise.federation, credit_code=enterprise.credit_code
    )
    with pytest.raises(ValidationError) as caught:
        twin.full_clean()
    assert "credit_code" in caught.value.message_dict


# Enterprises --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ownership", "non_public"),
    [
        (Ownership.STATE_OWNED, False),
        (Ownership.COLLECTIVE, False),
        (Ownership.PRIVATE, True),
        (Ownership.FOREIGN_INVESTED, True),
        (Ownership.HMT_INVESTED, True),
    ],
)
def test_enterprise_non_public_is_derived(ownership, non_public):
    assert Enterprise(ownership=ownership).is_non_public is non_public


def test_enterprise_women_cannot_exceed_headcount(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseFactory(headcount=10, women_headcount=11)


# Re-election --------------------------------------------------------------------------------


def today() -> datetime.date:
    return timezone.localdate()


@pytest.mark.parametrize(
    ("start", "years", "due"),
    [
        (datetime.date(2022, 5, 1), 5, datetime.date(2027, 5, 1)),
        (datetime.date(2022, 5, 1), 3, datetime.date(2025, 5, 1)),
        (datetime.date(2020, 2, 29), 3, datetime.date(2023, 2, 28)),
        (datetime.date(2020, 2, 29), 4, datetime.date(2024, 2, 29)),
    ],
)
def test_union_reelection_due_date(start, years, due):
    assert Union(term_start=start, term_years=years).reelection_due_on == due


def test_union_reelection_unknown_without_term():
    union = Union(term_start=None)
    assert union.reelection_due_on is None
    assert union.reelection_state == "unknown"


@pytest.mark.parametrize(
    ("days_until_due", "state"),
    [(-1, "lapsed"), (0, "due_soon"), (100, "due_soon"), (180, "due_soon"), (181, "ok")],
)
def test_union_reelection_warning_state(settings, monkeypatch, days_until_due, state):
    settings.REELECTION_WARNING_DAYS = 180
    fixed_today = datetime.date(2026, 6, 15)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: fixed_today)
    due = fixed_today + datetime.timedelta(days=days_until_due)
    union = Union(term_start=due.replace(year=due.year - 3), term_years=3)
    assert union.reelection_due_on == due
    assert union.reelection_state == state


# Chairs -------------------------------------------------------------------------------------


def test_one_active_chair_per_union_in_the_database(db):
    union = UnionFactory(federation=TownshipFactory())
    OfficerFactory(union=union, position=Position.CHAIR)
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficerFactory(union=union, position=Position.CHAIR)
    OfficerFactory(union=union, position=Position.CHAIR, status=Officer.Status.REPLACED)
    OfficerFactory(union=union, position=Position.VICE_CHAIR)
    OfficerFactory(union=union, position=Position.VICE_CHAIR)


def test_second_active_chair_fails_validation(db):
    union = UnionFactory(federation=TownshipFactory())
    OfficerFactory(union=union, position=Position.CHAIR)
    second = OfficerFactory.build(union=union, person=PersonFactory(), position=Position.CHAIR)
    with pytest.raises(ValidationError):
        second.full_clean()


def test_appointing_a_chair_replaces_the_chair_in_office(db):
    actor = UserFactory()
    union = UnionFactory(federation=TownshipFactory())
    old = OfficerFactory(union=union, position=Position.CHAIR, term_start=datetime.date(2022, 5, 1))
    start = datetime.date(2025, 3, 1)
    new = services.officer_appoint(
        actor=actor,
        union=union,
        person=PersonFactory(name="周新"),
        data={"position": Position.CHAIR, "term_start": start},
    )
    old.refresh_from_db()
    assert old.status == Officer.Status.REPLACED
    assert old.ended_on == old.term_end == datetime.date(2025, 2, 28)
    assert not old.is_current
    active = Officer.objects.filter(union=union, position=Position.CHAIR, status="active")
    assert list(active) == [new]
    assert new.person.name == "周新"
    assert Officer.objects.filter(union=union, position=Position.CHAIR).count() == 2


def test_officer_end_refuses_a_second_end(db):
    officer = OfficerFactory(union=UnionFactory(federation=TownshipFactory()))
    services.officer_end(actor=None, officer=officer)
    with pytest.raises(services.RegisterError):
        services.officer_end(actor=None, officer=officer)
    with pytest.raises(services.RegisterError):
        services.officer_end(actor=None, officer=officer, status=Officer.Status.ACTIVE)


# Contracts ----------------------------------------------------------------------------------


def kind(code: str) -> ContractKind:
    return ContractKind.objects.get(code=code)


def test_contract_kinds_shipped_by_migration(db):
    counted = ContractKind.objects.filter(counts_for_three=True)
    assert set(counted.values_list("code", flat=True)) == {"comprehensive", "wage", "women"}
    assert kind("wage").default_term_months == 12
    assert not kind("safety").counts_for_three


def test_contract_steps_only_go_forward(db):
    union = UnionFactory(federation=TownshipFactory())
    contract = services.contract_create(
        actor=None, union=union, data={"kind": kind("wage"), "step": ContractStep.TALKS}
    )
    day = today()
    for step in (ContractStep.TALKS, ContractStep.OFFER):
        with pytest.raises(services.RegisterError):
            services.contract_advance(actor=None, contract=contract, step=step, reached_on=day)
    services.contract_advance(
        actor=None, contract=contract, step=ContractStep.SIGNED, reached_on=day
    )
    contract.refresh_from_db()
    assert contract.step == ContractStep.SIGNED
    assert contract.signed_on == day
    assert contract.expires_on is not None
    with pytest.raises(services.RegisterError):
        services.contract_advance(
            actor=None, contract=contract, step=ContractStep.CONGRESS_APPROVED, reached_on=day
        )
    services.contract_advance(
        actor=None, contract=contract, step=ContractStep.FILED, reached_on=day
    )
    steps = ContractStepRecord.objects.filter(contract=contract).values_list("step", flat=True)
    assert list(steps) == [ContractStep.TALKS, ContractStep.SIGNED, ContractStep.FILED]


@pytest.mark.parametrize(
    ("signed_on", "months", "expires_on"),
    [
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2023, 1, 31), 1, datetime.date(2023, 2, 28)),
        (datetime.date(2024, 11, 30), 12, datetime.date(2025, 11, 30)),
        (datetime.date(2024, 3, 15), 36, datetime.date(2027, 3, 15)),
        (None, 12, None),
    ],
)
def test_contract_expiry_follows_the_term(db, signed_on, months, expires_on):
    union = UnionFactory(federation=TownshipFactory())
    contract = CollectiveContract.objects.create(
        union=union, kind=kind("wage"), signed_on=signed_on, term_months=months
    )
    assert contract.expires_on == expires_on


def contract(union, code: str, *, step=ContractStep.IN_FORCE, days_ago=30, months=36):
    signed_on = today() - datetime.timedelta(days=days_ago) if step != ContractStep.TALKS else None
    return CollectiveContract.objects.create(
        union=union, kind=kind(code), step=step, signed_on=signed_on, term_months=months
    )


@pytest.fixture
def unions(db):
    """Unions in one township, each holding a different set of contracts."""
    township = TownshipFactory()
    made = {}
    for name in ("all", "expired", "talks", "two", "signed_only", "wage_last_year"):
        made[name] = UnionFactory(federation=township)
        EnterpriseFactory(federation=township, union=made[name])
    for name in ("all", "signed_only"):
        contract(made[name], "comprehensive")
        contract(made[name], "wage", months=12)
        contract(made[name], "women")
    contract(made["expired"], "comprehensive")
    contract(made["expired"], "wage", days_ago=400, months=12)
    contract(made["expired"], "women")
    contract(made["talks"], "comprehensive")
    contract(made["talks"], "wage", step=ContractStep.TALKS)
    contract(made["talks"], "women")
    contract(made["two"], "comprehensive")
    contract(made["two"], "women")
    contract(made["two"], "safety")  # not counted: does not stand in for the wage contract
    CollectiveContract.objects.filter(union=made["signed_only"]).update(step=ContractStep.SIGNED)
    contract(made["wage_last_year"], "comprehensive")
    contract(made["wage_last_year"], "wage", days_ago=400, months=12)
    contract(made["wage_last_year"], "wage", days_ago=35, months=12)  # this year's renewal
    contract(made["wage_last_year"], "women")
    made["township"] = township
    return made


def counting(unions) -> set[str]:
    holders = set(Union.objects.filter(three_contracts_q()).values_list("pk", flat=True))
    return {
        name for name, union in unions.items() if isinstance(union, Union) and union.pk in holders
    }


def test_three_contracts_only_signed_unexpired_counted_kinds(unions):
    assert counting(unions) == {"all", "signed_only", "wage_last_year"}


def test_three_contracts_follow_the_configured_kinds(unions):
    ContractKind.objects.filter(code="safety").update(counts_for_three=True)
    assert counting(unions) == set()
    ContractKind.objects.filter(code="safety").update(counts_for_three=False)
    ContractKind.objects.filter(code="wage").update(counts_for_three=False)
    assert counting(unions) == {"all", "signed_only", "wage_last_year", "expired", "talks", "two"}


def test_three_contracts_expire_with_time(unions, monkeypatch):
    later = today() + datetime.timedelta(days=400)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    assert counting(unions) == set()


def test_stats_summary_counts_enterprises_by_their_union(unions):
    user = UserFactory(is_superuser=True)
    township = unions["township"]
    EnterpriseFactory(federation=township)  # no union
    EnterpriseFactory(
        federation=township, operating_status=OperatingStatus.SUSPENDED, union=unions["all"]
    )
    EnterpriseFactory(federation=township, union=unions["all"])  # a second one in a joint union
    figures = stats_summary(user=user, federation=township)
    assert figures["enterprises_operating"] == 8
    assert figures["unions_founded"] == 7
    assert figures["three_contracts_signed"] == 4
    assert figures["coverage_rate"] == round(7 / 8, 4)


# The action log -----------------------------------------------------------------------------


@pytest.fixture
def register(db):
    township = TownshipFactory()
    union = UnionFactory(federation=township)
    return {
        "actor": UserFactory(),
        "township": township,
        "union": union,
        "enterprise": EnterpriseFactory(federation=township),
        "person": PersonFactory(),
        "officer": OfficerFactory(union=union),
        "contract": CollectiveContract.objects.create(union=union, kind=kind("women")),
    }


def enterprise_data(township) -> dict:
    return {
        "name": "示范县日志测试有限公司",
        "credit_code": make_credit_code("91"),
        "ownership": Ownership.PRIVATE,
        "industry": IndustrySection.C,
        "headcount": 30,
        "women_headcount": 10,
        "federation": township,
    }


SERVICE_CALLS = {
    "enterprise_create": lambda r: services.enterprise_create(
        actor=r["actor"], data=enterprise_data(r["township"])
    ),
    "enterprise_update": lambda r: services.enterprise_update(
        actor=r["actor"], enterprise=r["enterprise"], data={"headcount": 120}
    ),
    "enterprise_delete": lambda r: services.enterprise_delete(
        actor=r["actor"], enterprise=r["enterprise"]
    ),
    "enterprise_attach_union": lambda r: services.enterprise_attach_union(
        actor=r["actor"], enterprise=r["enterprise"], union=r["union"]
    ),
    "union_create": lambda r: services.union_create(
        actor=r["actor"],
        data={"name": "新建工会委员会", "federation": r["township"], "term_years": 5},
    ),
    "union_update": lambda r: services.union_update(
        actor=r["actor"], union=r["union"], data={"member_count": 99}
    ),
    "person_create": lambda r: services.person_create(
        actor=r["actor"], data={"name": "吴新", "mobile": "13900001111"}
    ),
    "person_update": lambda r: services.person_update(
        actor=r["actor"], person=r["person"], data={"office_phone": "0999-1234567"}
    ),
    "officer_appoint": lambda r: services.officer_appoint(
        actor=r["actor"],
        union=r["union"],
        person=r["person"],
        data={"position": Position.VICE_CHAIR, "term_start": datetime.date(2024, 1, 1)},
    ),
    "officer_update": lambda r: services.officer_update(
        actor=r["actor"], officer=r["officer"], data={"is_full_time": True}
    ),
    "officer_end": lambda r: services.officer_end(actor=r["actor"], officer=r["officer"]),
    "officer_register": lambda r: services.officer_register(actor=r["actor"], officer=r["officer"]),
    "contract_create": lambda r: services.contract_create(
        actor=r["actor"], union=r["union"], data={"kind": kind("wage")}
    ),
    "contract_update": lambda r: services.contract_update(
        actor=r["actor"], contract=r["contract"], data={"workers_covered": 40}
    ),
    "contract_advance": lambda r: services.contract_advance(
        actor=r["actor"], contract=r["contract"], step=ContractStep.TALKS, reached_on=today()
    ),
    "contract_delete": lambda r: services.contract_delete(actor=r["actor"], contract=r["contract"]),
}


@pytest.mark.parametrize("name", SERVICE_CALLS)
def test_every_service_write_leaves_one_log_entry(register, name):
    before = set(ActionLogEntry.objects.values_list("pk", flat=True))
    SERVICE_CALLS[name](register)
    new = ActionLogEntry.objects.exclude(pk__in=before)
    assert new.count() == 1
    entry = new.get()
    assert entry.actor == register["actor"]
    assert entry.action_type.startswith("register.")


def test_update_without_change_logs_nothing(register):
    before = ActionLogEntry.objects.count()
    services.union_update(
        actor=register["actor"], union=register["union"], data={"name": register["union"].name}
    )
    assert ActionLogEntry.objects.count() == before


def test_replacing_a_chair_logs_each_officer_once(register):
    chair = OfficerFactory(union=register["union"], position=Position.CHAIR)
    before = set(ActionLogEntry.objects.values_list("pk", flat=True))
    new = services.officer_appoint(
        actor=register["actor"],
        union=register["union"],
        person=register["person"],
        data={"position": Position.CHAIR, "term_start": today()},
    )
    entries = ActionLogEntry.objects.exclude(pk__in=before)
    assert sorted(entries.values_list("object_id", "action_type")) == sorted(
        [(str(chair.pk), "register.officer.replaced"), (str(new.pk), "register.officer.appointed")]
    )


def test_log_masks_phone_changes(register):
    services.person_update(
        actor=register["actor"], person=register["person"], data={"mobile": "13912345678"}
    )
    entry = ActionLogEntry.objects.filter(action_type="register.person.changed").get()
    assert "13912345678" not in str(entry.data)


def test_invalid_write_logs_nothing_and_saves_nothing(register):
    data = {**enterprise_data(register["township"]), "credit_code": "91350100M000100Y44"}
    before = ActionLogEntry.objects.count(), Enterprise.objects.count()
    with pytest.raises(ValidationError):
        services.enterprise_create(actor=register["actor"], data=data)
    assert (ActionLogEntry.objects.count(), Enterprise.objects.count()) == before


# The federation tree ------------------------------------------------------------------------


@pytest.fixture
def tree(db):
    """province ── city A ── county A1 ── township A1a
    │         └─ county A2
    └── city B ── county B1 (plus 40 more counties under B, to pass 36 ids)"""
    province = FederationFactory(level=Federation.Level.PROVINCE, division_code="980000")
    city_a = FederationFactory(level=Federation.Level.CITY, parent=province, division_code="980100")
    city_b = FederationFactory(level=Federation.Level.CITY, parent=province, division_code="980200")
    a1 = FederationFactory(parent=city_a, division_code="980101")
    a2 = FederationFactory(parent=city_a, division_code="980102")
    a1a = TownshipFactory(parent=a1, division_code="980101001")
    b1 = FederationFactory(parent=city_b, division_code="980201")
    extra = [FederationFactory(parent=city_b, division_code=f"9802{n:02d}") for n in range(2, 42)]
    return {
        "province": province,
        "city_a": city_a,
        "city_b": city_b,
        "a1": a1,
        "a2": a2,
        "a1a": a1a,
        "b1": b1,
        "extra": extra,
    }


def codes(queryset) -> set[str]:
    return set(queryset.values_list("division_code", flat=True))


def test_federation_subtree_is_a_prefix_query(tree):
    assert codes(tree["city_a"].subtree()) == {"980100", "980101", "980102", "980101001"}
    assert codes(tree["a1"].subtree()) == {"980101", "980101001"}
    assert codes(tree["a1a"].subtree()) == {"980101001"}
    assert len(codes(tree["province"].subtree())) == 47
    for county in [tree["b1"], *tree["extra"]]:
        assert codes(county.subtree()) == {county.division_code}


def test_federation_path_and_depth(tree):
    province, city_a, a1, a1a = tree["province"], tree["city_a"], tree["a1"], tree["a1a"]
    for node in (province, city_a, a1, a1a):
        node.refresh_from_db()
    assert (province.depth, city_a.depth, a1.depth, a1a.depth) == (1, 2, 3, 4)
    assert a1a.path.startswith(a1.path) and a1.path.startswith(city_a.path)
    assert len({f.path for f in Federation.objects.all()}) == Federation.objects.count()


def test_federation_ancestors_in_order(tree):
    assert [f.division_code for f in tree["a1a"].ancestors()] == ["980000", "980100", "980101"]
    assert list(tree["province"].ancestors()) == []


def test_federation_path_survives_a_rename(tree):
    a1 = tree["a1"]
    path = Federation.objects.get(pk=a1.pk).path
    a1.name = "改名县总工会"
    a1.save()
    assert Federation.objects.get(pk=a1.pk).path == path


def test_enterprise_scope_follows_the_subtree(tree):
    EnterpriseFactory(federation=tree["a1a"])
    EnterpriseFactory(federation=tree["b1"])
    in_a = Enterprise.objects.filter(federation__path__startswith=tree["city_a"].path)
    assert [e.federation_id for e in in_a] == [tree["a1a"].pk]
