// The 3D model engine's pure parts: exporter ids and arguments, the vertex counts headers declare,
// glTF's external uris, and the statistics of `assimp info`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listConversionTypes } from '../../src/core/catalog/index.js';
import { INFO_ENGINES } from '../../src/core/catalog/engine-catalog.js';
import { assimpExportArgs, exporterId, externalUris, glbJson, gltfVertices, hasObjVertex, isLocalFileName, parseAssimpInfo, plyVertices, stlVertices } from '../../workers/converters/assimp/command.js';

const OPTIONS = { ascii: null, triangulate: null, generate_normals: null };

describe('assimp engine in the catalog', () => {
  it('reads 9 model formats, writes 6 (not 3ds, fbx, 3mf), and describes each (mode=info)', () => {
    const pairs = listConversionTypes().filter((t) => t.engine === 'assimp');
    assert.deepEqual([...new Set(pairs.map((t) => t.inputformat))].sort(), ['3ds', '3mf', 'dae', 'fbx', 'glb', 'gltf', 'obj', 'ply', 'stl']);
    assert.deepEqual([...new Set(pairs.map((t) => t.outputformat))].sort(), ['dae', 'glb', 'gltf', 'obj', 'ply', 'stl']);
    assert.equal(pairs.length, 9 * 6 - 6, 'every input to every output but itself');
    assert.ok(pairs.every((t) => t.group === 'model'));
    assert.equal(INFO_ENGINES.fbx, 'assimp');
  });
});

describe('assimpExportArgs', () => {
  it('picks the exporter: obj without mtl, binary stl/ply unless ascii, glTF 2', () => {
    assert.equal(exporterId('obj', false), 'objnomtl');
    assert.equal(exporterId('stl', false), 'stlb');
    assert.equal(exporterId('stl', true), 'stl');
    assert.equal(exporterId('ply', true), 'ply');
    assert.equal(exporterId('gltf', false), 'gltf2');
    assert.equal(exporterId('glb', false), 'glb2');
    assert.equal(exporterId('dae', false), 'collada');
    assert.throws(() => exporterId('fbx', false), /writes no fbx/);
  });
  it('adds the post-processing flags the options ask for, and triangulates stl always', () => {
    assert.deepEqual(assimpExportArgs('/j/m.obj', '/j/o.ply', 'ply', OPTIONS), ['export', '/j/m.obj', '/j/o.ply', '-fplyb']);
    assert.deepEqual(assimpExportArgs('/j/m.obj', '/j/o.ply', 'ply', { ascii: true, triangulate: true, generate_normals: true }), ['export', '/j/m.obj', '/j/o.ply', '-fply', '-tri', '-gsn']);
    assert.deepEqual(assimpExportArgs('/j/m.obj', '/j/o.stl', 'stl', OPTIONS), ['export', '/j/m.obj', '/j/o.stl', '-fstlb', '-tri']);
    assert.throws(() => assimpExportArgs('m.obj', '/j/o.stl', 'stl', OPTIONS), /absolute/);
  });
});

describe('declared vertex counts', () => {
  it('reads a binary STL\'s triangle count when the size matches, not an ASCII one', () => {
    const head = Buffer.alloc(84);
    head.writeUInt32LE(12, 80);
    assert.equal(stlVertices(head, 84 + 50 * 12), 36);
    assert.equal(stlVertices(head, 1000), undefined);
    assert.equal(stlVertices(Buffer.from('solid x\n'), 8), undefined);
  });
  it('finds an OBJ\'s vertex lines, not vn/vt or prose', () => {
    assert.ok(hasObjVertex(Buffer.from('# cube\nmtllib a.mtl\no Cube\nv 1.0 -2 3\n')));
    assert.ok(hasObjVertex(Buffer.from('v\t-.5 0 0\r\n')));
    assert.ok(!hasObjVertex(Buffer.from('vn 0 0 1\nvt 0 1\nthese are notes, not a mesh\nvery well\n')));
  });
  it('reads a PLY header\'s element vertex', () => {
    assert.equal(plyVertices(Buffer.from('ply\nformat ascii 1.0\nelement vertex 50000000\nproperty float x\nend_header\n')), 50_000_000);
    assert.equal(plyVertices(Buffer.from('ply\nformat ascii 1.0\nend_header\nelement vertex 5\n')), undefined, 'only the header counts');
  });
  it('sums the POSITION accessors of a glTF, and finds its JSON in a GLB', () => {
    const gltf = { accessors: [{ count: 8 }, { count: 99 }, { count: 4 }], meshes: [{ primitives: [{ attributes: { POSITION: 0, NORMAL: 1 } }, { attributes: { POSITION: 2 } }] }] };
    assert.equal(gltfVertices(gltf), 12);
    const json = Buffer.from(JSON.stringify(gltf));
    const header = Buffer.alloc(20);
    header.write('glTF', 0, 'latin1');
    header.writeUInt32LE(2, 4);
    header.writeUInt32LE(json.length, 12);
    header.write('JSON', 16, 'latin1');
    assert.equal(glbJson(Buffer.concat([header, json])), JSON.stringify(gltf));
    assert.equal(glbJson(Buffer.from('not a glb at all, no')), undefined);
  });
  it('names every uri that is not data:, and accepts only plain buffer file names', () => {
    assert.deepEqual(externalUris({ buffers: [{ uri: 'data:application/octet-stream;base64,AA==' }, { uri: '/etc/passwd' }], images: [{ uri: 'http://x/a.png' }, {}] }), ['/etc/passwd', 'http://x/a.png']);
    assert.ok(isLocalFileName('model.bin'));
    assert.ok(!isLocalFileName('../model.bin') && !isLocalFileName('/etc/passwd') && !isLocalFileName('..'));
  });
});

describe('parseAssimpInfo', () => {
  it('reads the counts, primitive types and bounding box', () => {
    const stdout = ['Nodes:              2', 'Meshes:             1', 'Animations:         0', 'Textures (embed.):  0', 'Materials:          1', 'Cameras:            0', 'Lights:             0', 'Vertices:           8', 'Faces:              12', 'Bones:              0', 'Primitive Types:    triangles', 'Minimum point      (0.000000 0.000000 0.000000)', 'Maximum point      (1.000000 1.000000 1.000000)'].join('\n');
    assert.deepEqual(parseAssimpInfo(stdout), { meshes: 1, vertices: 8, faces: 12, materials: 1, animations: 0, textures: 0, nodes: 2, cameras: 0, lights: 0, bones: 0, primitive_types: 'triangles', bounding_box: { min: [0, 0, 0], max: [1, 1, 1] } });
    assert.equal(parseAssimpInfo('nothing').vertices, null);
  });
});
