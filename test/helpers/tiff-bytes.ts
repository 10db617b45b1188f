// Multi-page TIFFs written byte by byte, with pages of different sizes (which sharp cannot write):
// 8-bit grey, one PackBits strip per page, so a page of millions of pixels takes a few kB.

/** PackBits of `height` rows of `width` bytes of `value`: runs of up to 128, none across rows. */
function packbits(width: number, height: number, value: number): Buffer {
  const row: number[] = [];
  for (let left = width; left > 0; left -= 128) row.push(257 - Math.min(128, left), value);
  return Buffer.concat(Array.from({ length: height }, () => Buffer.from(row)));
}

interface Tag {
  readonly tag: number;
  readonly type: 3 | 4; // SHORT, LONG
  readonly value: number;
}

function ifd(tags: readonly Tag[], next: number): Buffer {
  const out = Buffer.alloc(2 + tags.length * 12 + 4);
  out.writeUInt16LE(tags.length, 0);
  tags.forEach((t, i) => {
    const at = 2 + i * 12;
    out.writeUInt16LE(t.tag, at);
    out.writeUInt16LE(t.type, at + 2);
    out.writeUInt32LE(1, at + 4);
    if (t.type === 3) out.writeUInt16LE(t.value, at + 8);
    else out.writeUInt32LE(t.value, at + 8);
  });
  out.writeUInt32LE(next, out.length - 4);
  return out;
}

/** A little-endian TIFF with one grey page of each size, in order. */
export function tiffPages(pages: ReadonlyArray<{ readonly width: number; readonly height: number }>): Buffer {
  const parts: Buffer[] = [Buffer.from([0x49, 0x49, 42, 0, 8, 0, 0, 0])];
  let offset = 8;
  pages.forEach(({ width, height }, index) => {
    const strip = packbits(width, height, 0x80);
    const tags = (stripOffset: number): Tag[] => [
      { tag: 256, type: 4, value: width },
      { tag: 257, type: 4, value: height },
      { tag: 258, type: 3, value: 8 },
      { tag: 259, type: 3, value: 32773 }, // PackBits
      { tag: 262, type: 3, value: 1 }, // black is zero
      { tag: 273, type: 4, value: stripOffset },
      { tag: 277, type: 3, value: 1 },
      { tag: 278, type: 4, value: height },
      { tag: 279, type: 4, value: strip.length },
    ];
    const size = ifd(tags(0), 0).length;
    const next = index === pages.length - 1 ? 0 : offset + size + strip.length;
    parts.push(ifd(tags(offset + size), next), strip);
    offset += size + strip.length;
  });
  return Buffer.concat(parts);
}
