from django.urls import path

from . import views

app_name = "campaign"
urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("<int:pk>/targets/new/", views.target_create, name="target_create"),
    path("<int:pk>/tasks/new/", views.task_create, name="task_create"),
    path("phases/<int:pk>/edit/", views.phase_edit, name="phase_edit"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("assignments/", views.assignment_list, name="assignment_list"),
    path("assignments/new/", views.assignment_create, name="assignment_create"),
    path("assignments/<int:pk>/edit/", views.assignment_edit, name="assignment_edit"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("my-enterprises/", views.my_enterprises, name="my_enterprises"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/follow-ups/new/", views.follow_up_add, name="follow_up_add"),
    path("visit-photos/<int:pk>/", views.visit_photo, name="visit_photo"),
    path("follow-ups/", views.follow_up_list, name="follow_up_list"),
    path("follow-ups/<int:pk>/close/", views.follow_up_close, name="follow_up_close"),
    path("follow-ups/<int:pk>/reopen/", views.follow_up_reopen, name="follow_up_reopen"),
    path("field-work/", views.fieldwork, name="fieldwork"),
    path("focus/", views.focus_list, name="focus_list"),
    path("focus/<int:pk>/", views.focus_detail, name="focus_detail"),
    path("focus/<int:pk>/plan/", views.focus_plan_edit, name="focus_plan_edit"),
    path("focus/<int:pk>/tags/", views.focus_tag_change, name="focus_tag_change"),
]
