"""Requests: typed commands written as query strings / form bodies and read back."""

from __future__ import annotations

import pickle
import typing
from urllib.parse import parse_qsl, unquote_plus

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fmtcodec.errors import DecodeError, EncodeError
from fmtcodec.kit.commands import (
    COMMANDS,
    AddBlacklist,
    AddContact,
    AddGroup,
    ChangeContact,
    ChangeGroup,
    DeleteContact,
    DeleteGroup,
    ListContacts,
    MoveGroup,
    Request,
)
from fmtcodec.kit.query import (
    RequestError,
    RequestWriteError,
    mask_credentials,
    read_request,
    write_query,
)
from fmtcodec.records import Count
from fmtcodec.strategies import free_text, ids

CHARSETS = [None, "utf-8", "windows-1251", "koi8-r", "UTF-8", "cp1251"]
CODEC = {None: "cp1251", "utf-8": "utf-8", "windows-1251": "cp1251", "koi8-r": "koi8-r", "UTF-8": "utf-8",
         "cp1251": "cp1251"}


# -- exact wire form -----------------------------------------------------------------------------


def test_doc_url_template_add():
    """facts §2.2: add=1&login=<login>&psw=<password>&phone=<phone>&name=<name>"""
    request = Request(command=AddContact(phone="79999999999", name="Contact", grp="321"), login="alex", psw="123")
    assert write_query(request) == "add=1&login=alex&psw=123&phone=79999999999&name=Contact&grp=321"


def test_value_percent_encoded_in_windows_1251_by_default():
    request = Request(command=AddGroup(name="Иван & Co, 1+1=2"), login="l", psw="p", fmt=3)
    assert write_query(request) == (
        "add_group=1&login=l&psw=p&name=%C8%E2%E0%ED+%26+Co%2C+1%2B1%3D2&fmt=3"
    )


def test_value_percent_encoded_in_the_request_charset():
    request = Request(command=AddGroup(name="Иван"), apikey="k", charset="utf-8")
    assert write_query(request) == "add_group=1&apikey=k&name=%D0%98%D0%B2%D0%B0%D0%BD&charset=utf-8"
    koi = Request(command=AddGroup(name="Иван"), apikey="k", charset="koi8-r")
    assert write_query(koi) == "add_group=1&apikey=k&name=%E9%D7%C1%CE&charset=koi8-r"


def test_move_group_carries_its_mode_and_mails_php_names():
    command = MoveGroup(move_group=3, grp=5, phone="a@b.ru", service="mails")
    assert write_query(Request(command=command)) == "move_group=3&grp=5&mail=a%40b.ru"
    change = ChangeContact(service="mails", phone="a@b.ru", new_phone="c@d.ru", pho="e@f.ru")
    assert write_query(Request(command=change)) == "chg=1&mail=a%40b.ru&new_mail=c%40d.ru&mail_other=e%40f.ru"


def test_absent_and_empty_differ():
    assert write_query(Request(command=ChangeContact(phone="1", name=""))) == "chg=1&phone=1&name="
    assert write_query(Request(command=ChangeContact(phone="1"))) == "chg=1&phone=1"
    assert read_request("chg=1&phone=1&name=").command == ChangeContact(phone="1", name="")
    assert read_request("chg=1&phone=1").command == ChangeContact(phone="1")


def test_reads_the_real_2013_contact_request():
    """Capture 26: the parameters the 2013 client sent to create a contact."""
    query = (
        "add=1&name=Mr.Anderson&phone=%2B79112223341%2C%2B79112223342&grp=5924%2C5922&fnm=Thomas"
        "&mnm=A.&lnm=Anderson&bd=11.03.1962&myid=1234&cmt=Neo&tags=neo%2Cmatrix"
        "&pho=%2B79112223351%2C%2B79112223352&lmt=10&login=x&psw=y&fmt=3&charset=utf-8"
    )
    assert read_request(query) == Request(
        command=AddContact(
            phone="+79112223341,+79112223342", name="Mr.Anderson", grp="5924,5922", fnm="Thomas", mnm="A.",
            lnm="Anderson", bd="11.03.1962", myid="1234", cmt="Neo", tags="neo,matrix",
            pho="+79112223351,+79112223352", lmt="10",
        ),
        login="x", psw="y", fmt=3, charset="utf-8",
    )


