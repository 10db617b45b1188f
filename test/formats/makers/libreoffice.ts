// Sample makers shared by the office parts of the format matrix: files written here, and files
// LibreOffice converts from them. One soffice start at a time for all parts: each takes a core
// for seconds, and the worker under test runs its own.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { tool } from '../content.js';
import type { SampleMaker } from '../types.js';

/** A file written in the sample's folder. */
export const written = (name: string, content: string | (() => string)): SampleMaker => async (dir) => {
  const file = path.join(dir, name);
  await writeFile(file, typeof content === 'string' ? content : content());
  return file;
};

let libreOfficeTurn: Promise<unknown> = Promise.resolve();

/**
 * LibreOffice converts the sample `from` makes to `ext` (with the export `filter` when given:
 * `--convert-to ext:filter`), with a profile of its own. Returns the converted file's path.
 */
export const byLibreOffice = (ext: string, from: SampleMaker, filter?: string): SampleMaker => async (dir) => {
  const source = await from(dir);
  const convert = async (): Promise<void> => {
    const profile = await mkdtemp(path.join(os.tmpdir(), 'oc-matrix-lo-'));
    try {
      await tool('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', filter === undefined ? ext : `${ext}:${filter}`, '--outdir', dir, source]);
    } finally {
      await rm(profile, { recursive: true, force: true });
    }
  };
  const turn = libreOfficeTurn.then(convert);
  libreOfficeTurn = turn.catch(() => undefined);
  await turn;
  return path.join(dir, `${path.basename(source, path.extname(source))}.${ext}`);
};

/** A flat OpenDocument drawing of two pages, for LibreOffice Draw to save as odg or otg. */
export const FODG = `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.graphics">
 <office:master-styles><style:master-page style:name="Default"/></office:master-styles>
 <office:body><office:drawing>
  <draw:page draw:name="one" draw:master-page-name="Default"><draw:rect svg:x="2cm" svg:y="2cm" svg:width="6cm" svg:height="3cm"><text:p>Drawing one</text:p></draw:rect></draw:page>
  <draw:page draw:name="two" draw:master-page-name="Default"><draw:ellipse svg:x="2cm" svg:y="2cm" svg:width="6cm" svg:height="3cm"><text:p>Drawing two</text:p></draw:ellipse></draw:page>
 </office:drawing></office:body>
</office:document>
`;
