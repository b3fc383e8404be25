# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""The optional compiled core: fmt 0 and fmt 1 list replies read row by row in C.

It knows no record kind.  The caller passes the layout table's facts for one kind (see
``fmtcodec._core.plan``): each field's type code, and for fmt 1 each field's token class; the
record type; and for fmt 0 the ``key = `` markers.  Every function returns the list of records, or
``None`` as soon as anything is not plainly right (a carriage return, a value that does not look
like its field, an integer of many digits, a non-ASCII e-mail address...): the pure-Python code
then reads the reply and is the one that says what is wrong, so results and errors never differ.
"""

from cpython.mem cimport PyMem_Free, PyMem_Malloc, PyMem_Realloc
from cpython.ref cimport Py_INCREF
from cpython.tuple cimport PyTuple_New, PyTuple_SET_ITEM
from cpython.unicode cimport PyUnicode_Substring

cdef extern from "Python.h":
    object PyObject_Call(object callable, object args, void* kwargs)
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


cdef bint _phone_token(str text, Py_ssize_t a, Py_ssize_t b):
    # [ \t+\-();]*[0-9][0-9 \t+\-();]*  (values.py _TOKEN["phone"])
    cdef bint digit = False
    cdef Py_UCS4 ch
    cdef Py_ssize_t i
    for i in range(a, b):
        ch = _at(text, i)
        if _is_digit(ch):
            digit = True
        elif not (ch == 32 or ch == 9 or ch == 43 or ch == 45 or ch == 40 or ch == 41 or ch == 59):
            return False
    return digit


cdef int _email_token(str text, Py_ssize_t a, Py_ssize_t b):
    # [ \t]*[^\s@,;]+@[^\s@,;]+[ \t]*  (values.py _TOKEN["email"]): 1 yes, 0 no, -1 a character
    # whose Unicode class (is it \s?) is Python's to judge
    cdef Py_UCS4 ch
    cdef Py_ssize_t i, at = -1
    while a < b and (_at(text, a) == 32 or _at(text, a) == 9):
        a += 1
    while b > a and (_at(text, b - 1) == 32 or _at(text, b - 1) == 9):
        b -= 1
    for i in range(a, b):
        ch = _at(text, i)
        if ch == 32 or 9 <= ch <= 13 or 28 <= ch <= 31 or ch == 44 or ch == 59:
            return 0  # \s, comma or semicolon inside
        if ch < 32 or ch >= 127:
            return -1
        if ch == 64:
            if at >= 0:
                return 0
            at = i
    return 1 if a < at < b - 1 else 0


cdef bint _date_token(str text, Py_ssize_t a, Py_ssize_t b):
    # [0-9]{2}\.[0-9]{2}\.[0-9]{4}
    cdef Py_ssize_t i
    if b - a != 10:
        return False
    for i in range(10):
        if i == 2 or i == 5:
            if _at(text, a + i) != 46:
                return False
        elif not _is_digit(_at(text, a + i)):
            return False
    return True


cdef int _token_is(str text, Py_ssize_t a, Py_ssize_t b, int token):
    """1 when the non-empty text[a:b] is one token of class ``token``, 0 when not, -1 unknown."""
    cdef Py_ssize_t i
    if token == K_TEXT:
        return 1
    if token == K_PHONE:
        return _phone_token(text, a, b)
    if token == K_NUMBER:
        for i in range(a, b):
            if not _is_digit(_at(text, i)):
                return 0
        return 1
    if token == K_DATE:
        return _date_token(text, a, b)
    if token == K_EMAIL:
        return _email_token(text, a, b)
    return -1


cdef bint _fits(str text, Py_ssize_t a, Py_ssize_t b, int token, bint empty):
    """The value text[a:b] is one token of class ``token`` (or empty where allowed); False also
    when unsure, which declines the reply."""
    if a == b:
        return empty or token == K_TEXT
    return _token_is(text, a, b, token) == 1


cdef object _value(str text, Py_ssize_t a, Py_ssize_t b, int kind, tuple members):
    """The typed value of text[a:b] (layout.FieldLayout.parse), or DECLINE."""
    cdef long long number = 0
    cdef Py_ssize_t i
    cdef Py_UCS4 ch
    if kind == T_STR:
        return PyUnicode_Substring(text, a, b)
    if a == b:
        return None if kind == T_OPTIONAL_INT else DECLINE
    if b - a > MAX_DIGITS or (_at(text, a) == 48 and b - a > 1):
        return DECLINE  # a leading zero is refused, many digits are Python's to read
    for i in range(a, b):
        ch = _at(text, i)
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


def fmt1_records(str text, tuple types, tuple tokens, tuple empties, object record,
                 tuple members, tuple bit_classes, object empty_bit, object odd_starts,
                 object long_row, Py_ssize_t free_field=-1):
    """Records of a fmt 1 list (no CR).  A row with one comma fewer than fields is cut at its
    commas.  When ``free_field`` is a field index (a kind whose only many-token field is that
    free-text field: groups, blacklists), a row of more tokens has one placement, cut here: every
    other field takes one token, the free field the rest.  Any other row is cut into tokens, each
    token's kind computed (bit c: a token of class bit_classes[c], ``empty_bit`` for an empty
    token, as values._Splitter.kind does), and ``odd_starts(tokens, shape)`` -- the splitter --
    says where each field starts, once per shape.  A row of more than MAX_TOKENS pieces is read by
    ``long_row(line)`` (a record, or None)."""
    cdef Py_ssize_t n = len(text), width = len(types), pos = 0, end, start, comma, f, t, ntok
    cdef Py_ssize_t nbits = len(bit_classes), bits, first, last
    cdef Py_ssize_t[MAX_FIELDS] starts
    cdef Py_ssize_t[MAX_FIELDS] ends
    cdef _Tokens pieces = _Tokens()
    cdef Py_ssize_t* tok_start
    cdef Py_ssize_t* tok_end
    cdef int[MAX_FIELDS] kinds
    cdef int[MAX_FIELDS] classes
    cdef bint[MAX_FIELDS] may_be_empty
    cdef int[32] bit_class
    cdef int known
    cdef list out = []
    cdef tuple args
    cdef dict placements = {}
    cdef object value, shape, placed
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
    while pos < n:
        end = PyUnicode_FindChar(text, 10, pos, n, 1)
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
            comma = PyUnicode_FindChar(text, 44, start, end, 1)
            tok_start[ntok] = start
            tok_end[ntok] = end if comma < 0 else comma
            ntok += 1
            if comma < 0:
                break
            start = comma + 1
        if ntok == MAX_TOKENS:  # more pieces than a row may have: Python's splitter says so
            value = long_row(PyUnicode_Substring(text, pos, end))
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
                if not _fits(text, starts[f], ends[f], classes[f], may_be_empty[f]):
                    return None
        else:
            shape = PyTuple_New(ntok)
            for t in range(ntok):
                if tok_start[t] == tok_end[t]:
                    value = empty_bit
                else:
                    bits = 0
                    for f in range(nbits):
                        known = _token_is(text, tok_start[t], tok_end[t], bit_class[f])
                        if known < 0:
                            return None
                        if known:
                            bits |= 1 << f
                    value = bits
                Py_INCREF(value)
                PyTuple_SET_ITEM(shape, t, value)
            placed = placements.get(shape, placements)
            if placed is placements:
                placed = odd_starts([PyUnicode_Substring(text, tok_start[t], tok_end[t]) for t in range(ntok)], shape)
                if placed is not None:  # a tuple: what reading its items runs cannot change it
                    placed = tuple(placed)
                placements[shape] = placed
            if placed is None or len(placed) != width:
                return None
            for f in range(width):
                first = placed[f]
                last = (placed[f + 1] if f + 1 < width else ntok) - 1
                if not 0 <= first <= last < ntok:
                    return None
                starts[f] = tok_start[first]
                ends[f] = tok_end[last]
        args = PyTuple_New(width)
        for f in range(width):
            value = _value(text, starts[f], ends[f], kinds[f], members)
            if value is DECLINE:
                return None
            Py_INCREF(value)
            PyTuple_SET_ITEM(args, f, value)
        out.append(PyObject_Call(record, args, NULL))
        pos = end + 1
    return out


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
            value = _value(text, start, found, kinds[f], members)
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
