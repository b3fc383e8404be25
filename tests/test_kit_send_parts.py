"""The fake's rules for sending, without HTTP: how many parts a text takes (3GPP TS 23.038 /
23.040 as spec/requests.md states them), numbers, tariffs and the ``time`` parameter."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fmtcodec.kit.sending import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    SendingRules,
    Tariff,
    Tariffs,
    message_parts,
    normalize_phone,
    parse_send_time,
    server_date,
    transliterate,
)

NOON = 1_767_258_000.0  # 01.01.2026 12:00:00 in the server's clock


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),  # 2 x 153
        ("a" * 307, 3),
        ("€" * 80, 1),  # 160 septets: an extension character counts two
        ("€" * 81, 2),
        ("a" * 158 + "[", 1),
        ("a" * 159 + "[", 2),
        # a part of 153 septets: 152 plain ones, then the escape pair does not fit and starts
        # the next part, so 152 + 2 + 153 ... 307 septets in 3 parts rather than 2
        ("a" * 152 + "{" + "a" * 152, 3),
        ("a" * 151 + "{" + "a" * 152, 2),
        ("я" * 70, 1),
        ("я" * 71, 2),
        ("я" * 134, 2),  # 2 x 67
        ("я" * 135, 3),
        ("a" * 69 + "я", 1),  # one character outside GSM-7 makes the whole text UCS-2
        ("a" * 70 + "я", 2),
        ("😀" * 35, 1),  # outside the BMP: two 16-bit units each
        ("😀" * 36, 2),
        ("a" * 68 + "😀", 1),
        # 134 units, two parts of 67 by count -- but the pair cannot straddle them
        ("a" * 66 + "😀" + "a" * 66, 3),
        ("a" * 65 + "😀" + "a" * 67, 2),
    ],
)
def test_message_parts(text, parts):
    assert message_parts(text) == parts


def test_the_alphabet_tables():
    assert len(GSM7_BASIC) == 127  # 128 code points, one of them the escape to the extension
    assert len(GSM7_EXTENSION) == 10
    assert not GSM7_BASIC & GSM7_EXTENSION
    assert "`" not in GSM7_BASIC  # the backtick is UCS-2
    assert "`" not in GSM7_EXTENSION
    assert message_parts("`" * 71) == 2


def test_transliterate():
    assert transliterate("Щука и Ёж, ok") == "Schuka i Ezh, ok"
    assert message_parts(transliterate("Привет" * 20)) == 1


@pytest.mark.parametrize(
    ("given", "number"),
    [
        ("79991234567", "79991234567"),
        ("+7 (999) 123-45-67", "79991234567"),
        ("89991234567", "79991234567"),
        ("375291112233", "375291112233"),
        ("123456789", None),
        ("1234567890123456", None),
        ("7999abc4567", None),
        ("", None),
    ],
)
def test_normalize_phone(given, number):
    assert normalize_phone(given) == number


def test_tariffs_longest_prefix_wins():
    tariffs = Tariffs(
        [Tariff("7", Decimal("1.00")), Tariff("7999", Decimal("0.10"))], Tariff("", Decimal("9"))
    )
    assert [tariffs.for_phone(p).price for p in ("79991234567", "79001234567", "441234567890")] == [
        Decimal("0.10"),
        Decimal("1.00"),
        Decimal("9"),
    ]


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("", "01.01.2026 12:00:00"),
        ("0", "01.01.2026 12:00:00"),
        ("+90", "01.01.2026 13:30:00"),
        ("01767261600", "01.01.2026 13:00:00"),
        ("0201261530", "02.01.2026 15:30:00"),
        ("02.01.26 15:30", "02.01.2026 15:30:00"),
        ("02.01.2026 15:30:10", "02.01.2026 15:30:10"),
        ("10-14", "01.01.2026 12:00:00"),  # within the hours: now
        ("14-18", "01.01.2026 14:00:00"),  # later today
        ("9-11", "02.01.2026 09:00:00"),  # tomorrow
    ],
)
def test_send_time(text, when):
    moment = parse_send_time(text, NOON)
    assert moment is not None
    assert server_date(moment) == when


@pytest.mark.parametrize(
    "text", ["tomorrow", "32.01.26 10:00", "3201261000", "+", "+1.5", "14-10", "25-26", "1-2-3"]
)
def test_send_time_refused(text):
    assert parse_send_time(text, NOON) is None


def test_default_rules_accept_any_sender():
    rules = SendingRules()
    assert (rules.registered_senders_only, rules.stop_words, rules.to_operator, rules.to_final) == (
        False,
        [],
        1.0,
        5.0,
    )
