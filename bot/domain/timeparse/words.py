"""Rewrite fans' words for days and times into one small English vocabulary the grammar reads.

Korean, Japanese and Thai have scripts of their own, and the Spanish, Portuguese and Indonesian
words below collide with no English ones, so every table applies to every phrase; the member's
locale only decides the order of numeric dates (see grammar.py).

The vocabulary (all lower-case):
- days: today, tomorrow, overmorrow, yesterday, tonight; monday..sunday, optionally after
  `next` (the next one after today) or `wk+N` (that day in the calendar week N weeks on);
  `2026-12-01` (a full date) and `md:12-05` (month-day, order already known);
- clocks: `20:00` (written with minutes), `@8` / `@8:30` (an hour said in words: needs am/pm or
  a part of day when it is 1-12), am, pm and the parts of day morning, daytime, afternoon,
  evening, night, dawn;
- durations: `in 2 hours 30 minutes`, `in 3 days`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Rule = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_FOLD = str.maketrans("áàâãäéèêëíìîïóòôõöúùûüçñ", "aaaaaeeeeiiiiooooouuuucn")
_NATIVE_KO = {
    "열한": 11, "열두": 12, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9,
    "한": 1, "두": 2, "세": 3, "네": 4, "열": 10,
}  # fmt: skip
_KO_NUM = r"(\d{1,2}|" + "|".join(_NATIVE_KO) + ")"


def _num(token: str) -> int:
    return int(token) if token.isdigit() else _NATIVE_KO[token]


def _compile(rules: list[tuple[str, str | Callable[[re.Match[str]], str]]]) -> list[Rule]:
    return [(re.compile(p), r) for p, r in rules]


def _clock(pod: str | None, hour: int, minute: int | str | None) -> str:
    mm = f":{int(minute):02d}" if minute not in (None, "") else ""
    return f" {pod or ''} @{hour}{mm} "


def _week(word: str | None) -> str:
    if not word:
        return ""
    word = word.replace(" ", "")
    return {"다다음주": "wk+2", "다음주": "wk+1", "담주": "wk+1", "이번주": "wk+0",
            "再来週": "wk+2", "来週": "wk+1", "今週": "wk+0"}.get(word, "")  # fmt: skip


# --- Korean ---------------------------------------------------------------------------------------
_KO_POD = {"오전": "am", "오후": "pm", "아침": "morning", "낮": "daytime", "저녁": "evening",
           "새벽": "dawn", "밤": "night"}  # fmt: skip
_KO_DAYS = "월화수목금토일"


def _ko_duration(m: re.Match[str]) -> str:
    parts = []
    if m["d"]:
        parts.append(f"{int(m['d'])} days")
    if m["h"]:
        parts.append(f"{_num(m['h'])} hours")
    minutes = (30 if m["half"] else 0) + (int(m["m"]) if m["m"] else 0)
    if minutes:
        parts.append(f"{minutes} minutes")
    return f" in {' '.join(parts)} " if parts else m[0]


def _ko_clock(m: re.Match[str]) -> str:
    minute = "30" if m["half"] else m["m"]
    return _clock(_KO_POD.get(m["pod"] or ""), _num(m["h"]), minute)


KOREAN = _compile([
    (r"(?:(?P<d>\d{1,3})\s*일\s*)?(?:(?P<h>" + _KO_NUM[1:-1] + r")\s*시간\s*(?P<half>반\s*)?)?"
     r"(?:(?P<m>\d{1,4})\s*분\s*)?(?:후|뒤|있다가|이따가)(?:에)?", _ko_duration),
    (r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일",
     lambda m: f" {m[1]}-{int(m[2]):02d}-{int(m[3]):02d} "),
    (r"(\d{1,2})\s*월\s*(\d{1,2})\s*일", lambda m: f" md:{int(m[1])}-{int(m[2])} "),
    (r"(?P<pod>오전|오후|아침|낮|저녁|새벽|밤)?\s*(?P<h>" + _KO_NUM[1:-1]
     + r")\s*시(?!간)\s*(?:(?P<half>반)|(?P<m>\d{1,2})\s*분)?", _ko_clock),
    (r"(?P<pod>오전|오후|아침|낮|저녁|새벽|밤)\s*(\d{1,2}:\d{2})",
     lambda m: f" {_KO_POD[m['pod']]} {m[2]} "),
    (r"(다다음\s*주|다음\s*주|담주|이번\s*주)?\s*([월화수목금토일])요일",
     lambda m: f" {_week(m[1])} {WEEKDAYS[_KO_DAYS.index(m[2])]} "),
    (r"\(\s*([월화수목금토일])\s*\)", lambda m: f" {WEEKDAYS[_KO_DAYS.index(m[1])]} "),
    (r"정오", " 12:00 "), (r"자정", " night @12 "),
    (r"내일\s*모레|모레", " overmorrow "), (r"글피", " in 3 days "), (r"내일", " tomorrow "),
    (r"오늘", " today "), (r"어제", " yesterday "),
    (r"오전|오후|아침|낮|저녁|새벽|밤", lambda m: f" {_KO_POD[m[0]]} "),
    (r"(?<=[\s\d])(?:에|쯤|경|부터|시작|예정|기준|으로|로)(?=\s|$)", " "),
    (r"(?:^|(?<=\s))(?:기준|시작|예정)(?=\s|$)", " "),
])  # fmt: skip

# --- Japanese -------------------------------------------------------------------------------------
_JA_POD = {"午前": "am", "午後": "pm", "朝": "morning", "昼": "daytime", "夕方": "evening",
           "夜": "night", "深夜": "night", "今夜": "tonight", "今晩": "tonight"}  # fmt: skip
_JA_DAYS = "月火水木金土日"

JAPANESE = _compile([
    (r"(\d{1,3})\s*時間\s*(半)?\s*後",
     lambda m: f" in {m[1]} hours {'30 minutes' if m[2] else ''} "),
    (r"(\d{1,4})\s*分\s*後", r" in \1 minutes "),
    (r"(\d{1,3})\s*日\s*後", r" in \1 days "),
    (r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日",
     lambda m: f" {m[1]}-{int(m[2]):02d}-{int(m[3]):02d} "),
    (r"(\d{1,2})\s*月\s*(\d{1,2})\s*日", lambda m: f" md:{int(m[1])}-{int(m[2])} "),
    (r"(?P<pod>午前|午後|朝|昼|夕方|深夜|夜|今夜|今晩)?\s*(?P<h>\d{1,2})\s*時(?!間)\s*"
     r"(?:(?P<half>半)|(?P<m>\d{1,2})\s*分)?",
     lambda m: _clock(_JA_POD.get(m["pod"] or ""), int(m["h"]), "30" if m["half"] else m["m"])
     + (" today " if m["pod"] in ("今夜", "今晩") else "")),
    (r"(再来週|来週|今週)?\s*の?\s*([月火水木金土日])曜日?",
     lambda m: f" {_week(m[1])} {WEEKDAYS[_JA_DAYS.index(m[2])]} "),
    (r"[(（]\s*([月火水木金土日])\s*[)）]", lambda m: f" {WEEKDAYS[_JA_DAYS.index(m[1])]} "),
    (r"正午", " 12:00 "), (r"明後日|あさって", " overmorrow "), (r"明日|あした", " tomorrow "),
    (r"今日|きょう", " today "), (r"昨日", " yesterday "), (r"今夜|今晩", " tonight "),
    (r"午前|午後|夕方|深夜|朝|昼|夜", lambda m: f" {_JA_POD[m[0]]} "),
    (r"に|から|の|頃|ごろ|開始|スタート", " "),
])  # fmt: skip

# --- Thai -----------------------------------------------------------------------------------------
_TH_DAYS = {"จันทร์": 0, "อังคาร": 1, "พุธ": 2, "พฤหัสบดี": 3, "พฤหัส": 3, "ศุกร์": 4,
            "เสาร์": 5, "อาทิตย์": 6}  # fmt: skip
_TH_DAY_RE = "|".join(_TH_DAYS)

THAI = _compile([
    (r"(?:ใน)?อีก\s*(\d{1,3})\s*ชั่วโมง(?:\s*(\d{1,2})\s*นาที)?",
     lambda m: f" in {m[1]} hours {m[2] + ' minutes' if m[2] else ''} "),
    (r"(?:ใน)?อีก\s*(\d{1,4})\s*นาที", r" in \1 minutes "),
    (r"(?:ใน)?อีก\s*ครึ่งชั่วโมง", " in 30 minutes "),
    (r"(\d{1,2})[.:](\d{2})\s*(?:น\.?|นาฬิกา)", lambda m: f" {int(m[1])}:{m[2]} "),
    (r"(\d{1,2})\s*ทุ่ม(?:\s*ครึ่ง)?", lambda m: f" {int(m[1]) + 18}:{'30' if 'ครึ่ง' in m[0] else '00'} "
     if 1 <= int(m[1]) <= 5 else m[0]),
    (r"บ่าย\s*(\d{1,2})\s*โมง", lambda m: f" pm @{m[1]} "),
    (r"(\d{1,2})\s*โมงเย็น", lambda m: f" evening @{m[1]} "),
    (r"(\d{1,2})\s*โมง(?:เช้า)?", lambda m: f" morning @{m[1]} "),
    (r"ตี\s*(\d)", lambda m: f" dawn @{m[1]} "),
    (r"เที่ยงคืน", " night @12 "), (r"เที่ยง(?:วัน)?", " 12:00 "),
    (r"วัน(" + _TH_DAY_RE + r")\s*(หน้า)?",
     lambda m: f" {'next ' if m[2] else ''}{WEEKDAYS[_TH_DAYS[m[1]]]} "),
    (r"สัปดาห์หน้า|อาทิตย์หน้า", " wk+1 "),
    (r"มะรืนนี้|มะรืน", " overmorrow "), (r"พรุ่งนี้", " tomorrow "), (r"วันนี้", " today "),
    (r"คืนนี้", " tonight "), (r"เมื่อวาน", " yesterday "),
    (r"ตอน|เวลา|วันที่|เริ่ม", " "),
])  # fmt: skip

# --- Spanish, Portuguese, Indonesian (accents folded first) --------------------------------------
_MONTHS = {
    "enero": 1, "janeiro": 1, "januari": 1, "febrero": 2, "fevereiro": 2, "februari": 2,
    "marzo": 3, "marco": 3, "maret": 3, "abril": 4, "april": 4, "mayo": 5, "maio": 5, "mei": 5,
    "junio": 6, "junho": 6, "juni": 6, "julio": 7, "julho": 7, "juli": 7, "agosto": 8,
    "agustus": 8, "septiembre": 9, "setiembre": 9, "setembro": 9, "oktober": 10,
    "octubre": 10, "outubro": 10, "noviembre": 11, "novembro": 11, "nopember": 11,
    "diciembre": 12, "dezembro": 12, "desember": 12,
}  # fmt: skip
_ES_PT_ID_DAYS = {
    "lunes": 0, "segunda-feira": 0, "segunda feira": 0, "segunda": 0, "senin": 0,
    "martes": 1, "terca-feira": 1, "terca feira": 1, "terca": 1, "selasa": 1,
    "miercoles": 2, "quarta-feira": 2, "quarta feira": 2, "quarta": 2, "rabu": 2,
    "jueves": 3, "quinta-feira": 3, "quinta feira": 3, "quinta": 3, "kamis": 3,
    "viernes": 4, "sexta-feira": 4, "sexta feira": 4, "sexta": 4, "jumat": 4, "jum'at": 4,
    "sabado": 5, "sabtu": 5, "domingo": 6, "hari minggu": 6,
}  # fmt: skip
_DAY_WORD = "|".join(sorted(_ES_PT_ID_DAYS, key=len, reverse=True))
_MONTH_WORD = "|".join(sorted(_MONTHS, key=len, reverse=True))
_UNIT = {"hora": "hours", "horas": "hours", "jam": "hours", "minuto": "minutes",
         "minutos": "minutes", "menit": "minutes", "dia": "days", "dias": "days", "hari": "days",
         "semana": "weeks", "semanas": "weeks", "minggu": "weeks"}  # fmt: skip
_UNIT_WORD = "|".join(sorted(_UNIT, key=len, reverse=True))


_ES_POD = {"manana": "morning", "tarde": "afternoon", "noche": "evening"}


def _day(m: re.Match[str]) -> str:
    name = WEEKDAYS[_ES_PT_ID_DAYS[m["day"]]]
    return f" {'next ' if m['next'] or m['next2'] else ''}{name} "


LATIN = _compile([
    # Durations: "en 2 horas", "dentro de 30 minutos", "em 2 horas", "daqui a 1 hora",
    # "dalam 2 jam", "2 jam lagi".
    (r"\b(?:en|em|dentro de|daqui a|daqui|dalam)\s+(media|meia)\s+hora\b", " in 30 minutes "),
    (r"\bsetengah\s+jam(?:\s+lagi)?\b", " in 30 minutes "),
    (r"\b(?:en|em|dentro de|daqui a|daqui|dalam)\s+(\d{1,3}|una?|uma?)\s+(" + _UNIT_WORD + r")\b"
     r"(?:\s+(?:y|e)\s+(media|meia))?",
     lambda m: f" in {1 if not m[1].isdigit() else m[1]} {_UNIT[m[2]]}"
     + (" 30 minutes " if m[3] else " ")),
    (r"\b(\d{1,3})\s+(" + _UNIT_WORD + r")\s+lagi\b", lambda m: f" in {m[1]} {_UNIT[m[2]]} "),
    # Parts of day tied to a clock: "8 de la noche", "8 da noite", "jam 8 malam".
    (r"\b(?:de|da)\s+la\s+manana\b|\bda\s+manha\b", " am "),
    (r"\b(?:de\s+la|da)\s+tarde\b", " pm "),
    (r"\b(?:de\s+la|da)\s+noche\b|\bda\s+noite\b", " night "),
    (r"\b(?:de\s+)?madrugada\b", " dawn "),
    (r"\bpasado\s+manana\b|\bdepois\s+de\s+amanha\b", " overmorrow "),
    (r"\bmanana\s+(?:por|en)\s+la\s+(manana|tarde|noche)\b",
     lambda m: " tomorrow " + _ES_POD[m[1]]),
    (r"\besta\s+noche\b|\bhoy\s+(?:por\s+la|en\s+la|a\s+la)\s+noche\b", " tonight "),
    (r"\bhoje\s+(?:a|de)\s+noite\b|\besta\s+noite\b|\bnanti\s+malam\b|\bmalam\s+ini\b",
     " tonight "),
    (r"\bamanha\b|\bmanana\b|\bbesok\b", " tomorrow "),
    (r"\blusa\b", " overmorrow "),
    (r"\bhoy\b|\bhoje\b|\bhari\s+ini\b", " today "),
    (r"\bayer\b|\bontem\b|\bkemarin\b", " yesterday "),
    (r"\bmedianoche\b|\bmeia[- ]noite\b|\btengah\s+malam\b", " night @12 "),
    (r"\bmediodia\b|\bmeio[- ]dia\b", " 12:00 "),
    # Clock words: "a las 8", "as 20h", "jam 8", "pukul 20.00", "8 y media".
    (r"\b(?:a\s+las?|as|a|jam|pukul)\s+(\d{1,2})[.:](\d{2})\b", r" \1:\2 "),
    (r"\b(?:a\s+las?|as|a|jam|pukul)\s+(\d{1,2})\s+(?:y|e)\s+(?:media|meia)\b", r" @\1:30 "),
    (r"\b(?:a\s+las?|as|jam|pukul)\s+(\d{1,2})\b(?![:.h]\d|h)", r" @\1 "),
    (r"\b(?:de\s+la\s+|por\s+la\s+|en\s+la\s+|de\s+|a\s+|pela\s+)?(manana|manha)\b", " morning "),
    (r"\b(?:de\s+la\s+|por\s+la\s+|en\s+la\s+|de\s+|a\s+|pela\s+)?(tarde)\b", " afternoon "),
    (r"\b(?:de\s+la\s+|por\s+la\s+|en\s+la\s+|de\s+|a\s+|pela\s+)?(noche|noite)\b", " night "),
    (r"\bpagi\b", " morning "), (r"\bsiang\b", " daytime "), (r"\bsore\b", " afternoon "),
    (r"\bmalam\b", " night "),
    # Weeks and weekdays: "la semana que viene", "semana que vem", "minggu depan".
    (r"\b(?:la\s+)?(?:proxima\s+semana|semana\s+que\s+(?:viene|vem))\b|\bminggu\s+depan\b",
     " wk+1 "),
    (r"\b(?:el\s+|la\s+|o\s+|a\s+|hari\s+)?(?P<next>proxim[oa]\s+)?(?P<day>" + _DAY_WORD
     + r")(?P<next2>\s+(?:que\s+(?:viene|vem)|depan))?\b", _day),
    # Dates: "5 de diciembre", "5 de dezembro de 2026", "5 Desember".
    (r"\b(\d{1,2})\s+(?:de\s+)?(" + _MONTH_WORD + r")(?:\s+(?:de\s+)?(\d{4}))?\b",
     lambda m: f" {m[3]}-{_MONTHS[m[2]]:02d}-{int(m[1]):02d} " if m[3]
     else f" md:{_MONTHS[m[2]]}-{int(m[1])} "),
    (r"\b(?:a\s+las?|as|a|ao|pelas|sobre)\s+(?=[@\d])", " "),
    (r"(?<=\d)\s*horas?\b", " "),  # "a las 20:00 horas"
    (r"\b(?:tanggal|el|o|la|dia|hari|pukul|jam|las|hrs)\b", " "),
])  # fmt: skip


def normalize(text: str) -> str:
    """Return `text` (already NFKC) rewritten into the grammar's English vocabulary."""
    out = text.lower()
    if re.search(r"[\uac00-\ud7a3]", out):
        out = _apply(KOREAN, out)
    if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", out):
        out = _apply(JAPANESE, out)
    if re.search(r"[\u0e00-\u0e7f]", out):
        out = _apply(THAI, out)
    out = _apply(LATIN, out.translate(_FOLD))
    return " ".join(out.split())


def _apply(rules: list[Rule], text: str) -> str:
    for pattern, replacement in rules:
        text = pattern.sub(replacement, text)
    return text
