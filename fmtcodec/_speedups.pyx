# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""The optional compiled core: fmt 0, 1 and 2 list replies read in C (``fmt0_records``,
``fmt1_records``, ``xml_records``), fmt 0, 1 and 3 lists written (``write_rows``), and a
single-byte charset's payload turned into UTF-8 bytes for msgspec (``transcode_to_utf8``).

It knows no record kind.  The caller passes the layout table's facts for one kind (see
``fmtcodec._core.plan``): each field's type code, and for fmt 1 each field's token class; the
record type; and for fmt 0 the ``key = `` markers.  Every function returns the list of records, or
``None`` as soon as anything is not plainly right (a carriage return, a value that does not look
like its field, an integer of many digits, a non-ASCII e-mail address...): the pure-Python code
then reads the reply and is the one that says what is wrong, so results and errors never differ.

A fmt 1 reply in UTF-8 is read from its bytes (each value's str made from its own bytes, bytes that
are not valid UTF-8 declined), and a short value met before is the str made then (``_Texts``).
"""

from cpython.mem cimport PyMem_Free, PyMem_Malloc, PyMem_Realloc
from cpython.ref cimport Py_INCREF, Py_XDECREF
from cpython.bytes cimport _PyBytes_Resize
from cpython.tuple cimport PyTuple_New, PyTuple_SET_ITEM
from cpython.unicode cimport PyUnicode_Substring

from libc.string cimport memchr, memcmp, memset
from cpython.mem cimport PyMem_Calloc
from cpython.object cimport PyObject

cdef extern from "Python.h":
    object PyObject_Call(object callable, object args, void* kwargs)
    object PyObject_Vectorcall(object callable, PyObject** args, size_t nargsf, PyObject* kwnames)
    PyObject* PyUnicode_DecodeUTF8(const char* data, Py_ssize_t size, const char* errors)
    void PyErr_Clear()
    Py_ssize_t PyBytes_GET_SIZE(object data)
    int PyUnicode_KIND(object text)
    void* PyUnicode_DATA(object text)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t index) nogil
    Py_ssize_t PyUnicode_FindChar(object text, Py_UCS4 ch, Py_ssize_t start, Py_ssize_t end,
                                  int direction) except -2
    Py_ssize_t PyUnicode_Find(object text, object sub, Py_ssize_t start, Py_ssize_t end,
                              int direction) except -2

# Field type codes (fmtcodec._core.TYPE_CODES) and fmt 1 token classes (fmtcodec._core.TOKEN_CODES).
cdef enum:
    T_STR = 0
    T_INT = 1
    T_OPTIONAL_INT = 2
    T_BLACKLIST_TYPE = 3

cdef enum:
    K_TEXT = 0
    K_PHONE = 1
    K_EMAIL = 2
    K_NUMBER = 3
    K_DATE = 4

cdef enum:
    MAX_DIGITS = 18  # read here; longer integers are left to Python's rules
    MAX_FIELDS = 64

cdef object DECLINE = object()


cdef inline bint _is_digit(Py_UCS4 ch):
    return 48 <= ch <= 57


cdef inline Py_UCS4 _at(str text, Py_ssize_t index):
    return PyUnicode_READ(PyUnicode_KIND(text), PyUnicode_DATA(text), index)


# The token classes are judged on characters read by (kind, data): a str's own, or with kind 1
# the UTF-8 bytes of a reply read without decoding it (fmt1_records).  Every class but free text
# is ASCII, so a byte of a multi-byte sequence (>= 0x80) judges as any non-ASCII character does.

cdef bint _phone_token(int kind, const void* data, Py_ssize_t a, Py_ssize_t b):
    # [ \t+\-();]*[0-9][0-9 \t+\-();]*  (values.py _TOKEN["phone"])
    cdef bint digit = False
    cdef Py_UCS4 ch
    cdef Py_ssize_t i
    for i in range(a, b):
        ch = PyUnicode_READ(kind, data, i)
        if _is_digit(ch):
            digit = True
        elif not (ch == 32 or ch == 9 or ch == 43 or ch == 45 or ch == 40 or ch == 41 or ch == 59):
            return False
    return digit


cdef int _email_token(int kind, const void* data, Py_ssize_t a, Py_ssize_t b):
    # [ \t]*[^\s@,;]+@[^\s@,;]+[ \t]*  (values.py _TOKEN["email"]): 1 yes, 0 no, -1 a character
    # whose Unicode class (is it \s?) is Python's to judge
    cdef Py_UCS4 ch
    cdef Py_ssize_t i, at = -1
    while a < b and (PyUnicode_READ(kind, data, a) == 32 or PyUnicode_READ(kind, data, a) == 9):
        a += 1
    while b > a and (PyUnicode_READ(kind, data, b - 1) == 32 or PyUnicode_READ(kind, data, b - 1) == 9):
        b -= 1
    for i in range(a, b):
        ch = PyUnicode_READ(kind, data, i)
        if ch == 32 or 9 <= ch <= 13 or 28 <= ch <= 31 or ch == 44 or ch == 59:
            return 0  # \s, comma or semicolon inside
        if ch < 32 or ch >= 127:
            return -1
        if ch == 64:
            if at >= 0:
                return 0
            at = i
    return 1 if a < at < b - 1 else 0


cdef bint _date_token(int kind, const void* data, Py_ssize_t a, Py_ssize_t b):
    # [0-9]{2}\.[0-9]{2}\.[0-9]{4}
    cdef Py_ssize_t i
    if b - a != 10:
        return False
    for i in range(10):
        if i == 2 or i == 5:
            if PyUnicode_READ(kind, data, a + i) != 46:
                return False
        elif not _is_digit(PyUnicode_READ(kind, data, a + i)):
            return False
    return True


cdef int _token_is(int kind, const void* data, Py_ssize_t a, Py_ssize_t b, int token):
    """1 when the non-empty characters [a, b) are one token of class ``token``, 0 when not, -1
    unknown."""
    cdef Py_ssize_t i
    if token == K_TEXT:
        return 1
    if token == K_PHONE:
        return _phone_token(kind, data, a, b)
    if token == K_NUMBER:
        for i in range(a, b):
            if not _is_digit(PyUnicode_READ(kind, data, i)):
                return 0
        return 1
    if token == K_DATE:
        return _date_token(kind, data, a, b)
    if token == K_EMAIL:
        return _email_token(kind, data, a, b)
    return -1


cdef bint _fits_at(int kind, const void* data, Py_ssize_t a, Py_ssize_t b, int token, bint empty):
    """The value [a, b) is one token of class ``token`` (or empty where allowed); False also
    when unsure, which declines the reply."""
    if a == b:
        return empty or token == K_TEXT
    return _token_is(kind, data, a, b, token) == 1


cdef inline bint _fits(str text, Py_ssize_t a, Py_ssize_t b, int token, bint empty):
    """``_fits_at`` on text[a:b]."""
    return _fits_at(PyUnicode_KIND(text), PyUnicode_DATA(text), a, b, token, empty)


cdef object _utf8_piece(const unsigned char* s, Py_ssize_t n):
    """The str of the UTF-8 bytes s[0:n]; NULL-free: None when they are not valid UTF-8 (an
    error of Python's decoder is cleared: the pure path decodes the reply and says so).  ASCII
    and two-byte sequences (Cyrillic) are read here, anything else by Python's decoder."""
    cdef Py_ssize_t i = 0, chars = 0
    cdef unsigned int ch, widest = 0
    cdef object out
    cdef PyObject* made
    cdef void* data
    cdef int kind
    while i < n:
        ch = s[i]
        if ch >= 0x80:
            if 0xC2 <= ch <= 0xDF and i + 1 < n and (s[i + 1] & 0xC0) == 0x80:
                ch = ((ch & 0x1F) << 6) | (s[i + 1] & 0x3F)
                if ch > widest:
                    widest = ch
                i += 2
                chars += 1
                continue
            made = PyUnicode_DecodeUTF8(<const char*>s, n, "strict")
            if made is NULL:
                PyErr_Clear()
                return None
            out = <object>made
            Py_XDECREF(made)  # (the object reference above holds it)
            return out
        i += 1
        chars += 1
    if widest == 0:  # ASCII: copied whole
        out = PyUnicode_New(n, 127)
        memcpy(PyUnicode_DATA(out), s, n)
        return out
    out = PyUnicode_New(chars, widest)
    kind = PyUnicode_KIND(out)
    data = PyUnicode_DATA(out)
    i = 0
    chars = 0
    while i < n:
        ch = s[i]
        if ch >= 0x80:
            ch = ((ch & 0x1F) << 6) | (s[i + 1] & 0x3F)
            i += 2
        else:
            i += 1
        PyUnicode_WRITE(kind, data, chars, ch)
        chars += 1
    return out


cdef object _piece(object payload, bint utf8, Py_ssize_t a, Py_ssize_t b):
    """The text of payload[a:b]: a substring of a str, or decoded from UTF-8 bytes (None when
    they are not valid UTF-8)."""
    if utf8:
        return _utf8_piece(<const unsigned char*>PyBytes_AS_STRING(payload) + a, b - a)
    return PyUnicode_Substring(payload, a, b)


cdef enum:
    TEXTS_SIZE = 2048  # entries of a _Texts table (a power of two)
    TEXTS_LONGEST = 32  # bytes of the longest value looked up there
    TEXTS_TRIAL = 512  # values of a field looked up before judging whether it repeats


cdef inline bint _same(const unsigned char* a, const unsigned char* b, Py_ssize_t size):
    """a[:size] == b[:size], for the few bytes of a value (a word at a time, no call)."""
    cdef unsigned long long x, y
    while size >= 8:
        memcpy(&x, a, 8)
        memcpy(&y, b, 8)
        if x != y:
            return False
        a += 8
        b += 8
        size -= 8
    while size > 0:
        if a[0] != b[0]:
            return False
        a += 1
        b += 1
        size -= 1
    return True


cdef class _Texts:
    """The str made of each short value met while a reply is read, so that a value repeated down
    a column (a first name, a tag, a group id) is one str object, made once: an entry is the
    text and a copy of its bytes (compared there: the table stays in the processor's cache, where
    the payload's first occurrence would be a fetch from memory).  A field
    whose values rarely repeat (a phone, an id) stops being looked up after TEXTS_TRIAL of them.
    Which values share a str changes nothing but memory: a str is immutable."""
    cdef PyObject** texts  # owned references
    cdef unsigned char* keys  # TEXTS_LONGEST bytes an entry
    cdef Py_ssize_t* sizes
    cdef Py_ssize_t[MAX_FIELDS] tries
    cdef Py_ssize_t[MAX_FIELDS] hits

    def __cinit__(self):
        self.texts = <PyObject**>PyMem_Calloc(TEXTS_SIZE, sizeof(PyObject*))
        self.keys = <unsigned char*>PyMem_Calloc(TEXTS_SIZE, TEXTS_LONGEST)
        self.sizes = <Py_ssize_t*>PyMem_Calloc(TEXTS_SIZE, sizeof(Py_ssize_t))
        if self.texts is NULL or self.keys is NULL or self.sizes is NULL:
            raise MemoryError()
        memset(self.tries, 0, sizeof(self.tries))
        memset(self.hits, 0, sizeof(self.hits))

    def __dealloc__(self):
        cdef Py_ssize_t i
        if self.texts is not NULL:
            for i in range(TEXTS_SIZE):
                Py_XDECREF(self.texts[i])
        PyMem_Free(self.texts)
        PyMem_Free(self.keys)
        PyMem_Free(self.sizes)

    cdef object get(self, object payload, bint utf8, int chars, const void* data, Py_ssize_t a,
                    Py_ssize_t b, Py_ssize_t field):
        """``_piece(payload, utf8, a, b)``, the same str as before where these characters were
        met before (field: the index in MAX_FIELDS whose repeats are counted)."""
        cdef Py_ssize_t size = (b - a) * chars, slot
        cdef const unsigned char* at = <const unsigned char*>data + a * chars
        cdef unsigned long long first = 0, last = 0
        cdef Py_ssize_t i
        cdef object text
        if size == 0 or size > TEXTS_LONGEST or not 0 <= field < MAX_FIELDS:
            return _piece(payload, utf8, a, b)
        if self.tries[field] >= TEXTS_TRIAL and self.hits[field] * 8 < self.tries[field]:
            return _piece(payload, utf8, a, b)  # the field's values rarely repeat
        if self.tries[field] < TEXTS_TRIAL:
            self.tries[field] += 1
        if size >= 8:  # (fixed-size copies: unaligned loads, no call)
            memcpy(&first, at, 8)
            memcpy(&last, at + size - 8, 8)
        else:
            for i in range(size):
                first = (first << 8) | at[i]
        slot = <Py_ssize_t>(((first * 0x9E3779B97F4A7C15ULL) ^ (last * 0xC2B2AE3D27D4EB4FULL) ^ <unsigned long long>size)
                            >> 40) & (TEXTS_SIZE - 1)
        if (self.texts[slot] is not NULL and self.sizes[slot] == size
                and _same(self.keys + slot * TEXTS_LONGEST, at, size)):
            if self.tries[field] < TEXTS_TRIAL:
                self.hits[field] += 1
            return <object>self.texts[slot]
        text = _piece(payload, utf8, a, b)
        if text is None:
            return None
        Py_XDECREF(self.texts[slot])
        Py_INCREF(text)
        self.texts[slot] = <PyObject*>text
        memcpy(self.keys + slot * TEXTS_LONGEST, at, size)
        self.sizes[slot] = size
        return text


cdef object _value(object payload, bint utf8, Py_ssize_t a, Py_ssize_t b, int kind, tuple members,
                   _Texts texts=None, Py_ssize_t field=0):
    """The typed value of payload[a:b] (layout.FieldLayout.parse), or DECLINE; ``payload`` is a
    str, or UTF-8 bytes when ``utf8``; a text is looked up in ``texts`` when given."""
    cdef long long number = 0
    cdef Py_ssize_t i
    cdef Py_UCS4 ch
    cdef int chars = 1 if utf8 else PyUnicode_KIND(payload)
    cdef const void* data = <const void*>PyBytes_AS_STRING(payload) if utf8 else PyUnicode_DATA(payload)
    cdef object text
    if kind == T_STR:
        text = _piece(payload, utf8, a, b) if texts is None else texts.get(payload, utf8, chars, data, a, b, field)
        return DECLINE if text is None else text
    if a == b:
        return None if kind == T_OPTIONAL_INT else DECLINE
    if b - a > MAX_DIGITS or (PyUnicode_READ(chars, data, a) == 48 and b - a > 1):
        return DECLINE  # a leading zero is refused, many digits are Python's to read
    for i in range(a, b):
        ch = PyUnicode_READ(chars, data, i)
        if not _is_digit(ch):
            return DECLINE
        number = number * 10 + (<int>ch - 48)
    if kind == T_BLACKLIST_TYPE:
        return members[number] if number < len(members) else DECLINE
    return number


cdef enum:
    MAX_TOKENS = 10000  # values.MAX_PIECES: a longer row is left to Python, which refuses it


cdef class _Tokens:
    """Where each comma-separated piece of a row starts and ends (grown as rows need)."""
    cdef Py_ssize_t* starts
    cdef Py_ssize_t* ends
    cdef Py_ssize_t size

    def __cinit__(self):
        self.size = 64
        self.starts = <Py_ssize_t*>PyMem_Malloc(self.size * sizeof(Py_ssize_t))
        self.ends = <Py_ssize_t*>PyMem_Malloc(self.size * sizeof(Py_ssize_t))
        if self.starts is NULL or self.ends is NULL:
            raise MemoryError()

    cdef int grow(self) except -1:
        cdef Py_ssize_t* starts = <Py_ssize_t*>PyMem_Realloc(self.starts, 2 * self.size * sizeof(Py_ssize_t))
        if starts is NULL:
            raise MemoryError()
        self.starts = starts
        cdef Py_ssize_t* ends = <Py_ssize_t*>PyMem_Realloc(self.ends, 2 * self.size * sizeof(Py_ssize_t))
        if ends is NULL:
            raise MemoryError()
        self.ends = ends
        self.size *= 2
        return 0

    def __dealloc__(self):
        PyMem_Free(self.starts)
        PyMem_Free(self.ends)


cdef class ReplyMemo:
    """What ``fmt1_records`` keeps between the batches of one reply read in batches (a stream):
    where each row shape's fields start, and the table of texts met.  The shapes are dropped once
    they hold more than ``most_tokens`` token kinds, so that it stays small however long the
    stream."""
    cdef dict placements
    cdef _Texts texts
    cdef Py_ssize_t tokens
    cdef Py_ssize_t most

    def __cinit__(self, Py_ssize_t most_tokens):
        self.placements = {}
        self.texts = _Texts()
        self.tokens = 0
        self.most = most_tokens

    @property
    def shape_tokens(self):
        """How many token kinds the row shapes kept hold (at most ``most_tokens``)."""
        return self.tokens


def fmt1_records(object payload, tuple types, tuple tokens, tuple empties, object record,
                 tuple members, tuple bit_classes, object empty_bit, object odd_starts,
                 object long_row, Py_ssize_t free_field=-1, object memo=None):
    """Records of a fmt 1 list (no CR): ``payload`` is its str, or its UTF-8 bytes, read here
    without making a str of the whole reply (only each value's own; bytes that are not valid
    UTF-8 decline).  A row with one comma fewer than fields is cut at its
    commas.  When ``free_field`` is a field index (a kind whose only many-token field is that
    free-text field: groups, blacklists), a row of more tokens has one placement, cut here: every
    other field takes one token, the free field the rest.  Any other row is cut into tokens, each
    token's kind computed (bit c: a token of class bit_classes[c], ``empty_bit`` for an empty
    token, as values._Splitter.kind does), and ``odd_starts(tokens, shape)`` -- the splitter --
    says where each field starts, once per shape.  A row of more than MAX_TOKENS pieces is read by
    ``long_row(line)`` (a record, or None).  ``memo``: a ReplyMemo kept from the reply's
    batches before this one."""
    cdef bint utf8 = type(payload) is bytes
    cdef Py_ssize_t n, width = len(types), pos = 0, end, start, comma, f, t, ntok
    cdef Py_ssize_t nbits = len(bit_classes), bits, first, last
    cdef Py_ssize_t[MAX_FIELDS] starts
    cdef Py_ssize_t[MAX_FIELDS] ends
    cdef _Tokens pieces = _Tokens()
    cdef _Texts texts
    cdef ReplyMemo kept = None
    cdef Py_ssize_t* tok_start
    cdef Py_ssize_t* tok_end
    cdef int[MAX_FIELDS] kinds
    cdef int[MAX_FIELDS] classes
    cdef bint[MAX_FIELDS] may_be_empty
    cdef int[32] bit_class
    cdef int known, chars
    cdef const void* data
    cdef const char* raw = NULL
    cdef list out = []
    cdef list token_texts
    cdef tuple args
    cdef dict placements
    cdef object value, shape, placed
    if not utf8 and type(payload) is not str:
        return None
    if memo is None:
        placements = {}
        texts = _Texts()
    elif type(memo) is ReplyMemo:
        kept = <ReplyMemo>memo
        placements = kept.placements
        texts = kept.texts
    else:
        return None
    if width > MAX_FIELDS or width < 1 or len(tokens) != width or len(empties) != width or nbits > 30:
        return None
    if not -1 <= free_field < width:
        return None
    for f in range(width):
        kinds[f] = types[f]
        classes[f] = tokens[f]
        may_be_empty[f] = empties[f]
    for f in range(nbits):
        bit_class[f] = bit_classes[f]
    if utf8:
        raw = PyBytes_AS_STRING(payload)
        n = PyBytes_GET_SIZE(payload)
        chars = 1
        data = <const void*>raw
    else:
        n = len(<str>payload)
        chars = PyUnicode_KIND(payload)
        data = PyUnicode_DATA(payload)
    while pos < n:
        end = _find(payload, raw, 10, pos, n)
        if end < 0:
            end = n
        if end == pos:  # a blank line: the general path skips it too
            pos += 1
            continue
        start = pos
        ntok = 0
        while True:
            if ntok == MAX_TOKENS:
                break
            if ntok == pieces.size:
                pieces.grow()
            tok_start = pieces.starts
            tok_end = pieces.ends
            if raw is NULL:
                comma = PyUnicode_FindChar(payload, 44, start, end, 1)
            else:
                comma = start
                while comma < end and raw[comma] != 44:
                    comma += 1
                if comma == end:
                    comma = -1
            tok_start[ntok] = start
            tok_end[ntok] = end if comma < 0 else comma
            ntok += 1
            if comma < 0:
                break
            start = comma + 1
        if ntok == MAX_TOKENS:  # more pieces than a row may have: Python's splitter says so
            value = _piece(payload, utf8, pos, end)
            if value is None:
                return None
            value = long_row(value)
            if value is None:
                return None
            out.append(value)
            pos = end + 1
            continue
        if ntok == width or (free_field >= 0 and ntok > width):
            # one token a field, the free field taking the ntok - width tokens more (if any)
            for f in range(width):
                t = f if f <= free_field or free_field < 0 else f + ntok - width
                starts[f] = tok_start[t]
                ends[f] = tok_end[t + ntok - width if f == free_field else t]
                if not _fits_at(chars, data, starts[f], ends[f], classes[f], may_be_empty[f]):
                    return None
        else:
            shape = PyTuple_New(ntok)
            for t in range(ntok):
                if tok_start[t] == tok_end[t]:
                    value = empty_bit
                else:
                    bits = 0
                    for f in range(nbits):
                        known = _token_is(chars, data, tok_start[t], tok_end[t], bit_class[f])
                        if known < 0:
                            return None
                        if known:
                            bits |= 1 << f
                    value = bits
                Py_INCREF(value)
                PyTuple_SET_ITEM(shape, t, value)
            placed = placements.get(shape, placements)
            if placed is placements:
                token_texts = []
                for t in range(ntok):
                    value = _piece(payload, utf8, tok_start[t], tok_end[t])
                    if value is None:
                        return None
                    token_texts.append(value)
                placed = odd_starts(token_texts, shape)
                if placed is not None:  # a tuple: what reading its items runs cannot change it
                    placed = tuple(placed)
                if kept is None:
                    placements[shape] = placed
                elif ntok <= kept.most:  # kept within the bound: the others dropped to make room
                    if kept.tokens + ntok > kept.most:
                        placements.clear()
                        kept.tokens = 0
                    placements[shape] = placed
                    kept.tokens += ntok
            if placed is None or len(placed) != width:
                return None
            for f in range(width):
                first = placed[f]
                last = (placed[f + 1] if f + 1 < width else ntok) - 1
                if not 0 <= first <= last < ntok or (f == 0 and first != 0):
                    return None  # (every token in a field: each byte read, and so checked)
                starts[f] = tok_start[first]
                ends[f] = tok_end[last]
        value = _record(record, payload, utf8, width, starts, ends, kinds, members, texts)
        if value is None:
            return None
        out.append(value)
        pos = end + 1
    return out


cdef inline Py_ssize_t _find(object payload, const char* raw, Py_UCS4 ch, Py_ssize_t start, Py_ssize_t end) except -2:
    """Where ``ch`` first is in payload[start:end] (UTF-8 bytes at ``raw``, else a str), or -1."""
    cdef const char* found
    if raw is NULL:
        return PyUnicode_FindChar(payload, ch, start, end, 1)
    found = <const char*>memchr(raw + start, <int>ch, end - start)
    return -1 if found is NULL else found - raw


cdef object _record(object record, object payload, bint utf8, Py_ssize_t width, Py_ssize_t* starts,
                    Py_ssize_t* ends, int* kinds, tuple members, _Texts texts):
    """``record(*values)`` of the fields at payload[starts[f]:ends[f]], or None (DECLINE)."""
    cdef PyObject* held[MAX_FIELDS]
    cdef Py_ssize_t f, made = 0
    cdef object value, result = None
    try:
        for f in range(width):
            value = _value(payload, utf8, starts[f], ends[f], kinds[f], members, texts, f)
            if value is DECLINE:
                return None
            Py_INCREF(value)
            held[f] = <PyObject*>value
            made += 1
        result = PyObject_Vectorcall(record, held, width, NULL)
    finally:
        for f in range(made):
            Py_XDECREF(held[f])
    return result


def fmt0_records(str text, str head, tuple markers, tuple types, object record, tuple members):
    """Records of a fmt 0 list (no CR, no final line break): each row is ``head`` then the values
    cut at the leftmost of each marker in turn, as text.py's general path cuts them."""
    cdef Py_ssize_t n = len(text), width = len(types), pos = 0, end, start, found, f
    cdef Py_ssize_t head_size = len(head)
    cdef list out = []
    cdef tuple args
    cdef object value
    cdef str marker
    cdef int[MAX_FIELDS] kinds
    if len(markers) != width - 1 or width > MAX_FIELDS or width < 1:
        return None
    for f in range(width):
        kinds[f] = types[f]
    while pos < n:
        end = PyUnicode_FindChar(text, 10, pos, n, 1)
        if end < 0:
            end = n
        if end == pos:
            pos += 1
            continue
        if end - pos < head_size or PyUnicode_Find(text, head, pos, pos + head_size, 1) != pos:
            return None
        start = pos + head_size
        args = PyTuple_New(width)
        for f in range(width):
            if f < width - 1:
                marker = markers[f]
                found = PyUnicode_Find(text, marker, start, end, 1)
                if found < 0:
                    return None  # (or the trimmed last marker): the general path decides
            else:
                found = end
            value = _value(text, False, start, found, kinds[f], members)
            if value is DECLINE:
                return None
            Py_INCREF(value)
            PyTuple_SET_ITEM(args, f, value)
            if f < width - 1:
                start = found + len(marker)
        out.append(PyObject_Call(record, args, NULL))
        pos = end + 1
    return out


cdef inline bint _plain_line_value(object value, Py_ssize_t* size):
    """``value`` is exactly a str holding no line break (the general path judges anything else)."""
    if type(value) is not str:
        return False
    size[0] = len(<str>value)
    return (PyUnicode_FindChar(value, 10, 0, size[0], 1) < 0
            and PyUnicode_FindChar(value, 13, 0, size[0], 1) < 0)


def fmt0_lines(list records, tuple names, tuple separators):
    """The fmt 0 text of text-only records: ``separators[f]`` before field ``f`` (the head, then
    the ", key = " markers), rows joined by line breaks; None when a value is not a plain str or
    holds a line break or the marker of the field after it."""
    # the rows as they are now: a record's attribute access may change the list (bounds checks
    # are off, so the loop must index what cannot change under it)
    cdef tuple rows = tuple(records)
    cdef Py_ssize_t width = len(names), f, size = 0, count = len(rows), row
    cdef list parts = []
    cdef object record, value
    if count == 0 or len(separators) != width:
        return None
    for row in range(count):
        record = rows[row]
        if row:
            parts.append("\n")
        for f in range(width):
            value = getattr(record, <str>names[f])
            if not _plain_line_value(value, &size):
                return None
            if f + 1 < width and PyUnicode_Find(value, separators[f + 1], 0, size, 1) >= 0:
                return None
            parts.append(separators[f])
            parts.append(value)
    return "".join(parts)


def fmt1_lines(list records, tuple names, tuple tokens, tuple empties):
    """The fmt 1 text of text-only records whose values hold no comma and each look like their
    field (so every row splits back one value per field); None otherwise."""
    cdef tuple rows = tuple(records)  # fixed while attribute access runs (see fmt0_lines)
    cdef Py_ssize_t width = len(names), f, size = 0, count = len(rows), row
    cdef list parts = []
    cdef object record, value
    if count == 0 or len(tokens) != width or len(empties) != width:
        return None
    for row in range(count):
        record = rows[row]
        for f in range(width):
            value = getattr(record, <str>names[f])
            if not _plain_line_value(value, &size) or PyUnicode_FindChar(value, 44, 0, size, 1) >= 0:
                return None
            if not _fits(<str>value, 0, size, tokens[f], empties[f]):
                return None
            parts.append(value)
            parts.append("," if f + 1 < width else "\n")
    parts.pop()  # no line break after the last row
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# The writers: a list of records as one reply, written straight into one str.

from libc.string cimport memcpy
from cpython.long cimport PyLong_AsLongLongAndOverflow

from cpython.list cimport PyList_GET_ITEM
from cpython.object cimport PyObject, PyObject_GetAttr, PyTypeObject
from types import MemberDescriptorType

cdef extern from "Python.h":
    ctypedef unsigned short Py_UCS2
    bint PyUnicode_IS_ASCII(object text)
    object PyBytes_FromStringAndSize(const char* text, Py_ssize_t size)
    char* PyBytes_AS_STRING(object data)
    ctypedef struct PyMemberDef:
        int type
        Py_ssize_t offset
    ctypedef struct PyMemberDescrObject:
        PyMemberDef* d_member
    ctypedef struct PyDescrObject:
        PyTypeObject* d_type
    int PyType_IsSubtype(PyTypeObject* a, PyTypeObject* b)
    object PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar)
    Py_UCS4 PyUnicode_MAX_CHAR_VALUE(object text)
    void PyUnicode_WRITE(int kind, void* data, Py_ssize_t index, Py_UCS4 value) nogil

