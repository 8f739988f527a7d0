/**
 * The Exchange screen's check of a PDF (`documents:verify`) is no looser than the command line
 * or a package's import (round 20g): a file of two signatures whose signers are not two people
 * is not valid, each signature's own report kept, the reason in `fourEyes`; two people certified
 * by a CA trusted as the authority are valid.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../electron/cli/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/ipc/dispatch';
import { handlers } from '../../electron/ipc/handlers';
import { softwareSigner } from '../../electron/signing/identity';
import { fingerprintsOf } from '../../electron/areas/identities/use-cases';
import { x509 } from '../../electron/signing/x509';
import { makeTestContext, tempFolder, type TestContext } from '../helpers/context';
import { appendUpdate, letter, signLetter } from '../helpers/pdf';
import { PdfFile } from '../../electron/signing/pdf-structure';
import { PDFName, type PDFRef } from 'pdf-lib';
import { execFileSync } from 'node:child_process';
import { crl, issue, type Party } from '../helpers/pki';
import {
  decided,
  DECLARING_ENTRIES,
  KEYWORD_ROWS,
  PLAIN_ENTRIES,
} from '../helpers/letter-declarations';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';
import type { PdfVerification } from '../../shared/signatures';

const work = tempFolder('awb-verify-document-');
let tc: TestContext;
let root: Party;

beforeAll(async () => {
  root = await issue({ name: 'CN=Document Root, O=Authority, C=DK', ca: true });
  tc = makeTestContext(join(work.path, 'data'));
  await tc.ctx.vault.create(join(work.path, 'vault'), PASSPHRASE, PROFILE);
  await tc.ctx.signing.trust(root.pem, 'authority', fingerprintsOf(root.pem));
  await tc.ctx.signing.addCrl(Buffer.from((await crl(root, [])).rawData));
});
afterAll(async () => {
  await tc.ctx.vault.lock().catch(() => undefined);
  work.cleanup();
});

/** A letter signed first by `first` and countersigned by `second` (each with its chain). */
async function signedBy(
  first: Party,
  firstChain: Party[],
  second: Party,
  secondChain: Party[] = [root],
): Promise<Buffer> {
  const once = await signLetter(
    await letter(),
    softwareSigner(first.key, [first.der, ...firstChain.map((c) => c.der)]),
    'Signature1',
    { title: first.cert.subject, reserve: true },
  );
  return signLetter(
    once,
    softwareSigner(second.key, [second.der, ...secondChain.map((c) => c.der)]),
    'Signature2',
    {
      title: second.cert.subject,
    },
  );
}

const verify = async (pdf: Buffer) => {
  const r = await dispatch(handlers, 'documents:verify', { pdf: pdf.toString('base64') }, tc.ctx);
  if (!r.ok) {
    throw new Error(r.error.code);
  }
  return r.value as PdfVerification;
};

