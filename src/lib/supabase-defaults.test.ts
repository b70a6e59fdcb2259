import { expect, test } from 'vitest';
import { createTestClient } from '../../supabase/local/test-client.ts';
import { authStorageKey } from './supabase-defaults';

/** The localStorage key auth-js reads a session from when it is left to choose (no storageKey option). */
async function keyAuthJsChooses(url: string): Promise<string[]> {
  const read: string[] = [];
  const storage = {
    getItem: (key: string) => {
      read.push(key);
      return null;
    },
    setItem: () => undefined,
    removeItem: () => undefined,
  };
  const client = createTestClient(url, { key: 'anon', auth: { storage, persistSession: true } });
  await client.auth.getSession();
  return read;
}

test.each(['http://127.0.0.1:54321', 'https://abcdefghijklmnop.supabase.co'])(
  'the session key the entry checks is the one auth-js uses by default for %s (sessions stored before it was explicit stay valid)',
  async (url) => {
    expect(await keyAuthJsChooses(url)).toContain(authStorageKey(url));
  },
);
