"""Staff pages of the Double Bright campaign: status checklist and print materials."""

from django.urls import path

from . import batch_views, print_views

app_name = "doublebright"
urlpatterns: list = [
    # Print materials (issue 3): PDFs of one union, one officer or a federation, and batches.
    path("print/", print_views.print_home, name="print_home"),
    path("print/unions/<int:pk>/", print_views.print_union, name="print_union"),
    path(
        "print/unions/<int:pk>/signboard.pdf",
        print_views.union_signboard_pdf,
        name="union_signboard_pdf",
    ),
    path("print/unions/<int:pk>/poster.pdf", print_views.union_poster_pdf, name="union_poster_pdf"),
    path("print/unions/<int:pk>/badges.pdf", print_views.union_badges_pdf, name="union_badges_pdf"),
    path("print/unions/<int:pk>/cards.pdf", print_views.union_cards_pdf, name="union_cards_pdf"),
    path(
        "print/officers/<int:pk>/badge.pdf", print_views.officer_badge_pdf, name="officer_badge_pdf"
    ),
    path("print/officers/<int:pk>/card.pdf", print_views.officer_card_pdf, name="officer_card_pdf"),
    path(
        "print/federations/<int:pk>/poster.pdf",
        print_views.federation_poster_pdf,
        name="federation_poster_pdf",
    ),
    path("print/batches/new/", batch_views.print_batch, name="print_batch"),
    path("print/batches/<int:pk>/", batch_views.print_job, name="print_job"),
    path(
        "print/batches/<int:pk>/download/",
        batch_views.print_job_download,
        name="print_job_download",
    ),
]