describe('the Exchange screen judges four eyes', () => {
  it('one person under a name of her own and the name the CA gave her is not valid', async () => {
    const own = await issue({ name: 'CN=Anne Own Name, O=Authority, C=DK' });
    await tc.ctx.signing.trust(own.pem, 'authority', fingerprintsOf(own.pem));
    const certified = await issue({ name: 'CN=Anne Holm, O=Authority, C=DK', issuer: root });
    const result = await verify(await signedBy(own, [], certified));
    expect(result).toMatchObject({
      valid: false,
      status: 'invalid',
      indication: 'TOTAL_FAILED',
      fourEyes: { reason: 'NOT_CERTIFIED_BY_AUTHORITY' },
    });
    expect(result.fourEyes?.detail).toContain('the first signer, CN=Anne Own Name');
    // Each signature on its own still verifies: the refusal is the pair's.
    expect(result.signatures.map((s) => s.status)).toEqual(['valid', 'valid']);
  });

  it('a made-up colleague certified by an "encryption certificate" that says CA:TRUE is no second person (round 20h)', async () => {
    const fake = await issue({
      name: 'CN=Authority Encryption, O=Authority, C=DK',
      ca: true,
      usages:
        x509.KeyUsageFlags.keyEncipherment |
        x509.KeyUsageFlags.keyCertSign |
        x509.KeyUsageFlags.cRLSign,
    });
    await tc.ctx.signing.trust(fake.pem, 'authority', fingerprintsOf(fake.pem));
    await tc.ctx.signing.addCrl(Buffer.from((await crl(fake, [])).rawData));
    const anne = await issue({ name: 'CN=Anne Real, O=Authority, C=DK', issuer: root });
    const bent = await issue({ name: 'CN=Bent Kollega, O=Authority, C=DK', issuer: fake });
    const pdf = await signedBy(anne, [root], bent, [fake]);
    const result = await verify(pdf);
    expect(result).toMatchObject({
      valid: false,
      fourEyes: { reason: 'NOT_CERTIFIED_BY_AUTHORITY' },
    });
    expect(result.fourEyes?.detail).toContain("also someone's identity");
  });

  it('the same key twice is not valid; two people the CA certified are', async () => {
    const anne = await issue({ name: 'CN=Anne Accreditor, O=Authority, C=DK', issuer: root });
    const again = await issue({
      name: 'CN=Second Accreditor, O=Authority, C=DK',
      issuer: root,
      keyOf: anne,
    });
    expect(await verify(await signedBy(anne, [root], again))).toMatchObject({
      valid: false,
      fourEyes: { reason: 'SAME_KEY' },
    });
    const bo = await issue({ name: 'CN=Bo Accreditor, O=Authority, C=DK', issuer: root });
    const two = await verify(await signedBy(anne, [root], bo));
    expect(two).toMatchObject({ valid: true, status: 'valid' });
    expect(two.fourEyes ?? null).toBeNull();
  });
});

