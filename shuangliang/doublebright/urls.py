"""Staff pages of the Double Bright campaign: status checklist and print materials."""

app_name = "doublebright"
urlpatterns: list = []
