"""xlsx - read an .xlsx workbook with Python's standard library only.

For the tests (tests/0950-interchange.t): enough of ECMA-376
SpreadsheetML to check what case-export writes, read the way a
spreadsheet reads it.  Imported with PYTHONPATH=tests.

    wb = xlsx.Workbook(path)
    wb.sheetnames                  ['cases', 'events']
    ws = wb["cases"]
    ws["B2"].value                 datetime, int, float, str, bool or None
    ws["B2"].data_type             's' text, 'n' number, 'd' date, 'b', 'e'
    ws["B2"].is_date               a number shown with a date format
    ws.rows()                      lists of values, A1 to the last cell
    ws.freeze_panes                'A2' (top-left cell of the frozen pane)
    ws.auto_filter                 'A1:R8'

Text is decoded as Excel decodes it: _xHHHH_ is the character U+HHHH
(ST_Xstring), so a CR written by libxlsxwriter as _x000D_ reads back as
"\\r", and _x005F_ is a literal underscore.
"""

import datetime
import posixpath
import re
import zipfile
import xml.etree.ElementTree as ET

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RNS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PNS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# Built-in number formats that show a date or a time (ECMA-376 18.8.30,
# with the East Asian ids 27-36 and 50-58, all dates in zh-CN).
DATE_IDS = set(range(14, 23)) | set(range(27, 37)) | {45, 46, 47} | \
    set(range(50, 59))

_escape = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape(s):
    """Decode the _xHHHH_ escapes of an ST_Xstring."""
    return _escape.sub(lambda m: chr(int(m.group(1), 16)), s)


def is_date_format(code):
    """A custom format code shows a date or time when, outside quoted
    text, backslash escapes and [colour]/[$-locale] brackets, it has a
    y, m, d, h or s token; [h], [mm], [ss] (elapsed time) count too."""
    c = re.sub(r'"[^"]*"|\\.|_.|\*.', "", code)
    c = re.sub(r"\[(h+|m+|s+)\]", r"\1", c, flags=re.I)
    c = re.sub(r"\[[^]]*\]", "", c)
    c = c.split(";")[0]
    return re.search(r"[ymdhs]", c, re.I) is not None


def from_serial(v):
    """An Excel 1900-system serial as a naive datetime, to the
    millisecond (the precision Excel keeps)."""
    t = datetime.datetime(1899, 12, 30) + \
        datetime.timedelta(milliseconds=round(v * 86400000))
    return t


def col_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch.upper()) - ord("A") + 1
    return n


def split_ref(ref):
    m = re.fullmatch(r"\$?([A-Za-z]+)\$?([0-9]+)", ref)
    if not m:
        raise ValueError("bad cell reference %r" % ref)
    return int(m.group(2)), col_index(m.group(1))


def _text(el):
    """The text of an <si> or <is>: its <t>, or its rich text runs' <t>s."""
    if el is None:
        return ""
    return "".join(t.text or "" for t in el.iter(NS + "t")
                   if not _in_phonetic(el, t))


def _in_phonetic(root, t):
    for rph in root.iter(NS + "rPh"):
        if any(x is t for x in rph.iter(NS + "t")):
            return True
    return False


class Cell:
    def __init__(self, value=None, data_type="n", is_date=False):
        self.value = value
        self.data_type = data_type
        self.is_date = is_date

    def __repr__(self):
        return "Cell(%r, %r)" % (self.value, self.data_type)


class Sheet:
    def __init__(self, wb, name, xml):
        self.title = name
        self.cells = {}
        self.freeze_panes = None
        self.auto_filter = None
        root = ET.fromstring(xml)
        for pane in root.iter(NS + "pane"):
            if pane.get("state") in ("frozen", "frozenSplit"):
                self.freeze_panes = pane.get("topLeftCell")
        af = root.find(NS + "autoFilter")
        if af is not None:
            self.auto_filter = af.get("ref")
        for c in root.iter(NS + "c"):
            self.cells[split_ref(c.get("r"))] = wb._cell(c)

    def __getitem__(self, ref):
        return self.cells.get(split_ref(ref), Cell())

    @property
    def max_row(self):
        return max((r for r, _ in self.cells), default=0)

    @property
    def max_column(self):
        return max((c for _, c in self.cells), default=0)

    def rows(self):
        """Every row from 1 to the last, each from column A to the last
        column of the sheet, empty cells as None."""
        return [[self.cells.get((r, c), Cell()).value
                 for c in range(1, self.max_column + 1)]
                for r in range(1, self.max_row + 1)]


class Workbook:
    def __init__(self, path):
        self.zip = zipfile.ZipFile(path)
        rels = self._rels("xl/workbook.xml")
        wbx = ET.fromstring(self.zip.read("xl/workbook.xml"))
        pr = wbx.find(NS + "workbookPr")
        self.date1904 = pr is not None and \
            pr.get("date1904") in ("1", "true")
        self.strings = []
        self.date_styles = []
        for rid, (typ, target) in rels.items():
            if typ.endswith("/sharedStrings"):
                sst = ET.fromstring(self.zip.read(target))
                self.strings = [unescape(_text(si))
                                for si in sst.findall(NS + "si")]
            elif typ.endswith("/styles"):
                self.date_styles = self._styles(self.zip.read(target))
        self.sheetnames = []
        self._sheets = {}
        for s in wbx.iter(NS + "sheet"):
            name = s.get("name")
            self.sheetnames.append(name)
            self._sheets[name] = rels[s.get(RNS + "id")][1]

    def _rels(self, part):
        d, f = posixpath.split(part)
        rels = ET.fromstring(self.zip.read(
            posixpath.join(d, "_rels", f + ".rels")))
        out = {}
        for r in rels.iter(PNS + "Relationship"):
            t = r.get("Target")
            t = t[1:] if t.startswith("/") else \
                posixpath.normpath(posixpath.join(d, t))
            out[r.get("Id")] = (r.get("Type"), t)
        return out

    @staticmethod
    def _styles(xml):
        """For each cell style (cellXfs index), whether it is a date."""
        root = ET.fromstring(xml)
        custom = {}
        fmts = root.find(NS + "numFmts")
        if fmts is not None:
            for f in fmts.findall(NS + "numFmt"):
                custom[int(f.get("numFmtId"))] = f.get("formatCode")
        out = []
        xfs = root.find(NS + "cellXfs")
        for xf in ([] if xfs is None else xfs.findall(NS + "xf")):
            i = int(xf.get("numFmtId", "0"))
            out.append(is_date_format(custom[i]) if i in custom
                       else i in DATE_IDS)
        return out

    def _cell(self, c):
        t = c.get("t", "n")
        v = c.find(NS + "v")
        raw = None if v is None else (v.text or "")
        if t == "inlineStr":
            return Cell(unescape(_text(c.find(NS + "is"))), "s")
        if raw is None:
            return Cell()
        if t == "s":
            return Cell(self.strings[int(raw)], "s")
        if t == "str":
            return Cell(unescape(raw), "s")
        if t == "b":
            return Cell(raw in ("1", "true"), "b")
        if t == "e":
            return Cell(raw, "e")
        if t == "d":
            return Cell(datetime.datetime.fromisoformat(raw), "d", True)
        num = float(raw) if re.search(r"[.eE]", raw) else int(raw)
        s = int(c.get("s", "0"))
        if s < len(self.date_styles) and self.date_styles[s]:
            if self.date1904:
                num += 1462
            return Cell(from_serial(num), "d", True)
        return Cell(num, "n")

    def __getitem__(self, name):
        return Sheet(self, name, self.zip.read(self._sheets[name]))