cdef enum:
    W_FMT0 = 0  # head / ", key = " markers before the values; a value holds no line break nor
                # the marker of the field after it
    W_FMT1 = 1  # values joined by commas; a value holds no line break nor comma, and fits its
                # token class (so the row splits back one value a field)
    W_FMT3 = 3  # one '"key": value' member a line, JSON strings escaped as msgspec escapes them,
                # an absent optional number left out

# cell states
cdef enum:
    C_TEXT = 0      # a str written as it is (fmt 0/1, or fmt 3 with nothing to escape)
    C_ESCAPED = 1   # a str with characters to escape (fmt 3)
    C_NUMBER = 2    # a non-negative integer, its digits
    C_ABSENT = 3    # None in an int? field: empty (fmt 0/1), left out (fmt 3)


cdef inline Py_ssize_t _escaped_extra(Py_UCS4 ch):
    """How many characters more than one msgspec writes for ``ch`` in a JSON string."""
    if ch == 34 or ch == 92:
        return 1
    if ch < 32:
        return 1 if (ch == 8 or ch == 9 or ch == 10 or ch == 12 or ch == 13) else 5
    return 0


cdef inline Py_ssize_t _digits(long long number):
    cdef Py_ssize_t count = 1
    while number >= 10:
        number //= 10
        count += 1
    return count


