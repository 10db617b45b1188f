"""The font engine's one tool: reads a font (ttf, otf, woff, woff2, eot, svgfont), checks it is
what its format says, and writes it in another (or describes it). fontTools does the sfnt
containers (lossless flavour changes); fontforge (its Python module, imported only when needed)
converts outlines (TrueType <-> CFF) and reads and writes SVG fonts; EOT is read and written
here (an uncompressed EOT is a header in front of the sfnt).

Usage (every argument a file name or a word from a fixed list; the worker writes no script text):
  font-tool.py convert <input> <in-format> <output> <out-format> <keep|drop hinting>
    (out-format png or pdf: a specimen picture of the font, drawn by Pillow)
  font-tool.py info <input> <in-format>
Prints one JSON line describing the font. Exit code 3 with a one-line message on stderr: the
input is not a readable font of its format (the worker reports it as bad input).
"""
import io
import json
import os
import re
import shutil
import struct
import sys
import tempfile

from fontTools.ttLib import TTFont, TTLibError

FORMATS = ('ttf', 'otf', 'woff', 'woff2', 'eot', 'svgfont')
SPECIMENS = ('png', 'pdf')
# The specimen: a fixed width, the font's first characters at a few sizes (a bounded image).
SPECIMEN_WIDTH = 1200
SPECIMEN_MAX_HEIGHT = 1600
SPECIMEN_CHARACTERS = 190
SPECIMEN_SIZES = (16, 24, 36, 56)
# A WOFF/WOFF2 declaring an sfnt this many times its own size (and over MIN_BOMB_BYTES) is refused
# before it is decompressed: real fonts compress 2-5 times.
MAX_RATIO = 100
MIN_BOMB_BYTES = 16 * 1024 * 1024
EOT_MAGIC = 0x504C
EOT_COMPRESSED = 0x4
EOT_XOR = 0x10000000


class BadFont(Exception):
    """The input is not a readable font of its declared format."""


def read_head(path, size=64):
    with open(path, 'rb') as f:
        return f.read(size)


def check_bomb(path, fmt):
    head = read_head(path, 24)
    if len(head) < 24:
        raise BadFont('the file is too short for a %s header' % fmt.upper())
    declared = struct.unpack('>I', head[16:20])[0]
    actual = os.path.getsize(path)
    if declared > MIN_BOMB_BYTES and declared > MAX_RATIO * actual:
        raise BadFont('the %s declares %d bytes of font data, more than %d times its own size' % (fmt.upper(), declared, MAX_RATIO))


def eot_font_data(data):
    """The sfnt inside an EOT (versions 1.0, 2.1, 2.2), unobfuscated; MTX-compressed EOTs are refused."""
    if len(data) < 82:
        raise BadFont('the file is too short for an EOT header')
    eot_size, data_size, version, flags = struct.unpack_from('<IIII', data, 0)
    if struct.unpack_from('<H', data, 34)[0] != EOT_MAGIC:
        raise BadFont('the file has no EOT magic number')
    if eot_size > len(data) or data_size > eot_size:
        raise BadFont('the EOT header declares more bytes than the file has')
    if flags & EOT_COMPRESSED:
        raise BadFont('the EOT is MicroType Express compressed, which this server does not read')
    pos = 82

    def skip_sized(pos, padded=True):
        if padded:
            pos += 2
        if pos + 2 > eot_size:
            raise BadFont('the EOT header is cut short')
        (size,) = struct.unpack_from('<H', data, pos)
        return pos + 2 + size

    if version not in (0x00010000, 0x00020001, 0x00020002):
        raise BadFont('unknown EOT version 0x%08x' % version)
    pos = skip_sized(pos, padded=False)  # FamilyName (Padding1 is before the 82)
    for _ in range(3):  # StyleName, VersionName, FullName
        pos = skip_sized(pos)
    if version >= 0x00020001:
        pos = skip_sized(pos)  # RootString
    if version == 0x00020002:
        pos += 4 + 4  # RootStringCheckSum, EUDCCodePage
        pos = skip_sized(pos)  # Padding6, SignatureSize, Signature
        pos += 4  # EUDCFlags
        if pos + 4 > eot_size:
            raise BadFont('the EOT header is cut short')
        (eudc_size,) = struct.unpack_from('<I', data, pos)
        pos += 4 + eudc_size
    if pos + data_size > eot_size:
        raise BadFont('the EOT font data runs past the end of the file')
    font = data[pos:pos + data_size]
    if flags & EOT_XOR:
        font = bytes(b ^ 0x50 for b in font)
    return font


