/**
 * HS256 JWTs as Supabase issues them (jose). PostgREST and GoTrue verify with the same shared secret.
 * PostgREST allows 30 s of clock skew on exp/nbf/iat (Auth/Jwt.hs).
 */
import { SignJWT, jwtVerify, errors, type JWTPayload } from 'jose';

export type Claims = JWTPayload & Record<string, unknown>;

export type VerifyResult =
  | { ok: true; claims: Claims }
  | { ok: false; reason: 'malformed' | 'expired' | 'not_yet_valid' | 'invalid'; message: string };

const enc = new TextEncoder();

export async function signJwt(claims: Claims, secret: string): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(enc.encode(secret));
}

export async function verifyJwt(token: string, secret: string, clockToleranceSec = 30): Promise<VerifyResult> {
  const parts = token.split('.').length;
  if (parts !== 3) return { ok: false, reason: 'malformed', message: `Expected 3 parts in JWT; got ${parts}` };
  try {
    const { payload } = await jwtVerify(token, enc.encode(secret), {
      algorithms: ['HS256'],
      clockTolerance: clockToleranceSec,
    });
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + clockToleranceSec) {
      return { ok: false, reason: 'invalid', message: 'JWT issued at future' };
    }
    return { ok: true, claims: payload };
  } catch (e) {
    if (e instanceof errors.JWTExpired) return { ok: false, reason: 'expired', message: 'JWT expired' };
    if (e instanceof errors.JWTClaimValidationFailed && e.claim === 'nbf')
      return { ok: false, reason: 'not_yet_valid', message: 'JWT not yet valid' };
    if (e instanceof errors.JWSSignatureVerificationFailed)
      return { ok: false, reason: 'invalid', message: 'JWSError JWSInvalidSignature' };
    if (e instanceof errors.JOSEAlgNotAllowed)
      return { ok: false, reason: 'invalid', message: 'Wrong or unsupported encoding algorithm' };
    return { ok: false, reason: 'malformed', message: e instanceof Error ? e.message : 'invalid JWT' };
  }
}
