#!/usr/bin/env python
"""Translation catalogues: extract, fill Traditional from Simplified, compile, check.

    python scripts/i18n.py extract   # makemessages for zh_Hans, zh_Hant and en (needs gettext)
    python scripts/i18n.py fill      # zh_Hant msgstr = zh_Hans msgstr converted to Traditional
    python scripts/i18n.py compile   # .po -> .mo with polib (no gettext needed)
    python scripts/i18n.py check     # exit 1 if a zh_Hans/zh_Hant string is untranslated or stale
    python scripts/i18n.py todo FILE   # write the untranslated zh_Hans msgids to FILE (JSON)
    python scripts/i18n.py apply FILE  # take zh_Hans translations from FILE ({msgid: msgstr})

Simplified Chinese is translated by hand; Traditional is derived from it character by
character (zhconv), with the overrides below where the derived form is not what a reader of
Traditional Chinese expects. English is the msgid itself.
"""

import json
import subprocess
import sys
from pathlib import Path

import polib
import zhconv

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "shuangliang" / "locale"
LANGS = ["zh_Hans", "zh_Hant", "en"]
HANT_OVERRIDES: dict[str, str] = {"籤訂": "簽訂", "爲": "為", "後臺": "後台", "平臺": "平台"}


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def extract() -> None:
    args = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--no-location"]
    for lang in LANGS:
        args += ["-l", lang]
    args += ["--ignore", ".venv/*", "--ignore", "tests/*", "--ignore", "scripts/*"]
    subprocess.run(args, cwd=ROOT, check=True)


def to_traditional(text: str) -> str:
    text = zhconv.convert(text, "zh-hant")
    for simplified_form, traditional_form in HANT_OVERRIDES.items():
        text = text.replace(simplified_form, traditional_form)
    return text


def fill() -> None:
    hans = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(po_path("zh_Hans")))}
    hant = polib.pofile(str(po_path("zh_Hant")))
    for entry in hant:
        source = hans.get((entry.msgctxt, entry.msgid))
        if source is None or source.obsolete:
            continue
        if source.msgid_plural:
            entry.msgstr_plural = {k: to_traditional(v) for k, v in source.msgstr_plural.items()}
        else:
            entry.msgstr = to_traditional(source.msgstr)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    hant.save()


def compile_all() -> None:
    for lang in LANGS:
        po = po_path(lang)
        if po.exists():
            polib.pofile(str(po)).save_as_mofile(str(po.with_suffix(".mo")))


def untranslated(lang: str) -> list[str]:
    """msgids of `lang` that have no translation or are marked fuzzy."""
    missing = []
    for entry in polib.pofile(str(po_path(lang))):
        if entry.obsolete:
            continue
        values = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        if "fuzzy" in entry.flags or not all(values):
            missing.append(entry.msgid)
    return missing


def stale_mo(lang: str) -> bool:
    """True when the compiled .mo does not hold exactly what the .po says."""
    po, mo = po_path(lang), po_path(lang).with_suffix(".mo")
    if not mo.exists():
        return True
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in polib.mofile(str(mo))
    }
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, {int(k): v for k, v in e.msgstr_plural.items()})
        for e in polib.pofile(str(po))
        if e.translated() and not e.obsolete
    }
    compiled = {
        k: (v[0], {int(i): s for i, s in v[1].items()}) for k, v in compiled.items() if k[1]
    }
    return compiled != source


def key(entry: polib.POEntry) -> str:
    """An entry's key in the todo file: the msgid, after "context|" when it has a context."""
    return f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid


def todo(path: str) -> None:
    """The untranslated zh_Hans entries as {msgid: ""} (plurals as {msgid: ["", ...]})."""
    out = {}
    for entry in polib.pofile(str(po_path("zh_Hans"))):
        if entry.obsolete:
            continue
        values = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        if "fuzzy" in entry.flags or not all(values):
            out[key(entry)] = [""] if entry.msgid_plural else ""
    Path(path).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(out)} strings to translate in {path}")


def apply(path: str) -> None:
    """Set zh_Hans msgstr from a {msgid: msgstr} file; empty values are skipped."""
    translations = json.loads(Path(path).read_text(encoding="utf-8"))
    po = polib.pofile(str(po_path("zh_Hans")))
    done = 0
    for entry in po:
        value = translations.get(key(entry))
        if not value:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: value[0] if isinstance(value, list) else value}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        done += 1
    po.save()
    print(f"{done} strings translated")


def check() -> int:
    problems = []
    for lang in ("zh_Hans", "zh_Hant"):
        for msgid in untranslated(lang):
            problems.append(f"{lang}: untranslated: {msgid!r}")
    for lang in LANGS:
        if stale_mo(lang):
            problems.append(f"{lang}: django.mo is out of date; run scripts/i18n.py compile")
    print("\n".join(problems) or "translations complete")
    return 1 if problems else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "extract":
        extract()
    elif command == "fill":
        fill()
    elif command == "compile":
        compile_all()
    elif command == "check":
        sys.exit(check())
    elif command in ("todo", "apply") and len(sys.argv) == 3:
        (todo if command == "todo" else apply)(sys.argv[2])
    else:
        sys.exit(__doc__)
