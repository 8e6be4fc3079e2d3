"""Chinese (zh-hans) is the default language; English is available and complete.

The English catalogue lives in locale/en/LC_MESSAGES; its compiled .mo is kept in the
repository, so these tests also hold on a machine without the gettext tools (except the
one that re-extracts the strings, which needs xgettext and is skipped without it).
"""

import ast
import gettext
import html
import re
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from accounts.models import Role

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


@pytest.fixture(autouse=True)
def _restore_language():
    """LocaleMiddleware activates the request's language on the thread and never resets it:
    without this, an English request here would leave English active for later tests."""
    previous = translation.get_language()
    yield
    translation.activate(previous)


def parse_po(path):
    """Entries of a .po file as dicts: msgctxt, msgid, msgid_plural, msgstr (list), flags.

    Small on purpose: the project does not depend on polib just for this test."""
    entries, entry, key = [], None, None

    def flush():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            flush()
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}, "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
            continue
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
        if match:
            keyword, index, text = match.group(1), match.group(2), ast.literal_eval(match.group(3))
            if keyword.startswith("msgstr"):
                key = ("msgstr", int(index or 0))
                entry["msgstr"][key[1]] = text
            else:
                key = (keyword, None)
                entry[keyword] = text
        else:
            text = ast.literal_eval(line)
            if key[0] == "msgstr":
                entry["msgstr"][key[1]] += text
            else:
                entry[key[0]] += text
    return [e for e in entries if not e["obsolete"]]


def catalogue():
    return [e for e in parse_po(PO_PATH) if e["msgid"]]


# --- the catalogue itself ------------------------------------------------------------------


def test_the_english_catalogue_has_no_untranslated_or_fuzzy_entry():
    entries = catalogue()
    assert len(entries) > 500  # the whole portal, not a handful of strings

    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    untranslated = [
        e["msgid"]
        for e in entries
        if not e["msgstr"] or any(not text.strip() for text in e["msgstr"].values())
    ]
    assert fuzzy == []
    assert untranslated == []


def test_plural_entries_have_both_english_forms():
    plurals = [e for e in catalogue() if "msgid_plural" in e]
    assert plurals
    for entry in plurals:
        assert sorted(entry["msgstr"]) == [0, 1], entry["msgid"]


def test_translations_keep_the_placeholders_of_their_source():
    for entry in catalogue():
        wanted = sorted(PLACEHOLDER.findall(entry["msgid"]))
        for text in entry["msgstr"].values():
            assert sorted(PLACEHOLDER.findall(text)) == wanted, (entry["msgid"], text)


def test_no_chinese_is_left_in_english_text_except_quoted_input_values():
    # Import column names and values ("姓名", "男") are what users type in the file, so an
    # English message may quote them; anything else in Chinese is a missed translation.
    allowed = {"姓名", "男", "女", "身份", "服务", "管理"}
    for entry in catalogue():
        for text in entry["msgstr"].values():
            leftover = set(re.findall(r"[\u4e00-\u9fff]+", text)) - allowed
            assert not leftover, (entry["msgid"], text)


def test_the_compiled_catalogue_matches_the_po_file():
    """The .mo in the repository is what a fresh machine uses: it must not lag the .po."""
    with MO_PATH.open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)
    for entry in catalogue():
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        if "msgid_plural" in entry:
            assert compiled.ngettext(msgid, entry["msgid_plural"], 1) == entry["msgstr"][0]
            assert compiled.ngettext(msgid, entry["msgid_plural"], 2) == entry["msgstr"][1]
        else:
            assert compiled.gettext(msgid) == entry["msgstr"][0], entry["msgid"]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs the gettext tools")