def test_reads_form_body_with_query():
    request = read_request(b"fmt=2", body=b"get_group=1&login=a&psw=b")
    assert request == Request(command=COMMANDS["get_group"](), login="a", psw="b", fmt=2)


def test_piece_without_equals_is_an_empty_value():
    assert read_request("get=1&login").login == ""


def test_mask_credentials():
    assert mask_credentials("/sys/phones.php?login=a&psw=secret&apikey=k&xpsw=1") == (
        "/sys/phones.php?login=a&psw=***&apikey=***&xpsw=1"
    )


@pytest.mark.parametrize("name", ["%70sw", "ps%77", "%61pikey", "%50%53%57", "PSW", "+psw", "%20apikey", "APIKey"])
def test_mask_credentials_whatever_the_spelling_of_the_name(name):
    assert mask_credentials(f"/sys/phones.php?get=1&{name}=s3cret&fmt=3") == f"/sys/phones.php?get=1&{name}=***&fmt=3"
    assert mask_credentials(f"{name}=s3cret&login=a") == f"{name}=***&login=a"


def test_mask_credentials_of_a_query_string_with_a_question_mark_in_a_value():
    assert mask_credentials("psw=a?b&name=x") == "psw=***&name=x"
    assert mask_credentials("http://h/sys/phones.php?name=a?b&psw=c?d") == "http://h/sys/phones.php?name=a?b&psw=***"


# -- refusals: what the service answers with error 1 -----------------------------------------------

REFUSED = [
    ("add=1&phone=1", "request: `add` needs parameter `name` - at parameter `name`, byte 0 of the query string, near 'add=1'"),
    ("get=1&get_group=1", "request: two commands in one request: `get` and `get_group` - at parameter `get_group`, byte 6 of the query string, near 'get_group=1'"),
    ("del_group=1&grp=WRONG123", "request: expected an integer for `grp`, got 'WRONG123' - at parameter `grp`, byte 16 of the query string, near 'WRONG123'"),
    ("del_group=1&grp=", "request: expected an integer for `grp`, got '' - at parameter `grp`, byte 16 of the query string, near ''"),
    ("add_group=1&name=x&num=05", "request: expected an integer for `num`, got '05' - at parameter `num`, byte 23 of the query string, near '05'"),
    ("get=1&fmt=4", "request: `fmt` must be 0, 1, 2 or 3, got '4' - at parameter `fmt`, byte 10 of the query string, near '4'"),
    ("get=1&charset=latin1", "request: unsupported charset 'latin1': utf-8, windows-1251 or koi8-r - at parameter `charset`, byte 14 of the query string, near 'latin1'"),
    ("get=1&login=%98", "request: byte 0x98 of `login` is not valid windows-1251 - at parameter `login`, byte 12 of the query string, near '%98'"),
    ("get=1&login=%C8&charset=utf-8", "request: byte 0xC8 of `login` is not valid utf-8 - at parameter `login`, byte 12 of the query string, near '%C8'"),
    ("add=1&phone=1&name=Alice,,,,,,,,,%0A79990000666,FORGED",
     "request: `name` holds a line break (CR or LF) at character 14 - at parameter `name`, byte 19 of the query string, near 'Alice,,,,,,,,,%0A7999000'"),
    ("chg=1&phone=1&cmt=a%0D", "request: `cmt` holds a line break (CR or LF) at character 1 - at parameter `cmt`, byte 18 of the query string, near 'a%0D'"),
    ("get=2", "request: `get` must be 1, got '2' - at parameter `get`, byte 4 of the query string, near '2'"),
    ("move_group=4&grp=1&phone=1", "request: `move_group` must be 1, 2 or 3, got '4' - at parameter `move_group`, byte 11 of the query string, near '4'"),
    ("login=a", "request: no command: one of add=1, chg=1, del=1, get=1, add_group=1, chg_group=1, move_group=1, del_group=1, get_group=1, add_black=1, del_black=1, get_black=1 is needed - byte 0 of the query string, near ''"),
]


