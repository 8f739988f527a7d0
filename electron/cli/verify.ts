/**
 * `awb verify`: a signed PDF (every signature, its path and status, four eyes), a dossier it
 * cites, or a package.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { citedDossier } from '../../shared/dossier';
import { DEFAULT_SAME_PERSON } from '../../shared/decisions';
import { ClassificationScheme } from '../../shared/classification';
import { lettersNeed } from '../documents/decision-terms';
import { fourEyesPolicy } from '../services/policy';
import { defaultScheme } from '../services/register';
import { readDossier } from '../documents/dossier';
import { sha256Hex } from '../signing/hash';
import { judgeLetter } from '../signing/four-eyes';
import { signedKeywords, verifyPdf, type TrustStore } from '../signing/verify';
import { refuseFile } from '../../shared/signatures';
import { readCertificates, readCrl } from '../signing/x509';
import type { CliIo } from './io';
import { UsageError } from './usage';
import { readInput, withVault } from './common';

/**
 * `awb verify <file.pdf>`: every signature, its path and status. The trust anchors and CRLs come
 * from files (--trust, --crl) or from a vault's trust store (--vault): by default the anchors
 * trusted for documents (roles documents and authority; never an owner's); with `--role
 * authority` as a decision letter is judged here (anchors trusted as an authority, and in an
 * accreditor's vault its own signing identities). Exit 0 only
 * when the file is signed and every signature is valid and trusted: no anchors means nothing
 * is trusted.
 */
export async function verifyCommand(
  io: CliIo,
  argv: string[],
): Promise<{ result: Record<string, unknown>; ok: boolean }> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      trust: { type: 'string', multiple: true },
      crl: { type: 'string', multiple: true },
      vault: { type: 'string' },
      'passphrase-file': { type: 'string' },
      dossier: { type: 'string' },
      role: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (values.role !== undefined && values.role !== 'documents' && values.role !== 'authority') {
    throw new UsageError('--role takes documents or authority');
  }
  const [fileArg] = positionals;
  const bytes = readInput(io, fileArg, '<file>');
  const file = resolve(io.cwd, fileArg!);
  // A package (a tar: "ustar" at 257) is opened with the vault's keys and checked through.
  if (bytes.subarray(257, 262).toString('latin1') === 'ustar') {
    if (!values.vault) {
      throw new UsageError('a package is verified with the receiving vault: --vault <folder>');
    }
    const check = await withVault(io, argv, ({ exchange }) => exchange.verifyPackage(file));
    return { ok: check.valid, result: { file, ...check } };
  }
  let verification: Awaited<ReturnType<typeof verifyPdf>>;
  /** The anchors a second signer must chain to, to count as a second person. */
  let authority: TrustStore;
  /** The levels a letter's keywords name, ranked (the vault's scheme, or the shipped one). */
  let scheme: ClassificationScheme;
  if (values.vault) {
    [verification, authority, scheme] = await withVault(io, argv, async ({ signing, register }) => [
      await (values.role === 'authority' ? signing.verifyLetter(bytes) : signing.verify(bytes)),
      // Four eyes is a decision's rule: judged through anchors trusted as an authority whatever
      // the role the file is verified in (round 20g: a CA trusted for documents only made a
      // second person under the default role).
      signing.trustStore('authority'),
      register.scheme(),
    ]);
  } else {
    scheme = new ClassificationScheme(defaultScheme());
    const anchors = (values.trust ?? []).flatMap((path) => {
      const certs = readCertificates(readInput(io, path, '--trust'));
      if (certs.length === 0) {
        throw new UsageError(`no certificate in ${path}`);
      }
      return certs;
    });
    const crls = (values.crl ?? []).map((path) => {
      const crl = readCrl(readInput(io, path, '--crl'));
      if (!crl) {
        throw new UsageError(`no CRL in ${path}`);
      }
      return crl;
    });
    authority = { anchors, crls };
    verification = await verifyPdf(bytes, authority);
  }
  // Two signatures are two people: a second signature by the first signer's key, by a
  // certificate that key issued, or naming the same person does not make the file valid.
  // A letter that says, signed, that its decision takes four eyes (or names a type and level
  // this installation's policy asks two of) is judged even with one signature.
  const needs = lettersNeed(signedKeywords(bytes), fourEyesPolicy(), (code) => scheme.rank(code));
  const fourEyes =
    verification.valid && (verification.signatures.length > 1 || needs === 2)
      ? await judgeLetter(bytes, {
          authority,
          person: fourEyesPolicy().samePerson ?? DEFAULT_SAME_PERSON,
          now: new Date(),
        })
      : null;
  if (fourEyes) {
    verification = refuseFile(verification);
  }
  // With --dossier: the letter's signed keywords cite that file's SHA-256.
  let dossier: Record<string, unknown> | null = null;
  if (values.dossier) {
    const read = readDossier(readInput(io, values.dossier, '--dossier'));
    const cited = citedDossier(signedKeywords(bytes));
    dossier = {
      file: resolve(io.cwd, values.dossier),
      sha256: read.sha256,
      cited,
      problem: 'problem' in read ? read.problem : null,
      matches: !('problem' in read) && cited === read.sha256,
    };
  }
  const ok = verification.valid && (dossier === null || dossier.matches === true);
  return {
    ok,
    result: {
      file,
      sha256: sha256Hex(bytes),
      ...verification,
      ...(fourEyes ? { reason: `FOUR_EYES_${fourEyes.reason}`, fourEyes } : {}),
      ...(dossier ? { dossier } : {}),
      ...(dossier && !dossier.matches && verification.valid ? { reason: 'DOSSIER_MISMATCH' } : {}),
    },
  };
}
