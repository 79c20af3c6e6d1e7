# ruff: noqa: E501  (the phrase tables read best one or two rows per line)
"""Build tests/domain/timeparse_corpus.tsv from the hand-written phrase tables below.

Run by a maintainer (`.venv/bin/python scripts/build_timeparse_corpus.py`); the tests read the TSV.
Each expectation is written as the wall time a person means, in the zone they mean ("@zone"
when it is not the member's own), "+N" for N minutes after now, or "refuse"; zoneinfo converts it
to UTC here (the first of two repeated wall times, fold=0). Nothing from the reader is used.
"""

from __future__ import annotations

import calendar
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

OUT = Path(__file__).resolve().parent.parent / "tests" / "domain" / "timeparse_corpus.tsv"

NOWS: dict[str, tuple[str, str]] = {  # name -> (local wall, zone)
    "seoul_mon": ("2026-11-23 01:30", "Asia/Seoul"),
    "seoul_noon": ("2026-11-23 12:00", "Asia/Seoul"),
    "seoul_nov30": ("2026-11-30 21:30", "Asia/Seoul"),
    "seoul_jan": ("2026-01-12 12:00", "Asia/Seoul"),
    "ny_mon": ("2026-11-23 10:00", "America/New_York"),
    "ny_night": ("2026-11-23 21:00", "America/New_York"),
    "ny_june": ("2026-06-10 10:00", "America/New_York"),
    "ny_july": ("2026-07-15 10:00", "America/New_York"),
    "ny_spring": ("2026-03-08 00:30", "America/New_York"),
    "ny_fall": ("2026-11-01 00:30", "America/New_York"),
    "ldn_mon": ("2026-11-23 10:00", "Europe/London"),
    "ldn_spring": ("2026-03-29 00:15", "Europe/London"),
    "ldn_fall": ("2026-10-25 00:15", "Europe/London"),
    "syd_april": ("2026-04-05 00:30", "Australia/Sydney"),
    "syd_oct": ("2026-10-04 00:30", "Australia/Sydney"),
    "paris_mon": ("2026-11-23 09:00", "Europe/Paris"),
    "kol_mon": ("2026-11-23 10:00", "Asia/Kolkata"),
    "sha_mon": ("2026-11-23 10:00", "Asia/Shanghai"),
    "chi_mon": ("2026-11-23 10:00", "America/Chicago"),
    "tyo_mon": ("2026-11-23 12:00", "Asia/Tokyo"),
    "mx_mon": ("2026-11-23 10:00", "America/Mexico_City"),
    "mad_mon": ("2026-11-23 10:00", "Europe/Madrid"),
    "sp_mon": ("2026-11-23 10:00", "America/Sao_Paulo"),
    "sp_feb": ("2026-02-10 10:00", "America/Sao_Paulo"),
    "jkt_mon": ("2026-11-23 10:00", "Asia/Jakarta"),
    "bkk_mon": ("2026-11-23 10:00", "Asia/Bangkok"),
    "mnl_mon": ("2026-11-23 10:00", "Asia/Manila"),
}
for m in range(1, 13):
    last = calendar.monthrange(2026, m)[1]
    NOWS[f"seoul_end{m:02d}"] = (f"2026-{m:02d}-{last:02d} 21:30", "Asia/Seoul")
    NOWS[f"ny_end{m:02d}"] = (f"2026-{m:02d}-{last:02d} 21:00", "America/New_York")

ROWS: list[
    tuple[str, str, str, str, str, str, str]
] = []  # text, member zone, locale, now, expected, language, kind


def add(text: str, zone: str, locale: str, now: str, expected: str, lang: str, kind: str) -> None:
    ROWS.append((text, zone, locale, now, expected, lang, kind))


