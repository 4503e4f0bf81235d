"""The public union page's frame is rendered once per language and robots setting
(public/frame.py) and filled per request: byte for byte what the template renders."""

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.safestring import mark_safe

from shuangliang.public import frame

NAME = """<b>甲一机械</b> & "引号" 'x' 工会委员会"""
PATH = "/u/abcDEF123_-/?next=<script>&lang=中文 x%20y"
BODY = '<section class="content">内容 &amp; <a href="/x">link</a></section>'


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
@pytest.mark.parametrize("indexable", [False, True])
def test_filled_frame_equals_the_rendered_template(language, indexable):
    request = RequestFactory().get(PATH)
    with translation.override(language):
        expected = render_to_string(
            frame.TEMPLATE,
            {"union": {"name": NAME}, "body": mark_safe(BODY), "indexable": indexable},
            request=request,
        )
        filled = frame.union_page_frame(indexable=indexable).fill(
            title=NAME, here=request.get_full_path(), body=BODY
        )
    assert filled == expected
    assert "&lt;b&gt;甲一机械&lt;/b&gt; &amp; &quot;引号&quot; &#x27;x&#x27;" in filled
    assert "<script>" not in filled
    assert ('content="noindex"' in filled) is not indexable


def test_each_language_keeps_its_own_frame():
    with translation.override("en"):
        english = frame.union_page_frame(indexable=False).fill(title="U", here="/u/x/", body="")
    with translation.override("zh-hant"):
        traditional = frame.union_page_frame(indexable=False).fill(title="U", here="/u/x/", body="")
    assert '<html lang="en">' in english and '<html lang="zh-hant">' in traditional


def test_the_page_shows_the_union_escaped_with_its_links(world):
    page_u1 = world.union_page
    world.u1.name = NAME
    world.u1.save()
    html = Client().get(f"/u/{page_u1.token}/?a=1&b=2").content.decode()
    assert "<title>&lt;b&gt;甲一机械" in html
    assert f"next=/u/{page_u1.token}/%3Fa%3D1%26b%3D2" in html
