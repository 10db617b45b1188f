// TypeBox schemas of every route: URL params, query strings (open: v1 clients send any
// parameter in the query) and response bodies. Wire names live here and in the mappers only.
import { Type, type TSchema } from '@sinclair/typebox';

const Open = (properties: Record<string, TSchema>) => Type.Object(properties, { additionalProperties: true });
const Any = Type.Optional(Type.Unknown());

export const ErrorBody = Type.Object(
  {
    error: Type.String({ description: "What failed; CloudConvert's exact wording where its clients compare it." }),
    code: Type.Integer({ description: 'The HTTP status.' }),
    hint: Type.Optional(Type.String({ description: 'What exactly was wrong and how to fix it, beside the exact wording (clients ignore it).' })),
  },
  { additionalProperties: true },
);

/** Parameters any route may receive in the query string (also in the body). */
export const ApiQuery = Open({ apikey: Any, wait: Any, download: Any, inline: Any });

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
export const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) });
export const TokenFileParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }), file: Type.String({ minLength: 1, maxLength: 1000 }) });

export const CreateResponse = Type.Object({
  url: Type.String(),
  id: Type.String(),
  host: Type.String(),
  expires: Type.String(),
  maxtime: Type.Integer(),
  maxsize: Type.Integer(),
  concurrent: Type.Integer(),
  minutes: Type.Integer(),
});

const OptionValue = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);

export const StatusObject = Open({
  id: Type.String(),
  url: Type.String(),
  percent: Type.Number(),
  message: Type.String(),
  step: Type.Union(['input', 'wait', 'convert', 'output', 'finished', 'error'].map((s) => Type.Literal(s))),
  starttime: Type.Integer(),
  expire: Type.Integer(),
  input: Open({}),
  output: Open({}),
  upload: Type.Optional(Type.Object({ url: Type.String() })),
  converter: Type.Optional(Open({ mode: Type.String(), format: Type.String(), type: Type.String(), options: Type.Record(Type.String(), OptionValue) })),
  group: Type.Optional(Type.String()),
  minutes: Type.Integer(),
  endtime: Type.Optional(Type.Integer()),
  info: Type.Optional(Type.Unknown()),
  notice: Type.Optional(Type.String({ description: 'What the start could not do as asked, e.g. no e-mail is sent on a server without SMTP.' })),
  code: Type.Optional(Type.Integer()),
});

export const MessageBody = Type.Object({ message: Type.String() });
export const UploadResponse = Type.Object({ file: Type.String(), size: Type.Integer(), message: Type.String() });

export const ListResponse = Type.Array(
  Type.Object({ id: Type.String(), host: Type.String(), step: Type.String(), starttime: Type.String(), endtime: Type.String(), url: Type.String() }),
);

export const ConversionTypesQuery = Open({ inputformat: Any, outputformat: Any });
export const ConversionTypesResponse = Type.Array(
  Type.Object({
    inputformat: Type.String(),
    outputformat: Type.String(),
    converter: Type.String(),
    converteroptions: Type.Record(Type.String(), OptionValue),
    group: Type.String(),
    note: Type.String(),
    /** Only on the entries of compress, combine, archive and extract. */
    mode: Type.Optional(Type.String()),
  }),
);

export const UserResponse = Type.Object({
  user: Type.Union([Type.String(), Type.Null()]),
  minutes: Type.Integer(),
  output: Type.Array(Type.String()),
  maxtime: Type.Integer(),
  maxsize: Type.Integer(),
  concurrent: Type.Integer(),
});

const PresetBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  converteroptions: Type.Record(Type.String(), Type.Unknown()),
  inputformat: Type.Union([Type.String(), Type.Null()]),
  outputformat: Type.Union([Type.String(), Type.Null()]),
  shared: Type.Boolean(),
});
export const PresetResponse = PresetBody;
export const PresetListResponse = Type.Array(PresetBody);
export const PresetParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });


/** Error responses every route can give. */
export const errorResponses = { 400: ErrorBody, 401: ErrorBody, 402: ErrorBody, 403: ErrorBody, 404: ErrorBody, 413: ErrorBody, 429: ErrorBody, 500: ErrorBody, 503: ErrorBody };

/** Routes that may answer with a failed process's status object under its error code. */
const ErrorOrStatus = Type.Union([ErrorBody, StatusObject]);
export const processErrorResponses = { ...errorResponses, 400: ErrorOrStatus, 422: ErrorOrStatus, 503: ErrorOrStatus };

/** GET /conversiontypes/options: one conversion's options with types and valid values (for the API console). */
export const ConversionOptionsQuery = Open({ inputformat: Any, outputformat: Any, mode: Any });
export const ConversionOptionsResponse = Type.Object({
  mode: Type.String(),
  inputformat: Type.String(),
  outputformat: Type.String(),
  converter: Type.String(),
  modes: Type.Array(Type.String()),
  options: Type.Array(
    Type.Object({
      name: Type.String(),
      type: Type.String(),
      default: OptionValue,
      description: Type.String(),
      valid: Type.String(),
      min: Type.Optional(Type.Number()),
      max: Type.Optional(Type.Number()),
      values: Type.Optional(Type.Array(Type.String())),
      pattern: Type.Optional(Type.String()),
    }),
  ),
});

/** GET /console/<file>: an asset of the API console (looked up in a fixed list, never a path). */
export const ConsoleFileParams = Type.Object({ file: Type.String({ minLength: 1, maxLength: 100 }) });
