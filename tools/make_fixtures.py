#!/usr/bin/env python3
"""Writes the small, real resume fixtures used by the tests (a PDF and a DOCX) and a fake one.

    python3 tools/make_fixtures.py end2end/fixtures
"""
import os
import sys
import zipfile


def pdf(lines):
    """A valid single-page PDF with Helvetica text and a correct xref table."""
    content = ["BT", "/F1 12 Tf", "72 740 Td", "16 TL"]
    for line in lines:
        esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        content.append(f"({esc}) Tj T*")
    content.append("ET")
    stream = "\n".join(content).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def docx(paragraphs):
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = "".join(
        f"<w:p><w:r><w:t xml:space=\"preserve\">{p.replace('&', '&amp;').replace('<', '&lt;')}</w:t></w:r></w:p>"
        for p in paragraphs
    )
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {ns}><w:body>{body}</w:body></w:document>'
        ),
    }
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)
    return buf.getvalue()


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "end2end/fixtures"
    os.makedirs(out, exist_ok=True)
    lines = [
        "Jordan Rivers",
        "jordan.rivers@example.net  +49 30 1234 5678",
        "https://www.linkedin.com/in/jordan-rivers  https://github.com/jrivers",
        "",
        "Skills: Rust, Tokio, PostgreSQL, Kubernetes, Zymurgy",
        "",
        "Experience",
        "2021-2026 Senior Engineer, Northwind Traders",
        "2017-2021 Backend Developer, Contoso Ltd",
    ]
    with open(os.path.join(out, "resume.pdf"), "wb") as f:
        f.write(pdf(lines))
    with open(os.path.join(out, "resume.docx"), "wb") as f:
        f.write(docx(lines))
    # Only the search journey uploads this one: "Xylography" appears nowhere else.
    with open(os.path.join(out, "search-resume.pdf"), "wb") as f:
        f.write(pdf(["Quinn Archer", "quinn@example.net", "Skills: Xylography, bookbinding, Rust"]))
    with open(os.path.join(out, "not-a-resume.pdf"), "wb") as f:
        f.write(b"This is a plain text file pretending to be a PDF.\n")
    # A password-protected copy (needs pypdf: pip install pypdf).
    try:
        from pypdf import PdfReader, PdfWriter
    except ImportError:
        print("pypdf missing: encrypted.pdf not regenerated", file=sys.stderr)
        return
    writer = PdfWriter()
    for page in PdfReader(os.path.join(out, "resume.pdf")).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    with open(os.path.join(out, "encrypted.pdf"), "wb") as f:
        writer.write(f)


if __name__ == "__main__":
    main()
