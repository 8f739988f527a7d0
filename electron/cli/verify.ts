/**
 * `awb verify`: a signed PDF (every signature, its path and status, four eyes), a dossier it
 * cites, or a package.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { citedDossier } from '../../shared/dossier';
import { ClassificationScheme } from '../../shared/classification';
import type { PdfVerification } from '../../shared/signatures';
import { declarationText } from '../../shared/i18n';
import { asDecision, withFourEyes } from '../areas/identities/use-cases';
import { defaultScheme } from '../areas/register/use-cases';
import { readDossier } from '../documents/dossier';
import { sha256Hex } from '../signing/hash';
import { signedKeywords, verifyPdf } from '../signing/verify';
import { readCertificates, readCrl } from '../signing/x509';
import type { CliIo } from './io';
import { UsageError } from './usage';
import { readInput, withVault } from './common';

/**
 * `awb verify <file.pdf>`: every signature, its path and status. The trust anchors and CRLs come
 * from files (--trust, --crl) or from a vault's trust store (--vault): by default the anchors
 * trusted for documents (roles documents and authority; never an owner's); with `--role
 * authority` as a decision letter is judged here (anchors trusted as an authority, and in an
 * accreditor's vault its own signing identities; a letter whose keywords declare no decision as
 * the workbench writes them is not one: DECISION_NOT_DECLARED). Exit 0 only
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
  // Every signature, then four eyes through anchors trusted as an authority (withFourEyes).
  let verification: PdfVerification;
  if (values.vault) {
    verification = await withVault(io, argv, ({ signing }) =>
      signing.verifyDocument(bytes, values.role === 'authority' ? 'authority' : 'documents'),
    );
  } else {
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
    const authority = { anchors, crls };
    const scheme = new ClassificationScheme(defaultScheme());
    verification = await withFourEyes(bytes, await verifyPdf(bytes, authority), {
      authority,
      rankOf: (code) => scheme.rank(code),
      now: new Date(),
    });
    verification = values.role === 'authority' ? asDecision(verification) : verification;
  }
  const { fourEyes, notADecision } = verification;
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
      ...(verification.declaration
        ? { judged: declarationText('en', verification.declaration) }
        : {}),
      ...(fourEyes ? { reason: `FOUR_EYES_${fourEyes.reason}`, fourEyes } : {}),
      ...(notADecision ? { reason: 'DECISION_NOT_DECLARED' } : {}),
      ...(dossier ? { dossier } : {}),
      ...(dossier && !dossier.matches && verification.valid ? { reason: 'DOSSIER_MISMATCH' } : {}),
    },
  };
}