def check_svg_font(path):
    """An SVG font must be self-contained: no entities, no references to other files."""
    with open(path, 'rb') as f:
        raw = f.read()
    # The scan below reads the bytes as UTF-8: a UTF-16 or EBCDIC file would hide its markup from it.
    declared = re.search(rb'^\s*<\?xml[^>]*encoding\s*=\s*["\']([^"\']+)', raw)
    if b'\0' in raw or (declared and not re.match(rb'(utf-?8|us-ascii|ascii|iso-8859-\d+|latin-?1|windows-125\d)$', declared.group(1), re.I)):
        raise BadFont('the SVG is not UTF-8 (or ASCII-compatible) text')
    text = raw.decode('utf-8', 'replace')
    if re.search(r'<!ENTITY', text, re.I):
        raise BadFont('the SVG declares entities, which are refused')
    for ref in re.findall(r'href\s*=\s*["\']([^"\']*)', text, re.I):
        if not ref.startswith('#'):
            raise BadFont('the SVG refers to another file (%s), which is refused' % ref[:60])
    for ref in re.findall(r'url\(\s*["\']?([^"\')]*)', text, re.I):
        if not ref.startswith('#'):
            raise BadFont('the SVG refers to another file (%s), which is refused' % ref[:60])
    if not re.search(r'<(\w+:)?font[\s>]', text):
        raise BadFont('the SVG has no <font> element')


def open_with_fontforge(path):
    import fontforge  # noqa: PLC0415 (only conversions that change outlines pay for it)
    try:
        return fontforge.open(path, ('fstypepermitted', 'hidewindow'))
    except (OSError, EnvironmentError, TypeError) as error:
        raise BadFont('fontforge cannot read it: %s' % error)


def load(path, fmt, scratch):
    """The input as a TTFont (flavour cleared), checked to be a font of `fmt`."""
    head = read_head(path)
    if fmt == 'svgfont':
        check_svg_font(path)
        font = open_with_fontforge(path)
        if len(list(font.glyphs())) == 0:
            raise BadFont('the SVG font has no glyphs')
        sfnt = os.path.join(scratch, 'svgfont-input.ttf')
        font.generate(sfnt)
        font.close()
        return TTFont(sfnt)
    if fmt == 'eot':
        with open(path, 'rb') as f:
            source = io.BytesIO(eot_font_data(f.read()))
    else:
        magic = {'ttf': (b'\x00\x01\x00\x00', b'true'), 'otf': (b'OTTO',), 'woff': (b'wOFF',), 'woff2': (b'wOF2',)}[fmt]
        if not any(head.startswith(m) for m in magic):
            raise BadFont('the file does not start like a %s font' % fmt.upper())
        if fmt in ('woff', 'woff2'):
            check_bomb(path, fmt)
        source = path
    try:
        font = TTFont(source, lazy=False)
        font.flavor = None
        font.getGlyphOrder()
        if 'glyf' not in font and 'CFF ' not in font and 'CFF2' not in font:
            raise BadFont('the font has no outlines (no glyf or CFF table)')
        if 'name' not in font or 'cmap' not in font or 'maxp' not in font:
            raise BadFont('the font lacks a required table (name, cmap or maxp)')
        return font
    except TTLibError as error:
        raise BadFont(str(error))


def outlines(font):
    return 'truetype' if 'glyf' in font else 'cff'


