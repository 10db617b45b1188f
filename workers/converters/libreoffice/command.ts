// Pure builders for the LibreOffice engine: the soffice command line of a pool instance and the
// bridge request (import filter, export filter, filter data) of one conversion.
import type { EngineOptions, Format } from '../../../src/core/catalog/index.js';
import { appError } from '../../../src/core/errors.js';

type Family = 'writer' | 'calc' | 'impress' | 'draw';

const FAMILY: Readonly<Partial<Record<Format, Family>>> = {
  doc: 'writer', docx: 'writer', odt: 'writer', rtf: 'writer', txt: 'writer', html: 'writer',
  xls: 'calc', xlsx: 'calc', ods: 'calc', csv: 'calc',
  ppt: 'impress', pptx: 'impress', odp: 'impress',
  docm: 'writer', dotx: 'writer', dot: 'writer', fodt: 'writer', abw: 'writer',
  xlsm: 'calc', fods: 'calc',
  pptm: 'impress', ppsx: 'impress', pps: 'impress', potx: 'impress', fodp: 'impress',
  ott: 'writer',
  ots: 'calc', xltx: 'calc', xlt: 'calc', dif: 'calc', slk: 'calc',
  otp: 'impress',
  odg: 'draw', otg: 'draw',
  pdf: 'writer',
};

/** A PDF opens in Draw (editable shapes) when the output is a drawing, else in Writer. */
function familyOf(input: Format, output: Format): Family | undefined {
  return input === 'pdf' && (output === 'odg' || output === 'otg') ? 'draw' : FAMILY[input];
}

/** CSV as LibreOffice's filter options: comma, double quote, UTF-8 (76), from line 1. */
const CSV_OPTIONS = '44,34,76,1';

interface Filter {
  readonly name: string;
  readonly options?: string;
}

/**
 * Import filters, always named: LibreOffice then never guesses a type from the content, so a
 * corrupt .docx fails instead of opening as plain text.
 */
const IMPORT: Readonly<Partial<Record<Format, Filter>>> = {
  doc: { name: 'MS Word 97' },
  docx: { name: 'MS Word 2007 XML' },
  odt: { name: 'writer8' },
  rtf: { name: 'Rich Text Format' },
  txt: { name: 'Text (encoded)', options: 'UTF8' },
  html: { name: 'HTML (StarWriter)' },
  xls: { name: 'MS Excel 97' },
  xlsx: { name: 'Calc MS Excel 2007 XML' },
  ods: { name: 'calc8' },
  csv: { name: 'Text - txt - csv (StarCalc)', options: CSV_OPTIONS },
  ppt: { name: 'MS PowerPoint 97' },
  pptx: { name: 'Impress MS PowerPoint 2007 XML' },
  odp: { name: 'impress8' },
  pdf: { name: 'writer_pdf_import' },
  docm: { name: 'MS Word 2007 XML VBA' },
  dotx: { name: 'MS Word 2007 XML Template' },
  dot: { name: 'MS Word 97 Vorlage' },
  fodt: { name: 'OpenDocument Text Flat XML' },
  abw: { name: 'AbiWord' },
  xlsm: { name: 'Calc MS Excel 2007 VBA XML' },
  fods: { name: 'OpenDocument Spreadsheet Flat XML' },
  pptm: { name: 'Impress MS PowerPoint 2007 XML VBA' },
  ppsx: { name: 'Impress MS PowerPoint 2007 XML AutoPlay' },
  pps: { name: 'MS PowerPoint 97 AutoPlay' },
  potx: { name: 'Impress MS PowerPoint 2007 XML Template' },
  fodp: { name: 'OpenDocument Presentation Flat XML' },
  odg: { name: 'draw8' },
  ott: { name: 'writer8_template' },
  ots: { name: 'calc8_template' },
  xltx: { name: 'Calc MS Excel 2007 XML Template' },
  xlt: { name: 'MS Excel 97 Vorlage/Template' },
  dif: { name: 'DIF' },
  slk: { name: 'SYLK' },
  otp: { name: 'impress8_template' },
  otg: { name: 'draw8_template' },
};

/** Import filters that depend on the output too (a PDF read by Draw instead of Writer). */
const importFilter = (input: Format, family: Family): Filter | undefined => (input === 'pdf' && family === 'draw' ? { name: 'draw_pdf_import' } : IMPORT[input]);

