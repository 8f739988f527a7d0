/**
 * Identities on a smart card or HSM through PKCS#11 (pkcs11js, a Node-API module: one build
 * serves Node and Electron). The key never leaves the token: the app lists the token's
 * certificates, and signs by handing the token the digest. The PIN is asked for each signing,
 * used for one session and never stored or logged.
 *
 * RSA signs with CKM_RSA_PKCS over a DigestInfo (what every card supports); EC with CKM_ECDSA
 * over the digest, whose raw r‖s the CMS needs DER-encoded. With no module configured the
 * feature says so (PKCS11_UNAVAILABLE) and nothing else changes.
 */
import { createHash } from 'node:crypto';
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
  if (code === p.CKR_PIN_LOCKED) {
    return new AppError('PIN_LOCKED', 'The token is locked: too many wrong PINs');
  }
  if (code === p.CKR_TOKEN_NOT_PRESENT || code === p.CKR_DEVICE_REMOVED) {
    return new AppError('TOKEN_NOT_FOUND', 'The token is not present');
  }
  return new AppError('PKCS11_FAILED', 'The token refused the operation', {
    code: typeof code === 'number' ? code : null,
  });
}

/** One loaded PKCS#11 module (a vendor's .so/.dll, or SoftHSM in tests). */
export class Pkcs11Token {
  private readonly p: Pkcs11Types.PKCS11;

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

  /** The slots holding an initialised token (an empty SoftHSM slot, say, is left out). */
  private slots(): { slot: Pkcs11Types.Handle; info: TokenSummary }[] {
    const mod = binding();
    try {
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
    } catch (error) {
      throw pkcs11Error(error);
    }
  }

  tokens(): TokenSummary[] {
    return this.slots().map((s) => s.info);
  }

  private slotOf(serial: string): Pkcs11Types.Handle {
    const found = this.slots().find((s) => s.info.serial === serial);
    if (!found) {
      throw new AppError('TOKEN_NOT_FOUND', 'The token is not present', { serial });
    }
    return found.slot;
  }

  private find(session: Pkcs11Types.Handle, template: Pkcs11Types.Template): Pkcs11Types.Handle[] {
    this.p.C_FindObjectsInit(session, template);
    try {
      return this.p.C_FindObjects(session, 1000);
    } finally {
      this.p.C_FindObjectsFinal(session);
    }
  }

  /** The certificates on every present token (public objects: no PIN needed). */
  certificates(): TokenCertificate[] {
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
        const session = (() => {
          try {
            return this.p.C_OpenSession(this.slotOf(serial), mod.CKF_SERIAL_SESSION);
          } catch (error) {
            throw error instanceof AppError ? error : pkcs11Error(error);
          }
        })();
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
          const signature = await new Promise<Buffer>((resolve, reject) =>
            this.p.C_Sign(session, input, Buffer.alloc(1024), (error, out) =>
              error ? reject(pkcs11Error(error)) : resolve(Buffer.from(out)),
            ),
          );
          // ECDSA comes back as r‖s; CMS carries the DER SEQUENCE of two INTEGERs.
          return keyType === 'rsa'
            ? signature
            : Buffer.from(pkijs.createCMSECDSASignature(new Uint8Array(signature).buffer));
        } catch (error) {
          throw error instanceof AppError ? error : pkcs11Error(error);
        } finally {
          try {
            this.p.C_Logout(session);
          } catch {
            // not logged in
          }
          this.p.C_CloseSession(session);
        }
      },
    };
  }
}