def test_every_marked_string_in_the_code_is_in_the_catalogue(tmp_path, monkeypatch):
    """Re-extract the strings from a scratch copy of the sources: a string added to the code
    without an English translation fails here. Fix: run `manage.py makemessages -l en` (same
    ignores as in the README), translate the new entries, then `compilemessages -l en`."""
    # A copy, because makemessages writes into any `locale` folder it meets under the
    # current directory: run in place, it would rewrite the real catalogue.
    sources = tmp_path / "src"
    shutil.copytree(
        settings.BASE_DIR,
        sources,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "data", "staticfiles", "tests", "locale", "node_modules", "*.pyc"
        ),
    )
    monkeypatch.chdir(sources)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", locale=["en"], verbosity=0)
    fresh = parse_po(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")
    known = {(e.get("msgctxt"), e["msgid"]) for e in catalogue()}
    missing = [
        e["msgid"] for e in fresh if e["msgid"] and (e.get("msgctxt"), e["msgid"]) not in known
    ]
    assert missing == []


# --- what users see ------------------------------------------------------------------------


def test_model_names_are_english_under_english():
    names = {
        "accounts.User": "Account",
        "accounts.RoleAssignment": "Role assignment",
        "grids.Community": "Community",
        "grids.MicroGrid": "Micro-grid",
        "grids.Building": "Building group",
        "grids.DiaryEntry": "People's-conditions diary",
        "residents.Resident": "Resident",
        "residents.Household": "Household",
        "proposals.Topic": "Topic",
        "projects.FundPool": "Special fund",
        "notifications.Reminder": "Deadline reminder",
    }
    with translation.override("en"):
        got = {label: str(apps.get_model(label)._meta.verbose_name) for label in names}
        assert got == names
        assert str(apps.get_app_config("residents").verbose_name) == (
            "People's-conditions database"
        )
        assert Role.GRID_LEADER.label == "Micro-grid leader"
        field = apps.get_model("residents.Resident")._meta.get_field("id_number_masked")
        assert str(field.verbose_name) == "ID-card number"


def test_model_names_stay_chinese_by_default():
    with translation.override(settings.LANGUAGE_CODE):
        assert str(apps.get_model("residents.Resident")._meta.verbose_name) == "居民"
        assert str(apps.get_app_config("grids").verbose_name) == "网格与组织架构"


def admin_index_text(client, user, **headers):
    client.force_login(user)
    response = client.get(reverse("admin:index"), **headers)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.mark.django_db
def test_admin_index_is_chinese_without_a_language_choice(client, actors):
    text = admin_index_text(client, actors.street_admin)
    assert "网格与组织架构" in text
    assert "民情数据库" in text
    assert "Grids and organisation" not in text


@pytest.mark.django_db
def test_admin_index_is_english_with_accept_language(client, actors):
    text = admin_index_text(client, actors.street_admin, HTTP_ACCEPT_LANGUAGE="en")
    assert "Grids and organisation" in text
    assert "People's-conditions database" in text
    assert "Topics and raised hands" in text
    assert "Street Micro-grid Governance Portal" in text
    assert "网格与组织架构" not in text


@pytest.mark.django_db
def test_admin_index_is_english_with_the_language_cookie(client, actors):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = admin_index_text(client, actors.worker)
    assert "People's-conditions database" in text
    assert "民情数据库" not in text


@pytest.mark.django_db
def test_the_language_switch_in_the_admin_header_turns_the_admin_english(client, actors):
    client.force_login(actors.street_admin)
    # given: the header offers the other language
    text = html.unescape(client.get(reverse("admin:index")).content.decode())
    assert 'value="en"' in text
    # when
    response = client.post(reverse("set_language"), {"language": "en", "next": "/admin/"})
    # then
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    text = html.unescape(client.get(reverse("admin:index")).content.decode())
    assert "Grids and organisation" in text


def grant_with_unknown_unit(api, actors, **headers):
    api.force_authenticate(actors.street_admin)
    return api.post(
        reverse("role-assignment-list"),
        {"user": actors.resident.pk, "role": Role.GRID_LEADER, "unit": 999999},
        format="json",
        **headers,
    )


@pytest.mark.django_db
def test_api_errors_are_english_with_accept_language(api, actors):
    response = grant_with_unknown_unit(api, actors, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["detail"] == "Unit not found."
    assert "This unit does not exist." in str(response.json()["fields"]["unit"])


@pytest.mark.django_db
def test_api_input_errors_are_english_with_accept_language(api, actors):
    api.force_authenticate(actors.street_admin)
    response = api.post(
        reverse("role-assignment-list"), {}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Invalid input. Please check and try again."
    assert body["fields"]["role"] == ["This field is required."]


@pytest.mark.django_db
def test_api_errors_are_chinese_by_default(api, actors):
    response = grant_with_unknown_unit(api, actors)
    assert response.status_code == 400
    assert response.json()["detail"] == "单位不存在。"