cdef inline Py_ssize_t _put_ascii(int kind, void* data, Py_ssize_t pos, const char* src, Py_ssize_t n) nogil:
    """ASCII ``src`` at ``pos`` of a str's data of ``kind`` (1, 2, 4), or of UTF-8 bytes (kind 0)."""
    cdef Py_ssize_t i
    if kind <= 1:
        memcpy(<char*>data + pos, src, n)
    elif kind == 2:
        for i in range(n):
            (<Py_UCS2*>data)[pos + i] = <unsigned char>src[i]
    else:
        for i in range(n):
            (<Py_UCS4*>data)[pos + i] = <unsigned char>src[i]
    return pos + n


cdef inline Py_ssize_t _utf8_size(unsigned int ch) nogil:
    return 1 if ch < 0x80 else 2 if ch < 0x800 else 3 if ch < 0x10000 else 4


cdef inline Py_ssize_t _put_char(int kind, void* data, Py_ssize_t pos, unsigned int ch) nogil:
    cdef unsigned char* out
    if kind:
        PyUnicode_WRITE(kind, data, pos, ch)
        return pos + 1
    out = <unsigned char*>data + pos
    if ch < 0x80:
        out[0] = <unsigned char>ch
        return pos + 1
    if ch < 0x800:
        out[0] = <unsigned char>(0xC0 | (ch >> 6))
        out[1] = <unsigned char>(0x80 | (ch & 0x3F))
        return pos + 2
    if ch < 0x10000:
        out[0] = <unsigned char>(0xE0 | (ch >> 12))
        out[1] = <unsigned char>(0x80 | ((ch >> 6) & 0x3F))
        out[2] = <unsigned char>(0x80 | (ch & 0x3F))
        return pos + 3
    out[0] = <unsigned char>(0xF0 | (ch >> 18))
    out[1] = <unsigned char>(0x80 | ((ch >> 12) & 0x3F))
    out[2] = <unsigned char>(0x80 | ((ch >> 6) & 0x3F))
    out[3] = <unsigned char>(0x80 | (ch & 0x3F))
    return pos + 4


