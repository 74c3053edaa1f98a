"""The backend's default Jinja2 environment renders exactly what Jinja2's own does."""

from __future__ import annotations

from decimal import Decimal

import jinja2
import pytest
from markupsafe import Markup, escape

from asgi_cycle.template.backends._jinja2 import Environment, escape_output, render
from asgi_cycle.template.backends.jinja2 import Jinja2


class Html:
    def __html__(self) -> str:
        return "<i>safe</i>"


class Text:
    def __str__(self) -> str:
        return "<not safe>"


class Count(int):
    def __str__(self) -> str:
        return "<count>"


VALUES = [
    "plain",
    "<b>&'\"</b>",
    "",
    0,
    -12,
    10**30,
    1.5,
    float("inf"),
    True,
    None,
    Decimal("5.00"),
    Markup("<em>kept</em>"),
    Html(),
    Text(),
    Count(3),
    ["<a>", 1],
]

SOURCE = """\
{{ value }}|{{ value ~ '<' }}|{{ value | string }}|{{ value | e }}|{{ value | safe }}
{% macro cell(v) %}<td>{{ v }}</td>{% endmacro %}{{ cell(value) }}
{% set block %}<p>{{ value }}</p>{% endset %}{{ block }}|{{ block | length }}
{% filter upper %}{{ value }}{% endfilter %}
{% autoescape false %}{{ value }}{% endautoescape %}
{% for item in [value, value] %}{{ loop.index }}{{ item }}{% endfor %}
{{ missing }}|{{ missing is defined }}
"""


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_escape_output_is_markupsafe_escape_as_text(value):
    assert escape_output(value) == str(escape(value))


@pytest.mark.parametrize("value", VALUES, ids=repr)
@pytest.mark.parametrize("autoescape", [True, False])
def test_same_output_as_jinja2(value, autoescape):
    ours = Environment(autoescape=autoescape).from_string(SOURCE)
    theirs = jinja2.Environment(autoescape=autoescape).from_string(SOURCE)
    assert render(ours, {"value": value}) == theirs.render(value=value)


def test_same_output_with_finalize_and_runtime_autoescape():
    source = "{{ v }}{% autoescape flag %}{{ v }}{% endautoescape %}"
    options = {"autoescape": True, "finalize": lambda v: "" if v is None else v}
    ours = Environment(**options).from_string(source)
    theirs = jinja2.Environment(**options).from_string(source)
    for context in ({"v": "<x>", "flag": False}, {"v": None, "flag": True}):
        assert render(ours, dict(context)) == theirs.render(**context)


def test_a_global_added_after_loading_is_seen():
    env = Environment(autoescape=True)
    template = env.from_string("{{ later }}|{{ own }}", globals={"own": "<t>"})
    env.globals["later"] = "<g>"
    assert render(template, {}) == "&lt;g&gt;|&lt;t&gt;"
    assert render(template, {"own": "v"}) == "&lt;g&gt;|v"


def test_errors_carry_the_template_traceback():
    template = Environment().from_string("line\n{{ 1 // 0 }}")
    with pytest.raises(ZeroDivisionError) as info:
        render(template, {})
    assert any(entry.lineno == 1 and "<template>" in str(entry.path) for entry in info.traceback)


def test_a_template_class_of_the_users_renders_itself():
    class Shouting(jinja2.Template):
        def render(self, *args, **kwargs):
            return super().render(*args, **kwargs).upper()

    env = Environment(autoescape=True)
    env.template_class = Shouting
    assert render(env.from_string("{{ v }}"), {"v": "<a>"}) == "&LT;A&GT;"


def test_the_backend_uses_it_unless_an_environment_is_named():
    params = {"NAME": "jinja2", "DIRS": [], "APP_DIRS": False}
    assert type(Jinja2({**params, "OPTIONS": {}}).env) is Environment
    named = Jinja2({**params, "OPTIONS": {"environment": "jinja2.Environment"}})
    assert type(named.env) is jinja2.Environment
    assert "escape_output" not in named.env.compile("{{ v }}", raw=True)
