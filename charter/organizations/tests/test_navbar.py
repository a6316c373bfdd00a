"""The top bar (base.html): collapsed behind a toggler on small screens, its links in four menus, the
current page's link and menu marked, a favicon."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_navbar_collapses_groups_its_links_and_marks_the_current_page(owner, login):
    html = login(owner).get(reverse("decision_log")).content.decode()
    assert 'class="navbar-toggler' in html and 'aria-controls="navbar-menu"' in html
    assert 'aria-expanded="false"' in html and 'id="navbar-menu"' in html
    menus = re.findall(r'data-bs-toggle="dropdown" aria-expanded="false">(\w+)</button>', html)
    assert menus == ["Plan", "Lead", "People", "Learn"]
    assert re.search(r'class="nav-link dropdown-toggle[^"]* active"[^>]*>Lead<', html)
    assert re.search(r'class="dropdown-item active" aria-current="page" href="/decisions/"', html)
    for name in ("strategy_map", "goal_list", "delegation_board", "insights", "person_list", "guide", "help"):
        assert f'href="{reverse(name)}"' in html, name
    assert 'id="navbar-search"' in html and 'rel="icon" href="/static/favicon.svg"' in html
