"""Factories for ideas, through the services."""

import itertools

from charter.ideas.services import idea_create

_seq = itertools.count(1)


def make_idea(actor, title=None, **kwargs):
    return idea_create(actor=actor, title=title or f"Idea {next(_seq)}", **kwargs)
