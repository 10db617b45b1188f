// The model formats (3D meshes): each one's media type, how its files start, and the other
// spellings users send for them.
import type { FormatInfo } from './format-info.js';

export const MODEL_FORMATS = {
  obj: { group: 'model', mime: 'model/obj', signature: { text: true } },
  // Binary STL starts with an 80-byte header of anything, ASCII STL with "solid".
  stl: { group: 'model', mime: 'model/stl', signature: { any: true } },
  ply: { group: 'model', mime: 'model/x-ply', signature: { magic: [{ ascii: 'ply' }] } },
  gltf: { group: 'model', mime: 'model/gltf+json', signature: { text: true } },
  glb: { group: 'model', mime: 'model/gltf-binary', signature: { magic: [{ ascii: 'glTF' }] } },
  dae: { group: 'model', mime: 'model/vnd.collada+xml', signature: { text: true } },
  // The main chunk's id, 0x4d4d little-endian.
  '3ds': { group: 'model', mime: 'application/x-3ds', signature: { magic: [{ hex: '4d4d' }] } },
  fbx: { group: 'model', mime: 'application/vnd.autodesk.fbx', signature: { magic: [{ ascii: 'Kaydara FBX Binary' }, { ascii: '; FBX' }] } },
  // A ZIP package (OPC) with the model in 3D/3dmodel.model.
  '3mf': { group: 'model', mime: 'model/3mf', signature: { magic: [{ hex: '504b0304' }] } },
} as const satisfies Record<string, FormatInfo>;

export const MODEL_ALIASES = { collada: 'dae' } as const;
