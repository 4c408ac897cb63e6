"""A minimal PDF with a text layer (a CID font mapped to Unicode, no glyphs), for the importer tests."""

def make_pdf(lines, path):
    """A PDF whose text layer holds `lines` (CID font with a ToUnicode map; no glyphs embedded)."""
    chars = sorted({c for ln in lines for c in ln})
    cid = {c: i + 1 for i, c in enumerate(chars)}
    content = "BT /F1 12 Tf 14 TL 40 800 Td " + " ".join(
        "<" + "".join(f"{cid[c]:04X}" for c in ln) + "> Tj T*" for ln in lines) + " ET"
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /U def "
            "1 begincodespacerange <0000> <FFFF> endcodespacerange "
            + "".join(f"1 beginbfchar <{cid[c]:04X}> <{ord(c):04X}> endbfchar " for c in chars)
            + "endcmap CMapName currentdict /CMap defineresource pop end end")
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        f"<< /Length {len(content.encode())} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        f"<< /Length {len(cmap.encode())} >>\nstream\n{cmap}\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{o}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{off:010d} 00000 n \n" for off in offsets).encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(out)
