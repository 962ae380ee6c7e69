"""The home page: the public front door for a visitor, each signed-in user's own home."""

from django.shortcuts import render

from .dashboard import cards_for, learner_home


def home(request):
    """`/`: the public front door for a visitor; each signed-in user's own home (a learner's 我的主页)."""
    if not request.user.is_authenticated:
        return render(request, "core/front.html")
    if request.user.is_learner:
        return render(request, "core/home.html", {"learner_home": learner_home(request.user)})
    return render(request, "core/home.html", {"cards": cards_for(request.user)})