def with_outlines(font, kind, scratch):
    """The font with `kind` outlines: itself, or fontforge's conversion (cubic <-> quadratic)."""
    if outlines(font) == kind:
        return font
    source = os.path.join(scratch, 'outlines-in.' + ('ttf' if outlines(font) == 'truetype' else 'otf'))
    target = os.path.join(scratch, 'outlines-out.' + ('ttf' if kind == 'truetype' else 'otf'))
    font.save(source)
    converted = open_with_fontforge(source)
    converted.generate(target)
    converted.close()
    result = TTFont(target)
    # fontforge rebuilds the names from what it understood (CID-keyed CFF fonts come back with
    # none): the names do not depend on the outlines, so the input's are kept.
    result['name'] = font['name']
    return result


def drop_hinting(font):
    from fontTools import subset  # noqa: PLC0415
    options = subset.Options()
    options.hinting = False
    options.glyph_names = True
    options.notdef_outline = True
    options.name_IDs = ['*']
    options.name_languages = ['*']
    options.name_legacy = True
    options.layout_features = ['*']
    options.legacy_kern = True
    options.symbol_cmap = True
    options.recalc_bounds = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(glyphs=font.getGlyphOrder())
    subsetter.subset(font)
    return font


def name_of(font, name_id):
    record = font['name'].getDebugName(name_id)
    return record if record is not None else ''


def utf16le(text):
    return text.encode('utf-16-le')


def eot_bytes(font):
    """An uncompressed EOT (version 2.1, no root string: usable from any site) around the sfnt."""
    buffer = io.BytesIO()
    font.save(buffer)
    data = buffer.getvalue()
    os2 = font['OS/2']
    panose = os2.panose
    panose_bytes = bytes([panose.bFamilyType, panose.bSerifStyle, panose.bWeight, panose.bProportion, panose.bContrast,
                          panose.bStrokeVariation, panose.bArmStyle, panose.bLetterForm, panose.bMidline, panose.bXHeight])
    names = b''
    for i, name_id in enumerate((1, 2, 5, 4)):
        encoded = utf16le(name_of(font, name_id))
        names += (b'' if i == 0 else b'\0\0') + struct.pack('<H', len(encoded)) + encoded
    names += b'\0\0' + struct.pack('<H', 0)  # Padding5, empty RootString
    header = struct.pack('<IIII', 0, len(data), 0x00020001, 0) + panose_bytes
    header += struct.pack('<BBIHH', 1, 1 if os2.fsSelection & 1 else 0, os2.usWeightClass, os2.fsType, EOT_MAGIC)
    header += struct.pack('<IIII', os2.ulUnicodeRange1, os2.ulUnicodeRange2, os2.ulUnicodeRange3, os2.ulUnicodeRange4)
    header += struct.pack('<II', getattr(os2, 'ulCodePageRange1', 0), getattr(os2, 'ulCodePageRange2', 0))
    header += struct.pack('<I', font['head'].checkSumAdjustment) + b'\0' * 16 + b'\0\0'
    header += names
    total = len(header) + len(data)
    return struct.pack('<I', total) + header[4:] + data


def wrap(draw, face, text, width):
    """`text` in lines no wider than `width` pixels in `face` (characters, not words: a sample of glyphs)."""
    lines, line = [], ''
    for char in text:
        if line and draw.textlength(line + char, font=face) > width:
            lines.append(line)
            line = ''
        line += char
    return lines + ([line] if line else [])


