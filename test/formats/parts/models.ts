// The format matrix's 3D model part: a unit cube written as obj at test time, the other model
// formats made from it by assimp itself (fbx as ASCII FBX: assimp 5.2's binary FBX writer makes
// files its reader rejects). Outputs are proven by a real parse: `assimp info` must find the
// cube's 12 triangles, besides each format's own signature.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Format } from '../../../src/core/catalog/index.js';
import type { FormatPart, OutputCheck, SampleMaker } from '../types.js';

const run = promisify(execFile);

/** A unit cube: 8 vertices, 6 quads (12 triangles). */
export const CUBE_OBJ = ['# cube', 'v 0 0 0', 'v 1 0 0', 'v 1 1 0', 'v 0 1 0', 'v 0 0 1', 'v 1 0 1', 'v 1 1 1', 'v 0 1 1', 'f 1 4 3 2', 'f 5 6 7 8', 'f 1 2 6 5', 'f 2 3 7 6', 'f 3 4 8 7', 'f 4 1 5 8', ''].join('\n');

async function cube(dir: string): Promise<string> {
  const file = path.join(dir, 'cube.obj');
  await writeFile(file, CUBE_OBJ);
  return file;
}

/** The cube exported by assimp with exporter `id` (gltf: its .bin embedded afterwards). */
function viaAssimp(format: Format, id: string): SampleMaker {
  return async (dir) => {
    const source = await cube(dir);
    const file = path.join(dir, `cube.${format}`);
    // 3mf holds triangles only, and assimp's writer keeps three corners of each polygon.
    await run('assimp', ['export', source, file, `-f${id}`, ...(format === '3mf' ? ['-tri'] : [])]);
    if (format === 'gltf') {
      const gltf = JSON.parse(await readFile(file, 'utf8')) as { buffers: Array<{ uri: string }> };
      for (const b of gltf.buffers) b.uri = `data:application/octet-stream;base64,${(await readFile(path.join(dir, b.uri))).toString('base64')}`;
      await writeFile(file, JSON.stringify(gltf));
    }
    return file;
  };
}

/** Vertex and face counts as `assimp info` reads them (after its usual triangulation). */
export async function assimpCounts(file: string): Promise<{ vertices: number; faces: number }> {
  const { stdout } = await run('assimp', ['info', file], { maxBuffer: 16 * 1024 * 1024 });
  const count = (label: string): number => Number(new RegExp(`^${label}:\\s*(\\d+)`, 'm').exec(stdout)?.[1] ?? 'NaN');
  return { vertices: count('Vertices'), faces: count('Faces') };
}

/** The format's signature (by `starts`), then a real parse: the cube's 12 triangles and 8 to 36 vertices. */
function modelCheck(format: Format, starts: (data: Buffer) => void): OutputCheck {
  return async (files) => {
    assert.equal(files.length, 1, 'one model file');
    const file = files[0] ?? '';
    starts(await readFile(file));
    // assimp picks its reader by the extension: the download keeps the output's name.
    assert.equal(path.extname(file), `.${format}`);
    const { vertices, faces } = await assimpCounts(file);
    assert.equal(faces, 12, `the cube's 12 triangles (assimp info on the ${format})`);
    assert.ok(vertices >= 8 && vertices <= 36, `the cube's vertices: 8 shared, up to 36 unshared (got ${vertices})`);
  };
}

const ascii = (data: Buffer, text: string, at = 0): boolean => data.toString('latin1', at, at + text.length) === text;

export const MODELS_PART: FormatPart = {
  name: 'models',
  samples: {
    obj: cube,
    stl: viaAssimp('stl', 'stlb'),
    ply: viaAssimp('ply', 'plyb'),
    gltf: viaAssimp('gltf', 'gltf2'),
    glb: viaAssimp('glb', 'glb2'),
    dae: viaAssimp('dae', 'collada'),
    '3ds': viaAssimp('3ds', '3ds'),
    fbx: viaAssimp('fbx', 'fbxa'),
    '3mf': viaAssimp('3mf', '3mf'),
  },
  checks: {
    obj: modelCheck('obj', (d) => assert.match(d.toString('utf8'), /^v\s+\S+\s+\S+\s+\S+/m, 'obj vertex lines')),
    stl: modelCheck('stl', (d) => assert.ok(ascii(d, 'solid') || (d.length >= 84 && d.length === 84 + 50 * d.readUInt32LE(80)), 'an ASCII STL, or a binary STL whose size matches its triangle count')),
    ply: modelCheck('ply', (d) => assert.ok(ascii(d, 'ply\n') && /element vertex \d+/.test(d.toString('latin1', 0, 512)), 'a PLY header with its vertices')),
    gltf: modelCheck('gltf', (d) => {
      const gltf = JSON.parse(d.toString('utf8')) as { asset?: { version?: string }; buffers?: Array<{ uri?: string }> };
      assert.equal(gltf.asset?.version, '2.0');
      assert.ok((gltf.buffers ?? []).every((b) => b.uri?.startsWith('data:') === true), 'every buffer embedded');
    }),
    glb: modelCheck('glb', (d) => assert.ok(ascii(d, 'glTF') && d.readUInt32LE(4) === 2 && d.readUInt32LE(8) === d.length, 'a GLB 2 header with the file\'s length')),
    dae: modelCheck('dae', (d) => assert.match(d.toString('utf8', 0, 4096), /<COLLADA\b/)),
  },
  optionSamples: { assimp: { input: 'obj', output: 'ply', options: { ascii: true, triangulate: true, generate_normals: true } } },
  tools: ['assimp'],
};
