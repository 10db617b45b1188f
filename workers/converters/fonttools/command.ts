// Pure builders for the font engine: font-tool.py's arguments, the output's file name, and the
// reading of what the tool prints (its summary of the font, or why the input is no font).
import type { EngineOptions, Format } from '../../../src/core/catalog/index.js';
import { FONT_FORMATS_READ, FONT_SPECIMENS } from '../../../src/core/catalog/engines/font.js';

type FontOptions = EngineOptions['fonttools'];
export type FontFormat = (typeof FONT_FORMATS_READ)[number];

export const isFontFormat = (format: Format): format is FontFormat => (FONT_FORMATS_READ as readonly string[]).includes(format);

function fontFormat(format: Format): FontFormat {
  if (!isFontFormat(format)) throw new Error(`the font engine has no ${format}`);
  return format;
}

/** A font format, or a specimen's (png, pdf). */
function outputFormat(format: Format): string {
  return (FONT_SPECIMENS as readonly string[]).includes(format) ? format : fontFormat(format);
}

function absolute(...paths: string[]): void {
  if (paths.some((p) => !p.startsWith('/'))) throw new Error('font-tool.py paths must be absolute');
}

/**
 * `python3 -I font-tool.py convert ...`: -I (isolated) so no PYTHON* variable or user folder
 * changes what runs; every value a path or a word of a fixed list, each its own argv entry.
 */
export function buildFontConvertArgs(script: string, input: string, inputFormat: Format, output: string, target: Format, options: FontOptions): string[] {
  absolute(script, input, output);
  return ['-I', script, 'convert', input, fontFormat(inputFormat), output, outputFormat(target), options.hinting === false ? 'drop' : 'keep'];
}

/** `python3 -I font-tool.py info <input> <format>`. */
export function buildFontInfoArgs(script: string, input: string, inputFormat: Format): string[] {
  absolute(script, input);
  return ['-I', script, 'info', input, fontFormat(inputFormat)];
}

/** The output's name: SVG fonts are .svg files (the catalog calls the format svgfont only to tell it from drawings). */
export function fontOutputName(outputName: string, outputFormat: Format): string {
  return `${outputName}.${outputFormat === 'svgfont' ? 'svg' : outputFormat}`;
}

/** What font-tool.py prints of a font (its last stdout line). */
export interface FontSummary {
  readonly format: string;
  readonly family: string;
  readonly style: string;
  readonly full_name: string;
  readonly version: string;
  readonly glyphs: number;
  readonly characters: number;
  readonly outlines: 'truetype' | 'cff';
  readonly units_per_em: number;
}

/** The summary font-tool.py printed; throws when its output is not one (a broken install). */
export function parseFontSummary(stdout: string): FontSummary {
  const line = stdout.trim().split('\n').pop() ?? '';
  const parsed = JSON.parse(line) as Partial<FontSummary>;
  if (typeof parsed.family !== 'string' || typeof parsed.glyphs !== 'number' || (parsed.outlines !== 'truetype' && parsed.outlines !== 'cff')) {
    throw new Error(`font-tool.py printed no font summary: ${line.slice(0, 200)}`);
  }
  return parsed as FontSummary;
}

/** Exit code of font-tool.py for an input that is not a readable font of its format. */
export const BAD_FONT_EXIT = 3;

/** Why the input is no font, from font-tool.py's stderr (its BADFONT line), or undefined. */
export function badFontReason(stderr: string): string | undefined {
  const line = stderr.split('\n').find((l) => l.startsWith('BADFONT: '));
  return line?.slice('BADFONT: '.length).trim().slice(0, 300);
}