S, NY, SP = "Asia/Seoul", "America/New_York", "America/Sao_Paulo"
# --- the table -------------------------------------------------------------------------
add("tonight at 9", NY, "en-US", "ny_mon", "2026-11-23 21:00", "en", "part_of_day")
add("9 tonight", NY, "en-US", "ny_mon", "2026-11-23 21:00", "en", "part_of_day")
add("this evening at 8", NY, "en-US", "ny_mon", "2026-11-23 20:00", "en", "part_of_day")
add("tonight at 9", S, "ko", "seoul_noon", "2026-11-23 21:00", "en", "part_of_day")
add("9 tonight", "Europe/Paris", "fr", "paris_mon", "2026-11-23 21:00", "en", "part_of_day")
add("this evening at 8", SP, "pt-BR", "sp_mon", "2026-11-23 20:00", "en", "part_of_day")
add("8pm", S, "en-US", "seoul_nov30", "2026-12-01 20:00", "en", "month_end")
add("8pm", S, "en-US", "seoul_end12", "2027-01-01 20:00", "en", "month_end")
add("2026년 12월 1일 화요일 저녁 8시", S, "ko", "seoul_mon", "2026-12-01 20:00", "ko", "date")
add("12/5 (토) 오후 6시", S, "ko", "seoul_mon", "2026-12-05 18:00", "ko", "date")
add("12월 10일 밤 12시", S, "ko", "seoul_mon", "2026-12-11 00:00", "ko", "part_of_day")
add("다음 주 금요일 오후 8시", S, "ko", "seoul_mon", "2026-12-04 20:00", "ko", "weekday")
add(
    "오후 6시 (한국시간)",
    "Europe/Paris",
    "fr",
    "paris_mon",
    "2026-11-23 18:00@Asia/Seoul",
    "ko",
    "zone",
)
add(
    "6pm Korean time",
    "Europe/Paris",
    "en-GB",
    "paris_mon",
    "2026-11-23 18:00@Asia/Seoul",
    "en",
    "zone",
)
add("8pm IST", "Asia/Kolkata", "en-GB", "kol_mon", "2026-11-23 20:00", "en", "zone_ambiguous")
add("8pm CST", "Asia/Shanghai", "zh-CN", "sha_mon", "2026-11-23 20:00", "en", "zone_ambiguous")
add("8pm IST", "Europe/Paris", "en-GB", "paris_mon", "refuse", "en", "zone_ambiguous")
add("8pm CST", "Europe/Paris", "en-GB", "paris_mon", "refuse", "en", "zone_ambiguous")
add("1pm PT", S, "ko", "ny_june", "2026-06-10 13:00@America/Los_Angeles", "en", "zone")
add("1pm ET", S, "ko", "ny_june", "2026-06-10 13:00@America/New_York", "en", "zone")
add("1pm MT", S, "ko", "ny_june", "2026-06-10 13:00@America/Denver", "en", "zone")
add("1pm CT", S, "ko", "ny_june", "2026-06-10 13:00@America/Chicago", "en", "zone")
add("tmrw 8pm", S, "en-US", "seoul_mon", "2026-11-24 20:00", "en", "shorthand")
add("in half an hour", S, "en-US", "seoul_mon", "+30", "en", "duration")
# --- month ends ----------------------------------------------------------------------------------
for m in range(1, 13):
    ny, nm = (2027, 1) if m == 12 else (2026, m + 1)
    first = f"{ny}-{nm:02d}-01"
    add("8pm", S, "en-US", f"seoul_end{m:02d}", f"{first} 20:00", "en", "month_end")
    add("tomorrow 8pm", S, "en-US", f"seoul_end{m:02d}", f"{first} 20:00", "en", "month_end")
    add("내일 저녁 8시", S, "ko", f"seoul_end{m:02d}", f"{first} 20:00", "ko", "month_end")
    add("8:30pm", NY, "en-US", f"ny_end{m:02d}", f"{first} 20:30", "en", "month_end")
# --- DST changes -------------------------------------------------------------------------------
for text, exp in [
    ("2:30am", "refuse"),
    ("today 2:30am", "refuse"),
    ("3:30am", "2026-03-08 03:30"),
    ("1:59am", "2026-03-08 01:59"),
    ("in 3 hours", "+180"),
    ("tomorrow 8pm", "2026-03-09 20:00"),
]:
    add(text, NY, "en-US", "ny_spring", exp, "en", "dst")
for text, exp in [
    ("1:30am", "2026-11-01 01:30"),
    ("2:30am", "2026-11-01 02:30"),
    ("in 2 hours", "+120"),
    ("tomorrow 8pm", "2026-11-02 20:00"),
]:
    add(text, NY, "en-US", "ny_fall", exp, "en", "dst")
for text, exp in [
    ("1:30am", "refuse"),
    ("2:30am", "2026-03-29 02:30"),
    ("in 2 hours", "+120"),
    ("8pm", "2026-03-29 20:00"),
    ("오늘 새벽 1시 30분", "refuse"),
]:
    add(text, "Europe/London", "en-GB", "ldn_spring", exp, "en" if text[0] != "오" else "ko", "dst")
