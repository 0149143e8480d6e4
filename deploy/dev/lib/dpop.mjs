// deploy/dev/lib/dpop.mjs — the resource-server side of DPoP (RFC 9449 §7) for the development fronts.
//
// A token whose introspection (or JWT) has `cnf.jkt` is DPoP-bound: it must come as `Authorization: DPoP <token>`
// with one `DPoP` proof header whose signature verifies with its own `jwk` header (typ dpop+jwt, an asymmetric alg),
// whose jwk thumbprint (RFC 7638) is cnf.jkt, whose htm/htu are this request's method and URL (no query), whose iat
// is within the window, whose ath is the token's SHA-256, and whose jti was not seen before (replay). A token without
// cnf.jkt must come as Bearer. With `requireNonce` the proof must also carry one of the front's current nonces: a
// missing or stale one is answered `WWW-Authenticate: DPoP error="use_dpop_nonce"` with a fresh `DPoP-Nonce`.
// DEVELOPMENT / TEST ONLY.
import { randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { sha256 } from './common.mjs';

const SCHEME = /^(Bearer|DPoP)[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;
const ALGORITHMS = ['ES256', 'ES384', 'ES512', 'PS256', 'RS256', 'EdDSA', 'Ed25519'];
const MAX_REMEMBERED_JTIS = 100_000;

/** The access token of a request and its scheme ('bearer' or 'dpop'), or null. */
export function accessToken(req) {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = SCHEME.exec(header);
  return match ? { scheme: match[1].toLowerCase(), token: match[2] } : null;
}

/** The `WWW-Authenticate` value of a DPoP failure. */
export function dpopChallenge(error, description) {
  return `DPoP error="${error}", error_description="${String(description).replace(/["\\]/g, '')}", algs="${ALGORITHMS.join(' ')}"`;
}

export class DpopVerifier {
  #seen = new Map();
  #nonces;
  #rotatedAt = 0;

  /** @param {{ requireNonce?: boolean, windowSeconds?: number, clockToleranceSeconds?: number, nonceLifetimeMs?: number }} options */
  constructor({ requireNonce = false, windowSeconds = 60, clockToleranceSeconds = 15, nonceLifetimeMs = 60_000 } = {}) {
    this.requireNonce = requireNonce;
    this.windowSeconds = windowSeconds;
    this.clockToleranceSeconds = clockToleranceSeconds;
    this.nonceLifetimeMs = nonceLifetimeMs;
    this.#nonces = [randomBytes(16).toString('base64url')];
    this.#rotatedAt = Date.now();
  }

  /** The nonce to hand out now (rotated every nonceLifetimeMs; the previous one stays valid). */
  nonce() {
    if (Date.now() - this.#rotatedAt > this.nonceLifetimeMs) {
      this.#nonces = [randomBytes(16).toString('base64url'), this.#nonces[0]];
      this.#rotatedAt = Date.now();
    }
    return this.#nonces[0];
  }

  /**
   * Checks the request's credentials against the token's confirmation.
   * @returns {Promise<null | { error: string, description: string, headers: Record<string,string> }>} null when they are acceptable.
   */
  async verify(req, { scheme, token, jkt, url }) {
    if (!jkt) {
      return scheme === 'bearer' ? null : this.#failure('invalid_token', 'the access token is not DPoP-bound: send it as Bearer');
    }
    if (scheme !== 'dpop') return this.#failure('invalid_token', 'the access token is DPoP-bound: send it as DPoP with a proof');
    const proof = req.headers.dpop;
    if (typeof proof !== 'string' || proof.length === 0) return this.#failure('invalid_dpop_proof', 'missing DPoP proof');
    if (proof.includes(',')) return this.#failure('invalid_dpop_proof', 'more than one DPoP proof');

    let header;
    let payload;
    try {
      header = decodeProtectedHeader(proof);
      if (header.typ !== 'dpop+jwt') throw new Error('typ is not dpop+jwt');
      if (!ALGORITHMS.includes(header.alg)) throw new Error(`alg ${header.alg} is not accepted`);
      if (typeof header.jwk !== 'object' || header.jwk === null || 'd' in header.jwk) throw new Error('no public jwk in the header');
      const key = await importJWK(header.jwk, header.alg);
      ({ payload } = await jwtVerify(proof, key, {
        typ: 'dpop+jwt', algorithms: [header.alg], maxTokenAge: `${this.windowSeconds}s`, clockTolerance: this.clockToleranceSeconds,
      }));
    } catch (err) {
      return this.#failure('invalid_dpop_proof', `the proof does not verify: ${err.code ?? err.message}`);
    }

    if (typeof payload.jti !== 'string' || payload.jti.length < 8) return this.#failure('invalid_dpop_proof', 'no jti');
    if (payload.htm !== req.method) return this.#failure('invalid_dpop_proof', `htm ${payload.htm} is not ${req.method}`);
    if (typeof payload.htu !== 'string' || normalize(payload.htu) !== normalize(url)) {
      return this.#failure('invalid_dpop_proof', `htu ${payload.htu} is not ${normalize(url)}`);
    }
    if (payload.ath !== sha256(token)) return this.#failure('invalid_dpop_proof', 'ath does not match the access token');
    if (await calculateJwkThumbprint(header.jwk, 'sha256') !== jkt) {
      return this.#failure('invalid_dpop_proof', 'the proof key is not the one the token is bound to (cnf.jkt)');
    }
    if (this.requireNonce && !this.#nonces.includes(payload.nonce)) {
      return this.#failure('use_dpop_nonce', 'Resource server requires nonce in DPoP proof');
    }
    if (!this.#remember(payload.jti, payload.iat)) return this.#failure('invalid_dpop_proof', 'the proof was replayed (jti seen before)');
    return null;
  }

  #remember(jti, iat) {
    const now = Date.now();
    if (this.#seen.size >= MAX_REMEMBERED_JTIS) {
      for (const [seenJti, until] of this.#seen) if (until < now) this.#seen.delete(seenJti);
    }
    if (this.#seen.has(jti)) return false;
    this.#seen.set(jti, (iat + this.windowSeconds + this.clockToleranceSeconds) * 1000);
    return true;
  }

  #failure(error, description) {
    const headers = { 'www-authenticate': dpopChallenge(error, description) };
    if (this.requireNonce) headers['dpop-nonce'] = this.nonce();
    return { error, description, headers };
  }
}

function normalize(uri) {
  try {
    const parsed = new URL(uri);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return uri;
  }
}
