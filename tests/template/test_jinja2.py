"""The Jinja2 backend: loading, inheritance, escaping, options and errors."""

from __future__ import annotations

import asyncio
import os
from decimal import Decimal
from pathlib import Path

import jinja2
import pytest

from asgi_cycle.core.exceptions import ImproperlyConfigured, SynchronousOnlyOperation
from asgi_cycle.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from asgi_cycle.template.loader import get_template, render_to_string, select_template
from asgi_cycle.test.utils import override_settings
from asgi_cycle.utils.asyncio import sync_to_async
from tests.views.requests import make_request

HERE = Path(__file__).parent
DIR_A = str(HERE / "dir_a")
DIR_B = str(HERE / "dir_b")
APP = "tests.template.sample_app"
HELPERS = "tests.template.sample_app.helpers"
BACKEND = "asgi_cycle.template.backends.jinja2.Jinja2"


def jinja(dirs=(DIR_A, DIR_B), app_dirs=True, **options):
    return [{"BACKEND": BACKEND, "DIRS": list(dirs), "APP_DIRS": app_dirs, "OPTIONS": options}]


@pytest.fixture(autouse=True)
def templates():
    with override_settings(
        TEMPLATES=jinja(), INSTALLED_APPS=[APP], ROOT_URLCONF="tests.template.urls"
    ):
        yield


def test_autoescape_is_on_by_default():
    text = render_to_string("escape.html", {"value": "<b>&'\"</b>"})
    assert text.strip() == "&lt;b&gt;&amp;&#39;&#34;&lt;/b&gt;|<b>&'\"</b>"


def test_autoescape_can_be_turned_off():
    with override_settings(TEMPLATES=jinja(autoescape=False)):
        assert render_to_string("escape.html", {"value": "<b>"}).strip() == "<b>|<b>"


def test_inheritance_across_dirs_and_app_dirs():
    # child.html (dir_a) extends layout.html (dir_b) which extends base.html (app templates/)
    text = render_to_string("child.html", {"who": "Ann"})
    assert "<title>layout</title>" in text
    assert "<main>child of Ann</main>" in text


def test_app_template_in_a_subfolder_extends_a_dirs_template():
    text = render_to_string("sample/app_only.html", {"who": "Bo"})
    assert "<title>layout</title>" in text and "<main>app page for Bo</main>" in text


def test_dirs_are_searched_in_order():
    assert render_to_string("shadow.html").strip() == "from dir_a"
    with override_settings(TEMPLATES=jinja(dirs=(DIR_B, DIR_A))):
        assert render_to_string("shadow.html").strip() == "from dir_b"


def test_app_dirs_off_hides_app_templates():
    with override_settings(TEMPLATES=jinja(app_dirs=False)):
        with pytest.raises(TemplateDoesNotExist):
            get_template("sample/app_only.html")


def test_installed_apps_change_resets_the_engines():
    assert get_template("base.html").name == "base.html"
    with override_settings(INSTALLED_APPS=[]):
        with pytest.raises(TemplateDoesNotExist):
            get_template("base.html")


def test_missing_template_lists_the_paths_tried():
    with pytest.raises(TemplateDoesNotExist) as info:
        get_template("missing.html")
    exc = info.value
    app_dir = str(HERE / "sample_app" / "templates" / "missing.html")
    assert exc.chain[0].tried == [
        str(Path(DIR_A) / "missing.html"),
        str(Path(DIR_B) / "missing.html"),
        app_dir,
    ]
    assert str(exc).startswith("missing.html (tried: ")
    assert app_dir in str(exc)


def test_missing_parent_template_raises_template_does_not_exist():
    with pytest.raises(TemplateDoesNotExist) as info:
        render_to_string("extends_missing.html")
    assert info.value.args[0] == "nowhere.html"


def test_syntax_error_names_file_and_line():
    with pytest.raises(TemplateSyntaxError) as info:
        get_template("broken.html")
    assert "broken.html" in str(info.value) and "line 1" in str(info.value)


def test_select_template_takes_the_first_that_exists():
    assert select_template(["nope.html", "shadow.html", "child.html"]).name == "shadow.html"
    with pytest.raises(TemplateDoesNotExist) as info:
        select_template(["nope.html", "nada.html"])
    assert str(info.value).startswith("nope.html, nada.html (tried: ")
    with pytest.raises(TypeError):
        select_template("shadow.html")


def test_render_to_string_accepts_a_list():
    assert render_to_string(["nope.html", "shadow.html"]).strip() == "from dir_a"


def test_url_and_static_globals():
    with override_settings(STATIC_URL="/assets/"):
        text = render_to_string("links.html")
    assert text.strip() == "/items/7/|/items/a%20b/|/assets/css/site.css"


def test_static_needs_static_url():
    with override_settings(STATIC_URL=None):
        with pytest.raises(ImproperlyConfigured):
            render_to_string("links.html")


def test_decimal_keeps_its_places():
    product = {"price": Decimal("9.99")}
    assert render_to_string("price.html", {"product": product}).strip() == "<p>Price: $9.99</p>"
    product = {"price": Decimal("5.00")}
    assert render_to_string("price.html", {"product": product}).strip() == "<p>Price: $5.00</p>"


def test_filters_globals_and_tests_from_options():
    options = {
        "filters": {"money": f"{HELPERS}.money", "shout": str.upper},
        "globals": {"site_name": f"{HELPERS}.site_name", "answer": 42},
        "tests": {"cheap": f"{HELPERS}.is_cheap"},
    }
    with override_settings(TEMPLATES=jinja(**options)):
        engine = engines["jinja2"]
        template = engine.from_string(
            "{{ site_name() }} {{ answer }} {{ price|money }} {{ 'x'|shout }} "
            "{{ 'cheap' if price is cheap else 'dear' }}"
        )
        assert template.render({"price": Decimal("1234.5")}) == "Cycle Shop 42 $1,234.50 X dear"