for text, exp in [
    ("1:30am", "2026-10-25 01:30"),
    ("in 2 hours", "+120"),
    ("8pm", "2026-10-25 20:00"),
    ("tomorrow 8pm", "2026-10-26 20:00"),
]:
    add(text, "Europe/London", "en-GB", "ldn_fall", exp, "en", "dst")
for text, exp in [
    ("2:30am", "2026-04-05 02:30"),
    ("in 3 hours", "+180"),
    ("8pm", "2026-04-05 20:00"),
    ("tomorrow 8pm", "2026-04-06 20:00"),
]:
    add(text, "Australia/Sydney", "en-GB", "syd_april", exp, "en", "dst")
for text, exp in [
    ("2:30am", "refuse"),
    ("3:30am", "2026-10-04 03:30"),
    ("in 2 hours", "+120"),
    ("8pm", "2026-10-04 20:00"),
]:
    add(text, "Australia/Sydney", "en-GB", "syd_oct", exp, "en", "dst")
# Zones without DST: Seoul, and São Paulo since 2019 (its old rules would say -02 in Nov/Feb).
add("8pm", SP, "pt-BR", "sp_mon", "2026-11-23 20:00", "en", "no_dst")
add("8pm", SP, "pt-BR", "sp_feb", "2026-02-10 20:00", "en", "no_dst")
add("amanhã às 20h", SP, "pt-BR", "sp_feb", "2026-02-11 20:00", "pt", "no_dst")
add("8pm", S, "ko", "seoul_jan", "2026-01-12 20:00", "en", "no_dst")
add("8pm", S, "en-US", "ny_june", "2026-06-11 20:00", "en", "no_dst")  # 23:00 KST already
# --- English -----------------------------------------------------------------------------------
E = [
    ("tmr 8pm", "2026-11-24 20:00", "shorthand"), ("2moro 8pm", "2026-11-24 20:00", "shorthand"),
    ("tonite at 10", "2026-11-23 22:00", "shorthand"), ("in 1h30", "+90", "duration"),
    ("in 1 hour 30 minutes", "+90", "duration"), ("in 90 mins", "+90", "duration"),
    ("in an hour", "+60", "duration"), ("2 hours from now", "+120", "duration"),
    ("in 2 hours", "+120", "duration"), ("in 45 minutes", "+45", "duration"),
    ("tomorrow at noon", "2026-11-24 12:00", "day_word"), ("midnight", "2026-11-24 00:00", "part_of_day"),
    ("tomorrow 8:30pm", "2026-11-24 20:30", "day_word"), ("tomorrow 20:30", "2026-11-24 20:30", "day_word"),
    ("tomorrow 8.30pm", "2026-11-24 20:30", "day_word"), ("today 9pm", "2026-11-23 21:00", "day_word"),
    ("day after tomorrow 7pm", "2026-11-25 19:00", "day_word"),
    ("friday at 8pm", "2026-11-27 20:00", "weekday"), ("fri 20:00", "2026-11-27 20:00", "weekday"),
    ("next friday 8pm", "2026-11-27 20:00", "weekday"),
    ("next week friday 8pm", "2026-12-04 20:00", "weekday"),
    ("friday next week at 8pm", "2026-12-04 20:00", "weekday"),
    ("this saturday 3pm", "2026-11-28 15:00", "weekday"),
    ("12/5 8pm", "2026-12-05 20:00", "date"), ("5 dec 8pm", "2026-12-05 20:00", "date"),
    ("dec 5th at 8pm", "2026-12-05 20:00", "date"), ("december 5 2026 8pm", "2026-12-05 20:00", "date"),
    ("2026-12-05 20:00", "2026-12-05 20:00", "date"), ("in 3 days at 8pm", "2026-11-26 20:00", "day_word"),
    ("tomorrow morning at 9", "2026-11-24 09:00", "part_of_day"),
    ("tomorrow at 9 in the evening", "2026-11-24 21:00", "part_of_day"),
    ("8pm", "2026-11-23 20:00", "clock"), ("20:00", "2026-11-23 20:00", "clock"),
    ("jan 3 7pm", "2027-01-03 19:00", "date"), ("nov 20 8pm", "refuse", "past"),
    ("tonight", "refuse", "no_clock"), ("this evening", "refuse", "no_clock"),
    ("tomorrow", "refuse", "no_clock"), ("friday", "refuse", "no_clock"),
    ("tomorrow evening", "refuse", "no_clock"), ("at 9", "refuse", "bare_hour"),
    ("8", "refuse", "bare_hour"), ("tomorrow 25:00", "refuse", "impossible"),
    ("in 400 days", "refuse", "limit"), ("yesterday 8pm", "refuse", "past"),
    ("whenever the comeback drops", "refuse", "unreadable"), ("8pm tomorrow 9pm", "refuse", "two_times"),
    ("tomorrow 8pm XYZ", "refuse", "unreadable"), ("13pm", "refuse", "impossible"),
    ("20:00h", "2026-11-23 20:00", "clock"), ("noon tomorrow", "2026-11-24 12:00", "day_word"),
    ("saturday midnight", "2026-11-29 00:00", "part_of_day"), ("sunday 12am", "2026-11-29 00:00", "weekday"),
    ("12am", "2026-11-24 00:00", "clock"), ("in 2h 30m", "+150", "duration"),
    ("in 1.5 hours", "+90", "duration"), ("20:00 tomorrow", "2026-11-24 20:00", "day_word"),
    ("tomorrow at 8 pm", "2026-11-24 20:00", "day_word"), ("monday 9am", "2026-11-30 09:00", "weekday"),
    ("tomorrow 8", "refuse", "bare_hour"),
    ("tomorrow 8pm-10pm", "2026-11-24 20:00", "range"),
    ("8-10pm", "refuse", "bare_hour"),
]  # fmt: skip
for text, exp, kind in E:
    add(text, NY, "en-US", "ny_mon", exp, "en", kind)
