/**
 * Identities on a smart card or HSM through PKCS#11 (pkcs11js, a Node-API module: one build
 * serves Node and Electron). The key never leaves the token: the app lists the token's
 * certificates, and signs by handing the token the digest. The PIN is asked for each signing,
 * used for one session and never stored or logged.
 *
 * RSA signs with CKM_RSA_PKCS over a DigestInfo (what every card supports); EC with CKM_ECDSA
 * over the digest, whose raw r‖s the CMS needs DER-encoded. With no module configured the
 * feature says so (PKCS11_UNAVAILABLE) and nothing else changes.
 *
 * A token whose certificate does not belong to its key is refused (TOKEN_KEY_MISMATCH): when it
 * is registered, by the public key object stored beside the certificate, and at every
 * signature, by checking the token's signature with the certificate's key before it is used. A
 * token taken out says so (TOKEN_NOT_PRESENT), and the module is initialised afresh, so the
 * token is found again when it is put back, without restarting the application.
 *
 * Longer than 500 lines: the whole life of a token session (loading the module, login, finding the
 * key, signing, a removed token and recovery) against one native interface.
 */
import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import { createRequire } from 'node:module';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type * as Pkcs11Types from 'pkcs11js';
import { AppError } from '../../shared/errors';
import type { CmsSigner, HashName } from './cms';
import { derOf, readCertificate, type x509 } from './x509';

type Pkcs11Module = typeof Pkcs11Types;

let loaded: Pkcs11Module | null = null;
/** The native binding, loaded on first use (an app without tokens never loads it). */
function binding(): Pkcs11Module {
  if (!loaded) {
    try {
      loaded = createRequire(import.meta.url)('pkcs11js') as Pkcs11Module;
    } catch {
      throw new AppError('PKCS11_UNAVAILABLE', 'The PKCS#11 support is not built on this machine');
    }
  }
  return loaded;
}

export interface TokenSummary {
  serial: string;
  label: string;
  manufacturer: string;
  model: string;
}

export interface TokenCertificate {
  tokenSerial: string;
  tokenLabel: string;
  /** CKA_ID of the certificate (and of its private key), hex. */
  keyId: string;
  label: string;
  der: Buffer;
}

const HASH_OIDS: Record<HashName, string> = {
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
};

function pkcs11Error(error: unknown): AppError {
  const p = binding();
  const code = (error as { code?: number }).code;
  if (code === p.CKR_PIN_INCORRECT) {
    return new AppError('WRONG_PIN', 'The PIN is not correct');
  }
  if (code === p.CKR_KEY_TYPE_INCONSISTENT) {
    // The certificate's key type (which chose the mechanism) is not the token key's.
    return new AppError('TOKEN_KEY_MISMATCH', "The token's key is not the certificate's");
  }
  if (code === p.CKR_PIN_LOCKED) {
    return new AppError('PIN_LOCKED', 'The token is locked: too many wrong PINs');
  }
  if (
    code === p.CKR_TOKEN_NOT_PRESENT ||
    code === p.CKR_DEVICE_REMOVED ||
    code === p.CKR_SESSION_HANDLE_INVALID ||
    code === p.CKR_SESSION_CLOSED ||
    code === p.CKR_SLOT_ID_INVALID ||
    code === p.CKR_TOKEN_NOT_RECOGNIZED ||
    code === p.CKR_DEVICE_ERROR
  ) {
    return new AppError('TOKEN_NOT_PRESENT', 'The token was removed or is not present');
  }
  return new AppError('PKCS11_FAILED', 'The token refused the operation', {
    code: typeof code === 'number' ? code : null,
  });
}

/** One loaded PKCS#11 module (a vendor's .so/.dll, or SoftHSM in tests). */
export class Pkcs11Token {
  private readonly p: Pkcs11Types.PKCS11;
  /** Signatures under way on the token's own thread. */
  private signing = 0;

  private constructor(readonly modulePath: string) {
    const mod = binding();
    this.p = new mod.PKCS11();
    try {
      this.p.load(modulePath);
      this.p.C_Initialize();
    } catch {
      throw new AppError('PKCS11_UNAVAILABLE', 'The PKCS#11 module cannot be loaded', {
        module: modulePath.split(/[\\/]/).at(-1),
      });
    }
  }

  private static open = new Map<string, Pkcs11Token>();