describe('a letter one accreditor signed is judged by what its signed keywords say it decides (round 20j)', () => {
  const rows = KEYWORD_ROWS;
  let anne: Party;
  beforeAll(async () => {
    anne = await issue({ name: 'CN=Anne Alone, O=Authority, C=DK', issuer: root });
  });
  /** `pdf` signed by Anne alone, with no field reserved for a second signature. */
  const annes = (pdf: Buffer) =>
    signLetter(pdf, softwareSigner(anne.key, [anne.der, root.der]), 'Signature1', {
      title: anne.cert.subject,
    });
  const once = async (keywords: string[]) => annes(await letter('DECISION', keywords));
  /** Held to two signatures: one is no second person. */
  const heldToTwo = { valid: false, fourEyes: { reason: 'NO_SECOND_SIGNATURE' } };

  it('a declaration in the title or subject holds a letter to two (round 20l)', async () => {
    for (const info of DECLARING_ENTRIES) {
      const signed = await annes(
        await letter('DECISION', decided('full_approval', 'RESTRICTED', 1), info),
      );
      expect(await verify(signed), JSON.stringify(info)).toMatchObject(heldToTwo);
    }
    // An entry longer than any the workbench writes is held unread (the reading is bounded).
    const long = await annes(
      await letter('DECISION', decided('full_approval', 'RESTRICTED', 1), {
        subject: 'a-b '.repeat(1100),
      }),
    );
    expect(await verify(long)).toMatchObject(heldToTwo);
    // A title that names the decision as a letter's does is no declaration.
    const plain = await annes(
      await letter('DECISION', decided('full_approval', 'RESTRICTED', 1), {
        ...PLAIN_ENTRIES,
      }),
    );
    expect(await verify(plain)).toMatchObject({ valid: true });
  });

  it('on the Exchange screen, which says what it judged', async () => {
    for (const [i, [name, keywords, valid]] of rows.entries()) {
      const result = await verify(await once(keywords));
      expect(
        result.signatures.map((x) => x.status),
        name,
      ).toEqual(['valid']);
      expect({ valid: result.valid, fourEyes: result.fourEyes?.reason ?? null }, name).toEqual(
        valid ? { valid: true, fourEyes: null } : { valid: false, fourEyes: 'NO_SECOND_SIGNATURE' },
      );
      // The first five declare a decision as the workbench writes one; the letters that declare
      // none are valid on one signature; every other is held to two, unread.
      expect(result.declaration?.kind, name).toBe(
        i < 5 ? 'declared' : valid ? 'none' : 'unreadable',
      );
    }
    // What a declared decision is judged by: what it declares, raised by this installation's rules.
    expect((await verify(await once(rows[0]![1]))).declaration).toEqual({
      kind: 'declared',
      reference: 'NISD-DEC-2026-0007',
      type: 'amendment',
      level: 'SECRET',
      declared: 1,
      required: 2,
    });
    expect((await verify(await once(rows[2]![1]))).declaration).toMatchObject({
      type: 'suspension',
      level: 'RESTRICTED',
      declared: 2,
      required: 2,
    });
    expect((await verify(await once(rows[4]![1]))).declaration).toMatchObject({
      type: 'full_approval',
      declared: 1,
      required: 1,
    });
    const none = await once(decided('full_approval', null, 1));
    expect((await verify(none)).declaration).toMatchObject({ kind: 'unreadable' });
  });

  it('taken as a decision only where it declares one (`awb verify --role authority`)', async () => {
    writeFileSync(join(work.path, 'root.pem'), root.pem);
    writeFileSync(join(work.path, 'root.crl'), Buffer.from((await crl(root, [])).rawData));
    const asLetter = async (keywords: string[], role: string[]) => {
      writeFileSync(join(work.path, 'as-letter.pdf'), await once(keywords));
      let [out, err] = ['', ''];
      const code = await runCli(
        ['verify', 'as-letter.pdf', '--trust', 'root.pem', '--crl', 'root.crl', ...role],
        { out: (t) => (out += t), err: (t) => (err += t), config: TEST_CONFIG, cwd: work.path },
      );
      return { code, err, judged: /^judged: (.*)$/m.exec(out)?.[1] ?? null };
    };
    const approval = decided('full_approval', 'RESTRICTED', 1);
    const dossier = ['dossier-sha256:ab'];
    const role = ['--role', 'authority'];
    expect(await asLetter(approval, role)).toEqual({
      code: 0,
      err: '',
      judged:
        'It declares Full approval NISD-DEC-2026-0007 at level RESTRICTED, which needs 1 signature.',
    });
    expect(await asLetter(dossier, [])).toEqual({
      code: 0,
      err: '',
      judged: 'It declares no decision: four eyes is judged only where two people signed.',
    });
    expect(await asLetter(dossier, role)).toMatchObject({
      code: 1,
      err: 'error: SIGNATURE_INVALID (DECISION_NOT_DECLARED)\n',
    });
    expect(await asLetter(decided('full_approval', 'RESTRICTED', 2), [])).toMatchObject({
      code: 1,
      judged:
        'It declares Full approval NISD-DEC-2026-0007 at level RESTRICTED, which needs 2 signatures.',
    });
    expect(await asLetter([...approval, 'decision'], [])).toMatchObject({
      code: 1,
      judged:
        'It declares a decision other than as the workbench writes one, so it is held to two signatures.',
    });
  });

  it('the keywords as the letter stands, not as first written (round 20k)', async () => {
    // An update before the first signature gives the document information other keywords:
    // viewers and pdfinfo show those, and so does the verifier.
    const plain = await letter('DECISION', ['dossier-sha256:ab']);
    const info = PdfFile.parse(plain).last.trailer.get(PDFName.of('Info')) as PDFRef;
    const declaring = decided('full_approval', 'SECRET', 2).join(' ');
    for (const num of [
      info.objectNumber,
      PdfFile.parse(plain).last.trailer.get(PDFName.of('Size')),
    ]) {
      const infoNum = typeof num === 'number' ? num : Number(String(num));
      let updated = appendUpdate(plain, [{ num: infoNum, body: `<< /Keywords (${declaring}) >>` }]);
      if (infoNum !== info.objectNumber) {
        // A new dictionary the trailer points at.
        updated = Buffer.from(
          updated
            .toString('latin1')
            .replace(/\/Info \d+ 0 R(?![^]*\/Info )/, `/Info ${infoNum} 0 R`),
          'latin1',
        );
      }
      writeFileSync(join(work.path, 'redeclared.pdf'), updated);
      expect(execFileSync('pdfinfo', [join(work.path, 'redeclared.pdf')]).toString()).toContain(
        declaring,
      );
      const signed = await annes(updated);
      expect(await verify(signed)).toMatchObject(heldToTwo);
    }
    // Round 20m: a key of its own, as `pdfinfo -custom` shows it.
    const custom = appendUpdate(plain, [
      {
        num: info.objectNumber,
        body: '<< /Keywords (dossier-sha256:ab) /Decision-Level (SECRET) /Signatures-Required (2) >>',
      },
    ]);
    const signed = await annes(custom);
    expect(await verify(signed)).toMatchObject(heldToTwo);
  });

  it('by `awb verify`, given the authority’s certificate and CRL', async () => {
    writeFileSync(join(work.path, 'root.pem'), root.pem);
    writeFileSync(join(work.path, 'root.crl'), Buffer.from((await crl(root, [])).rawData));
    for (const [name, keywords, valid] of rows.slice(0, 5)) {
      writeFileSync(join(work.path, 'once.pdf'), await once(keywords));
      let err = '';
      const code = await runCli(
        ['verify', 'once.pdf', '--trust', 'root.pem', '--crl', 'root.crl'],
        { out: () => undefined, err: (t) => (err += t), config: TEST_CONFIG, cwd: work.path },
      );
      expect([code, err], name).toEqual(
        valid ? [0, ''] : [1, 'error: SIGNATURE_INVALID (FOUR_EYES_NO_SECOND_SIGNATURE)\n'],
      );
    }
  });
});