def specimen(font, output, out_fmt, scratch):
    """A picture of the font: its name, then its characters at SPECIMEN_SIZES, black on white."""
    from PIL import Image, ImageDraw, ImageFont  # noqa: PLC0415
    source = os.path.join(scratch, 'specimen.' + ('ttf' if outlines(font) == 'truetype' else 'otf'))
    font.flavor = None
    font.save(source)
    chars = ''.join(chr(c) for c in sorted(font.getBestCmap() or {}) if chr(c).isprintable() and not chr(c).isspace())[:SPECIMEN_CHARACTERS]
    label = ImageFont.load_default()
    margin, y, blocks = 24, 24, []
    probe = ImageDraw.Draw(Image.new('L', (1, 1)))
    for size in SPECIMEN_SIZES:
        face = ImageFont.truetype(source, size)
        lines = wrap(probe, face, chars or '?', SPECIMEN_WIDTH - 2 * margin)
        blocks.append((size, face, lines))
        y += 16 + len(lines) * int(size * 1.3) + 12
    height = min(SPECIMEN_MAX_HEIGHT, y + 40)
    image = Image.new('L', (SPECIMEN_WIDTH, height), 255)
    draw = ImageDraw.Draw(image)
    draw.text((margin, 12), '%s %s - %d glyphs' % (name_of(font, 1), name_of(font, 2), len(font.getGlyphOrder())), font=label, fill=0)
    y = 40
    for size, face, lines in blocks:
        draw.text((margin, y), '%d px' % size, font=label, fill=96)
        y += 16
        for line in lines:
            if y + size > height:
                break
            draw.text((margin, y), line, font=face, fill=0)
            y += int(size * 1.3)
        y += 12
    image.save(output, 'PNG' if out_fmt == 'png' else 'PDF', **({'resolution': 150.0} if out_fmt == 'pdf' else {}))


def describe(font, fmt):
    cmap = font.getBestCmap() or {}
    return {
        'format': fmt,
        'family': name_of(font, 16) or name_of(font, 1),
        'style': name_of(font, 17) or name_of(font, 2),
        'full_name': name_of(font, 4),
        'version': name_of(font, 5),
        'glyphs': len(font.getGlyphOrder()),
        'characters': len(cmap),
        'outlines': outlines(font),
        'units_per_em': font['head'].unitsPerEm,
    }


def convert(path, in_fmt, output, out_fmt, hinting, scratch):
    font = load(path, in_fmt, scratch)
    if out_fmt in SPECIMENS:
        specimen(font, output, out_fmt, scratch)
        return describe(font, in_fmt)
    if hinting == 'drop':
        font = drop_hinting(font)
    wanted = {'ttf': 'truetype', 'otf': 'cff', 'eot': 'truetype', 'svgfont': 'truetype'}.get(out_fmt, outlines(font))
    font = with_outlines(font, wanted, scratch)
    if out_fmt == 'eot':
        with open(output, 'wb') as f:
            f.write(eot_bytes(font))
    elif out_fmt == 'svgfont':
        # From TrueType outlines (fontforge names the font from its tables, not from a CID CFF);
        # fontforge picks the output format from the name's extension: .svg.
        source = os.path.join(scratch, 'svgfont-output.ttf')
        target = os.path.join(scratch, 'svgfont-output.svg')
        font.save(source)
        converted = open_with_fontforge(source)
        converted.generate(target)
        converted.close()
        os.replace(target, output)
    else:
        font.flavor = out_fmt if out_fmt in ('woff', 'woff2') else None
        font.save(output)
    return describe(font, out_fmt)


def main(argv):
    command = argv[1] if len(argv) > 1 else ''
    # Intermediate files in a folder of their own under TMPDIR (the job's folder in the sandbox).
    scratch = tempfile.mkdtemp(prefix='font-tool-')
    try:
        if command == 'convert' and len(argv) == 7 and argv[3] in FORMATS and argv[5] in FORMATS + SPECIMENS and argv[6] in ('keep', 'drop'):
            result = convert(argv[2], argv[3], argv[4], argv[5], argv[6], scratch)
        elif command == 'info' and len(argv) == 4 and argv[3] in FORMATS:
            result = describe(load(argv[2], argv[3], scratch), argv[3])
        else:
            sys.stderr.write('usage: font-tool.py convert <in> <fmt> <out> <fmt> <keep|drop> | info <in> <fmt>\n')
            return 2
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    sys.stdout.write(json.dumps(result) + '\n')
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main(sys.argv))
    except BadFont as error:
        sys.stderr.write('BADFONT: %s\n' % str(error).split('\n')[0])
        sys.exit(3)
    except (struct.error, KeyError, AssertionError, ValueError, EOFError, IndexError) as error:
        # fontTools raises these on corrupt tables it reads lazily.
        sys.stderr.write('BADFONT: the font is damaged (%s: %s)\n' % (type(error).__name__, str(error).split('\n')[0]))
        sys.exit(3)