add("tonight at 8", NY, "en-US", "ny_night", "refuse", "en", "past")
add("12/5 8pm", "Europe/London", "en-GB", "ldn_mon", "2027-05-12 20:00", "en", "date")
add("5/12 8pm", "Europe/London", "en-GB", "ldn_mon", "2026-12-05 20:00", "en", "date")
add("5/12 8pm", NY, "en-US", "ny_mon", "2027-05-12 20:00", "en", "date")
add("31/12 8pm", NY, "en-US", "ny_mon", "2026-12-31 20:00", "en", "date")
add("8pm BST", "Europe/London", "en-GB", "ldn_mon", "2026-11-23 20:00", "en", "zone_ambiguous")
add("8pm BST", S, "en-GB", "seoul_noon", "refuse", "en", "zone_ambiguous")
add("8pm CST", "America/Chicago", "en-US", "chi_mon", "2026-11-23 20:00", "en", "zone_ambiguous")
Z = [
    ("8pm JST", "2026-11-23 20:00@Asia/Tokyo"), ("8pm GMT+9", "2026-11-23 11:00@UTC"),
    ("20:00 UTC", "2026-11-23 20:00@UTC"), ("8pm UTC-3", "2026-11-23 23:00@UTC"),
    ("20:00 BRT", "2026-11-23 20:00@America/Sao_Paulo"), ("8pm PHT", "2026-11-23 20:00@Asia/Manila"),
    ("6pm Seoul time", "2026-11-23 18:00@Asia/Seoul"), ("8pm KST", "2026-11-23 20:00@Asia/Seoul"),
    ("tomorrow 8pm KST", "2026-11-24 20:00@Asia/Seoul"), ("9pm AEDT", "2026-11-23 21:00@Australia/Sydney"),
    ("9pm AEST", "2026-11-23 21:00@Australia/Sydney"), ("19:00 WIB", "2026-11-23 19:00@Asia/Jakarta"),
    ("8pm Asia/Seoul", "2026-11-23 20:00@Asia/Seoul"), ("2026-12-01 18:00 +09:00", "2026-12-01 09:00@UTC"),
    ("2026-12-01T18:00Z", "2026-12-01 18:00@UTC"), ("8pm EST", "2026-11-23 20:00@America/New_York"),
    ("8pm PST", "2026-11-23 20:00@America/Los_Angeles"),
    ("tomorrow 20:00 (KST)", "2026-11-24 20:00@Asia/Seoul"), ("8pm friday KST", "2026-11-27 20:00@Asia/Seoul"),
]  # fmt: skip
for text, exp in Z:  # from Paris at 09:00 (17:00 KST, 03:00 New York)
    add(text, "Europe/Paris", "en-GB", "paris_mon", exp, "en", "zone")