cdef inline Py_ssize_t _put_text(int kind, void* data, Py_ssize_t pos, str text, Py_ssize_t n):
    cdef int from_kind = PyUnicode_KIND(text)
    cdef void* src = PyUnicode_DATA(text)
    cdef Py_ssize_t i
    if from_kind == kind or (kind == 0 and PyUnicode_IS_ASCII(text)):
        memcpy(<char*>data + pos * (kind or 1), src, n * from_kind)
        return pos + n
    if from_kind == 1 and kind == 2:
        for i in range(n):
            (<Py_UCS2*>data)[pos + i] = (<unsigned char*>src)[i]
        return pos + n
    cdef unsigned char* out = <unsigned char*>data
    cdef unsigned int ch
    if kind == 0 and from_kind == 2:  # (Cyrillic texts: two bytes a letter)
        for i in range(n):
            ch = (<Py_UCS2*>src)[i]
            if ch < 0x80:
                out[pos] = <unsigned char>ch
                pos += 1
            elif ch < 0x800:
                out[pos] = <unsigned char>(0xC0 | (ch >> 6))
                out[pos + 1] = <unsigned char>(0x80 | (ch & 0x3F))
                pos += 2
            else:
                pos = _put_char(0, data, pos, ch)
        return pos
    for i in range(n):
        pos = _put_char(kind, data, pos, PyUnicode_READ(from_kind, src, i))
    return pos


cdef Py_ssize_t _put_escaped(int kind, void* data, Py_ssize_t pos, str text, Py_ssize_t n):
    """``text`` as msgspec escapes a JSON string's contents."""
    cdef int from_kind = PyUnicode_KIND(text)
    cdef void* src = PyUnicode_DATA(text)
    cdef Py_ssize_t i
    cdef unsigned int ch
    cdef const char* hexdigits = b"0123456789abcdef"
    cdef const char* short_forms = b"btn?fr"  # \b \t \n - \f \r
    for i in range(n):
        ch = PyUnicode_READ(from_kind, src, i)
        if ch == 34 or ch == 92:
            pos = _put_char(kind, data, pos, 92)
            pos = _put_char(kind, data, pos, ch)
        elif ch < 32:
            pos = _put_char(kind, data, pos, 92)
            if ch == 8 or ch == 9 or ch == 10 or ch == 12 or ch == 13:
                pos = _put_char(kind, data, pos, short_forms[ch - 8])
            else:
                pos = _put_ascii(kind, data, pos, b"u00", 3)
                pos = _put_char(kind, data, pos, hexdigits[ch >> 4])
                pos = _put_char(kind, data, pos, hexdigits[ch & 15])
        else:
            pos = _put_char(kind, data, pos, ch)
    return pos