  /** The module at `path`, loaded once per process. */
  static at(path: string | null | undefined): Pkcs11Token {
    if (!path) {
      throw new AppError('PKCS11_UNAVAILABLE', 'No PKCS#11 module is configured');
    }
    let token = Pkcs11Token.open.get(path);
    if (!token) {
      token = new Pkcs11Token(path);
      Pkcs11Token.open.set(path, token);
    }
    return token;
  }

  /**
   * Initialises the module afresh: after a token was taken out (its sessions are gone) and so
   * that a token put back, or put in after the module was loaded, is seen again.
   */
  private reset(): void {
    // Never under a signature in flight (the module would be finalised beneath it).
    if (this.signing > 0) {
      return;
    }
    try {
      this.p.C_Finalize();
    } catch {
      // not initialised, or already gone with the token
    }
    try {
      this.p.C_Initialize();
    } catch {
      throw new AppError('PKCS11_UNAVAILABLE', 'The PKCS#11 module cannot be initialised again', {
        module: this.modulePath.split(/[\\/]/).at(-1),
      });
    }
  }

  /** Runs `work`; when the token turns out to be gone, the module is reset before it says so. */
  private guarded<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      const refused = error instanceof AppError ? error : pkcs11Error(error);
      if (refused.code === 'TOKEN_NOT_PRESENT') {
        this.reset();
      }
      throw refused;
    }
  }

  /** Unloads every module (at quit, and between tests). */
  static closeAll(): void {
    for (const token of Pkcs11Token.open.values()) {
      try {
        token.p.C_Finalize();
        token.p.close();
      } catch {
        // already gone
      }
    }
    Pkcs11Token.open.clear();
  }

  /**
   * The slots holding an initialised token (an empty SoftHSM slot, say, is left out). A module
   * that fails to say (a token pulled out under it: SoftHSM answers CKR_GENERAL_ERROR) is
   * initialised afresh and asked once more.
   */
  private slots(): { slot: Pkcs11Types.Handle; info: TokenSummary }[] {
    try {
      return this.listSlots();
    } catch {
      this.reset();
      try {
        return this.listSlots();
      } catch (error) {
        throw pkcs11Error(error);
      }
    }
  }

  private listSlots(): { slot: Pkcs11Types.Handle; info: TokenSummary }[] {
    const mod = binding();
    return this.p.C_GetSlotList(true).flatMap((slot) => {
      const info = this.p.C_GetTokenInfo(slot);
      if (!(info.flags & mod.CKF_TOKEN_INITIALIZED)) {
        return [];
      }
      return {
        slot,
        info: {
          serial: info.serialNumber.trim(),
          label: info.label.trim(),
          manufacturer: info.manufacturerID.trim(),
          model: info.model.trim(),
        },
      };
    });
  }

  /** Whether the token `serial` is present now (the module asked afresh). */
  private present(serial: string): boolean {
    this.reset();
    try {
      return this.listSlots().some((s) => s.info.serial === serial);
    } catch {
      return false;
    }
  }

  /** The tokens present now (the module asked afresh, so a token put in since is seen). */
  tokens(): TokenSummary[] {
    this.reset();
    return this.guarded(() => this.slots().map((s) => s.info));
  }

  /**
   * The slot holding the token `serial`. A token not seen may have been put in (or back) after
   * the module last looked: it looks again once, afresh, before saying the token is not there.
   */
  private slotOf(serial: string): Pkcs11Types.Handle {
    const find = () => {
      try {
        return this.slots().find((s) => s.info.serial === serial);
      } catch (error) {
        if (error instanceof AppError && error.code === 'TOKEN_NOT_PRESENT') {
          return undefined;
        }
        throw error;
      }
    };
    let found = find();
    if (!found) {
      this.reset();
      found = find();
    }
    if (!found) {
      throw new AppError('TOKEN_NOT_PRESENT', 'The token is not present', { serial });
    }
    return found.slot;
  }

  /**
   * Whether the public key the token keeps beside the certificate (CKA_ID `keyId`) is the
   * certificate's key: 'match', 'mismatch', or 'unknown' when the token keeps no public key
   * object (then the first signature is checked instead).
   */
  publicKeyMatches(
    serial: string,
    keyId: string,
    certificate: x509.X509Certificate,
  ): 'match' | 'mismatch' | 'unknown' {
    const mod = binding();
    return this.guarded(() => {
      const session = this.p.C_OpenSession(this.slotOf(serial), mod.CKF_SERIAL_SESSION);
      try {
        const keys = this.find(session, [
          { type: mod.CKA_CLASS, value: mod.CKO_PUBLIC_KEY },
          { type: mod.CKA_ID, value: Buffer.from(keyId, 'hex') },
        ]);
        if (keys.length === 0) {
          return 'unknown';
        }
        const expected = createPublicKey({
          key: Buffer.from(certificate.publicKey.rawData),
          format: 'der',
          type: 'spki',
        }).export({ format: 'jwk' });
        // Every public key object with that id must be the certificate's key.
        for (const handle of keys) {
          const onToken = this.publicKeyJwk(session, handle);
          if (
            !onToken ||
            onToken.kty !== expected.kty ||
            (expected.kty === 'RSA'
              ? onToken.n !== expected.n || onToken.e !== expected.e
              : onToken.x !== expected.x || onToken.y !== expected.y)
          ) {
            return 'mismatch';
          }
        }
        return 'match';
      } finally {
        this.p.C_CloseSession(session);
      }
    });
  }

  /** A public key object as JWK components (RSA n/e, EC x/y), or null when it cannot be read. */
  private publicKeyJwk(
    session: Pkcs11Types.Handle,
    handle: Pkcs11Types.Handle,
  ): { kty: string; n?: string; e?: string; x?: string; y?: string } | null {
    const mod = binding();
    const b64 = (b: Buffer) => b.toString('base64url');
    const value = (type: number): Buffer | null => {
      try {
        const [attribute] = this.p.C_GetAttributeValue(session, handle, [{ type }]);
        return attribute?.value instanceof Buffer ? attribute.value : null;
      } catch {
        return null;
      }
    };
    const modulus = value(mod.CKA_MODULUS);
    if (modulus) {
      const exponent = value(mod.CKA_PUBLIC_EXPONENT);
      const strip = (b: Buffer) => {
        let i = 0;
        while (i < b.length - 1 && b[i] === 0) {
          i++;
        }
        return b.subarray(i);
      };
      return exponent ? { kty: 'RSA', n: b64(strip(modulus)), e: b64(strip(exponent)) } : null;
    }
    let point = value(mod.CKA_EC_POINT);
    if (!point) {
      return null;
    }
    // CKA_EC_POINT is a DER OCTET STRING holding the uncompressed point (some tokens give it bare).
    if (point[0] === 0x04 && point.length > 2 && point[1] !== 0x04) {
      const parsed = asn1js.fromBER(new Uint8Array(point).buffer);
      if (parsed.offset > 0 && parsed.result instanceof asn1js.OctetString) {
        point = Buffer.from(parsed.result.valueBlock.valueHexView);
      }
    } else if (point[0] === 0x04 && point[1] !== undefined && point[1] + 2 === point.length) {
      point = point.subarray(2);
    }
    if (point[0] !== 0x04 || point.length % 2 !== 1) {
      return null;
    }
    const half = (point.length - 1) / 2;
    return { kty: 'EC', x: b64(point.subarray(1, 1 + half)), y: b64(point.subarray(1 + half)) };
  }

  private find(session: Pkcs11Types.Handle, template: Pkcs11Types.Template): Pkcs11Types.Handle[] {
    this.p.C_FindObjectsInit(session, template);
    try {
      return this.p.C_FindObjects(session, 1000);
    } finally {
      this.p.C_FindObjectsFinal(session);
    }
  }

  /** The certificates on every token present now (public objects: no PIN needed). */
  certificates(): TokenCertificate[] {
    this.reset();
    return this.guarded(() => this.listCertificates());
  }

  private listCertificates(): TokenCertificate[] {
    const mod = binding();
    const out: TokenCertificate[] = [];
    for (const { slot, info } of this.slots()) {
      let session: Pkcs11Types.Handle | null = null;
      try {
        session = this.p.C_OpenSession(slot, mod.CKF_SERIAL_SESSION);
        for (const handle of this.find(session, [
          { type: mod.CKA_CLASS, value: mod.CKO_CERTIFICATE },
          { type: mod.CKA_CERTIFICATE_TYPE, value: mod.CKC_X_509 },
        ])) {
          const [value, id, label] = this.p.C_GetAttributeValue(session, handle, [
            { type: mod.CKA_VALUE },
            { type: mod.CKA_ID },
            { type: mod.CKA_LABEL },
          ]);
          const der = value?.value instanceof Buffer ? value.value : null;
          if (der && readCertificate(der)) {
            out.push({
              tokenSerial: info.serial,
              tokenLabel: info.label,
              keyId: id?.value instanceof Buffer ? id.value.toString('hex') : '',
              label: label?.value instanceof Buffer ? label.value.toString('utf8') : '',
              der,
            });
          }
        }
      } catch (error) {
        throw error instanceof AppError ? error : pkcs11Error(error);
      } finally {
        if (session) {
          this.p.C_CloseSession(session);
        }
      }
    }
    return out;
  }

  /**
   * A signer whose key stays on the token `serial` (the private key with CKA_ID `keyId`). Each
   * signature opens a session, logs in with `pin`, signs and logs out.
   */
  signer(serial: string, keyId: string, chain: x509.X509Certificate[], pin: string): CmsSigner {
    const mod = binding();
    const certificate = chain[0]!;
    const algorithm = certificate.publicKey.algorithm as { name: string; namedCurve?: string };
    const keyType = algorithm.name === 'ECDSA' ? 'ec' : 'rsa';
    const hash: HashName = algorithm.namedCurve === 'P-384' ? 'sha384' : 'sha256';
    const certificateKey = createPublicKey({
      key: Buffer.from(certificate.publicKey.rawData),
      format: 'der',
      type: 'spki',
    });
    return {
      chain: chain.map(derOf),
      keyType,
      hash,
      sign: async (data: Buffer) => {
        const digest = createHash(hash).update(data).digest();
        const input =
          keyType === 'rsa'
            ? Buffer.from(
                new pkijs.DigestInfo({
                  digestAlgorithm: new pkijs.AlgorithmIdentifier({
                    algorithmId: HASH_OIDS[hash],
                    algorithmParams: new asn1js.Null(),
                  }),
                  digest: new asn1js.OctetString({ valueHex: digest }),
                })
                  .toSchema()
                  .toBER(false),
              )
            : digest;
        const session = this.guarded(() =>
          this.p.C_OpenSession(this.slotOf(serial), mod.CKF_SERIAL_SESSION),
        );
        let gone = false;
        try {
          try {
            this.p.C_Login(session, mod.CKU_USER, pin);
          } catch (error) {
            if ((error as { code?: number }).code !== mod.CKR_USER_ALREADY_LOGGED_IN) {
              throw pkcs11Error(error);
            }
          }
          const [key] = this.find(session, [
            { type: mod.CKA_CLASS, value: mod.CKO_PRIVATE_KEY },
            { type: mod.CKA_ID, value: Buffer.from(keyId, 'hex') },
          ]);
          if (key === undefined) {
            throw new AppError(
              'NO_SIGNING_IDENTITY',
              'The token holds no key for this certificate',
            );
          }
          this.p.C_SignInit(
            session,
            { mechanism: keyType === 'rsa' ? mod.CKM_RSA_PKCS : mod.CKM_ECDSA },
            key,
          );
          this.signing++;
          const signature = await new Promise<Buffer>((resolve, reject) =>
            this.p.C_Sign(session, input, Buffer.alloc(1024), (error, out) =>
              error ? reject(pkcs11Error(error)) : resolve(Buffer.from(out)),
            ),
          ).finally(() => this.signing--);
          // ECDSA comes back as r‖s; CMS carries the DER SEQUENCE of two INTEGERs.
          const encoded =
            keyType === 'rsa'
              ? signature
              : Buffer.from(pkijs.createCMSECDSASignature(new Uint8Array(signature).buffer));
          // The token's key must be the certificate's: a signature the certificate does not
          // verify is never handed on (it would make a letter nobody can verify).
          if (!verifySignature(hash, data, certificateKey, encoded)) {
            throw new AppError(
              'TOKEN_KEY_MISMATCH',
              "The token's key does not belong to the certificate",
              { serial },
            );
          }
          return encoded;
        } catch (error) {
          let refused = error instanceof AppError ? error : pkcs11Error(error);
          gone = refused.code === 'TOKEN_NOT_PRESENT';
          // A token pulled out mid-signature may only say "general error": ask whether it is there.
          if (refused.code === 'PKCS11_FAILED') {
            gone = true;
            if (!this.present(serial)) {
              refused = new AppError('TOKEN_NOT_PRESENT', 'The token was removed', { serial });
            }
          }
          throw refused;
        } finally {
          try {
            this.p.C_Logout(session);
          } catch {
            // not logged in
          }
          try {
            this.p.C_CloseSession(session);
          } catch {
            // gone with the token
          }
          if (gone) {
            this.reset();
          }
        }
      },
    };
  }
}
