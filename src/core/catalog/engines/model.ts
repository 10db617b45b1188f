// The 3D model engine (assimp): meshes, materials and the node tree between the mesh formats
// assimp both reads and writes back faithfully. Read only: fbx (assimp 5.2's binary FBX writer
// makes files its own reader rejects, and its ASCII FBX is not read by most tools), 3mf (its
// writer leaves out the meshes of scenes read from ply or 3ds) and 3ds (at most 65 536 vertices
// per mesh).
import type { EngineCatalog } from '../engine-record.js';
import type { OptionSpecs } from '../options.js';

export const MODEL_INPUTS = ['obj', 'stl', 'ply', 'gltf', 'glb', 'dae', '3ds', 'fbx', '3mf'] as const;
export const MODEL_OUTPUTS = ['obj', 'stl', 'ply', 'gltf', 'glb', 'dae'] as const;

export const MODEL_OPTIONS = {
  ascii: { type: 'boolean', default: false, description: 'stl and ply: write the text variant instead of the (smaller) binary one.' },
  triangulate: { type: 'boolean', default: false, description: 'Split polygons with more than three corners into triangles (stl holds triangles only: always split there).' },
  generate_normals: { type: 'boolean', default: false, description: 'Compute smooth vertex normals where the model has none.' },
} as const satisfies OptionSpecs;

export const MODEL_ENGINE = {
  convert: {
    options: MODEL_OPTIONS,
    pairs: [{ inputs: MODEL_INPUTS, outputs: MODEL_OUTPUTS, options: MODEL_OPTIONS, note: 'Meshes, materials and node tree (assimp). obj without its .mtl; gltf with its buffers embedded.' }],
  },
  info: { inputs: MODEL_INPUTS, options: {} },
} as const satisfies EngineCatalog;
