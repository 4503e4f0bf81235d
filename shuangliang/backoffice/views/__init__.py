from .enterprises import (
    enterprise_create,
    enterprise_delete,
    enterprise_detail,
    enterprise_edit,
    enterprise_list,
)
from .home import home
from .officers import (
    cadre_register,
    officer_appoint,
    officer_edit,
    officer_end,
    officer_list,
    officer_register,
    person_detail,
    person_edit,
    person_unmask,
)
from .photos import person_photo, person_photo_remove, person_photo_upload
from .unions import (
    contract_advance,
    contract_create,
    contract_delete,
    union_create,
    union_delete,
    union_detail,
    union_edit,
    union_list,
)

__all__ = [
    "cadre_register",
    "contract_advance",
    "contract_create",
    "contract_delete",
    "enterprise_create",
    "enterprise_delete",
    "enterprise_detail",
    "enterprise_edit",
    "enterprise_list",
    "home",
    "officer_appoint",
    "officer_edit",
    "officer_end",
    "officer_list",
    "officer_register",
    "person_detail",
    "person_edit",
    "person_photo",
    "person_photo_remove",
    "person_photo_upload",
    "person_unmask",
    "union_create",
    "union_delete",
    "union_detail",
    "union_edit",
    "union_list",
]
