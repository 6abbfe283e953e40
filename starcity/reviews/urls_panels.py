"""Panels: the draw, invitations, scorecards, discussion and results."""

urlpatterns: list = []
