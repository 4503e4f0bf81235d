"""QUALITY.md B1: the form, the import and the model (admin, API) refuse the same values."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shuangliang.backoffice.forms import EnterpriseForm
from shuangliang.register.importers import register_import
from shuangliang.register.models import Enterprise

from .factories import make_credit_code

BAD_NAMES = ["宏达机械😀有限公司", "宏达\u200e机械", "宏达\ue000机械"]


def _form_data(world, **overrides):
    data = {
        "name": "宏达机械有限公司",
        "credit_code": make_credit_code(),
        "federation": world.t1.pk,
        "ownership": "private",
        "industry": "C",
        "operating_status": "in_production",
        "headcount": 10,
        "women_headcount": 2,
    }
    return {**data, **overrides}


def _workbook(name: str, code: str) -> io.BytesIO:
    book = openpyxl.Workbook()
    book.active.title = "企业"
    book.active.append(["企业名称", "统一社会信用代码", "所属乡镇", "经济类型", "行业", "职工人数"])
    book.active.append([name, code, "甲一镇", "私营", "C", 10])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize("name", BAD_NAMES)
def test_bad_name_is_refused_by_form_import_and_model_alike(world, name):
    form = EnterpriseForm(_form_data(world, name=name), user=world.users["county_c1"])
    assert not form.is_valid()
    assert "name" in form.errors

    result = register_import(file=_workbook(name, make_credit_code()), federation=world.c1)
    assert result.written is False
    assert [error.column for error in result.errors] == ["企业名称"]

    enterprise = Enterprise(
        name=name,
        credit_code=make_credit_code(),
        federation=world.t1,
        ownership="private",
        industry="C",
    )
    with pytest.raises(ValidationError) as caught:
        enterprise.full_clean()
    assert "name" in caught.value.message_dict
    assert Enterprise.objects.filter(name=name).count() == 0


@pytest.mark.parametrize("code_change", ["check", "length", "letters"])
def test_bad_credit_code_is_refused_by_form_import_and_model_alike(world, code_change):
    code = make_credit_code()
    bad = {
        "check": code[:17] + ("0" if code[17] != "0" else "1"),
        "length": code[:17],
        "letters": "IO" + code[2:],
    }[code_change]
    form = EnterpriseForm(_form_data(world, credit_code=bad), user=world.users["county_c1"])
    assert not form.is_valid() and "credit_code" in form.errors

    result = register_import(file=_workbook("宏达机械有限公司", bad), federation=world.c1)
    assert result.written is False
    assert [error.column for error in result.errors] == ["统一社会信用代码"]

    with pytest.raises(ValidationError):
        Enterprise(
            name="宏达", credit_code=bad, federation=world.t1, ownership="private", industry="C"
        ).full_clean()


def test_admin_refuses_bad_credit_code(world):
    from django.test import Client

    client = Client()
    client.force_login(world.users["superuser"])
    code = make_credit_code()
    response = client.post(
        reverse("admin:register_enterprise_add"),
        {**_form_data(world, credit_code=code[:17] + "I"), "headcount": 10, "women_headcount": 2},
    )
    assert response.status_code == 200
    assert not Enterprise.objects.filter(credit_code__startswith=code[:17]).exists()
