// Pure builders for the 3D model engine: assimp's arguments, the vertex counts some formats
// declare in their headers (checked before assimp loads a model), glTF's external buffers, and
// the statistics `assimp info` prints.
import type { EngineOptions, Format } from '../../../src/core/catalog/index.js';

type ModelOptions = EngineOptions['assimp'];

/** assimp's exporter id per output format: obj without its .mtl, binary stl and ply unless `ascii`. */
export function exporterId(format: Format, ascii: boolean): string {
  switch (format) {
    case 'obj':
      return 'objnomtl';
    case 'stl':
      return ascii ? 'stl' : 'stlb';
    case 'ply':
      return ascii ? 'ply' : 'plyb';
    case 'gltf':
      return 'gltf2';
    case 'glb':
      return 'glb2';
    case 'dae':
      return 'collada';
    default:
      throw new Error(`assimp writes no ${format}`);
  }
}

/** Formats that hold triangles only (assimp's stl writer would otherwise rely on its reader's triangulation). */
const TRIANGLES_ONLY: ReadonlySet<Format> = new Set(['stl']);

/**
 * `assimp export` arguments. No -jiv (join identical vertices): assimp 5.2 crashes with it alone
 * on polygon meshes. Paths absolute, so neither can be read as an option.
 */
export function assimpExportArgs(input: string, output: string, outputFormat: Format, options: ModelOptions): string[] {
  if (!input.startsWith('/') || !output.startsWith('/')) throw new Error('assimp paths must be absolute');
  const args = ['export', input, output, `-f${exporterId(outputFormat, options.ascii === true)}`];
  if (options.triangulate === true || TRIANGLES_ONLY.has(outputFormat)) args.push('-tri');
  if (options.generate_normals === true) args.push('-gsn');
  return args;
}

/** The vertices a binary STL declares (3 per triangle); undefined for ASCII STL. */
export function stlVertices(head: Buffer, fileSize: number): number | undefined {
  if (head.length < 84) return undefined;
  const triangles = head.readUInt32LE(80);
  // ASCII files start with "solid" too, but a binary file's size matches its count.
  return 84 + 50 * triangles === fileSize ? 3 * triangles : undefined;
}

/** The vertices a PLY header declares (`element vertex N`). */
export function plyVertices(head: Buffer): number | undefined {
  const header = head.toString('latin1').split('end_header')[0] ?? '';
  const match = /^element vertex (\d+)\s*$/m.exec(header);
  return match === null ? undefined : Number(match[1]);
}

/** Whether an OBJ's start has a vertex line (`v` and a number). */
export function hasObjVertex(head: Buffer): boolean {
  return /^[ \t]*v[ \t]+[-+.\d]/m.test(head.toString('latin1'));
}

interface GltfJson {
  readonly buffers?: ReadonlyArray<{ readonly uri?: unknown }>;
  readonly images?: ReadonlyArray<{ readonly uri?: unknown }>;
  readonly accessors?: ReadonlyArray<{ readonly count?: unknown }>;
  readonly meshes?: ReadonlyArray<{ readonly primitives?: ReadonlyArray<{ readonly attributes?: Readonly<Record<string, unknown>> }> }>;
}

/** The JSON chunk of a GLB (its first chunk), or undefined when the file is not a GLB. */
export function glbJson(head: Buffer): string | undefined {
  if (head.length < 20 || head.toString('latin1', 0, 4) !== 'glTF' || head.toString('latin1', 16, 20) !== 'JSON') return undefined;
  const length = head.readUInt32LE(12);
  return 20 + length <= head.length ? head.toString('utf8', 20, 20 + length) : undefined;
}

export function parseGltf(text: string): GltfJson | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as GltfJson) : undefined;
  } catch {
    return undefined;
  }
}

/** The vertices of a glTF: the counts of the accessors its primitives use as POSITION. */
export function gltfVertices(gltf: GltfJson): number {
  let total = 0;
  for (const mesh of gltf.meshes ?? []) {
    for (const primitive of mesh.primitives ?? []) {
      const index = primitive.attributes?.['POSITION'];
      const count = typeof index === 'number' ? gltf.accessors?.[index]?.count : undefined;
      total += typeof count === 'number' && count > 0 ? count : 0;
    }
  }
  return total;
}

/** The uris of a glTF that are not data: URIs (files beside it, or URLs): none are ever loaded. */
export function externalUris(gltf: GltfJson): string[] {
  return [...(gltf.buffers ?? []), ...(gltf.images ?? [])].map((b) => b.uri).filter((uri): uri is string => typeof uri === 'string' && !uri.startsWith('data:'));
}

/** A buffer uri assimp wrote beside its output: a plain file name, nothing that leaves the folder. */
export function isLocalFileName(uri: string): boolean {
  return /^[\w.-]+$/.test(uri) && uri !== '.' && uri !== '..';
}

export interface ModelStats {
  readonly meshes: number | null;
  readonly vertices: number | null;
  readonly faces: number | null;
  readonly materials: number | null;
  readonly animations: number | null;
  readonly textures: number | null;
  readonly nodes: number | null;
  readonly cameras: number | null;
  readonly lights: number | null;
  readonly bones: number | null;
  readonly primitive_types: string | null;
  readonly bounding_box: { readonly min: readonly number[]; readonly max: readonly number[] } | null;
}

/** The statistics `assimp info` prints (lines such as "Vertices:           8"). */
export function parseAssimpInfo(stdout: string): ModelStats {
  const field = (label: string): string | undefined => new RegExp(`^${label.replace(/[.()]/g, '\\$&')}:\\s*(.+)$`, 'm').exec(stdout)?.[1]?.trim();
  const count = (label: string): number | null => {
    const value = field(label);
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : null;
  };
  const point = (label: string): number[] | undefined => {
    // "Minimum point      (0.000000 0.000000 0.000000)": no colon on these lines.
    const values = new RegExp(`^${label}\\s*\\(([^)]*)\\)`, 'm').exec(stdout)?.[1]?.trim().split(/\s+/).map(Number);
    return values?.length === 3 && values.every(Number.isFinite) ? values : undefined;
  };
  const min = point('Minimum point');
  const max = point('Maximum point');
  return {
    meshes: count('Meshes'),
    vertices: count('Vertices'),
    faces: count('Faces'),
    materials: count('Materials'),
    animations: count('Animations'),
    textures: count('Textures (embed.)'),
    nodes: count('Nodes'),
    cameras: count('Cameras'),
    lights: count('Lights'),
    bones: count('Bones'),
    primitive_types: field('Primitive Types') ?? null,
    bounding_box: min !== undefined && max !== undefined ? { min, max } : null,
  };
}