add("8pm EST", S, "ko", "ny_july", "2026-07-15 20:00@America/New_York", "en", "zone")
add("8pm PST", S, "ko", "ny_july", "2026-07-15 20:00@America/Los_Angeles", "en", "zone")
add("1pm PT", S, "ko", "ny_mon", "2026-11-23 13:00@America/Los_Angeles", "en", "zone")
add("8pm EST", "America/Toronto", "en-US", "ny_mon", "2026-11-23 20:00", "en", "zone")
add("8pm AEST", S, "ko", "seoul_jan", "2026-01-12 20:00@Australia/Sydney", "en", "zone")
# --- Korean --------------------------------------------------------------------------------------
K = [
    ("내일 저녁 8시", "2026-11-24 20:00", "day_word"), ("오늘 밤 10시", "2026-11-23 22:00", "part_of_day"),
    ("모레 오후 3시", "2026-11-25 15:00", "day_word"), ("내일모레 오전 11시", "2026-11-25 11:00", "day_word"),
    ("3시간 후", "+180", "duration"), ("3시간 뒤에", "+180", "duration"), ("30분 후", "+30", "duration"),
    ("1시간 반 후", "+90", "duration"), ("2시간 15분 뒤", "+135", "duration"),
    ("금요일 20시", "2026-11-27 20:00", "weekday"), ("이번 주 토요일 오후 2시", "2026-11-28 14:00", "weekday"),
    ("다다음 주 월요일 저녁 7시", "2026-12-07 19:00", "weekday"),
    ("일요일 저녁 7시 30분", "2026-11-29 19:30", "weekday"), ("내일 오후 8시 반", "2026-11-24 20:30", "day_word"),
    ("내일 아침 9시", "2026-11-24 09:00", "part_of_day"), ("내일 새벽 2시", "2026-11-24 02:00", "part_of_day"),
    ("낮 1시", "2026-11-23 13:00", "part_of_day"), ("저녁 여덟 시", "2026-11-23 20:00", "part_of_day"),
    ("내일 정오", "2026-11-24 12:00", "day_word"), ("오늘 밤 12시", "2026-11-24 00:00", "part_of_day"),
    ("내일 자정", "2026-11-25 00:00", "part_of_day"), ("금요일 밤 1시", "2026-11-28 01:00", "part_of_day"),
    ("12월 1일 오후 6시", "2026-12-01 18:00", "date"), ("12월 25일 저녁 8시", "2026-12-25 20:00", "date"),
    ("2일 후 오후 8시", "2026-11-25 20:00", "day_word"),
    ("내일", "refuse", "no_clock"), ("오늘 저녁", "refuse", "no_clock"), ("8시쯤", "refuse", "bare_hour"),
    ("오전 15시", "refuse", "impossible"), ("25시", "refuse", "impossible"),
    ("어제 저녁 8시", "refuse", "past"), ("12월 1일 금요일 저녁 8시", "refuse", "date"),
    ("tomorrow 저녁 8시", "2026-11-24 20:00", "mixed"), ("내일 8pm", "2026-11-24 20:00", "mixed"),
    ("다음 주 금요일 8pm KST", "2026-12-04 20:00", "mixed"),
    ("20:00~22:00", "2026-11-23 20:00", "range"),
    ("내일 오후 8시~10시", "2026-11-24 20:00", "range"),
]  # fmt: skip
for text, exp, kind in K:
    add(text, S, "ko", "seoul_mon", exp, "ko", kind)
# --- Japanese ------------------------------------------------------------------------------------
T = "Asia/Tokyo"
for text, exp, kind in [
    ("明日 午後8時", "2026-11-24 20:00", "day_word"), ("今夜9時", "2026-11-23 21:00", "part_of_day"),
    ("今日 20時", "2026-11-23 20:00", "day_word"), ("来週の金曜日 20時", "2026-12-04 20:00", "weekday"),
    ("12月5日 午後6時", "2026-12-05 18:00", "date"), ("2時間後", "+120", "duration"),
    ("30分後", "+30", "duration"), ("明後日 19時半", "2026-11-25 19:30", "day_word"),
    ("金曜日 午後8時", "2026-11-27 20:00", "weekday"), ("12/5 20:00", "2026-12-05 20:00", "date"),
    ("今夜", "refuse", "no_clock"), ("明日 8時", "refuse", "bare_hour"),
]:  # fmt: skip
    add(text, T, "ja", "tyo_mon", exp, "ja", kind)