REFUSED_WHEN_STRICT = [
    ("foo=1&get=1", "request: unknown parameter `foo` for `get` - at parameter `foo`, byte 0 of the query string, near 'foo=1'"),
    ("del=1&phone=1&grp=2", "request: unknown parameter `grp` for `del` - at parameter `grp`, byte 14 of the query string, near 'grp=2'"),
    ("get=1&get=1", "request: parameter `get` is given twice - at parameter `get`, byte 6 of the query string, near 'get=1'"),
]


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize(("query", "message"), REFUSED)
def test_refusals_name_the_parameter(query, message, strict):
    with pytest.raises(RequestError) as caught:
        read_request(query, strict=strict)
    assert str(caught.value) == message
    assert isinstance(caught.value, DecodeError)


@pytest.mark.parametrize(("query", "message"), REFUSED_WHEN_STRICT)
def test_strict_refuses_unknown_and_repeated_parameters(query, message):
    with pytest.raises(RequestError) as caught:
        read_request(query, strict=True)
    assert str(caught.value) == message


def test_unknown_parameters_are_ignored_and_the_last_of_a_repeat_counts():
    """As the provider's PHP pages read $_GET/$_POST: a typo or an extra is not an error."""
    assert read_request("foo=1&get=1").command == ListContacts()
    assert read_request("del=1&phone=1&grp=2").command == DeleteContact(phone="1")
    # bytes no charset decodes, in a parameter the page never reads
    assert read_request("get=1&utm=%98%FF&charset=utf-8").command == ListContacts()
    request = read_request("add=1&phone=1&name=A&fmt=1&name=B&fmt=3")
    assert (request.command, request.fmt) == (AddContact(phone="1", name="B"), 3)
    assert read_request(b"get=1&fmt=1", body=b"fmt=2").fmt == 2


def test_refusal_in_the_body_says_so_and_pickles():
    with pytest.raises(RequestError) as caught:
        read_request(b"", body=b"get=1&fmt=x")
    error = caught.value
    assert (error.parameter, error.pos, error.in_body) == ("fmt", 10, True)
    assert str(error) == "request: `fmt` must be 0, 1, 2 or 3, got 'x' - at parameter `fmt`, byte 10 of the form body, near 'x'"
    assert str(pickle.loads(pickle.dumps(error))) == str(error)


def test_a_repeat_across_query_and_body_is_refused_when_strict():
    with pytest.raises(RequestError, match="parameter `fmt` is given twice"):
        read_request(b"get=1&fmt=1", body=b"fmt=1", strict=True)


def test_write_refuses_what_the_charset_cannot_carry():
    with pytest.raises(RequestWriteError) as caught:
        write_query(Request(command=AddGroup(name="ab€"), charset="koi8-r"))
    assert str(caught.value) == (
        "request: parameter `name` cannot be written: character '€' (U+20AC) at character 2 is not in koi8-r"
    )
    assert isinstance(caught.value, EncodeError)
    with pytest.raises(RequestWriteError, match="parameter `login` cannot be written: character '😀'"):
        write_query(Request(command=ListContacts(), login="😀"))


@pytest.mark.parametrize(("fmt", "charset"), [(4, None), (True, None), (None, "latin-1")])
def test_write_refuses_bad_fmt_or_charset(fmt, charset):
    with pytest.raises(ValueError, match=r"fmt must be 0, 1, 2 or 3|unsupported charset"):
        write_query(Request(command=ListContacts(), fmt=fmt, charset=charset))


