/**
 * Email and password rules as GoTrue applies them (internal/api/mail.go validateEmail, password.go
 * checkPasswordStrength) and bcrypt hashing. Hashes from bcryptjs ($2b$, cost 10 like GoTrue) and from
 * pgcrypto's crypt(pw, gen_salt('bf')) in seed SQL ($2a$) both verify. The hashing runs in worker threads
 * (bcrypt-pool.ts) so sign-in bursts do not stall the event loop.
 */
import { z } from 'zod';
import { bcryptCompare, bcryptHash } from './bcrypt-pool.ts';
import { AuthError } from './protocol.ts';

const BCRYPT_COST = 10;
/** bcrypt ignores everything after 72 bytes; GoTrue refuses such passwords instead of truncating them. */
const MAX_PASSWORD_BYTES = 72;
const emailFormat = z.email();

/** Returns the email lower-cased, or throws 400 validation_failed. */
export function validateEmail(email: string | null | undefined): string {
  if (!email) throw new AuthError(400, 'validation_failed', 'An email address is required');
  if (email.length > 255) throw new AuthError(400, 'validation_failed', 'An email address is too long');
  if (!emailFormat.safeParse(email).success) {
    throw new AuthError(400, 'validation_failed', 'Unable to validate email address: invalid format');
  }
  return email.toLowerCase();
}

export function checkPasswordStrength(password: string, minLength: number): void {
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
    throw new AuthError(400, 'validation_failed', `Password cannot be longer than ${MAX_PASSWORD_BYTES} characters`);
  }
  if ([...password].length < minLength) {
    throw new AuthError(422, 'weak_password', `Password should be at least ${minLength} characters.`, {
      body: { weak_password: { reasons: ['length'] } },
    });
  }
}

export function hashPassword(password: string): Promise<string> {
  return bcryptHash(password, BCRYPT_COST);
}

const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
// Compared against when there is no usable hash, so an unknown email costs as much time as a wrong password.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  if (!hash || !BCRYPT_HASH.test(hash)) {
    dummyHash ??= bcryptHash('not-a-password', BCRYPT_COST);
    await bcryptCompare(password, await dummyHash);
    return false;
  }
  return bcryptCompare(password, hash);
}
