// Presets: named sets of converteroptions (and optionally the output format) per API key, in
// Redis in a server, plus read-only presets every key shares from PRESETS_FILE.
import { randomBytes } from 'node:crypto';
import type { KeyValueStore } from './key-value.js';
import { appError } from './errors.js';

export interface Preset {
  readonly id: string;
  readonly name: string;
  readonly converteroptions: Readonly<Record<string, unknown>>;
  readonly inputformat: string | null;
  readonly outputformat: string | null;
  /** Presets of PRESETS_FILE belong to no key and cannot be deleted through the API. */
  readonly shared: boolean;
}

export type PresetInput = Omit<Preset, 'id' | 'shared'>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Pure: validates a preset body from the API or the file; errors name the field. */
export function parsePreset(body: unknown, where = 'The preset'): PresetInput {
  if (!isObject(body)) throw appError('INVALID_PARAMETER', `${where} must be a JSON object {name, converteroptions, outputformat?}.`);
  const name = body['name'];
  if (typeof name !== 'string' || name.trim() === '' || name.length > 200) throw appError('INVALID_PARAMETER', `${where} needs a name of 1 to 200 characters.`);
  const options = body['converteroptions'] ?? {};
  if (!isObject(options)) throw appError('INVALID_PARAMETER', `${where}: converteroptions must be an object such as {"quality": 75}.`);
  if (JSON.stringify(options).length > 20_000) throw appError('INVALID_PARAMETER', `${where}: converteroptions is too large.`);
  const format = (field: string): string | null => {
    const value = body[field] ?? null;
    if (value === null || value === '') return null;
    if (typeof value !== 'string' || !/^[a-z0-9]{1,10}$/i.test(value)) throw appError('INVALID_PARAMETER', `${where}: ${field} must be a format name such as png.`);
    return value.toLowerCase();
  };
  return { name: name.trim(), converteroptions: options, inputformat: format('inputformat'), outputformat: format('outputformat') };
}

/** Pure: PRESETS_FILE's JSON (an array of presets with an `id` each). */
export function parsePresetsFile(json: unknown): Preset[] {
  if (!Array.isArray(json)) throw new Error('Invalid PRESETS_FILE: must be a JSON array of presets');
  return json.map((entry: unknown, i) => {
    const id = isObject(entry) ? entry['id'] : undefined;
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new Error(`Invalid PRESETS_FILE: entry ${i + 1} needs an "id" of 1 to 64 of A-Z a-z 0-9 _ -`);
    try {
      return { id, ...parsePreset(entry, `entry ${i + 1}`), shared: true };
    } catch (error) {
      throw new Error(`Invalid PRESETS_FILE: ${(error as Error).message}`);
    }
  });
}

export class PresetStore {
  private readonly shared: ReadonlyMap<string, Preset>;

  constructor(
    private readonly store: KeyValueStore,
    private readonly prefix: string,
    shared: readonly Preset[] = [],
  ) {
    this.shared = new Map(shared.map((p) => [p.id, p]));
  }

  private key(owner: string): string {
    return `${this.prefix}:presets:${owner}`;
  }

  async create(owner: string, input: PresetInput): Promise<Preset> {
    const preset: Preset = { id: randomBytes(9).toString('base64url'), ...input, shared: false };
    await this.store.hashSet(this.key(owner), preset.id, JSON.stringify(preset));
    return preset;
  }

  async list(owner: string): Promise<Preset[]> {
    const own = Object.values(await this.store.hashGetAll(this.key(owner))).map((v) => JSON.parse(v) as Preset);
    return [...this.shared.values(), ...own];
  }

  async find(owner: string, id: string): Promise<Preset | undefined> {
    const shared = this.shared.get(id);
    if (shared !== undefined) return shared;
    const raw = await this.store.hashGet(this.key(owner), id);
    return raw === undefined ? undefined : (JSON.parse(raw) as Preset);
  }

  /** The preset, or a 400 naming the unknown id (a start with it cannot go on). */
  async get(owner: string, id: string): Promise<Preset> {
    const preset = await this.find(owner, id);
    if (preset === undefined) throw appError('PRESET_NOT_FOUND', `Unknown preset "${id.slice(0, 64)}". GET /presets lists the presets of your API key.`);
    return preset;
  }

  async delete(owner: string, id: string): Promise<void> {
    if (this.shared.has(id)) throw appError('INVALID_PARAMETER', `The preset "${id}" comes from the server's PRESETS_FILE and cannot be deleted through the API.`);
    if (!(await this.store.hashDelete(this.key(owner), id))) throw appError('PRESET_NOT_FOUND', `Unknown preset "${id.slice(0, 64)}".`);
  }
}