# --- Spanish -------------------------------------------------------------------------------------
MX = "America/Mexico_City"
for text, exp, kind in [
    ("mañana a las 8 de la noche", "2026-11-24 20:00", "day_word"),
    ("hoy a las 9 de la noche", "2026-11-23 21:00", "part_of_day"),
    ("esta noche a las 9", "2026-11-23 21:00", "part_of_day"),
    ("el viernes a las 20:00", "2026-11-27 20:00", "weekday"),
    ("el próximo viernes a las 8 de la noche", "2026-11-27 20:00", "weekday"),
    ("5/12 20:00", "2026-12-05 20:00", "date"), ("5 de diciembre a las 20:00", "2026-12-05 20:00", "date"),
    ("en 2 horas", "+120", "duration"), ("en media hora", "+30", "duration"),
    ("pasado mañana a las 18:00", "2026-11-25 18:00", "day_word"),
    ("mañana por la tarde a las 4", "2026-11-24 16:00", "part_of_day"),
    ("mañana", "refuse", "no_clock"), ("esta noche", "refuse", "no_clock"),
    ("mañana a las 8", "refuse", "bare_hour"),
]:  # fmt: skip
    add(text, MX, "es-419", "mx_mon", exp, "es", kind)
add("mañana a las 21:00", "Europe/Madrid", "es-ES", "mad_mon", "2026-11-24 21:00", "es", "day_word")
add(
    "21:00 hora de Corea",
    "Europe/Madrid",
    "es-ES",
    "mad_mon",
    "2026-11-23 21:00@Asia/Seoul",
    "es",
    "zone",
)
# --- Portuguese ----------------------------------------------------------------------------------
for text, exp, kind in [
    ("amanhã às 20h", "2026-11-24 20:00", "day_word"), ("hoje às 21h", "2026-11-23 21:00", "day_word"),
    ("hoje à noite às 9", "2026-11-23 21:00", "part_of_day"), ("sexta às 20h", "2026-11-27 20:00", "weekday"),
    ("sexta-feira às 20:00", "2026-11-27 20:00", "weekday"), ("5/12 às 20h", "2026-12-05 20:00", "date"),
    ("5 de dezembro às 20h", "2026-12-05 20:00", "date"), ("daqui a 2 horas", "+120", "duration"),
    ("em meia hora", "+30", "duration"), ("depois de amanhã às 19h", "2026-11-25 19:00", "day_word"),
    ("amanhã às 8 da noite", "2026-11-24 20:00", "part_of_day"),
    ("amanhã às 20h30", "2026-11-24 20:30", "day_word"),
    ("amanhã", "refuse", "no_clock"), ("hoje à noite", "refuse", "no_clock"),
]:  # fmt: skip
    add(text, SP, "pt-BR", "sp_mon", exp, "pt", kind)
add(
    "20h horário de Brasília",
    "Europe/Lisbon",
    "pt-PT",
    "ldn_mon",
    "2026-11-23 20:00@America/Sao_Paulo",
    "pt",
    "zone",
)
# --- Indonesian ----------------------------------------------------------------------------------
J = "Asia/Jakarta"
for text, exp, kind in [
    ("besok jam 8 malam", "2026-11-24 20:00", "part_of_day"), ("besok pukul 20.00", "2026-11-24 20:00", "day_word"),
    ("nanti malam jam 9", "2026-11-23 21:00", "part_of_day"), ("malam ini jam 9", "2026-11-23 21:00", "part_of_day"),
    ("jumat jam 19.00", "2026-11-27 19:00", "weekday"), ("2 jam lagi", "+120", "duration"),
    ("dalam 30 menit", "+30", "duration"), ("5/12 jam 20.00", "2026-12-05 20:00", "date"),
    ("5 Desember jam 20.00", "2026-12-05 20:00", "date"), ("lusa jam 19.00", "2026-11-25 19:00", "day_word"),
    ("besok", "refuse", "no_clock"),
]:  # fmt: skip
    add(text, J, "id", "jkt_mon", exp, "id", kind)
