/**
 * `/storage/v1`: the part of Supabase Storage's API that @supabase/storage-js 2.119 speaks for objects
 * (docs/local-server.md#storage; what it leaves out: docs/decisions/025-question-images.md).
 *
 * Contract per request, as supabase/storage does it (src/storage/object.ts, uploader.ts, database/pg.ts):
 * - Who: the `Authorization` bearer JWT (the session's access token, or the anon key), verified with the
 *   project secret; its `role` and claims are set in the transaction (caller.ts), so the RLS policies on
 *   `storage.objects` decide every read and write, exactly the policies a migration writes for hosted.
 * - Buckets are read by the privileged login (as hosted's `asSuperUser()`): their limits and privacy.
 * - An upload inserts (or, with upsert, `insert … on conflict do update`) the object's row as the caller,
 *   then writes the bytes, then commits; a refusal writes nothing, and a failed commit removes the bytes.
 *   Bytes live in `<storage dir>/<bucket>/<version>`: the row's `version` (a new UUID per upload) names the
 *   file, so no client-chosen path ever reaches the filesystem, a replaced file is removed only after the
 *   new row committed, and a row never points at half-written bytes: the file is complete before the
 *   row that names it can be seen, so no download ever reads a file still being written (no temp file
 *   and rename needed; files.test.ts races downloads against replacements).
 * - A download reads the row, then the whole file, and sends it with its exact length; a file removed by
 *   a replacement in between sends the new version (readObject).
 * - A delete removes the rows as the caller (RETURNING them), commits, then removes their files.
 * - A signed URL is a JWT `{url: "<bucket>/<name>", scope: "download", iat, exp}` signed with the project
 *   secret; `GET /object/sign/…?token=` serves the file to anyone holding it, without other auth.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ServerConfig } from '../config.ts';
import type { Engine, Queryable, TxMode } from '../db.ts';
import { actAsCaller } from '../caller.ts';
import { json, type WireResponse } from '../http.ts';
import { signJwt, verifyJwt, type Claims } from '../jwt.ts';
import {
  bucketId as parseBucketId,
  checkMimeType,
  errors,
  fromDatabaseError,
  listBody,
  objectName,
  parseJson,
  readUpload,
  removeBody,
  signBody,
  signManyBody,
  StorageError,
} from './protocol.ts';

export const STORAGE_PREFIX = '/storage/v1';

/** Storage requests carry bytes, so they get the raw body instead of the text the other services read. */
export interface StorageRequest {
  method: string;
  /** The path as sent, still percent-encoded and not normalised (a URL would resolve `..` away). */
  path: string;
  /** For the query string. */
  url: URL;
  headers: Record<string, string>;
  body: Buffer;
}

export interface StorageHandler {
  handle(req: StorageRequest): Promise<WireResponse>;
  /** Removes the storage directory when it was a temporary one. */
  close(): Promise<void>;
}

interface Caller {
  role: string;
  claims: Claims;
}

// Row shapes are type aliases: engine.query's rows are records, which an interface is not.
type Bucket = {
  id: string;
  public: boolean;
  file_size_limit: number | null;
  allowed_mime_types: string[] | null;
};

type StoredObject = {
  id: string;
  /** Names the file; null only for a row written by SQL instead of this API, which then has no bytes. */
  version: string | null;
  metadata: { eTag?: string; mimetype?: string; cacheControl?: string; lastModified?: string } | null;
};

/** What hosted Storage's upload answer and `remove()` return per object: the row, as JSON. */
const OBJECT_JSON = `json_build_object('id', o.id, 'bucket_id', o.bucket_id, 'name', o.name, 'owner', o.owner, 'owner_id', o.owner_id,
  'version', o.version, 'created_at', o.created_at, 'updated_at', o.updated_at, 'last_accessed_at', o.last_accessed_at,
  'metadata', o.metadata, 'user_metadata', o.user_metadata)`;

/** The scope hosted Storage puts in download tokens (upload tokens say `upload`), checked before the URL. */
const SIGNED_SCOPE = 'download';

