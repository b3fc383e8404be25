"""fmt 2: XML parsed with every dangerous feature off; element text kept exactly."""


import pytest

import fmtcodec
from fmtcodec import ApiError, Contact, Created, DecodeError, EncodeError, Error, Group, Ok

PROLOG = b'<?xml version="1.0" encoding="utf-8"?>\n'


def test_group_list_layout_leaves_absent_numbers_out():
    groups = [Group(id=5924, name="A & B <c>"), Group(id=5921, name="N", number=1234, cnt=0)]
    payload = fmtcodec.encode(groups, fmt=2)
    assert payload == PROLOG + (
        b"<list>\n<group>\n<id>5924</id>\n<name>A &amp; B &lt;c&gt;</name>\n</group>\n"
        b"<group>\n<id>5921</id>\n<name>N</name>\n<number>1234</number>\n<cnt>0</cnt>\n</group>\n</list>"
    )
    assert fmtcodec.decode(payload, list[Group]) == groups


def test_text_is_kept_exactly_and_markup_between_elements_is_not():
    payload = (
        b"  <list>\n  <contact>\n    <phone> 7 </phone>\n    <name><![CDATA[a<b]]>&#1055;&amp;</name>"
        b"\n    <group/>\n    <comments>line1\nline2\r\n</comments><!-- note -->\n  </contact>\n</list>\n"
    )
    (contact,) = fmtcodec.decode(payload, list[Contact], fmt=2)
    assert contact == Contact(phone=" 7 ", name="a<bП&", comments="line1\nline2\n")


def test_carriage_return_survives_as_a_reference():
    contact = Contact(phone="7", comments="a\r\nb")
    payload = fmtcodec.encode([contact], fmt=2)
    assert b"<comments>a&#13;\nb</comments>" in payload
    assert fmtcodec.decode(payload, list[Contact], fmt=2) == [contact]


def test_characters_xml_cannot_hold_are_refused():
    with pytest.raises(EncodeError) as caught:
        fmtcodec.encode([Contact(phone="7", tags="bell\x07")], fmt=2)
    assert str(caught.value) == (
        "fmt 2 cannot carry the value at $[0].tags: character U+0007 cannot appear in XML 1.0,"
        " not even as a reference"
    )


def test_prolog_charset_is_followed():
    payload = '<?xml version="1.0" encoding="windows-1251"?><list><group><id>1</id><name>Группа</name></group></list>'
    assert fmtcodec.decode(payload.encode("cp1251"), list[Group]) == [Group(id=1, name="Группа")]
    assert fmtcodec.encode([Group(id=1, name="Группа")], fmt=2, charset="windows-1251").startswith(
        b'<?xml version="1.0" encoding="windows-1251"?>\n'
    )


def test_an_error_reply_is_told_by_its_root_whatever_precedes_it():
    payload = b"<!-- " + b"x" * 600 + b" -->\n<result>\n<error>save error</error>\n<error_code>5</error_code>\n</result>"
    with pytest.raises(ApiError) as caught:
        fmtcodec.decode(payload, list[Group])
    assert caught.value.code == 5
    assert fmtcodec.decode(payload, Error) == Error(error_code=5, error="save error")


def test_prolog_charset_error_counts_the_byte_order_mark():
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(b'\xef\xbb\xbf<?xml version="1.0" encoding="latin-1"?><list/>', list[Group])
    assert (caught.value.pos, caught.value.column) == (33, 31)


def test_unsupported_prolog_charset():
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(b'<?xml version="1.0" encoding="utf-16"?><list/>', list[Group])
    assert str(caught.value) == (
        "fmt 2: the XML prolog declares 'utf-16'; the provider answers in utf-8, windows-1251 or koi8-r"
        " - byte 30 (line 1, column 31), near 'utf-16\"?><list/>'"
    )


def test_created_ok_and_error_shapes():
    assert fmtcodec.encode(Created(id=5, element="group"), fmt=2) == PROLOG + b"<group>\n<id>5</id>\n</group>"
    assert fmtcodec.decode(b"<phone>\n<id>5113988</id>\n</phone>", Created) == Created(
        id=5113988, element="phone"
    )
    assert fmtcodec.decode(b"<result>OK</result>", Ok) == Ok()
    assert fmtcodec.decode(b"OK", Ok, fmt=2) == Ok()
    error = b"<result>\n<error>record not found</error>\n<error_code>3</error_code>\n</result>"
    assert fmtcodec.decode(error, Error) == Error(error_code=3, error="record not found")
    with pytest.raises(EncodeError, match=r"set Created\.element"):
        fmtcodec.encode(Created(id=5), fmt=2)