describe('the command line judges four eyes through anchors trusted as an authority', () => {
  it('whatever the role the file is verified in: a countersigner of a CA trusted for documents only is no second person', async () => {
    const docsRoot = await issue({ name: 'CN=Documents Root, O=Elsewhere, C=DK', ca: true });
    await tc.ctx.signing.trust(docsRoot.pem, 'documents', fingerprintsOf(docsRoot.pem));
    await tc.ctx.signing.addCrl(Buffer.from((await crl(docsRoot, [])).rawData));
    const anne = await issue({ name: 'CN=Anne Verified, O=Authority, C=DK', issuer: root });
    const elsewhere = await issue({ name: 'CN=Cy Elsewhere, O=Elsewhere, C=DK', issuer: docsRoot });
    const pdf = await signedBy(anne, [root], elsewhere, [docsRoot]);
    // Each signature is valid as a document here (both roots trusted for documents at least).
    expect(await tc.ctx.signing.verify(pdf)).toMatchObject({ valid: true });
    writeFileSync(join(work.path, 'elsewhere.pdf'), pdf);
    writeFileSync(join(work.path, 'passphrase'), PASSPHRASE);
    await tc.ctx.vault.lock();
    let err = '';
    const code = await runCli(
      ['verify', 'elsewhere.pdf', '--vault', 'vault', '--passphrase-file', 'passphrase'],
      { out: () => undefined, err: (t) => (err += t), config: TEST_CONFIG, cwd: work.path },
    );
    expect(code).toBe(1);
    expect(err).toContain('error: SIGNATURE_INVALID (FOUR_EYES_NOT_TRUSTED_AS_AUTHORITY)');
  });
});
