"""A burn-up chart as PNG bytes, drawn in pure Python (zlib + struct; no imaging library).

Word cannot show SVG, and the project has no plotting dependency, so this draws the few things
the chart needs: a frame, grid lines, polylines two pixels wide, and numbers and dates in a
built-in 3x5 pixel font (digits and '-' only).  Series names go in the document's own text next
to the picture, where Chinese renders with the document's fonts.
"""
from __future__ import annotations

import struct
import zlib

#: 3x5 glyphs, rows top to bottom, 3 bits each (MSB = left)
_GLYPHS = {
    "0": (7, 5, 5, 5, 7), "1": (2, 6, 2, 2, 7), "2": (7, 1, 7, 4, 7), "3": (7, 1, 7, 1, 7),
    "4": (5, 5, 7, 1, 1), "5": (7, 4, 7, 1, 7), "6": (7, 4, 7, 5, 7), "7": (7, 1, 1, 1, 1),
    "8": (7, 5, 7, 5, 7), "9": (7, 5, 7, 1, 7), "-": (0, 0, 7, 0, 0), " ": (0, 0, 0, 0, 0),
}

SERIES_RGB = {"total": (0x75, 0x75, 0x75), "red": (0xC6, 0x28, 0x28), "yellow": (0xF9, 0xA8, 0x25),
              "blue": (0x15, 0x65, 0xC0), "green": (0x66, 0xBB, 0x6A), "done": (0x2E, 0x7D, 0x32)}


class Canvas:
    def __init__(self, width: int, height: int, bg=(255, 255, 255)):
        self.w, self.h = width, height
        self.px = bytearray(bytes(bg) * (width * height))

    def dot(self, x: int, y: int, rgb) -> None:
        if 0 <= x < self.w and 0 <= y < self.h:
            i = 3 * (y * self.w + x)
            self.px[i:i + 3] = bytes(rgb)

    def line(self, x0: int, y0: int, x1: int, y1: int, rgb, width: int = 1) -> None:
        """Bresenham, thickened by a square brush."""
        dx, dy = abs(x1 - x0), -abs(y1 - y0)
        sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
        err = dx + dy
        r = range(-(width // 2), width - width // 2)
        while True:
            for ox in r:
                for oy in r:
                    self.dot(x0 + ox, y0 + oy, rgb)
            if x0 == x1 and y0 == y1:
                return
            e2 = 2 * err
            if e2 >= dy:
                err += dy
                x0 += sx
            if e2 <= dx:
                err += dx
                y0 += sy

    def text(self, x: int, y: int, s: str, rgb=(60, 60, 60), scale: int = 2) -> None:
        for ch in s:
            rows = _GLYPHS.get(ch, _GLYPHS[" "])
            for ry, bits in enumerate(rows):
                for rx in range(3):
                    if bits & (4 >> rx):
                        for a in range(scale):
                            for b in range(scale):
                                self.dot(x + rx * scale + a, y + ry * scale + b, rgb)
            x += 4 * scale

    def png(self) -> bytes:
        raw = b"".join(b"\x00" + bytes(self.px[3 * self.w * y: 3 * self.w * (y + 1)]) for y in range(self.h))

        def chunk(tag: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", self.w, self.h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def text_width(s: str, scale: int = 2) -> int:
    return len(s) * 4 * scale - scale


def burnup_png(points, width: int = 900, height: int = 360) -> bytes:
    """Total, the four lights and done over time; y from 0 to the largest total."""
    c = Canvas(width, height)
    left, right, top, bottom = 56, 16, 14, 34
    w, h = width - left - right, height - top - bottom
    n = len(points)
    ymax = max([1] + [p.total for p in points])

    def x(i: int) -> int:
        return left + (round(w * i / (n - 1)) if n > 1 else w // 2)

    def y(v: int) -> int:
        return top + h - round(h * v / ymax)

    for frac in (0, 0.25, 0.5, 0.75, 1):
        v = round(ymax * frac)
        c.line(left, y(v), left + w, y(v), (224, 224, 224))
        label = str(v)
        c.text(left - 8 - text_width(label), y(v) - 5, label)
    c.line(left, top, left, top + h, (150, 150, 150))
    c.line(left, top + h, left + w, top + h, (150, 150, 150))
    if n:
        for i in sorted({0, n // 2, n - 1}):
            label = points[i].day.isoformat()
            tx = min(max(x(i) - text_width(label) // 2, 0), width - text_width(label))
            c.text(tx, top + h + 10, label)
        series = [("total", [p.total for p in points])]
        series += [(k, [p.by_light[k] for p in points]) for k in ("red", "yellow", "blue", "green")]
        series.append(("done", [p.done for p in points]))
        for key, vals in series:
            pen = 4 if key == "done" else 2
            for i in range(1, n):
                c.line(x(i - 1), y(vals[i - 1]), x(i), y(vals[i]), SERIES_RGB[key], pen)
            if n == 1:
                c.line(x(0) - 3, y(vals[0]), x(0) + 3, y(vals[0]), SERIES_RGB[key], pen)
    return c.png()
