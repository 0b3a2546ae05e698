"""Workbooks built by hand for the tests of reading: texts in a table of shared strings, as Excel
and WPS write them (openpyxl writes its texts into the sheet instead)."""

import io
import zipfile
from collections.abc import Iterable

NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def shared_strings_workbook(
    strings: list[Iterable[str]], rows: list[list[int]], *, sheet: bytes | None = None
) -> bytes:
    """A workbook as Excel writes one: texts in xl/sharedStrings.xml, the cells of `rows` pointing
    at them by number (or `sheet`, the sheet's XML as given). Each string is given in pieces and written a piece at a time, so a long one is never
    whole in memory; the zip holds it compressed (a million equal characters take a kilobyte)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            b"</Types>",
        )
        z.writestr(
            "_rels/.rels",
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="'
            + REL
            + b'/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            b"<workbook " + NS + b' xmlns:r="' + REL + b'"><sheets>'
            b'<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="' + REL + b'/worksheet" Target="worksheets/sheet1.xml"/>'
            b'<Relationship Id="rId2" Type="' + REL + b'/sharedStrings" Target="sharedStrings.xml"/>'
            b"</Relationships>",
        )
        cells = []
        for number, row in enumerate(rows, start=1):
            cells.append(f'<row r="{number}">')
            cells += [f'<c r="{chr(65 + i)}{number}" t="s"><v>{index}</v></c>' for i, index in enumerate(row)]
            cells.append("</row>")
        z.writestr(
            "xl/worksheets/sheet1.xml",
            sheet
            or b"<worksheet " + NS + b"><sheetData>" + "".join(cells).encode() + b"</sheetData></worksheet>",
        )
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b"<sst " + NS + f' count="{len(strings)}">'.encode())
            for pieces in strings:
                part.write(b"<si><t>")
                for piece in pieces:
                    part.write(piece.encode())
                part.write(b"</t></si>")
            part.write(b"</sst>")
    return out.getvalue()