cdef enum:
    S_LINE_BREAK = 1
    S_COMMA = 2
    S_SURROGATE = 4


cdef int _scan(str text, Py_ssize_t n, Py_ssize_t* escapes, Py_ssize_t* utf8_size):
    """One pass over a text: what a JSON string adds to escape it, its size in UTF-8, and
    whether it holds a line break (LF, CR), a comma, a lone surrogate (S_ flags)."""
    cdef int kind = PyUnicode_KIND(text), found = 0
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t i, extra = 0, size = n
    cdef unsigned int ch
    if kind == 1:
        for i in range(n):
            ch = (<unsigned char*>data)[i]
            if ch < 93:
                if ch < 45:
                    extra += _escaped_extra(ch)
                    if ch == 10 or ch == 13:
                        found |= S_LINE_BREAK
                    elif ch == 44:
                        found |= S_COMMA
                elif ch == 92:
                    extra += 1
            elif ch >= 0x80:
                size += 1
    else:
        for i in range(n):
            ch = PyUnicode_READ(kind, data, i)
            if ch < 93:
                if ch < 45:
                    extra += _escaped_extra(ch)
                    if ch == 10 or ch == 13:
                        found |= S_LINE_BREAK
                    elif ch == 44:
                        found |= S_COMMA
                elif ch == 92:
                    extra += 1
            elif ch >= 0x80:
                size += _utf8_size(ch) - 1
                if 0xD800 <= ch <= 0xDFFF:
                    found |= S_SURROGATE
    escapes[0] = extra
    utf8_size[0] = size
    return found


cdef inline Py_ssize_t _utf8_char(unsigned char* out, Py_ssize_t pos, unsigned int ch, bint escape,
                                   int* found) nogil:
    """One character of ``_utf8_text``."""
    if ch < 0x80:
        if ch < 45 or ch == 92:
            if ch == 10 or ch == 13:
                found[0] |= S_LINE_BREAK
            elif ch == 44:
                found[0] |= S_COMMA
            if escape and (ch < 32 or ch == 34 or ch == 92):
                out[pos] = 92
                if ch == 34 or ch == 92:
                    out[pos + 1] = <unsigned char>ch
                    return pos + 2
                if ch == 8 or ch == 9 or ch == 10 or ch == 12 or ch == 13:
                    out[pos + 1] = <unsigned char>(b"btn?fr"[ch - 8])  # \b \t \n - \f \r
                    return pos + 2
                out[pos + 1] = 117  # \u00XX
                out[pos + 2] = 48
                out[pos + 3] = 48
                out[pos + 4] = <unsigned char>(b"0123456789abcdef"[ch >> 4])
                out[pos + 5] = <unsigned char>(b"0123456789abcdef"[ch & 15])
                return pos + 6
        out[pos] = <unsigned char>ch
        return pos + 1
    if 0xD800 <= ch <= 0xDFFF:
        found[0] |= S_SURROGATE
    return _put_char(0, out, pos, ch)


cdef Py_ssize_t _utf8_text(char* data, Py_ssize_t pos, str text, Py_ssize_t n, bint escape, int* flags):
    """``text`` in UTF-8 at ``pos`` (JSON-escaped as msgspec escapes when ``escape``), in the one
    pass that also finds what ``_scan`` finds (``flags``); room for 6 bytes a character must be
    there.  The new position."""
    cdef int kind = PyUnicode_KIND(text)
    cdef void* src = PyUnicode_DATA(text)
    cdef unsigned char* out = <unsigned char*>data
    cdef Py_ssize_t i, escapes, size
    flags[0] = 0
    if PyUnicode_IS_ASCII(text):  # most values: scanned, then copied whole when nothing to escape
        flags[0] = _scan(text, n, &escapes, &size)
        if not (escape and escapes):
            memcpy(out + pos, src, n)
            return pos + n
        flags[0] = 0
    if kind == 1:
        for i in range(n):
            pos = _utf8_char(out, pos, (<unsigned char*>src)[i], escape, flags)
    elif kind == 2:
        for i in range(n):
            pos = _utf8_char(out, pos, (<Py_UCS2*>src)[i], escape, flags)
    else:
        for i in range(n):
            pos = _utf8_char(out, pos, (<Py_UCS4*>src)[i], escape, flags)
    return pos


cdef class _Cells:
    """One entry a field of every record: its state, number and written size (the values
    themselves are held by the caller's list)."""
    cdef unsigned char* states
    cdef long long* numbers
    cdef Py_ssize_t* sizes

    def __cinit__(self, Py_ssize_t count):
        self.states = <unsigned char*>PyMem_Malloc(count * sizeof(unsigned char) + 1)
        self.numbers = <long long*>PyMem_Malloc(count * sizeof(long long) + 1)
        self.sizes = <Py_ssize_t*>PyMem_Malloc(count * sizeof(Py_ssize_t) + 1)
        if self.states is NULL or self.numbers is NULL or self.sizes is NULL:
            raise MemoryError()

    def __dealloc__(self):
        PyMem_Free(self.states)
        PyMem_Free(self.numbers)
        PyMem_Free(self.sizes)


cdef inline bint _integer_text(str text, Py_ssize_t n):
    """``text`` is layout.INTEGER: 0 or ASCII digits without a leading zero."""
    cdef Py_ssize_t i
    if n == 0 or (n > 1 and _at(text, 0) == 48):
        return False
    for i in range(n):
        if not _is_digit(_at(text, i)):
            return False
    return True


cdef class _Buffer:
    """UTF-8 bytes written in one pass into a bytes object, grown as they come (it is the
    reply: no copy at the end)."""
    cdef PyObject* raw  # owned; refcount 1 while it grows
    cdef char* data
    cdef Py_ssize_t capacity

    def __cinit__(self, Py_ssize_t capacity):
        self.capacity = capacity if capacity > 64 else 64
        first = PyBytes_FromStringAndSize(NULL, self.capacity)
        Py_INCREF(first)
        self.raw = <PyObject*>first
        self.data = PyBytes_AS_STRING(first)

    cdef int reserve(self, Py_ssize_t needed) except -1:
        cdef Py_ssize_t capacity = self.capacity
        if needed <= capacity:
            return 0
        while capacity < needed:
            capacity *= 2
        _PyBytes_Resize(&self.raw, capacity)  # (on failure raw is NULL and MemoryError raised)
        self.data = PyBytes_AS_STRING(<object>self.raw)
        self.capacity = capacity
        return 0

    cdef object finish(self, Py_ssize_t size):
        _PyBytes_Resize(&self.raw, size)
        done = <object>self.raw
        Py_XDECREF(self.raw)
        self.raw = NULL
        return done

    def __dealloc__(self):
        Py_XDECREF(self.raw)


cdef inline Py_ssize_t _put_cell(int kind, void* data, Py_ssize_t pos, _Cells cells, Py_ssize_t cell,
                          object value, bint fmt3, bint quote):
    """One value as measured in ``cells``: digits (quoted in fmt 3 where ``quote``), a text as it
    is, quoted (fmt 3, ``numbers[cell]`` set) or escaped and quoted (fmt 3)."""
    cdef long long number
    cdef Py_ssize_t n, i
    cdef char[24] digits
    cdef unsigned char state = cells.states[cell]
    if state == C_ABSENT:
        return pos
    if state == C_NUMBER:
        number = cells.numbers[cell]
        n = _digits(number)
        for i in range(n - 1, -1, -1):
            digits[i] = <char>(48 + number % 10)
            number //= 10
        if fmt3 and quote:
            pos = _put_ascii(kind, data, pos, b'"', 1)
        pos = _put_ascii(kind, data, pos, digits, n)
        if fmt3 and quote:
            pos = _put_ascii(kind, data, pos, b'"', 1)
        return pos
    n = len(<str>value)
    if not fmt3:
        return _put_text(kind, data, pos, <str>value, n)
    if state == C_ESCAPED:
        pos = _put_ascii(kind, data, pos, b'"', 1)
        pos = _put_escaped(kind, data, pos, <str>value, n)
        return _put_ascii(kind, data, pos, b'"', 1)
    if cells.numbers[cell]:
        pos = _put_ascii(kind, data, pos, b'"', 1)
        pos = _put_text(kind, data, pos, <str>value, n)
        return _put_ascii(kind, data, pos, b'"', 1)
    return _put_text(kind, data, pos, <str>value, n)


cdef enum:
    T_OBJECT_EX = 16  # structmember.h: an object slot, NULL when unset