def test_unknown_field_and_bad_integer_say_where():
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(b"<list>\n<group>\n<id>5</id>\n<colour>red</colour>\n</group>\n</list>", list[Group])
    assert str(caught.value) == (
        "fmt 2: unknown field <colour> in <group> - at $[0].colour, byte 26 (line 4, column 1),"
        " near '<colour>red</colour>\\n</g'"
    )
    payload = b"<list>\n<group>\n<id>5</id>\n</group>\n<group>\n<id>x</id>\n</group>\n</list>"
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(payload, list[Group])
    assert (caught.value.pos, caught.value.line, caught.value.column, caught.value.path) == (43, 6, 1, "$[1].id")


def test_position_of_a_sibling_on_the_same_line():
    payload = b"<list><group><id>5924</id><name>A</name></group><group><id>59x2</id><name>B</name></group></list>"
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(payload, list[Group])
    assert (caught.value.pos, caught.value.column, caught.value.path) == (55, 56, "$[1].id")
    assert payload[caught.value.pos :].startswith(b"<id>59x2")


def test_attributes_anywhere_would_be_lost_so_they_are_refused():
    for payload in (b'<list a="1"/>', b'<list><group a="1"><id>1</id></group></list>'):
        with pytest.raises(DecodeError, match="unexpected attribute on <"):
            fmtcodec.decode(payload, list[Group])
    with pytest.raises(DecodeError, match="unexpected attribute on <result>"):
        fmtcodec.decode(b'<result a="1">OK</result>', Ok)


def test_doctype_text_inside_a_value_is_just_text():
    payload = b"<list><group><id>5</id><name><![CDATA[<!DOCTYPE x>]]></name></group></list>"
    assert fmtcodec.decode(payload, list[Group]) == [Group(id=5, name="<!DOCTYPE x>")]


def test_a_second_xml_declaration_is_malformed_not_a_crash():
    payload = b'<?xml version="1.0"?><?xml version="1.0" encoding="utf-8"?><list/>'
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(payload, list[Group])
    assert caught.value.reason == "malformed XML: an XML declaration may only open the document"
    assert caught.value.pos == 21


def test_a_second_declaration_without_encoding_is_refused_too():
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(b'<?xml version="1.0"?><?xml version="1.0"?><list/>', list[Group])
    assert (caught.value.reason, caught.value.pos) == (
        "malformed XML: an XML declaration may only open the document",
        21,
    )


def test_malformed_xml_position():
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(b"<list>\n<group>\n<id>5</id>\n</grop>\n</list>", list[Group])
    assert caught.value.reason == "malformed XML: Opening and ending tag mismatch: group and grop"
    assert (caught.value.line, caught.value.column) == (4, 8)


def test_text_between_elements_would_be_lost_so_it_is_refused():
    with pytest.raises(DecodeError, match=r"unexpected text after <id> - at \$\[0\]"):
        fmtcodec.decode(b"<list><group><id>5</id>stray<name>x</name></group></list>", list[Group])


# --- hostile documents: refused before any expansion, quickly and without memory growth ---

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<list><group><id>1</id><name>&lol9;</name></group></list>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE list [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<list><group><id>1</id><name>&xxe;</name></group></list>"""
EXTERNAL_DTD = b'<?xml version="1.0"?>\n<!DOCTYPE list SYSTEM "http://example.invalid/x.dtd">\n<list/>'
PARAMETER_ENTITY = b'<!DOCTYPE list [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><list/>'


@pytest.mark.parametrize(
    ("payload", "pos"),
    [(BILLION_LAUGHS, 22), (XXE, 22), (EXTERNAL_DTD, 22), (PARAMETER_ENTITY, 0)],
    ids=["billion-laughs", "xxe", "external-dtd", "parameter-entity"],
)
def test_document_type_declarations_are_refused(payload, pos):
    # refused before parsing (the reason says so); the time is measured in benches/test_hostile.py
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(payload, list[Group])
    assert caught.value.reason == "document type declarations are refused (no DTD, no entity is ever expanded)"
    assert caught.value.pos == pos


def test_undeclared_entity_is_an_error_not_a_lookup():
    with pytest.raises(DecodeError, match="malformed XML: Entity 'xxe' not defined"):
        fmtcodec.decode(b"<list><group><id>1</id><name>&xxe;</name></group></list>", list[Group])


def test_deep_nesting_is_refused():
    payload = b"<list>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</list>"
    with pytest.raises(DecodeError, match="malformed XML: Excessive depth in document: 256"):
        fmtcodec.decode(payload, list[Group])