# -- properties ----------------------------------------------------------------------------------


def _keep(text: str, codec: str) -> str:
    return "".join(char for char in text if _encodable(char, codec))


def _encodable(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _field_strategy(kind: type, name: str, tp: object, codec: str) -> st.SearchStrategy[object]:
    # a command's text never holds a line break: the service refuses one (rule 8 of "Reading")
    text = free_text(max_size=8).map(lambda value: _keep(value, codec).replace("\r", "").replace("\n", ""))
    if name == "service":
        return st.sampled_from(["phones", "mails"])
    if typing.get_origin(tp) is typing.Literal:
        return st.sampled_from(typing.get_args(tp))
    if tp is str:
        return text
    if tp == (str | None):
        return st.none() | text
    if tp == Count:
        return ids()
    return st.none() | ids()


@st.composite
def requests(draw: st.DrawFn) -> Request:
    charset = draw(st.sampled_from(CHARSETS))
    codec = CODEC[charset]
    kind = draw(st.sampled_from(list(COMMANDS.values())))
    hints = typing.get_type_hints(kind, include_extras=True)
    values = {
        field.name: draw(_field_strategy(kind, field.name, hints[field.name], codec))
        for field in msgspec.structs.fields(kind)
    }
    text = free_text(max_size=8).map(lambda value: _keep(value, codec))
    login, psw, apikey = draw(st.tuples(*(st.none() | text for _ in range(3))))
    fmt = draw(st.sampled_from([None, 0, 1, 2, 3]))
    return Request(command=kind(**values), login=login, psw=psw, apikey=apikey, fmt=fmt, charset=charset)


@given(requests())
def test_round_trip_query_and_form(request):
    query = write_query(request)
    assert query.isascii()
    assert read_request(query, service=request.command.service) == request
    assert read_request(b"", body=query.encode(), service=request.command.service) == request


@given(requests())
def test_stdlib_parser_reads_what_was_written(request):
    """An independent reader (urllib.parse) gets every parameter back in the request's charset."""
    query = write_query(request)
    pairs = parse_qsl(query, keep_blank_values=True, encoding=CODEC[request.charset], errors="strict")
    read = dict(pairs)
    assert len(read) == len(pairs)
    command = request.command
    for name in ("login", "psw", "apikey", "charset"):
        assert read.get(name) == getattr(request, name)
    assert read.get("fmt") == (None if request.fmt is None else str(request.fmt))
    mail_names = {"phone": "mail", "new_phone": "new_mail", "pho": "mail_other"}
    for field in msgspec.structs.fields(command):
        if field.name in ("service", "move_group"):
            continue
        wire = mail_names.get(field.name, field.name) if command.service == "mails" else field.name
        value = getattr(command, field.name)
        assert read.get(wire) == (None if value is None else str(value))


@given(st.binary(max_size=80) | st.text(alphabet="=&%+getadd_groupchgnm13CF", max_size=40))
def test_any_bytes_read_or_refuse_with_a_request_error(data):
    error = None
    try:
        request = read_request(data)
    except RequestError as caught:
        error = caught
    if error is None:  # what was read writes back to a query that reads the same
        assert read_request(write_query(request)) == request
    else:
        text = data.decode("latin-1") if isinstance(data, bytes) else data
        assert 0 <= error.pos <= len(text)
        # the parameter named is one the request has, or a required one it lacks
        named = error.parameter is None or error.parameter in unquote_plus(text, "latin-1")
        assert named or "needs parameter" in error.reason


def test_change_group_and_delete_group_grp_is_an_int():
    assert read_request("chg_group=1&grp=5924&name=x").command == ChangeGroup(grp=5924, name="x")
    assert read_request("del_group=1&grp=0").command == DeleteGroup(grp=0)
    assert read_request("add_black=1&phone=%2B7&cmt=c").command == AddBlacklist(phone="+7", cmt="c")
