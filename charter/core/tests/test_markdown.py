"""Markdown renders safely: every attack comes out inert; ordinary Markdown still works."""

import pytest

from charter.core.markdown import mentioned_ids, render


def test_script_tags_are_escaped_text():
    html = render("<script>alert(1)</script>")
    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_javascript_links_lose_their_href():
    for text in ("[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "<javascript:alert(1)>"):
        html = render(text)
        assert 'href="javascript' not in html.lower(), text


def test_event_handler_attributes_never_survive():
    for text in ('<img src=x onerror="alert(1)">', '![a](x "t" onerror=alert(1))', "<a onclick=x>y</a>"):
        html = render(text)
        assert "<img" not in html and "<a " not in html, text


def test_data_urls_render_inert():
    for text in ("[d](data:text/html;base64,PHNjcmlwdD4=)", "![i](data:image/svg+xml;base64,PHN2Zz4=)"):
        html = render(text)
        assert "href=" not in html and "src=" not in html and "<img" not in html, text


def test_raw_html_and_iframes_are_escaped():
    html = render('<iframe src="https://evil.example"></iframe><style>body{}</style>')
    assert "<iframe" not in html and "<style" not in html


@pytest.mark.parametrize(
    "text, expected",
    [
        ("**bold** _it_", "<strong>bold</strong> <em>it</em>"),
        ("[site](https://example.org)", '<a href="https://example.org" rel="noopener nofollow ugc">site</a>'),
        ("[mail](mailto:a@example.org)", 'href="mailto:a@example.org"'),
        ("- one\n- two", "<li>one</li>"),
        ("`code`", "<code>code</code>"),
    ],
)
def test_ordinary_markdown_renders(text, expected):
    assert expected in render(text)


def test_other_url_schemes_are_dropped():
    html = render("[f](ftp://example.org) [v](vbscript:x) [u](user:3)")
    assert 'href="vbscript' not in html and 'href="user' not in html and 'href="ftp' not in html


def test_mentions_show_the_name_and_parse_the_id():
    text = "Thanks @[Ana *Lopez*](user:12) and @[Bo](user:7)"
    html = render(text)
    assert "<strong>@Ana *Lopez*</strong>" in html
    assert mentioned_ids(text) == {12, 7}


def test_empty_text_renders_nothing():
    assert render("") == ""
    assert render(None) == ""


def test_plain_shows_mentions_as_names():
    from charter.core.markdown import plain

    assert plain("Thanks @[Maya Chen](user:1), see above") == "Thanks @Maya Chen, see above"
