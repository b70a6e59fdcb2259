import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/** Written by the build (vite.config.ts) into dist/ so servers and tests can check which API a bundle was built for. */
export const BUILD_INFO_FILE = 'build-info.json';

const buildInfoSchema = z.object({ buildId: z.string(), supabaseUrl: z.string() });

export type BuildInfo = z.infer<typeof buildInfoSchema>;

/** Reads what vite.config.ts recorded about a build; `undefined` when `dir` holds no build. */
export async function readBuildInfo(dir: string): Promise<BuildInfo | undefined> {
  let raw: string;
  try {
    raw = await readFile(path.join(dir, BUILD_INFO_FILE), 'utf8');
  } catch {
    return undefined;
  }
  return buildInfoSchema.parse(JSON.parse(raw));
}

/** Same origin and path, ignoring a trailing slash: `http://127.0.0.1:54321/` equals `…:54321`. */
export function sameApiUrl(a: string, b: string): boolean {
  const norm = (u: string) => new URL(u).href.replace(/\/$/, '');
  return norm(a) === norm(b);
}
