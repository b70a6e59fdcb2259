/**
 * The Storage API's wire shapes, as supabase/storage answers them and @supabase/storage-js reads them:
 * error bodies, object names, the JSON bodies of sign/list/remove, and upload bodies (binary or multipart).
 *
 * Errors: every body is `{statusCode, code, error, message}` with `statusCode` a string. The HTTP status is
 * 400 for every 4xx (500 stays 500): hosted Storage keeps the real status in the body, "a legacy decision
 * to force the user to branch error handling with the response code" (supabase/storage#323), and
 * storage-js exposes it as `error.statusCode`. Sources: supabase/storage `src/internal/errors/codes.ts`,
 * `storage-error.ts`, `src/http/error-handler.ts`, `src/storage/database/errors.ts`.
 */
import { z } from 'zod';
import { json, type ApiResponse } from '../http.ts';
import { asPgError } from '../db.ts';

export class StorageError extends Error {
  constructor(
    /** The status hosted Storage puts in the body. */
    readonly statusCode: number,
    readonly code: string,
    readonly error: string,
    message: string,
    /** The HTTP status: 400 for any 4xx but the route-not-found 404, as hosted. */
    readonly httpStatus = statusCode >= 500 ? statusCode : 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toResponse(): ApiResponse {
    return json(this.httpStatus, { statusCode: String(this.statusCode), code: this.code, error: this.error, message: this.message }, this.headers);
  }
}

export const errors = {
  noSuchBucket: () => new StorageError(404, 'NoSuchBucket', 'Bucket not found', 'Bucket not found'),
  noSuchKey: () => new StorageError(404, 'NoSuchKey', 'not_found', 'Object not found'),
  /** The bytes are gone though the row is there (the renderer's answer, never cached). */
  missingBytes: () => new StorageError(404, 'NoSuchKey', 'Not found', 'The resource was not found', 400, { 'cache-control': 'no-store' }),
  invalidKey: (key: string) => new StorageError(400, 'InvalidKey', 'InvalidKey', `Invalid key: ${key}`),
  invalidBucketName: () => new StorageError(400, 'InvalidBucketName', 'Invalid Input', 'Bucket name invalid'),
  invalidJwt: (message: string) => new StorageError(400, 'InvalidJWT', 'InvalidJWT', message),
  invalidSignature: (message = 'Invalid signature') => new StorageError(400, 'InvalidSignature', 'InvalidSignature', message),
  accessDenied: (message: string) => new StorageError(403, 'AccessDenied', 'Unauthorized', message),
  keyAlreadyExists: () => new StorageError(409, 'KeyAlreadyExists', 'Duplicate', 'The resource already exists'),
  entityTooLarge: () => new StorageError(413, 'EntityTooLarge', 'Payload too large', 'The object exceeded the maximum allowed size'),
  invalidMimeType: (mime: string) => new StorageError(415, 'InvalidMimeType', 'invalid_mime_type', `mime type ${mime} is not supported`),
  invalidParameter: (name: string) => new StorageError(400, 'InvalidParameter', 'InvalidParameter', `Invalid Parameter ${name}`),
  invalidRequest: (message: string) => new StorageError(400, 'InvalidRequest', 'InvalidRequest', message),
  noContent: () => new StorageError(400, 'InvalidRequest', 'InvalidRequest', 'No content provided'),
  databaseTimeout: () => new StorageError(544, 'DatabaseTimeout', 'DatabaseTimeout', 'The connection to the database timed out'),
  /** Fastify's not-found handler of the Storage routes: a real 404. */
  noRoute: (method: string, url: string) => new StorageError(404, 'InvalidRequest', 'Not Found', `Route ${method}:${url} not found`, 404),
};

/** A PostgreSQL error from a statement run as the caller → Storage's answer (DBError.fromDBError); anything else is rethrown. */
export function fromDatabaseError(e: unknown): StorageError {
  const pg = asPgError(e);
  if (!pg) throw e;
  if (pg.code === '42501') {
    return errors.accessDenied(pg.message.includes('row-level security') ? 'new row violates row-level security policy' : pg.message);
  }
  if (pg.code === '23505') return new StorageError(409, 'ResourceAlreadyExists', 'Duplicate', 'The resource already exists');
  if (pg.code === '57014') return errors.databaseTimeout();
  if (pg.code === '22P02') return errors.invalidParameter('value');
  return new StorageError(500, 'DatabaseError', 'DatabaseError', `database error, code: ${pg.code}`);
}

// Hosted Storage's character sets (src/storage/limits.ts: only S3-safe characters).
const VALID_OBJECT_KEY = /^[A-Za-z0-9_/!.*'() &$=@;:+,?-]*$/;
const VALID_BUCKET_NAME = /^[A-Za-z0-9_!.*'() &$=@;:+,?-]*$/;
/** S3's key limit, in bytes. */
const MAX_KEY_BYTES = 1024;

/**
 * A bucket id from the URL. Hosted's rules, and never `.` or `..` (the id names a directory on disk).
 */
export function bucketId(raw: string): string {
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    throw errors.invalidBucketName();
  }
  if (id.length === 0 || id.length > 100 || !VALID_BUCKET_NAME.test(id) || id === '.' || id === '..') throw errors.invalidBucketName();
  return id;
}

/**
 * An object name from the URL (still percent-encoded) or a JSON body. Hosted's character set and S3's
 * length limit; stricter than hosted, no empty, `.` or `..` segment: names are shown as paths and a
 * `..` in one is never what a client meant.
 */
export function objectName(raw: string, encoded: boolean): string {
  let name = raw;
  if (encoded) {
    try {
      name = decodeURIComponent(raw);
    } catch {
      throw errors.invalidKey(raw);
    }
  }
  const bad =
    name.length === 0 ||
    Buffer.byteLength(name) > MAX_KEY_BYTES ||
    !VALID_OBJECT_KEY.test(name) ||
    name.split('/').some((s) => s === '' || s === '.' || s === '..');
  if (bad) throw errors.invalidKey(name);
  return name;
}

/** Parses a JSON body with `schema`; 400 InvalidRequest naming the first problem (hosted answers its JSON-schema message). */
export function parseJson<T>(body: Buffer, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw errors.invalidRequest('Body is not valid JSON');
  }
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw errors.invalidRequest(`body${issue?.path.length ? `/${issue.path.join('/')}` : ''} ${issue?.message ?? 'is invalid'}`);
  }
  return r.data;
}

