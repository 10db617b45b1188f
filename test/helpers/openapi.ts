// The served OpenAPI document as the tests read it: its operations one by one, and a JSON Schema
// 2020-12 validator (ajv) that knows the document's component schemas, to check examples and
// real replies against what the document says.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

export type Json = Record<string, unknown>;

export interface MediaType {
  readonly schema?: Json;
  readonly example?: unknown;
}

export interface Operation {
  readonly operationId?: string;
  readonly summary?: string;
  readonly tags?: string[];
  readonly security?: Array<Record<string, unknown>>;
  readonly parameters?: Array<{ in: string; name: string; description?: string; required?: boolean; schema?: Json; example?: unknown }>;
  readonly requestBody?: { required?: boolean; content: Record<string, MediaType> };
  readonly responses: Record<string, { description: string; content?: Record<string, MediaType>; headers?: Json }>;
}

export interface OpenApiDocument {
  readonly openapi: string;
  readonly info: { description: string };
  readonly tags?: Array<{ name: string; description: string }>;
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: { schemas: Record<string, Json>; securitySchemes: Record<string, Json> };
}

export interface DocumentedOperation {
  readonly path: string;
  /** Lower case, as in the document. */
  readonly method: string;
  readonly operation: Operation;
}

export function operationsOf(doc: OpenApiDocument): DocumentedOperation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ path, method, operation })));
}

const COMPONENT = '#/components/schemas/';
const BASE = 'https://openconvert.test/components/';

/** The schema with its `$ref`s to the document's components made absolute (ajv's ids cannot be fragments). */
function absolute(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(absolute);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace(COMPONENT, BASE) : absolute(v)]));
}

/** A validator for schemas of the document: `$ref`s to its components resolve. */
export function schemaChecker(doc: OpenApiDocument): (schema: Json) => ValidateFunction {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  for (const [name, schema] of Object.entries(doc.components.schemas)) ajv.addSchema({ ...(absolute(schema) as Json), $id: `${BASE}${name}` });
  const compiled = new Map<string, ValidateFunction>();
  return (schema) => {
    const key = JSON.stringify(schema);
    let validate = compiled.get(key);
    if (validate === undefined) {
      validate = ajv.compile(absolute(schema) as Json);
      compiled.set(key, validate);
    }
    return validate;
  };
}
