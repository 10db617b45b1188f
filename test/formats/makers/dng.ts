// A tiny DNG written byte by byte: a little-endian TIFF whose one IFD holds a 16-bit RGGB Bayer
// mosaic (PhotometricInterpretation CFA) with the DNG tags LibRaw needs to develop it (version,
// colour matrix, white balance, black and white levels). No tool on Debian writes a DNG, and the
// format is open (Adobe's DNG 1.4 specification), so the test writes one.

type TagType = 1 | 2 | 3 | 4 | 5 | 10; // BYTE, ASCII, SHORT, LONG, RATIONAL, SRATIONAL
interface Tag {
  readonly tag: number;
  readonly type: TagType;
  readonly values: readonly number[] | string;
}

const SIZE: Record<TagType, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 10: 8 };

function encodeValues(tag: Tag): Buffer {
  if (typeof tag.values === 'string') return Buffer.from(`${tag.values}\0`, 'latin1');
  const out = Buffer.alloc(tag.values.length * SIZE[tag.type]);
  tag.values.forEach((v, i) => {
    const at = i * SIZE[tag.type];
    if (tag.type === 1) out.writeUInt8(v, at);
    else if (tag.type === 3) out.writeUInt16LE(v, at);
    else if (tag.type === 4) out.writeUInt32LE(v, at);
    else {
      // rationals as value/10000
      const write = tag.type === 5 ? out.writeUInt32LE.bind(out) : out.writeInt32LE.bind(out);
      write(Math.round(v * 10000), at);
      out.writeUInt32LE(10000, at + 4);
    }
  });
  return out;
}

/** A `width`×`height` DNG (both even) of a smooth colour gradient, uncompressed. */
export function dngBytes(width = 64, height = 48): Buffer {
  const pixels = Buffer.alloc(width * height * 2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // RGGB: R at (even, even), B at (odd, odd), G elsewhere.
      const r = (x * 4000) / width;
      const g = (y * 4000) / height;
      const b = 4000 - r;
      const value = y % 2 === 0 ? (x % 2 === 0 ? r : g) : x % 2 === 0 ? g : b;
      pixels.writeUInt16LE(Math.round(256 + value), (y * width + x) * 2);
    }
  }
  const tags = (stripOffset: number): Tag[] => [
    { tag: 254, type: 4, values: [0] },
    { tag: 256, type: 4, values: [width] },
    { tag: 257, type: 4, values: [height] },
    { tag: 258, type: 3, values: [16] },
    { tag: 259, type: 3, values: [1] },
    { tag: 262, type: 3, values: [32803] }, // CFA
    { tag: 271, type: 2, values: 'openconvert' },
    { tag: 272, type: 2, values: 'test sensor' },
    { tag: 273, type: 4, values: [stripOffset] },
    { tag: 274, type: 3, values: [1] },
    { tag: 277, type: 3, values: [1] },
    { tag: 278, type: 4, values: [height] },
    { tag: 279, type: 4, values: [pixels.length] },
    { tag: 284, type: 3, values: [1] },
    { tag: 33421, type: 3, values: [2, 2] }, // CFARepeatPatternDim
    { tag: 33422, type: 1, values: [0, 1, 1, 2] }, // CFAPattern: RGGB
    { tag: 50706, type: 1, values: [1, 4, 0, 0] }, // DNGVersion
    { tag: 50707, type: 1, values: [1, 1, 0, 0] }, // DNGBackwardVersion
    { tag: 50708, type: 2, values: 'openconvert test sensor' }, // UniqueCameraModel
    { tag: 50714, type: 4, values: [256] }, // BlackLevel
    { tag: 50717, type: 4, values: [4351] }, // WhiteLevel
    { tag: 50721, type: 10, values: [1, 0, 0, 0, 1, 0, 0, 0, 1] }, // ColorMatrix1
    { tag: 50728, type: 5, values: [1, 1, 1] }, // AsShotNeutral
    { tag: 50778, type: 3, values: [21] }, // CalibrationIlluminant1: D65
  ];
  // Layout: header, IFD, out-of-line values, pixels.
  const count = tags(0).length;
  const ifdSize = 2 + count * 12 + 4;
  const dataStart = 8 + ifdSize;
  const build = (stripOffset: number): { ifd: Buffer; data: Buffer } => {
    const ifd = Buffer.alloc(ifdSize);
    const data: Buffer[] = [];
    let dataLength = 0;
    ifd.writeUInt16LE(count, 0);
    tags(stripOffset).forEach((tag, i) => {
      const at = 2 + i * 12;
      const bytes = encodeValues(tag);
      ifd.writeUInt16LE(tag.tag, at);
      ifd.writeUInt16LE(tag.type, at + 2);
      ifd.writeUInt32LE(typeof tag.values === 'string' ? bytes.length : tag.values.length, at + 4);
      if (bytes.length <= 4) bytes.copy(ifd, at + 8);
      else {
        ifd.writeUInt32LE(dataStart + dataLength, at + 8);
        const padded = bytes.length % 2 === 0 ? bytes : Buffer.concat([bytes, Buffer.alloc(1)]);
        data.push(padded);
        dataLength += padded.length;
      }
    });
    ifd.writeUInt32LE(0, ifdSize - 4);
    return { ifd, data: Buffer.concat(data) };
  };
  const dataLength = build(0).data.length;
  const { ifd, data } = build(dataStart + dataLength);
  return Buffer.concat([Buffer.from([0x49, 0x49, 42, 0, 8, 0, 0, 0]), ifd, data, pixels]);
}
