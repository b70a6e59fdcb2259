/**
 * The suite runs twice (scripts/test.ts): with no default privileges, and with Supabase's init-script
 * grant-all in force for the role that applies migrations (docs/decisions/018-privileges-in-both-modes.md).
 * This proves each run really is in the mode it says, so a green `supabase` run means something.
 */
import { expect, inject, test } from 'vitest';
import { z } from 'zod';
import { untypedAdmin } from './helpers.ts';

test('the database is in the default-privileges mode the run asked for', async () => {
  const { data } = await untypedAdmin().rpc('test_default_privileges').throwOnError();
  const granted = z.array(z.string()).parse(data);
  if (inject('defaultPrivileges') === 'supabase') {
    for (const role of ['anon', 'authenticated', 'service_role']) {
      expect(granted).toContain(`r:${role}:UPDATE`);
      expect(granted).toContain(`r:${role}:DELETE`);
      expect(granted).toContain(`f:${role}:EXECUTE`);
      expect(granted).toContain(`S:${role}:USAGE`);
    }
  } else {
    expect(granted).toEqual([]);
  }
});