def test_environment_option_is_a_dotted_path():
    with override_settings(TEMPLATES=jinja(environment=f"{HELPERS}.environment")):
        template = engines["jinja2"].from_string("{{ from_environment }} {{ url('item', 1) }}")
        assert template.render() == "yes /items/1/"


def test_extensions_pass_through_to_the_environment():
    with override_settings(TEMPLATES=jinja(extensions=["jinja2.ext.loopcontrols"])):
        template = engines["jinja2"].from_string(
            "{% for i in [1, 2, 3] %}{% if i == 2 %}{% break %}{% endif %}{{ i }}{% endfor %}"
        )
        assert template.render() == "1"


def test_undefined_is_shown_under_debug_and_blank_otherwise():
    assert engines["jinja2"].from_string("[{{ nothing }}]").render() == "[]"
    with override_settings(DEBUG=True):
        assert engines["jinja2"].from_string("[{{ nothing }}]").render() == "[{{ nothing }}]"


def test_engines_are_cached_and_named_after_the_backend_module():
    assert engines["jinja2"] is engines["jinja2"]
    assert engines.all() == [engines["jinja2"]]
    with pytest.raises(ImproperlyConfigured):
        engines["django"]


def test_duplicate_aliases_and_unknown_parameters_are_configuration_errors():
    with override_settings(TEMPLATES=jinja() + jinja()):
        with pytest.raises(ImproperlyConfigured, match="unique"):
            engines.all()
    bad = [{"BACKEND": BACKEND, "DIRS": [], "APP_DIRS": False, "OPTIONS": {}, "LOADERS": []}]
    with override_settings(TEMPLATES=bad):
        with pytest.raises(ImproperlyConfigured, match="LOADERS"):
            engines.all()
    with override_settings(TEMPLATES=[{"DIRS": []}]):
        with pytest.raises(ImproperlyConfigured, match="BACKEND"):
            engines.all()


def test_using_selects_one_engine():
    second = jinja(dirs=(DIR_B,), app_dirs=False)[0] | {"NAME": "second"}
    with override_settings(TEMPLATES=jinja() + [second]):
        assert render_to_string("shadow.html", using="second").strip() == "from dir_b"
        assert render_to_string("shadow.html").strip() == "from dir_a"


async def test_async_environment_renders_async_iterables_on_the_loop():
    async def numbers():
        for i in range(3):
            await asyncio.sleep(0)
            yield i

    with override_settings(TEMPLATES=jinja(enable_async=True)):
        template = engines["jinja2"].from_string("{% for n in numbers %}{{ n }}{% endfor %}")
        assert await template.render_async({"numbers": numbers()}) == "012"
        with pytest.raises(SynchronousOnlyOperation):
            template.render({"numbers": [1]})
        # From a worker thread, sync render() runs the coroutine on the request's loop.
        assert await sync_to_async(template.render)({"numbers": numbers()}) == "012"


async def test_sync_environment_render_async_also_works():
    assert await engines["jinja2"].from_string("{{ 1 + 1 }}").render_async() == "2"


def test_debug_reloads_changed_templates(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("one")
    with override_settings(TEMPLATES=jinja(dirs=(str(tmp_path),), app_dirs=False), DEBUG=True):
        assert render_to_string("page.html") == "one"
        page.write_text("two")
        # Jinja2 compares mtimes at whole-second precision: move the mtime on explicitly.
        stat = page.stat()
        os.utime(page, (stat.st_atime, stat.st_mtime + 5))
        assert render_to_string("page.html") == "two"


def test_without_debug_compiled_templates_are_kept(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("one")
    with override_settings(TEMPLATES=jinja(dirs=(str(tmp_path),), app_dirs=False)):
        assert render_to_string("page.html") == "one"
        page.write_text("two")
        stat = page.stat()
        os.utime(page, (stat.st_atime, stat.st_mtime + 5))
        assert render_to_string("page.html") == "one"


def test_static_with_an_absolute_static_url():
    with override_settings(STATIC_URL="https://cdn.example.com/assets"):
        template = engines["jinja2"].from_string("{{ static('img/a b.png') }}")
        assert template.render() == "https://cdn.example.com/assets/img/a%20b.png"


def test_a_custom_loader_replaces_the_folders():
    loader = jinja2.DictLoader({"mem.html": "from memory {{ x }}"})
    with override_settings(TEMPLATES=jinja(loader=loader)):
        assert render_to_string("mem.html", {"x": 1}) == "from memory 1"
        with pytest.raises(TemplateDoesNotExist) as info:
            get_template("child.html")
        assert info.value.chain[0].tried == []


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("environment", "no.such.environment"),
        ("filters", {"money": f"{HELPERS}.nope"}),
        ("globals", {"x": "nowhere.at.all"}),
    ],
)
def test_bad_dotted_paths_in_options_are_configuration_errors(option, value):
    with override_settings(TEMPLATES=jinja(**{option: value})):
        with pytest.raises(ImproperlyConfigured, match=option):
            engines.all()


def test_bad_context_processor_path_is_reported_at_first_render():
    with override_settings(TEMPLATES=jinja(context_processors=["no.such.processor"])):
        with pytest.raises(ImproperlyConfigured, match="context_processors"):
            render_to_string("shadow.html", request=make_request())