add("19.00 WIB", S, "id", "seoul_noon", "2026-11-23 19:00@Asia/Jakarta", "id", "zone")
# --- Thai ----------------------------------------------------------------------------------------
B = "Asia/Bangkok"
for text, exp, kind in [
    ("พรุ่งนี้ 2 ทุ่ม", "2026-11-24 20:00", "day_word"), ("คืนนี้ 3 ทุ่ม", "2026-11-23 21:00", "part_of_day"),
    ("พรุ่งนี้ 20.00 น.", "2026-11-24 20:00", "day_word"), ("วันศุกร์ 20:00", "2026-11-27 20:00", "weekday"),
    ("อีก 2 ชั่วโมง", "+120", "duration"), ("อีก 30 นาที", "+30", "duration"),
    ("มะรืนนี้ บ่าย 3 โมง", "2026-11-25 15:00", "day_word"), ("5/12 20:00", "2026-12-05 20:00", "date"),
    ("พรุ่งนี้", "refuse", "no_clock"), ("คืนนี้", "refuse", "no_clock"),
]:  # fmt: skip
    add(text, B, "th", "bkk_mon", exp, "th", kind)


# --- 24-hour clock times (issue 18 review): a two-digit hour, or any clock after an ISO date ------
for text, zone, locale, now, exp, lang in [
    ("tomorrow 10:00", S, "en-US", "seoul_noon", "2026-11-24 10:00", "en"),
    ("tomorrow 10:30", S, "en-US", "seoul_noon", "2026-11-24 10:30", "en"),
    ("tomorrow 11:59", S, "en-US", "seoul_noon", "2026-11-24 11:59", "en"),
    ("10:00", S, "en-US", "seoul_noon", "2026-11-24 10:00", "en"),
    ("2026-12-14 10:00", S, "en-US", "seoul_noon", "2026-12-14 10:00", "en"),
    ("2026-12-14 8:30", S, "en-US", "seoul_noon", "2026-12-14 08:30", "en"),
    ("yesterday 10:00", S, "en-US", "seoul_noon", "refuse", "en"),
    ("tomorrow 8:30", S, "en-US", "seoul_noon", "refuse", "en"),
    ("tomorrow 10:00 KST", "Europe/Paris", "en-GB", "paris_mon", "2026-11-24 10:00@Asia/Seoul", "en"),
    ("friday 11:30", NY, "en-US", "ny_mon", "2026-11-27 11:30", "en"),
    ("내일 10:00", S, "ko", "seoul_noon", "2026-11-24 10:00", "ko"),
    ("내일 10시", S, "ko", "seoul_noon", "refuse", "ko"),
    ("amanhã às 10:30", SP, "pt-BR", "sp_mon", "2026-11-24 10:30", "pt"),
    ("amanhã às 10h", SP, "pt-BR", "sp_mon", "2026-11-24 10:00", "pt"),
    ("mañana a las 10:30", "Europe/Madrid", "es-ES", "mad_mon", "2026-11-24 10:30", "es"),
    ("besok jam 10.00", "Asia/Jakarta", "id", "jkt_mon", "2026-11-24 10:00", "id"),
]:  # fmt: skip
    add(text, zone, locale, now, exp, lang, "clock24")


def to_utc(expected: str, member: str, now: datetime) -> str:
    if expected == "refuse":
        return "refuse"
    if expected.startswith("+"):
        return (now + timedelta(minutes=int(expected[1:]))).isoformat()
    wall, _, zone = expected.partition("@")
    local = datetime.fromisoformat(wall).replace(tzinfo=ZoneInfo(zone or member))
    return local.astimezone(UTC).isoformat()


def main() -> None:
    """Write the TSV (one header comment, then one row per phrase)."""
    lines = ["# text\tmember_zone\tlocale\tnow_utc\texpected_utc_or_refuse\tlanguage\tkind"]
    for text, zone, locale, now_key, expected, lang, kind in ROWS:
        wall, nz = NOWS[now_key]
        now = datetime.fromisoformat(wall).replace(tzinfo=ZoneInfo(nz)).astimezone(UTC)
        lines.append(
            "\t".join(
                [text, zone, locale, now.isoformat(), to_utc(expected, zone, now), lang, kind]
            )
        )
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sys.stdout.write(f"{len(ROWS)} rows written to {OUT}\n")


if __name__ == "__main__":
    main()
