"""Public pages (no login): union pages, cadre verification, federation pages."""

app_name = "public"
urlpatterns: list = []