export async function createStorageHandler(config: ServerConfig, engine: Engine): Promise<StorageHandler> {
  const temporary = config.storageDir === undefined;
  const root = config.storageDir ?? (await mkdtemp(path.join(os.tmpdir(), 'rounds-storage-')));
  await mkdir(root, { recursive: true });
  const fileOf = (bucket: string, version: string) => path.join(root, bucket, version);

  /** The caller from `Authorization: Bearer <jwt>`, or undefined when there is none or it does not verify. */
  async function bearer(req: StorageRequest): Promise<{ caller?: Caller; problem: string }> {
    const token = (req.headers['authorization'] ?? '').replace(/^bearer\s+/i, '').trim();
    if (token === '') return { problem: 'Invalid Compact JWS' };
    const v = await verifyJwt(token, config.jwtSecret);
    if (!v.ok) return { problem: v.message };
    return { caller: { role: typeof v.claims.role === 'string' ? v.claims.role : 'anon', claims: v.claims }, problem: '' };
  }

  /** Every route but the plain object GET and signed URLs needs a valid token (403 AccessDenied otherwise). */
  async function requireCaller(req: StorageRequest): Promise<Caller> {
    const { caller, problem } = await bearer(req);
    if (!caller) throw errors.accessDenied(problem);
    return caller;
  }

  /** One transaction as the caller: role, claims and Storage's own settings, then `fn`. Database errors become Storage's. */
  async function asCaller<T>(caller: Caller, mode: TxMode, operation: string, req: StorageRequest, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    try {
      return await engine.api(mode, async (tx) => {
        const settings = {
          'request.method': req.method,
          'request.path': req.path.slice(STORAGE_PREFIX.length),
          'storage.operation': operation,
          // The API's own deletes pass storage.protect_delete().
          'storage.allow_delete_query': 'true',
        };
        if (!(await actAsCaller(tx, caller.role, caller.claims, settings))) throw errors.accessDenied('Access denied: Invalid role');
        return fn(tx);
      });
    } catch (e) {
      throw e instanceof StorageError ? e : fromDatabaseError(e);
    }
  }

  async function findBucket(id: string): Promise<Bucket> {
    const { rows } = await engine.admin((tx) =>
      tx.query<Bucket>('select id, coalesce(public, false) as public, file_size_limit, allowed_mime_types from storage.buckets where id = $1', [id]),
    );
    const bucket = rows[0];
    if (!bucket) throw errors.noSuchBucket();
    return bucket;
  }

  const selectObject = 'select id::text as id, version, metadata from storage.objects where bucket_id = $1 and name = $2 limit 1';

  /**
   * The object's row (from `lookup`, run as whoever may read it) and its bytes. A replace removes the old
   * version's file right after its commit, so a read that found the old row can find its file gone: the
   * row is read again and the version it names now is served (a download racing an upsert gets one whole
   * version, never an error). A file gone under an unchanged row is missing bytes (404).
   */
  async function readObject(bucket: string, lookup: () => Promise<StoredObject | undefined>): Promise<{ obj: StoredObject; bytes: Buffer }> {
    let tried: string | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      const obj = await lookup();
      if (!obj) throw errors.noSuchKey();
      if (!obj.version || obj.version === tried) break;
      tried = obj.version;
      const bytes = await readFile(fileOf(bucket, obj.version)).catch(() => undefined);
      if (bytes) return { obj, bytes };
    }
    throw errors.missingBytes();
  }

  /** The renderer's answer (src/storage/renderer/renderer.ts): the bytes with the object's headers, or 304. */
  function serve(req: StorageRequest, { obj, bytes }: { obj: StoredObject; bytes: Buffer }, expires?: number): WireResponse {
    const meta = obj.metadata ?? {};
    const headers: Record<string, string> = {
      'accept-ranges': 'bytes',
      'content-type': meta.mimetype ?? 'application/octet-stream',
      'x-robots-tag': 'none',
    };
    if (meta.eTag) headers.etag = meta.eTag;
    if (meta.lastModified) headers['last-modified'] = new Date(meta.lastModified).toUTCString();
    // A signed URL's answer expires with its token; a direct read is cached as the uploader asked.
    if (expires !== undefined) headers.expires = new Date(expires * 1000).toUTCString();
    else if (meta.cacheControl) headers['cache-control'] = meta.cacheControl;
    const download = req.url.searchParams.get('download');
    if (download !== null) {
      const name = encodeURIComponent(download);
      headers['content-disposition'] = download === '' ? 'attachment;' : `attachment; filename=${name}; filename*=UTF-8''${name}`;
    }
    if (meta.eTag && req.headers['if-none-match'] === meta.eTag) return { status: 304, headers, body: '' };
    return { status: 200, headers, body: bytes };
  }

  async function upload(req: StorageRequest, caller: Caller, bucketId: string, name: string, upsert: boolean): Promise<WireResponse> {
    const bucket = await findBucket(bucketId);
    const file = await readUpload(req.headers, req.body);
    if (bucket.allowed_mime_types && bucket.allowed_mime_types.length > 0) checkMimeType(file.mimeType, bucket.allowed_mime_types);
    const limit = Math.min(config.storageFileSizeLimit, bucket.file_size_limit ?? Infinity);
    if (file.bytes.length > limit) throw errors.entityTooLarge();

    const version = randomUUID();
    const sub = typeof caller.claims.sub === 'string' ? caller.claims.sub : null;
    const owner = sub !== null && /^[0-9a-f-]{36}$/i.test(sub) ? sub : null;
    const metadata = {
      eTag: `"${createHash('md5').update(file.bytes).digest('hex')}"`,
      size: file.bytes.length,
      mimetype: file.mimeType,
      cacheControl: file.cacheControl,
      lastModified: new Date().toISOString(),
      contentLength: file.bytes.length,
      httpStatusCode: 200,
    };
    const id = randomUUID();
    const params = [id, bucketId, name, owner, sub, JSON.stringify(metadata), file.userMetadata ? JSON.stringify(file.userMetadata) : null, version];
    const insert = `insert into storage.objects (id, bucket_id, name, owner, owner_id, metadata, user_metadata, version)
                    values ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8)`;
    const target = fileOf(bucketId, version);
    type Saved = { id: string; previous: string | null };
    let saved: Saved;
    try {
      saved = await asCaller(caller, 'write', upsert ? 'storage.object.upload_update' : 'storage.object.upload', req, async (tx) => {
        let row: Saved = { id, previous: null };
        if (upsert) {
          // Needs the caller's INSERT, UPDATE and SELECT policies, as hosted's upsertObject does.
          const { rows } = await tx.query<Saved>(
            `with prev as (select version from storage.objects where bucket_id = $2 and name = $3)
             ${insert}
             on conflict (name, bucket_id) do update set metadata = excluded.metadata, user_metadata = excluded.user_metadata,
               version = excluded.version, owner = excluded.owner, owner_id = excluded.owner_id
             returning id::text as id, (select version from prev) as previous`,
            params,
          );
          row = rows[0] ?? row;
        } else {
          // No RETURNING: an insert needs only the INSERT policy, as hosted's createObject.
          await tx.query(insert, params);
        }
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, file.bytes);
        return row;
      });
    } catch (e) {
      await rm(target, { force: true });
      if (!upsert && e instanceof StorageError && e.code === 'ResourceAlreadyExists') throw errors.keyAlreadyExists();
      throw e;
    }
    if (saved.previous && saved.previous !== version) await rm(fileOf(bucketId, saved.previous), { force: true });
    return json(200, { Id: saved.id, Key: `${bucketId}/${name}` });
  }

  async function download(req: StorageRequest, bucketId: string, name: string, caller: Caller | undefined): Promise<WireResponse> {
    const bucket = await findBucket(bucketId);
    // Without a valid token only a public bucket answers; a public bucket needs no policy.
    if (!caller && !bucket.public) throw errors.noSuchBucket();
    const run = (tx: Queryable) => tx.query<StoredObject>(selectObject, [bucketId, name]);
    const lookup = async () =>
      (bucket.public || !caller ? await engine.admin(run) : await asCaller(caller, 'read', 'storage.object.get_authenticated', req, run)).rows[0];
    return serve(req, await readObject(bucketId, lookup));
  }

  async function signOne(req: StorageRequest, caller: Caller, bucketId: string, name: string): Promise<WireResponse> {
    const { expiresIn } = parseJson(req.body, signBody);
    const { rows } = await asCaller(caller, 'read', 'storage.object.sign', req, (tx) => tx.query(selectObject, [bucketId, name]));
    if (rows.length === 0) throw errors.noSuchKey();
    const url = `${bucketId}/${name}`;
    return json(200, { signedURL: `/object/sign/${url}?token=${await signUrl(url, expiresIn)}` });
  }

  async function signMany(req: StorageRequest, caller: Caller, bucketId: string): Promise<WireResponse> {
    const { expiresIn, paths } = parseJson(req.body, signManyBody);
    const { rows } = await asCaller(caller, 'read', 'storage.object.sign_many', req, (tx) =>
      tx.query<{ name: string }>('select name from storage.objects where bucket_id = $1 and name = any($2::text[])', [bucketId, paths]),
    );
    const found = new Set(rows.map((r) => r.name));
    const out = await Promise.all(
      paths.map(async (p) =>
        found.has(p)
          ? { error: null, path: p, signedURL: `/object/sign/${bucketId}/${p}?token=${await signUrl(`${bucketId}/${p}`, expiresIn)}` }
          : { error: 'Either the object does not exist or you do not have access to it', path: p, signedURL: null },
      ),
    );
    return json(200, out);
  }

  function signUrl(url: string, expiresIn: number): Promise<string> {
    const iat = Math.floor(Date.now() / 1000);
    return signJwt({ url, scope: SIGNED_SCOPE, iat, exp: iat + expiresIn }, config.jwtSecret);
  }

  /** `GET /object/sign/…?token=`: no other auth; the token names the object and bounds the time. */
  async function getSigned(req: StorageRequest, bucketId: string, name: string): Promise<WireResponse> {
    const token = req.url.searchParams.get('token');
    if (!token) throw errors.invalidRequest("querystring must have required property 'token'");
    const v = await verifyJwt(token, config.jwtSecret, 0);
    if (!v.ok) {
      const message = v.reason === 'expired' ? '"exp" claim timestamp check failed' : v.reason === 'invalid' ? 'signature verification failed' : v.message;
      throw errors.invalidJwt(message);
    }
    if (v.claims.scope !== SIGNED_SCOPE) throw errors.invalidSignature(`Token is not scoped for ${SIGNED_SCOPE}`);
    if (v.claims.url !== `${bucketId}/${name}`) throw errors.invalidSignature();
    const lookup = async () => (await engine.admin((tx) => tx.query<StoredObject>(selectObject, [bucketId, name]))).rows[0];
    return serve(req, await readObject(bucketId, lookup), typeof v.claims.exp === 'number' ? v.claims.exp : undefined);
  }

  /**
   * `list(prefix)`: one level under the prefix, as hosted's `storage.search`: a file's entry is its name
   * there, with its row; a deeper name shows as its folder, with `id` and the rest null.
   */
  async function list(req: StorageRequest, caller: Caller, bucketId: string): Promise<WireResponse> {
    const body = parseJson(req.body, listBody);
    const prefix = body.prefix.length > 0 && !body.prefix.endsWith('/') ? `${body.prefix}/` : body.prefix;
    // The column and direction come from zod enums, never from the client's text.
    const order = `${body.sortBy.column === 'name' ? 'e.name collate "C"' : `o.${body.sortBy.column}`} ${body.sortBy.order}`;
    const { rows } = await asCaller(caller, 'read', 'storage.object.list', req, (tx) =>
      tx.query<{ body: string }>(
        `select coalesce(json_agg(x), '[]')::text as body from (
           select e.name, o.id, o.updated_at, o.created_at, o.last_accessed_at, o.metadata
           from (select distinct split_part(substr(name, char_length($2) + 1), '/', 1) as name
                 from storage.objects where bucket_id = $1 and starts_with(name, $2::text)) e
           left join storage.objects o on o.bucket_id = $1 and o.name = $2 || e.name
           where starts_with(lower(e.name), lower($3::text))
           order by ${order}, e.name collate "C" limit $4 offset $5) x`,
        [bucketId, prefix, body.search, body.limit, body.offset],
      ),
    );
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: rows[0]?.body ?? '[]' };
  }

  async function remove(req: StorageRequest, caller: Caller, bucketId: string): Promise<WireResponse> {
    const { prefixes } = parseJson(req.body, removeBody);
    // Needs the caller's DELETE and SELECT policies; names they may not delete are left out silently, as hosted.
    const { rows } = await asCaller(caller, 'write', 'storage.object.delete_many', req, (tx) =>
      tx.query<{ version: string | null; row: unknown }>(
        `delete from storage.objects o where o.bucket_id = $1 and o.name = any($2::text[]) returning o.version, ${OBJECT_JSON} as row`,
        [bucketId, prefixes],
      ),
    );
    await Promise.all(rows.map((r) => (r.version ? rm(fileOf(bucketId, r.version), { force: true }) : undefined)));
    return json(200, rows.map((r) => r.row));
  }

  async function route(req: StorageRequest): Promise<WireResponse> {
    const { method } = req;
    const rest = req.path.slice(STORAGE_PREFIX.length);
    const m = /^\/object\/(?:(sign|list|authenticated)\/)?([^/]+)(?:\/(.+))?$/.exec(rest);
    const noRoute = errors.noRoute(method, `${rest}${req.url.search}`);
    // Hosted routes these before buckets; here they are not emulated (docs/decisions/025-question-images.md).
    if (!m?.[2] || /^\/object\/(info|public|upload|list-v2|move|copy)(\/|$)/.test(rest)) throw noRoute;
    const [, kind, rawBucket, rawName] = m;
    const bucket = parseBucketId(rawBucket);
    // The switch below only reaches a route that takes a name when the URL has one.
    const name = rawName === undefined ? '' : objectName(rawName, true);
    switch (`${method} ${kind ?? 'object'} ${rawName === undefined ? 'bucket' : 'object'}`) {
      case 'GET sign object':
        return getSigned(req, bucket, name);
      case 'POST sign object':
        return signOne(req, await requireCaller(req), bucket, name);
      case 'POST sign bucket':
        return signMany(req, await requireCaller(req), bucket);
      case 'POST list bucket':
        return list(req, await requireCaller(req), bucket);
      case 'GET authenticated object':
        return download(req, bucket, name, await requireCaller(req));
      // Without a valid token, only a public bucket's objects (hosted's allowInvalidJwt on this route).
      case 'GET object object':
        return download(req, bucket, name, (await bearer(req)).caller);
      case 'POST object object':
        return upload(req, await requireCaller(req), bucket, name, req.headers['x-upsert'] === 'true');
      // `update()`: replaces, or creates (hosted runs it as an upsert too).
      case 'PUT object object':
        return upload(req, await requireCaller(req), bucket, name, true);
      case 'DELETE object bucket':
        return remove(req, await requireCaller(req), bucket);
      default:
        throw noRoute;
    }
  }

  return {
    async handle(req) {
      try {
        return await route(req);
      } catch (e) {
        if (e instanceof StorageError) return e.toResponse();
        throw e;
      }
    },
    async close() {
      if (temporary) await rm(root, { recursive: true, force: true });
    },
  };
}

/** The gateway's answer to a body over the storage limit before it reaches the handler (hosted: EntityTooLarge). */
export function storageTooLarge(): WireResponse {
  return errors.entityTooLarge().toResponse();
}
