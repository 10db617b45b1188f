// The 3D model engine: assimp's command line converts between mesh formats and describes a model
// (mode=info), in the tool sandbox. Inputs are staged under their format's extension (assimp picks
// its reader by it), checked for vertex counts their headers declare and, for glTF, for files or
// URLs they would load; glTF outputs get their buffers embedded, so each is one file.
import { link, copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { appError, AppError } from '../../../src/core/errors.js';
import { readHead } from '../../../src/core/file-signatures.js';
import { ToolError } from '../../tools/run-tool.js';
import type { ConvertRequest, Converter, ConverterContext, InfoReader, InfoRequest, InfoResult, OutputFile } from '../types.js';
import { assimpExportArgs, externalUris, glbJson, gltfVertices, hasObjVertex, isLocalFileName, parseAssimpInfo, parseGltf, plyVertices, stlVertices } from './command.js';
import type { Format } from '../../../src/core/catalog/index.js';

export interface ModelEngineSettings {
  readonly assimp: string;
  /** Models declaring more vertices are refused before assimp loads them. */
  readonly maxVertices: number;
}

/** A GLB's JSON chunk and a PLY's header lie in the file's first bytes. */
const HEAD_BYTES = 4 * 1024 * 1024;
/** An OBJ's first vertex line comes within this many bytes (after comments, mtllib, o and g lines). */
const OBJ_HEAD_BYTES = 1024 * 1024;
/** glTF JSON up to this size is parsed for its vertex count (larger: its uris are still checked). */
const GLTF_PARSE_BYTES = 32 * 1024 * 1024;

/** The vertex count a model's header declares, where its format has one; also refuses glTF that loads other files. */
async function declaredVertices(file: string, format: Format): Promise<number | undefined> {
  if (format === 'stl') return stlVertices(await readHead(file, 84), (await stat(file)).size);
  if (format === 'ply') return plyVertices(await readHead(file, 64 * 1024));
  // assimp's OBJ reader takes any text as a model without meshes, and writes an empty file of it.
  if (format === 'obj' && !hasObjVertex(await readHead(file, OBJ_HEAD_BYTES))) {
    throw appError('CONVERSION_FAILED', `The obj file has no vertex line ("v x y z") in its first ${OBJ_HEAD_BYTES / 2 ** 20} MB: it is not a Wavefront OBJ mesh.`);
  }
  if (format !== 'glb' && format !== 'gltf') return undefined;
  const { size } = await stat(file);
  const text = format === 'glb' ? glbJson(await readHead(file, HEAD_BYTES)) : (await readFile(file)).toString('utf8');
  if (text === undefined) throw appError('CONVERSION_FAILED', 'The glb file has no JSON chunk where glTF 2.0 puts it: it is damaged or not a glb.');
  const external = /"uri"\s*:\s*"(?!data:)/.test(text);
  if (external) throw appError('CONVERSION_FAILED', `The ${format} file refers to files beside it or URLs, which are never loaded. Send a glb, or a gltf with its buffers and images embedded as data: URIs.`);
  if (format === 'gltf' && size > GLTF_PARSE_BYTES) return undefined;
  const gltf = parseGltf(text);
  if (gltf === undefined) throw appError('CONVERSION_FAILED', `The ${format} file's JSON does not parse: it is damaged or not glTF.`);
  if (externalUris(gltf).length > 0) throw appError('CONVERSION_FAILED', `The ${format} file refers to files beside it or URLs, which are never loaded. Send a glb, or a gltf with its buffers and images embedded.`);
  return gltfVertices(gltf);
}

/** The input under a fixed name with its format's extension, in a folder of its own. */
async function stage(inputPath: string, format: Format, workDir: string, maxVertices: number): Promise<string> {
  const vertices = await declaredVertices(inputPath, format);
  if (vertices !== undefined && vertices > maxVertices) {
    throw appError('CONVERSION_FAILED', `The model has ${vertices} vertices, more than the limit of ${maxVertices} (MODEL_MAX_VERTICES). Simplify it first.`);
  }
  const dir = path.join(workDir, 'model-input');
  await mkdir(dir, { recursive: true });
  const staged = path.join(dir, `model.${format}`);
  await link(inputPath, staged).catch(() => copyFile(inputPath, staged));
  return staged;
}

/** The line of assimp's output that says what went wrong ("ERROR: ..."), without paths. */
function assimpError(error: ToolError): string {
  const lines = error.stderrTail.split('\n').map((l) => l.replace(/\/\S+\//g, '').trim()).filter((l) => l.length > 0);
  const line = lines.find((l) => /error|unable|failed/i.test(l)) ?? lines.pop();
  if (error.signal === 'SIGSEGV' || error.signal === 'SIGABRT') return `it crashed (${error.signal}) on this file`;
  return (line ?? `exit code ${error.exitCode ?? error.signal ?? '?'}`).slice(0, 300);
}

/** The glTF with every buffer assimp wrote beside it embedded as a data: URI. */
async function embedBuffers(gltfPath: string): Promise<Buffer> {
  const gltf = parseGltf(await readFile(gltfPath, 'utf8')) as { buffers?: Array<{ uri?: unknown }> } | undefined;
  if (gltf === undefined) throw appError('CONVERSION_FAILED', 'assimp wrote a gltf that does not parse.');
  for (const buffer of gltf.buffers ?? []) {
    if (typeof buffer.uri !== 'string' || buffer.uri.startsWith('data:')) continue;
    if (!isLocalFileName(buffer.uri)) throw appError('CONVERSION_FAILED', 'assimp wrote a gltf buffer outside its folder.');
    buffer.uri = `data:application/octet-stream;base64,${(await readFile(path.join(path.dirname(gltfPath), buffer.uri))).toString('base64')}`;
  }
  return Buffer.from(JSON.stringify(gltf));
}

export function createModelEngine(settings: ModelEngineSettings): Converter<'assimp'> & InfoReader<'assimp'> {
  async function assimp(args: string[], context: ConverterContext, maxStdout?: number): Promise<string> {
    const { stdout } = await context.tools.run(settings.assimp, args, { signal: context.signal, ...(maxStdout === undefined ? { onStdout: () => undefined } : { maxStdout }) }).catch((error: unknown) => {
      if (context.signal.aborted || error instanceof AppError || !(error instanceof ToolError)) throw error;
      throw appError('CONVERSION_FAILED', `assimp could not read or write the model: ${assimpError(error)}. It may be damaged or not really the format its name says.`);
    });
    return stdout;
  }

  return {
    async convert(request: ConvertRequest<'assimp'>, context: ConverterContext): Promise<readonly OutputFile[]> {
      const input = await stage(request.inputPath, request.inputFormat, context.workDir, settings.maxVertices);
      const exportDir = path.join(context.workDir, 'model-output');
      await mkdir(exportDir, { recursive: true });
      const exported = path.join(exportDir, `model.${request.outputFormat}`);
      await assimp(assimpExportArgs(input, exported, request.outputFormat, request.options), context);
      if (!(await stat(exported).then((s) => s.size > 0, () => false))) throw appError('CONVERSION_FAILED', `assimp wrote no ${request.outputFormat}: the model may have no meshes.`);
      const name = `${request.outputName}.${request.outputFormat}`;
      const output = path.join(request.outputDir, name);
      if (request.outputFormat === 'gltf') await writeFile(output, await embedBuffers(exported));
      else await copyFile(exported, output);
      const extra = (await readdir(exportDir)).filter((f) => f !== path.basename(exported) && !f.endsWith('.bin'));
      if (extra.length > 0) context.log.debug({ extra }, 'assimp wrote files besides the model; only the model is returned');
      return [{ path: output, name }];
    },

    async info(request: InfoRequest<'assimp'>, context: ConverterContext): Promise<InfoResult> {
      const input = await stage(request.inputPath, request.inputFormat, context.workDir, settings.maxVertices);
      const stdout = await assimp(['info', input], context, 256 * 1024);
      const stats = parseAssimpInfo(stdout);
      if (stats.vertices === null) throw appError('CONVERSION_FAILED', `assimp could not describe the ${request.inputFormat} model.`);
      return { info: { format: request.inputFormat, ...stats } };
    },
  };
}
