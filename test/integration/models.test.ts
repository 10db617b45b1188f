// The 3D model engine (assimp) through the API: a cube keeps its 12 triangles from obj to glb and
// gltf (one self-contained file), mode=info describes a model, options reach the writer, and bad
// input, glTF that would load other files and models over MODEL_MAX_VERTICES end in clear 422s.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { convertFile } from '../helpers/convert.js';
import { auth, postJson } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { assimpCounts, CUBE_OBJ } from '../formats/parts/models.js';

const run = promisify(execFile);

describe('3D model engine (assimp) through the API', () => {
  let server: TestServer;
  let dir: string;
  let obj: string;
  before(async () => {
    await run('assimp', ['version']).catch(() => {
      throw new Error('assimp is not installed: run bash scripts/setup.sh (apt-get install assimp-utils)');
    });
    server = await startTestServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-models-'));
    obj = path.join(dir, 'cube.obj');
    await writeFile(obj, CUBE_OBJ);
  });
  after(async () => {
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const convert = (file: string, inputformat: string, outputformat: string, converteroptions?: Record<string, unknown>) =>
    convertFile(server, file, { inputformat, outputformat, ...(converteroptions === undefined ? {} : { converteroptions }) }, dir);

  it('turns an obj cube into a glb and a self-contained gltf with its 8 vertices and 12 triangles', async () => {
    for (const format of ['glb', 'gltf']) {
      const { status, files } = await convert(obj, 'obj', format);
      assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
      assert.equal(files.length, 1, 'one file: no .bin beside a gltf');
      assert.deepEqual(await assimpCounts(files[0] ?? ''), { vertices: 8, faces: 12 }, format);
    }
    const gltf = JSON.parse(await readFile(path.join(dir, 'cube.gltf'), 'utf8')) as { buffers: Array<{ uri: string }> };
    assert.ok(gltf.buffers.length > 0 && gltf.buffers.every((b) => b.uri.startsWith('data:application/octet-stream;base64,')));
  });

  it('describes a model with mode=info: meshes, vertices, faces, bounding box', async () => {
    const fbx = path.join(dir, 'cube.fbx');
    await run('assimp', ['export', obj, fbx, '-ffbxa']);
    const { status } = await convertFile(server, fbx, { inputformat: 'fbx', mode: 'info' }, dir);
    assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
    const info = status.body['info'] as Record<string, unknown>;
    assert.equal(info['meshes'], 1);
    assert.equal(info['vertices'], 8);
    assert.equal(info['faces'], 12);
    assert.deepEqual(info['bounding_box'], { min: [0, 0, 0], max: [1, 1, 1] });
  });

  it('writes ASCII stl when asked, triangulated, and refuses a bad option value with a 400', async () => {
    const { status, files } = await convert(obj, 'obj', 'stl', { ascii: true });
    assert.equal(status.body['step'], 'finished', JSON.stringify(status.body));
    const stl = await readFile(files[0] ?? '', 'utf8');
    assert.match(stl, /^solid/);
    assert.equal((stl.match(/facet normal/g) ?? []).length, 12);
    const created = await postJson(`${server.baseUrl}/process`, { inputformat: 'obj', outputformat: 'stl' }, auth());
    const started = await postJson(server.abs(String(created.body['url'])), { input: 'upload', outputformat: 'stl', converteroptions: { ascii: '--help' } });
    assert.equal(started.status, 400, JSON.stringify(started.body));
    assert.match(String(started.body['message'] ?? started.body['error']), /ascii.*true or false/);
  });

  it('refuses a file that is not the model its name says, with a 422', async () => {
    const notObj = path.join(dir, 'notes.obj');
    await writeFile(notObj, 'these are notes, not a mesh\n');
    const result = await convert(notObj, 'obj', 'stl');
    assert.equal(result.status.status, 422, JSON.stringify(result.status.body));
    assert.match(String(result.status.body['message']), /not a Wavefront OBJ mesh/);
    const notGlb = path.join(dir, 'broken.glb');
    await writeFile(notGlb, Buffer.concat([Buffer.from('glTF', 'latin1'), Buffer.alloc(40, 7)]));
    const glb = await convert(notGlb, 'glb', 'obj');
    assert.equal(glb.status.status, 422, JSON.stringify(glb.status.body));
  });

  it('never lets a gltf load files beside it or URLs', async () => {
    const gltf = path.join(dir, 'leaky.gltf');
    await writeFile(gltf, JSON.stringify({ asset: { version: '2.0' }, buffers: [{ uri: '/etc/passwd', byteLength: 100 }] }));
    const result = await convert(gltf, 'gltf', 'obj');
    assert.equal(result.status.status, 422, JSON.stringify(result.status.body));
    assert.match(String(result.status.body['message']), /refers to files beside it or URLs, which are never loaded/);
  });

  it('refuses a model of 50 million vertices before assimp loads it (MODEL_MAX_VERTICES)', async () => {
    const ply = path.join(dir, 'huge.ply');
    // The header declares 50 million vertices; the body is short (assimp would fail, but is never run).
    await writeFile(ply, 'ply\nformat binary_little_endian 1.0\nelement vertex 50000000\nproperty float x\nproperty float y\nproperty float z\nend_header\n');
    const started = Date.now();
    const result = await convert(ply, 'ply', 'obj');
    assert.equal(result.status.status, 422, JSON.stringify(result.status.body));
    assert.match(String(result.status.body['message']), /50000000 vertices, more than the limit of 3000000 \(MODEL_MAX_VERTICES\)/);
    assert.ok(Date.now() - started < 30_000);
  });
});
