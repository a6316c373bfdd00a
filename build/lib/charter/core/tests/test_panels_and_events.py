"""Panels and events: how higher apps add to lower apps' pages and react to their changes."""

from django.template import Context, Template
from django.test import RequestFactory

from charter.core import events, panels


def test_panels_render_in_order_and_skip_empty():
    def late(request, obj):
        return f"<p>late {obj}</p>"

    def early(request, obj):
        return "<p>early</p>"

    def nothing(request, obj):
        return None

    panels.register("test.slot", order=200)(late)
    panels.register("test.slot", order=10)(early)
    panels.register("test.slot")(nothing)
    try:
        html = Template('{% load charter %}{% panels "test.slot" obj %}').render(
            Context({"request": RequestFactory().get("/"), "obj": 7})
        )
        assert html == "<p>early</p>\n<p>late 7</p>"
    finally:
        panels._slots.pop("test.slot")


def test_events_reach_each_subscriber_once():
    seen = []

    def handler(**payload):
        seen.append(payload)

    events.subscribe("test.event")(handler)
    events.subscribe("test.event")(handler)
    try:
        events.publish("test.event", value=1)
        events.publish("other.event", value=2)
        assert seen == [{"value": 1}]
    finally:
        events._handlers.pop("test.event")