const EXPORT: Readonly<Record<Family, Readonly<Partial<Record<Format, Filter>>>>> = {
  writer: {
    pdf: { name: 'writer_pdf_Export' },
    doc: { name: 'MS Word 97' },
    docx: { name: 'MS Word 2007 XML' },
    odt: { name: 'writer8' },
    rtf: { name: 'Rich Text Format' },
    txt: { name: 'Text (encoded)', options: 'UTF8' },
    html: { name: 'HTML (StarWriter)' },
    docm: { name: 'MS Word 2007 XML VBA' },
    dotx: { name: 'MS Word 2007 XML Template' },
    dot: { name: 'MS Word 97 Vorlage' },
    fodt: { name: 'OpenDocument Text Flat XML' },
    ott: { name: 'writer8_template' },
  },
  calc: {
    pdf: { name: 'calc_pdf_Export' },
    xls: { name: 'MS Excel 97' },
    xlsx: { name: 'Calc MS Excel 2007 XML' },
    ods: { name: 'calc8' },
    csv: { name: 'Text - txt - csv (StarCalc)', options: CSV_OPTIONS },
    xlsm: { name: 'Calc MS Excel 2007 VBA XML' },
    fods: { name: 'OpenDocument Spreadsheet Flat XML' },
    ots: { name: 'calc8_template' },
    xltx: { name: 'Calc MS Excel 2007 XML Template' },
    xlt: { name: 'MS Excel 97 Vorlage/Template' },
    dif: { name: 'DIF' },
    slk: { name: 'SYLK' },
  },
  impress: {
    pdf: { name: 'impress_pdf_Export' },
    ppt: { name: 'MS PowerPoint 97' },
    pptx: { name: 'Impress MS PowerPoint 2007 XML' },
    odp: { name: 'impress8' },
    pptm: { name: 'Impress MS PowerPoint 2007 XML VBA' },
    pps: { name: 'MS PowerPoint 97 AutoPlay' },
    potx: { name: 'Impress MS PowerPoint 2007 XML Template' },
    fodp: { name: 'OpenDocument Presentation Flat XML' },
    otp: { name: 'impress8_template' },
  },
  draw: {
    pdf: { name: 'draw_pdf_Export' },
    odg: { name: 'draw8' },
    otg: { name: 'draw8_template' },
  },
};

/** A page_range whose parts count from page 1 up (LibreOffice silently exports nothing otherwise). */
function checkPageRange(range: string): string {
  for (const part of range.split(',')) {
    const [from, to = from] = part.split('-').map(Number) as [number, number?];
    if (from < 1 || to < from) throw appError('INVALID_OPTION', `converteroptions[page_range] part "${part}" is not a range of pages from 1 up, such as 1-3,5.`);
  }
  return range;
}

/** One conversion as the bridge script (bridge.py) reads it. */
export interface BridgeConvertRequest {
  readonly op: 'convert';
  readonly input: string;
  readonly output: string;
  readonly load: Readonly<Record<string, string>>;
  readonly store: Readonly<Record<string, string>>;
  readonly filterData: Readonly<Record<string, string | number | boolean>>;
  /** Documents with more pages are refused right after loading (0: no limit). */
  readonly maxPages: number;
}

const withOptions = (filter: Filter): Record<string, string> => (filter.options === undefined ? { FilterName: filter.name } : { FilterName: filter.name, FilterOptions: filter.options });

/** The bridge request for one conversion; throws for a pair the catalog does not list. */
export function buildConvertRequest(input: string, output: string, inputFormat: Format, outputFormat: Format, options: EngineOptions['libreoffice'], maxPages = 0): BridgeConvertRequest {
  const family = familyOf(inputFormat, outputFormat);
  const importWith = family === undefined ? undefined : importFilter(inputFormat, family);
  const exportFilter = family === undefined ? undefined : EXPORT[family][outputFormat];
  if (family === undefined || importWith === undefined || exportFilter === undefined) throw new Error(`LibreOffice has no filter for ${inputFormat} to ${outputFormat}`);
  const load = options.password === null ? withOptions(importWith) : { ...withOptions(importWith), Password: options.password };
  const filterData: Record<string, string | number | boolean> = {};
  if (outputFormat === 'pdf') {
    if (options.page_range !== null) filterData['PageRange'] = checkPageRange(options.page_range);
    // 2 = PDF/A-2b in LibreOffice's SelectPdfVersion.
    if (options.pdf_a === true) filterData['SelectPdfVersion'] = 2;
  }
  return { op: 'convert', input, output, load, store: withOptions(exportFilter), filterData, maxPages };
}

export interface InstanceCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * The command of one pool instance: soffice.bin itself (not the oosplash wrapper, so the pid we
 * hold is the office process), headless, listening on a named pipe (a Unix socket in /tmp: no
 * TCP port, and it works across the sandbox's network namespaces), with its own profile.
 */
export function buildInstanceCommand(soffice: string, profileDir: string, pipeName: string): InstanceCommand {
  const office = [
    '--headless', '--invisible', '--nologo', '--norestore', '--nodefault', '--nolockcheck', '--nofirststartwizard',
    `--accept=pipe,name=${pipeName};urp;`,
    `-env:UserInstallation=${profileUrl(profileDir)}`,
  ];
  return { command: soffice, args: office };
}

/** A file:// URL of a folder, percent-encoding what a URL cannot hold. */
export function profileUrl(dir: string): string {
  return `file://${dir.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * Settings written into each new profile (user/registrymodifications.xcu). BlockUntrustedRefererLinks
 * stops documents from pulling in linked files: without it an HTML page's
 * <img src="file:///..."> embeds any image the worker can read into the output.
 */
export const PROFILE_SETTINGS = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
`;
