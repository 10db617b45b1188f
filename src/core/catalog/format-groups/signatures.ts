// Signatures that several formats share (a container format under several names).
import type { Signature } from './format-info.js';

/** ISO base media (MP4, MOV, M4A, 3GP, HEIF): a box type at byte 4, ftyp first in files written today. */
export const ISO_MEDIA: Signature = { magic: [{ at: 4, ascii: 'ftyp' }, { at: 4, ascii: 'moov' }, { at: 4, ascii: 'mdat' }, { at: 4, ascii: 'wide' }, { at: 4, ascii: 'free' }, { at: 4, ascii: 'skip' }] };
/** Matroska and WebM: the EBML header. */
export const EBML: Signature = { magic: [{ hex: '1a45dfa3' }] };
/** ASF (WMV, WMA): the header object GUID. */
export const ASF: Signature = { magic: [{ hex: '3026b2758e66cf11' }] };
/** Ogg pages (Theora, Vorbis, Opus, FLAC in Ogg). */
export const OGG: Signature = { magic: [{ ascii: 'OggS' }] };
/** OLE2 compound files (Word 97, Excel 97, PowerPoint 97 and more). */
export const OLE2: Signature = { magic: [{ hex: 'd0cf11e0a1b11ae1' }] };
/** ZIP local file header (OOXML, OpenDocument, EPUB and more). */
export const ZIP: Signature = { magic: [{ ascii: 'PK\x03\x04' }] };