/** `expiresIn` in seconds: a whole number, at least 1 (assertValidNumericJWTExpiration; our cap is a 32-bit count of seconds). */
const expiresIn = z
  .number()
  .int()
  .min(1)
  .max(2 ** 31 - 1);

export const signBody = z.object({ expiresIn });
export const signManyBody = z.object({ expiresIn, paths: z.array(z.string()).min(1).max(1000) });
export const listBody = z.object({
  prefix: z.string(),
  limit: z.number().int().min(1).max(1000).default(100),
  offset: z.number().int().min(0).default(0),
  sortBy: z
    .object({ column: z.enum(['name', 'updated_at', 'created_at', 'last_accessed_at']), order: z.enum(['asc', 'desc']).default('asc') })
    .default({ column: 'name', order: 'asc' }),
  search: z.string().default(''),
});
export const removeBody = z.object({ prefixes: z.array(z.string()).min(1).max(1000) });

export interface Upload {
  bytes: Buffer;
  mimeType: string;
  cacheControl: string;
  userMetadata: Record<string, unknown> | undefined;
}

function parseUserMetadata(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The file of an upload request (uploader.ts fileUploadFromRequest): a multipart form (what storage-js
 * sends for a Blob or File: the file part plus `cacheControl` and `metadata` fields) or the raw body
 * (an ArrayBuffer, Buffer or string, with `content-type`, `cache-control` and base64 `x-metadata`).
 */
export async function readUpload(headers: Record<string, string>, body: Buffer): Promise<Upload> {
  const contentType = headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) {
    const metadata = headers['x-metadata'];
    return {
      bytes: body,
      mimeType: contentType || 'application/octet-stream',
      cacheControl: headers['cache-control'] ?? 'no-cache',
      userMetadata: metadata === undefined ? undefined : parseUserMetadata(Buffer.from(metadata, 'base64').toString('utf8')),
    };
  }
  let form: FormData;
  try {
    form = await new Response(Uint8Array.from(body), { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw errors.noContent();
  }
  const field = (name: string) => {
    const v = form.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const file = [...form.values()].find((v): v is File => typeof v !== 'string');
  if (!file) throw errors.noContent();
  const cacheTime = field('cacheControl');
  return {
    bytes: Buffer.from(await file.arrayBuffer()),
    mimeType: field('contentType') || file.type || 'application/octet-stream',
    cacheControl: cacheTime ? `max-age=${cacheTime}` : 'no-cache',
    userMetadata: parseUserMetadata(field('metadata') ?? field('userMetadata')),
  };
}

/** Hosted's validateMimeType: `type/subtype` must equal an allowed entry, or match a `type/*` one. */
export function checkMimeType(mimeType: string, allowed: string[]): void {
  const [type, sub] = mimeType.split('/');
  if (sub === undefined) throw errors.invalidMimeType(mimeType);
  const ok = allowed.some((a) => {
    const [aType, aSub] = a.split('/');
    return aType === type && (aSub === '*' || aSub === sub);
  });
  if (!ok) throw errors.invalidMimeType(mimeType);
}