cdef Py_ssize_t _slot(object record_type, str name) except -2:
    """Where a record's ``name`` lives: the offset of its object slot when ``record_type`` reads it
    by a plain member descriptor (msgspec fields are), else -1 (read by getattr)."""
    cdef object found = getattr(record_type, name, None)
    cdef PyMemberDef* member
    if type(found) is not MemberDescriptorType:
        return -1
    member = (<PyMemberDescrObject*>found).d_member
    if member.type != T_OBJECT_EX or member.offset <= 0:
        return -1
    if not PyType_IsSubtype(<PyTypeObject*>record_type, (<PyDescrObject*>found).d_type):
        return -1
    return member.offset


def write_rows(object records, object record_type, tuple names, tuple types, int mode,
               tuple separators, tuple quoted, tuple tokens, tuple empties, object members_type,
               tuple frame, bint utf8=False):
    """The reply of ``records`` (each exactly of ``record_type``) in fmt ``mode`` (0, 1 or 3) as a
    str, or as UTF-8 bytes when ``utf8``; None when a value is not plainly writable (not exactly a
    str or int, a negative or long integer, a line break, a comma in fmt 1, a marker in fmt 0, a
    lone surrogate in fmt 3 or in UTF-8...): the pure code then writes the reply or says what is
    wrong.

    ``separators[f]`` goes before field f (fmt 0: the head, then the markers; fmt 1: "" then
    commas; fmt 3: the '"key": ' of each member); ``quoted[f]``: fmt 3 writes the field as a
    JSON string (a text field not quoted is bare where its text is an integer, a string
    elsewhere); ``tokens``/``empties``: fmt 1's token classes (as fmt1_lines);
    ``frame`` = (before, record opening, record closing, between records, after, between
    members) -- the last for fmt 3, whose absent members are left out with their separator."""
    cdef tuple rows = tuple(records)  # fixed while attribute access runs
    cdef Py_ssize_t count = len(rows), width = len(names), row, f, n, extra, total, pos, cell
    cdef Py_ssize_t members, units
    cdef int[MAX_FIELDS] kinds
    cdef int[MAX_FIELDS] classes
    cdef bint[MAX_FIELDS] may_be_empty
    cdef bint[MAX_FIELDS] quote
    cdef Py_ssize_t[MAX_FIELDS] offsets
    cdef const char* sep_text[MAX_FIELDS]
    cdef Py_ssize_t[MAX_FIELDS] sep_size
    cdef const char* frame_text[6]
    cdef Py_ssize_t[6] frame_size
    cdef list held
    cdef object record, value, out
    cdef PyObject* slot
    cdef str text
    cdef _Cells cells
    cdef Py_UCS4 maxchar = 127
    cdef int overflow, kind, found
    cdef bint bare
    cdef long long number
    cdef void* data
    if (count == 0 or width < 1 or width > MAX_FIELDS or len(types) != width
            or len(separators) != width or len(quoted) != width or len(tokens) != width
            or len(empties) != width or len(frame) != 6 or mode not in (W_FMT0, W_FMT1, W_FMT3)
            or not isinstance(record_type, type)):
        return None
    for f in range(width):
        if type(names[f]) is not str or type(separators[f]) is not str:
            return None
        kinds[f] = types[f]
        if not 0 <= kinds[f] <= T_BLACKLIST_TYPE:
            return None
        classes[f] = tokens[f]
        may_be_empty[f] = empties[f]
        quote[f] = quoted[f]
        offsets[f] = _slot(record_type, names[f])
        if PyUnicode_MAX_CHAR_VALUE(separators[f]) > 127:
            return None  # the constant texts are ASCII (keys are names)
        sep_text[f] = <const char*>PyUnicode_DATA(separators[f])
        sep_size[f] = len(<str>separators[f])
        if mode == W_FMT0 and f > 0 and (sep_size[f] == 0 or sep_text[f][0] != 44):
            return None  # a marker starts with a comma (the scan of a value relies on it)
    for f in range(6):
        if type(frame[f]) is not str or PyUnicode_MAX_CHAR_VALUE(frame[f]) > 127:
            return None
        frame_text[f] = <const char*>PyUnicode_DATA(frame[f])
        frame_size[f] = len(<str>frame[f])
    cells = _Cells(1 if utf8 else count * width)  # (utf8: each value written as it is read)
    held = []
    cdef _Buffer buffer = _Buffer(count * 64 if utf8 else 0)
    cdef Py_ssize_t written = 0  # (utf8) bytes written so far, one pass
    total = frame_size[0] + frame_size[4] + count * (frame_size[1] + frame_size[2]) + (count - 1) * frame_size[3]
    # Pass 1: every value read once, judged, and measured (in characters, or in UTF-8 bytes).
    for row in range(count):
        record = rows[row]
        if type(record) is not record_type:
            return None
        members = 0
        if utf8:
            buffer.reserve(written + frame_size[0] + frame_size[1] + frame_size[3])
            if row == 0:
                written = _put_ascii(0, buffer.data, written, frame_text[0], frame_size[0])
            else:
                written = _put_ascii(0, buffer.data, written, frame_text[3], frame_size[3])
            written = _put_ascii(0, buffer.data, written, frame_text[1], frame_size[1])
        for f in range(width):
            if offsets[f] > 0:
                slot = (<PyObject**>(<char*><PyObject*>record + offsets[f]))[0]
                if slot is NULL:
                    return None  # unset: the general path says so
                value = <object>slot
            else:
                value = PyObject_GetAttr(record, names[f])
            if utf8:
                cell = 0
            else:
                held.append(value)  # (read again by pass 2)
                cell = row * width + f
            if kinds[f] == T_STR:
                if type(value) is not str:
                    return None
                text = <str>value
                n = len(text)
                if utf8:  # judged as it is written, in one pass over it
                    if written + frame_size[5] + sep_size[f] + 6 * n + 2 > buffer.capacity:
                        buffer.reserve(written + frame_size[5] + sep_size[f] + 6 * n + 2)
                    if mode == W_FMT3 and members:
                        written = _put_ascii(0, buffer.data, written, frame_text[5], frame_size[5])
                    written = _put_ascii(0, buffer.data, written, sep_text[f], sep_size[f])
                    bare = mode == W_FMT3 and not quote[f] and _integer_text(text, n)
                    if mode == W_FMT3 and not bare:
                        buffer.data[written] = 34
                        written += 1
                    written = _utf8_text(buffer.data, written, text, n, mode == W_FMT3, &found)
                    if mode == W_FMT3 and not bare:
                        buffer.data[written] = 34
                        written += 1
                    if found & S_SURROGATE:
                        return None  # a lone surrogate: no UTF-8 for it
                    if mode != W_FMT3:
                        if found & S_LINE_BREAK:
                            return None
                        if mode == W_FMT0:
                            if (found & S_COMMA and f + 1 < width
                                    and PyUnicode_Find(text, separators[f + 1], 0, n, 1) >= 0):
                                return None  # (every marker starts with a comma)
                        elif found & S_COMMA or not _fits(text, 0, n, classes[f], may_be_empty[f]):
                            return None
                    members += 1
                    continue
                units = n
                if not utf8 and PyUnicode_MAX_CHAR_VALUE(text) > maxchar:
                    maxchar = PyUnicode_MAX_CHAR_VALUE(text)
                found = _scan(text, n, &extra, &units)
                if found & S_SURROGATE and (utf8 or mode == W_FMT3):
                    return None  # a lone surrogate: no UTF-8 for it
                if not utf8:
                    units = n
                if mode == W_FMT3:
                    if extra:
                        cells.states[cell] = C_ESCAPED
                        cells.sizes[cell] = units + extra + 2
                    else:  # numbers[cell]: whether it is quoted (a bare text is an integer)
                        cells.states[cell] = C_TEXT
                        cells.numbers[cell] = quote[f] or not _integer_text(text, n)
                        cells.sizes[cell] = units + 2 * cells.numbers[cell]
                else:
                    if found & S_LINE_BREAK:
                        return None
                    if mode == W_FMT0:
                        if (found & S_COMMA and f + 1 < width
                                and PyUnicode_Find(text, separators[f + 1], 0, n, 1) >= 0):
                            return None  # (every marker starts with a comma)
                    elif found & S_COMMA or not _fits(text, 0, n, classes[f], may_be_empty[f]):
                        return None
                    cells.states[cell] = C_TEXT
                    cells.sizes[cell] = units
            elif value is None:
                if kinds[f] != T_OPTIONAL_INT:
                    return None
                if mode == W_FMT1 and not (may_be_empty[f] or classes[f] == K_TEXT):
                    return None
                cells.states[cell] = C_ABSENT
                cells.sizes[cell] = 0
                if mode == W_FMT3:
                    continue  # left out, with its separator
            else:
                if type(value) is not int and type(value) is not members_type:
                    return None
                number = PyLong_AsLongLongAndOverflow(value, &overflow)
                if overflow or number < 0 or (kinds[f] == T_BLACKLIST_TYPE and number > 2):
                    return None
                if mode == W_FMT1 and not (classes[f] == K_TEXT or classes[f] == K_NUMBER or classes[f] == K_PHONE):
                    return None
                cells.states[cell] = C_NUMBER
                cells.numbers[cell] = number
                cells.sizes[cell] = _digits(number) + (2 if mode == W_FMT3 and quote[f] else 0)
            total += sep_size[f] + cells.sizes[cell]
            if utf8:  # written now, while the value is in the cache
                if written + frame_size[5] + sep_size[f] + cells.sizes[cell] > buffer.capacity:
                    buffer.reserve(written + frame_size[5] + sep_size[f] + cells.sizes[cell])
                if mode == W_FMT3 and members:
                    written = _put_ascii(0, buffer.data, written, frame_text[5], frame_size[5])
                written = _put_ascii(0, buffer.data, written, sep_text[f], sep_size[f])
                written = _put_cell(0, buffer.data, written, cells, cell, value, mode == W_FMT3, quote[f])
            if mode == W_FMT3 and members:
                total += frame_size[5]
            members += 1
        if utf8:
            buffer.reserve(written + frame_size[2] + frame_size[4])
            written = _put_ascii(0, buffer.data, written, frame_text[2], frame_size[2])
            if row == 0:  # the first record's size tells what the reply will need
                buffer.reserve(written + written * (count - 1) // 8 * 9 + frame_size[4])
            if row == count - 1:
                written = _put_ascii(0, buffer.data, written, frame_text[4], frame_size[4])
    if utf8:  # (sized as it was written)
        return buffer.finish(written)
    # Pass 2: written into one str of the widest kind any value has.
    out = PyUnicode_New(total, maxchar)
    kind = PyUnicode_KIND(out)
    data = PyUnicode_DATA(out)
    pos = _put_ascii(kind, data, 0, frame_text[0], frame_size[0])
    for row in range(count):
        if row:
            pos = _put_ascii(kind, data, pos, frame_text[3], frame_size[3])
        pos = _put_ascii(kind, data, pos, frame_text[1], frame_size[1])
        members = 0
        for f in range(width):
            cell = row * width + f
            if cells.states[cell] == C_ABSENT and mode == W_FMT3:
                continue
            if mode == W_FMT3 and members:
                pos = _put_ascii(kind, data, pos, frame_text[5], frame_size[5])
            members += 1
            pos = _put_ascii(kind, data, pos, sep_text[f], sep_size[f])
            pos = _put_cell(kind, data, pos, cells, cell, <object>PyList_GET_ITEM(held, cell), mode == W_FMT3, quote[f])
        pos = _put_ascii(kind, data, pos, frame_text[2], frame_size[2])
    pos = _put_ascii(kind, data, pos, frame_text[4], frame_size[4])
    if pos != total:
        raise AssertionError("the written reply is not the size measured")
    return out


# ---------------------------------------------------------------------------------------------
# fmt 2: a list in the server's XML layout, read straight from the payload's bytes.
#
# The layout is the one xml._fast_records recognises: after the root's start tag, each record is
# ``<item>\n``, then each field in table order as ``<name>value</name>\n`` (an optional field may
# be left out), then ``</item>\n``.  A value is any bytes but ``<``; what is not plainly right --
# a control byte (CR included), a ``]]>``, an entity other than the five XML predefines and
# ``&#13;``, U+FFFE/U+FFFF, bytes that are not the charset's, a number not written plainly --
# declines the whole reply (None), and the pure code reads it: results and errors never differ.
# The reply is never decoded whole: each value becomes its own str, so nothing but the payload
# and the records is held.

from libc.string cimport memchr, memcmp

cdef extern from "Python.h":
    object _utf8_value "PyUnicode_DecodeUTF8"(const char* data, Py_ssize_t size, const char* errors)

# Field codes (fmtcodec.xml._XML_CODES): how a value's text becomes the record's value.
cdef enum:
    X_TEXT = 0       # the text itself (str, date-time)
    X_COUNT = 1      # a non-negative integer (int, ts)
    X_BLACKLIST = 2  # 0, 1 or 2: members[n]
    X_SIGNED = 3     # an integer that may be negative ("-0" is not one)
    X_DECIMAL = 4    # -?digits[.digits]: decimal(text)
    X_ID = 5         # [A-Za-z0-9._-]+, kept as text

cdef enum:
    X_MAX_TEXT = 4300  # the longest number text read (layout._MAX_DIGITS, Python's own limit)
    X_UNDEFINED = 0xFFFE  # a byte the single-byte charset does not define (from the caller's table)


cdef class _Scratch:
    """A buffer for the unescaped bytes of one value, as large as the largest value so far."""
    cdef unsigned char* data
    cdef Py_ssize_t size

    cdef int reserve(self, Py_ssize_t needed) except -1:
        cdef unsigned char* grown
        if needed <= self.size:
            return 0
        grown = <unsigned char*>PyMem_Realloc(self.data, needed)
        if grown is NULL:
            raise MemoryError()
        self.data = grown
        self.size = needed
        return 0

    def __dealloc__(self):
        PyMem_Free(self.data)


cdef inline bint _literal(const unsigned char* base, Py_ssize_t pos, Py_ssize_t end,
                          const char* text, Py_ssize_t size):
    return size <= end - pos and memcmp(base + pos, text, size) == 0


cdef Py_ssize_t _entity(const unsigned char* p, Py_ssize_t left, unsigned char* char_out):
    """The length of the entity at ``p`` (``left`` bytes remain) and its character, or 0 for
    one the fast path does not read."""
    if left >= 5 and memcmp(p, b"&amp;", 5) == 0:
        char_out[0] = 38
        return 5
    if left >= 4 and memcmp(p, b"&lt;", 4) == 0:
        char_out[0] = 60
        return 4
    if left >= 4 and memcmp(p, b"&gt;", 4) == 0:
        char_out[0] = 62
        return 4
    if left >= 6 and memcmp(p, b"&quot;", 6) == 0:
        char_out[0] = 34
        return 6
    if left >= 6 and memcmp(p, b"&apos;", 6) == 0:
        char_out[0] = 39
        return 6
    if left >= 5 and memcmp(p, b"&#13;", 5) == 0:
        char_out[0] = 13
        return 5
    return 0


cdef int _scan_value(const unsigned char* p, Py_ssize_t n, bint* has_entity, bint* ascii):
    """0 when the raw bytes p[0:n] may be a value, -1 when they decline the reply."""
    cdef Py_ssize_t i
    cdef unsigned char c
    has_entity[0] = False
    ascii[0] = True
    for i in range(n):
        c = p[i]
        if c < 32:
            if c != 9 and c != 10:
                return -1  # XML refuses it, or rewrites it (CR)
        elif c == 38:
            has_entity[0] = True
        elif c == 62:
            if i >= 2 and p[i - 1] == 93 and p[i - 2] == 93:
                return -1  # "]]>"
        elif c >= 128:
            ascii[0] = False
            if c == 0xEF and i + 2 < n and p[i + 1] == 0xBF and (p[i + 2] == 0xBE or p[i + 2] == 0xBF):
                return -1  # U+FFFE / U+FFFF in UTF-8 (looked for in every charset, as xml.py does)
    return 0


cdef object _xml_str(const unsigned char* p, Py_ssize_t n, bint ascii, const Py_UCS4* chars):
    """The str of bytes p[0:n] (no entity left): UTF-8 when ``chars`` is NULL, else a single-byte
    charset by its table; DECLINE for bytes that are not the charset's."""
    cdef Py_ssize_t i
    cdef Py_UCS4 maxchar = 127, ch
    cdef object out
    cdef int kind
    cdef void* data
    if ascii:
        out = PyUnicode_New(n, 127)
        memcpy(PyUnicode_DATA(out), p, n)
        return out
    if chars is NULL:
        try:
            return _utf8_value(<const char*>p, n, NULL)
        except UnicodeDecodeError:
            return DECLINE
    for i in range(n):
        ch = chars[p[i]]
        if ch == X_UNDEFINED:
            return DECLINE
        if ch > maxchar:
            maxchar = ch
    out = PyUnicode_New(n, maxchar)
    kind = PyUnicode_KIND(out)
    data = PyUnicode_DATA(out)
    for i in range(n):
        PyUnicode_WRITE(kind, data, i, chars[p[i]])
    return out


cdef object _xml_number(const unsigned char* p, Py_ssize_t n, int code, tuple members, object decimal):
    """The value of a number field's text p[0:n] (n > 0, ASCII, no entity), or DECLINE when it is
    not written plainly (the pure code then judges it)."""
    cdef Py_ssize_t i, start = 0, digits_end
    cdef long long number = 0
    if code == X_ID:  # [A-Za-z0-9._-]+
        for i in range(n):
            if not (48 <= p[i] <= 57 or 65 <= p[i] <= 90 or 97 <= p[i] <= 122
                    or p[i] == 46 or p[i] == 45 or p[i] == 95):
                return DECLINE
        return _xml_str(p, n, True, NULL)
    if (code == X_SIGNED or code == X_DECIMAL) and p[0] == 45:
        start = 1
    digits_end = start
    while digits_end < n and 48 <= p[digits_end] <= 57:
        digits_end += 1
    if digits_end == start or n > X_MAX_TEXT:
        return DECLINE  # no digit, or more than Python reads: the pure code says so
    if p[start] == 48 and digits_end - start > 1:
        return DECLINE  # a leading zero is refused
    if code == X_DECIMAL:  # -?(0|[1-9][0-9]*)(\.[0-9]+)?
        if digits_end < n:
            if p[digits_end] != 46 or digits_end + 1 == n:
                return DECLINE
            for i in range(digits_end + 1, n):
                if not 48 <= p[i] <= 57:
                    return DECLINE
        return decimal(_xml_str(p, n, True, NULL))
    if digits_end != n:
        return DECLINE
    if n - start > MAX_DIGITS:  # more than a long long holds: Python reads it
        return DECLINE if code == X_BLACKLIST else int(_xml_str(p, n, True, NULL))
    for i in range(start, n):
        number = number * 10 + (p[i] - 48)
    if start:
        if number == 0:
            return DECLINE  # "-0" is refused
        return -number
    if code == X_BLACKLIST:
        return members[number] if number < len(members) else DECLINE
    return number


def xml_records(bytes data not None, Py_ssize_t begin, Py_ssize_t end, bytes item_open not None,
                bytes item_close not None, tuple openings not None, tuple closings not None,
                tuple codes not None, tuple optional not None, object record,
                tuple members not None, object decimal, object table):
    """Records of the list in data[begin:end] (between the root's start and end tags), or None.

    Field ``f`` is ``openings[f]`` value ``closings[f]`` (``<name>``, ``</name>\\n``), read by
    ``codes[f]``; an ``optional[f]`` field may be left out (None), and is None when empty unless
    it is text.  Records are ``record(*values)``.  ``table``: None for UTF-8, or the 256
    characters of a single-byte charset (U+FFFE for a byte it does not define)."""
    cdef Py_ssize_t size = len(data), width = len(codes), pos, f, a, b, n, i, j, taken
    cdef const unsigned char* base = <const unsigned char*>PyBytes_AS_STRING(data)
    cdef const unsigned char* found
    cdef int[MAX_FIELDS] kinds
    cdef bint[MAX_FIELDS] may_lack
    cdef const char* open_text[MAX_FIELDS]
    cdef Py_ssize_t[MAX_FIELDS] open_size
    cdef const char* close_text[MAX_FIELDS]
    cdef Py_ssize_t[MAX_FIELDS] close_size
    cdef Py_UCS4[256] chars
    cdef const Py_UCS4* charset = NULL
    cdef bint has_entity, ascii
    cdef unsigned char ch
    cdef _Scratch scratch = _Scratch()
    cdef const unsigned char* text
    cdef list out = []
    cdef tuple args
    cdef object value
    if (not 0 <= begin <= end <= size or width < 1 or width > MAX_FIELDS
            or len(openings) != width or len(closings) != width or len(optional) != width
            or len(item_open) == 0 or len(item_close) == 0):
        return None
    for f in range(width):
        if type(openings[f]) is not bytes or type(closings[f]) is not bytes:
            return None
        kinds[f] = codes[f]
        if not X_TEXT <= kinds[f] <= X_ID:
            return None
        may_lack[f] = optional[f]
        open_text[f] = PyBytes_AS_STRING(openings[f])
        open_size[f] = len(<bytes>openings[f])
        close_text[f] = PyBytes_AS_STRING(closings[f])
        close_size[f] = len(<bytes>closings[f])
        if open_size[f] == 0 or close_size[f] == 0 or open_text[f][0] != 60 or close_text[f][0] != 60:
            return None  # a value ends at the first "<": its closing tag must start there
    if table is not None:
        if type(table) is not str or len(<str>table) != 256:
            return None
        for i in range(256):
            chars[i] = _at(<str>table, i)
            if chars[i] < 128 and chars[i] != i:
                return None  # markup is ASCII in the charset, as in the provider's three
        charset = chars
    pos = begin
    while pos < end:
        if not _literal(base, pos, end, PyBytes_AS_STRING(item_open), len(item_open)):
            return None
        pos += len(item_open)
        args = PyTuple_New(width)
        for f in range(width):
            if not _literal(base, pos, end, open_text[f], open_size[f]):
                if not may_lack[f]:
                    return None
                value = None
            else:
                a = pos + open_size[f]
                found = <const unsigned char*>memchr(base + a, 60, end - a)
                if found is NULL:
                    return None
                b = found - base
                if not _literal(base, b, end, close_text[f], close_size[f]):
                    return None
                pos = b + close_size[f]
                n = b - a
                if _scan_value(base + a, n, &has_entity, &ascii) < 0:
                    return None
                text = base + a
                if has_entity:
                    if kinds[f] != X_TEXT:
                        return None  # a number is digits only
                    scratch.reserve(n)
                    i = 0
                    j = 0
                    while i < n:
                        if text[i] == 38:
                            taken = _entity(text + i, n - i, &ch)
                            if taken == 0:
                                return None
                            scratch.data[j] = ch
                            i += taken
                        else:
                            scratch.data[j] = text[i]
                            i += 1
                        j += 1
                    text = scratch.data
                    n = j
                if kinds[f] == X_TEXT:
                    value = _xml_str(text, n, ascii, charset)
                elif n == 0:
                    if not may_lack[f]:
                        return None
                    value = None
                elif not ascii:
                    return None
                else:
                    value = _xml_number(text, n, kinds[f], members, decimal)
                if value is DECLINE:
                    return None
            Py_INCREF(value)
            PyTuple_SET_ITEM(args, f, value)
        if not _literal(base, pos, end, PyBytes_AS_STRING(item_close), len(item_close)):
            return None
        pos += len(item_close)
        out.append(PyObject_Call(record, args, NULL))
    return out


# ---------------------------------------------------------------------------------------------
# A single-byte charset's payload (windows-1251, koi8-r) transcoded to UTF-8 in one pass, for fmt 3
# (msgspec reads UTF-8 only): no str of the whole reply is made on the way.

from libc.stdint cimport uint64_t

cdef uint64_t ASCII_HIGH_BITS = 0x8080808080808080ULL


def transcode_to_utf8(object data, object table):
    """``data`` read in a single-byte charset and written as UTF-8 bytes, or ``None`` (declined).

    ``table`` holds 4 bytes for each of the 256 byte values: the length of its UTF-8 form (1 to 3;
    0 where the charset leaves the byte undefined) and that form, as built from Python's own codec
    (``fmtcodec.json._transcoding_table``).  A byte the charset leaves undefined declines, so that
    the caller's decode of the text raises the usual error; so does anything that is not ``bytes``
    or a table of another shape."""
    if type(data) is not bytes or type(table) is not bytes or PyBytes_GET_SIZE(table) != 1024:
        return None
    cdef const unsigned char* src = <const unsigned char*>PyBytes_AS_STRING(data)
    cdef const unsigned char* tab = <const unsigned char*>PyBytes_AS_STRING(table)
    cdef Py_ssize_t n = PyBytes_GET_SIZE(data)
    cdef Py_ssize_t i, size = n
    cdef unsigned char width
    cdef uint64_t word
    cdef bint ascii_kept = True  # ASCII written as itself: runs of it are copied eight bytes at a time
    for i in range(256):
        if tab[4 * i] > 3:
            return None
        if i < 128 and (tab[4 * i] != 1 or tab[4 * i + 1] != i):
            ascii_kept = False
    i = 0
    while i < n:
        if ascii_kept and i + 8 <= n:
            memcpy(&word, src + i, 8)
            if (word & ASCII_HIGH_BITS) == 0:
                i += 8
                continue
        width = tab[4 * src[i]]
        if width == 0:
            return None
        size += width - 1
        i += 1
    out = PyBytes_FromStringAndSize(NULL, size)
    cdef unsigned char* dst = <unsigned char*>PyBytes_AS_STRING(out)
    cdef const unsigned char* entry
    i = 0
    while i < n:
        if ascii_kept and i + 8 <= n:
            memcpy(&word, src + i, 8)
            if (word & ASCII_HIGH_BITS) == 0:
                memcpy(dst, &word, 8)
                dst += 8
                i += 8
                continue
        entry = tab + 4 * src[i]
        width = entry[0]
        dst[0] = entry[1]
        if width > 1:
            dst[1] = entry[2]
            if width > 2:
                dst[2] = entry[3]
        dst += width
        i += 1
    return out
