from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from shuangliang.core.auth import LockingAuthenticationForm
from shuangliang.core.views import health

urlpatterns = [
    path("", include("shuangliang.backoffice.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LockingAuthenticationForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("campaign/", include("shuangliang.campaign.urls")),
    path("double-bright/status/", include("shuangliang.doublebright.status_urls")),
    path("double-bright/", include("shuangliang.doublebright.urls")),
    path("", include("shuangliang.public.urls")),
    path("", include("shuangliang.appeals.urls_public")),
    path("appeals/", include("shuangliang.appeals.urls_staff")),
    path("statistics/", include("shuangliang.statistics.urls")),
    path("notices/", include("shuangliang.notices.urls")),
    path("", include("shuangliang.notices.urls_public")),
    path("standards/", include("shuangliang.standards.urls")),
    path("open-data/", include("shuangliang.statistics.urls_public")),
    path("api/v1/", include("shuangliang.api.urls")),
    path("api-tokens/", include("shuangliang.api.token_urls")),
    path("admin/", admin.site.urls),
    path("healthz", health, name="health"),
]

handler500 = "shuangliang.core.views.server_error"
