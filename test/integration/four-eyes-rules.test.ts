/**
 * Four eyes, rule by rule, on certificates alone (no vault): each refusal with what it names, the
 * person policy's fields one at a time (names compared composed, case-folded and with spacing
 * collapsed; e-mail also from subjectAltName), a CA on the countersigner's path made with the first
 * signer's key, revocation not known, and the signers of a letter in the order they signed.
 */
import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  judgeCountersigner,
  judgeLetter,
  letterSigners,
  type CountersignerInput,
} from '../../electron/signing/four-eyes';
import {
  mixesScripts,
  personValues,
  samePerson,
  sameWords,
  unusualLatin,
} from '../../electron/signing/names';
import { softwareSigner } from '../../electron/signing/identity';
import { PdfFile } from '../../electron/signing/pdf-structure';
import { x509 } from '../../electron/signing/x509';
import { DEFAULT_SAME_PERSON } from '../../shared/decisions';
import { anatomy, body } from '../helpers/forge';
import { appendUpdate, letter, signLetter } from '../helpers/pdf';
import { crl, issue, type Party } from '../helpers/pki';

let root: Party;
let anne: Party;
let bo: Party;
let rootCrl: x509.X509Crl;

beforeAll(async () => {
  root = await issue({ name: 'CN=Rules Root, O=Authority, C=DK', ca: true, algorithm: 'ec-p256' });
  anne = await issue({ name: 'CN=Anne Accreditor, O=Authority, C=DK', issuer: root });
  bo = await issue({
    name: 'CN=Bo Accreditor, O=Authority, C=DK',
    issuer: root,
    algorithm: 'ec-p256',
  });
  rootCrl = await crl(root, []);
});

function input(
  first: Party,
  second: Party,
  more: Partial<CountersignerInput> = {},
): CountersignerInput {
  return {
    first: first.cert,
    second: second.cert,
    chain: [],
    authority: { anchors: [root.cert], crls: [rootCrl] },
    person: DEFAULT_SAME_PERSON,
    now: new Date(),
    ...more,
  };
}

/** A self-signed certificate with `name` and, if given, e-mail addresses in subjectAltName. */
async function selfSigned(
  name: string | x509.Name,
  emails: string[] = [],
): Promise<x509.X509Certificate> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  return x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name,
    keys,
    signingAlgorithm: alg,
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 86_400_000),
    extensions: emails.length
      ? [
          new x509.SubjectAlternativeNameExtension(
            emails.map((value) => ({ type: 'email', value })),
          ),
        ]
      : [],
  });
}

/** The values a certificate gives for a field, as a reader sees them. */
const seen = (cert: x509.X509Certificate, field: 'commonName' | 'email') => [
  ...new Set(personValues(cert, field).values()),
];

describe('the same person, by the policy’s fields', () => {
  it('names compared composed, case-folded, spacing collapsed', async () => {
    const a = await selfSigned('CN=Anne Accreditor, O=A');
    const b = await selfSigned('CN=ＡＮＮＥ   accreditor , O=B');
    expect(seen(b, 'commonName')).toEqual(['ANNE accreditor']);
    expect(samePerson(a, b, { fields: ['commonName'] })).toBe(
      'commonName "Anne Accreditor" and "ANNE accreditor" read alike',
    );
    expect(
      samePerson(a, await selfSigned('CN= Anne\u200b Accreditor'), { fields: ['commonName'] }),
    ).toBe('both certificates name commonName "Anne Accreditor"');
    const c = await selfSigned('CN=Anna Accreditor-Holm, O=A');
    expect(samePerson(a, c, { fields: ['commonName'] })).toBeNull();
  });

  it('names told apart by their letters and digits only (round 20c)', async () => {
    const anne = await selfSigned('CN=Anne Accreditor');
    // Each a second certificate of one person that read as another's: a Braille blank (U+2800)
    // for the space, a trailing dot or middle dot, a small capital A, a combining low line or dot
    // above, a figure dash for the space.
    for (const name of [
      'Anne\u2800Accreditor',
      'Anne Accreditor.',
      'Anne Accreditor\u00b7',
      '\u1d00nne Accreditor',
      'Anne Accreditor\u0332',
      'Anne Accredit\u022fr',
      'Anne\u2012Accreditor',
      'ANNE ACCREDITOR',
      '\u1d00\u0274\u0274\u1d07 \u1d00\u1d04\u1d04\u0280\u1d07\u1d05\u026a\u1d1b\u1d0f\u0280',
    ]) {
      expect(
        samePerson(anne, await selfSigned(`CN=${name}`), { fields: ['commonName'] }),
        name,
      ).not.toBeNull();
    }
    // Round 20d: an Arabic-Indic zero read as a dot, Kangxi radicals read as a tick, a bar or a
    // dash, a trade mark sign and superscript digits, Latin letters with hooks and legs.
    for (const name of [
      'Anne Accreditor\u0660',
      'Anne Accreditor\u06f0',
      'Anne Accreditor\u2f02',
      'Anne Accreditor\u2f01',
      'Anne\u2f00Accreditor',
      'Anne Accreditor\u2122',
      'Anne Accreditor\u2070',
      'Anne Accreditor\u00b9',
      'Anne Acc\u027eeditor',
      'A\u019ene Accreditor',
      'An\ua791e Accreditor',
      '\u1d8fnne Accreditor',
    ]) {
      expect(
        samePerson(anne, await selfSigned(`CN=${name}`), { fields: ['commonName'] }),
        name,
      ).not.toBeNull();
    }
    // A letter or a digit more or other is another person.
    for (const name of ['Anna Accreditor', 'Anne Accreditors', 'Anne Accreditors 2']) {
      expect(
        samePerson(anne, await selfSigned(`CN=${name}`), { fields: ['commonName'] }),
        name,
      ).toBeNull();
    }
    expect(
      samePerson(
        await selfSigned('CN=Anne Accreditor 1'),
        await selfSigned('CN=Anne Accreditor 2'),
        { fields: ['commonName'] },
      ),
    ).toBeNull();
  });

  it('a name read from its encoding, whatever string type it is written in (round 20e)', async () => {
    const anne = await selfSigned('CN=Anne Accreditor');
    const tlv = (tag: number, body: Buffer): Buffer =>
      Buffer.concat([Buffer.from([tag, body.length]), body]);
    const named = (tag: number, text: Buffer) =>
      new x509.Name(
        tlv(
          0x30,
          tlv(0x31, tlv(0x30, Buffer.concat([Buffer.from('0603550403', 'hex'), tlv(tag, text)]))),
        ),
      );
    const ascii = Buffer.from('Anne Accreditor');
    for (const [type, tag, text] of [
      ['NumericString', 0x12, ascii],
      ['PrintableString', 0x13, ascii],
      ['TeletexString', 0x14, ascii],
      ['IA5String', 0x16, ascii],
      ['BMPString', 0x1e, Buffer.from('Anne Accreditor', 'utf16le').swap16()],
      [
        'UniversalString',
        0x1c,
        Buffer.concat([...'Anne Accreditor'].map((c) => Buffer.from([0, 0, 0, c.charCodeAt(0)]))),
      ],
      ['UTF8String of Latin-1 bytes', 0x0c, Buffer.from('Anne Accr\xe9ditor', 'latin1')],
    ] as const) {
      const twin = await selfSigned(named(tag, text));
      expect(samePerson(anne, twin, { fields: ['commonName'] }), type).not.toBeNull();
      expect(samePerson(twin, anne, { fields: ['commonName'] }), type).not.toBeNull();
    }
    const other = await selfSigned(named(0x12, Buffer.from('Bo Holm')));
    expect(samePerson(anne, other, { fields: ['commonName'] })).toBeNull();
    // Letters above U+00FF, which a UTF-8 or Latin-1 reading of UTF-16 or UTF-32 would lose; a
    // point beyond Unicode in a UniversalString dropped. (A BMPString of an odd length, or a
    // UniversalString of other than whole points, the certificate library does not parse: the
    // signer is unreadable, refused before names are compared.)
    const polish = await selfSigned('CN=\u0141ukasz \u017b\u00f3\u0142\u0107');
    const utf16 = Buffer.from('\u0141ukasz \u017b\u00f3\u0142\u0107', 'utf16le').swap16();
    const utf32 = Buffer.concat(
      [...'\u0141ukasz \u017b\u00f3\u0142\u0107'].map((c) => {
        const b = Buffer.alloc(4);
        b.writeUInt32BE(c.codePointAt(0)!);
        return b;
      }),
    );
    for (const [type, tag, text] of [
      ['BMPString', 0x1e, utf16],
      ['UniversalString', 0x1c, utf32],
      [
        'UniversalString with a point beyond Unicode',
        0x1c,
        Buffer.concat([utf32, Buffer.from([0, 0x11, 0, 0])]),
      ],
    ] as const) {
      const twin = await selfSigned(named(tag, text));
      expect(samePerson(polish, twin, { fields: ['commonName'] }), type).toMatch(
        /^(both certificates name commonName "\u0141ukasz \u017b\u00f3\u0142\u0107"|commonName "\u0141ukasz \u017b\u00f3\u0142\u0107" and ".*" read alike)$/u,
      );
    }
  });

  it('transliterated names, a serial number without its prefix, e-mail by its mailbox (round 20f)', async () => {
    const soren = await selfSigned('CN=S\u00f8ren S\u00f8rensen');
    for (const name of ['Soeren Soerensen', 'Soren Sorensen', 'S\u00f6ren S\u00f6rensen']) {
      expect(
        samePerson(soren, await selfSigned(`CN=${name}`), { fields: ['commonName'] }),
        name,
      ).not.toBeNull();
    }
    const haakon = await selfSigned('CN=H\u00e5kon M\u00fcller');
    expect(
      samePerson(haakon, await selfSigned('CN=Haakon Mueller'), { fields: ['commonName'] }),
    ).not.toBeNull();
    const serial = await selfSigned('2.5.4.5=PID:9208-2002-2-123456789012');
    expect(
      samePerson(serial, await selfSigned('2.5.4.5=9208-2002-2-123456789012'), {
        fields: ['serialNumber'],
      }),
    ).not.toBeNull();
    expect(
      samePerson(serial, await selfSigned('2.5.4.5=PID:9208-2002-2-999999999999'), {
        fields: ['serialNumber'],
      }),
    ).toBeNull();
    const anne = await selfSigned('E=anne@authority.dk');
    for (const address of [
      'anne-sign@authority.dk',
      'anne%x@authority.dk',
      'anne@mail.authority.dk',
      'ANNE@Authority.DK',
      'a.n.n.e@authority.dk',
    ]) {
      expect(
        samePerson(anne, await selfSigned(`E=${address}`), { fields: ['email'] }),
        address,
      ).not.toBeNull();
    }
  });

  it('a name in other words: another order, more words, an initial (round 20e)', async () => {
    const anne = await selfSigned('CN=Anne Accreditor');
    for (const name of [
      'Accreditor\\, Anne',
      'ACCREDITOR Anne',
      'Anne B. Accreditor',
      'A. Accreditor',
      'Anne Accreditor (signing)',
      'Ann\u0259 Accreditor',
    ]) {
      expect(
        samePerson(anne, await selfSigned(`CN=${name}`), { fields: ['commonName'] }),
        name,
      ).not.toBeNull();
    }
    expect(
      samePerson(anne, await selfSigned('CN=Accreditor\\, Anne'), { fields: ['commonName'] }),
    ).toBe(
      'commonName "Anne Accreditor" and "Accreditor, Anne" name the same person in other words',
    );
    for (const name of ['Bo Accreditor', 'Anne Bakke', 'A. B.', 'Accreditor', 'B. Accreditor']) {
      expect(
        samePerson(anne, await selfSigned(`CN=${name}`), { fields: ['commonName'] }),
        name,
      ).toBeNull();
    }
    // Round 20f: a title, a rank, a role, a middle name: the safe side takes them as one.
    for (const name of [
      'Dr. Anne Accreditor',
      'Major Anne Accreditor',
      'Anne Accreditor, signing',
      'Anne Accreditor - Signature',
      'Anne Marie Accreditor',
      'Anne Accreditor-Holm',
    ]) {
      expect(sameWords('Anne Accreditor', name), name).toBe(true);
    }
    expect(sameWords('Demo Accreditor', 'Demo Countersigner')).toBe(false);
    expect(sameWords('Anne Accreditor 1', 'Anne Accreditor 2')).toBe(false);
    expect(sameWords('Holm, Anne M.', 'A. Holm')).toBe(true);
    expect(sameWords('A. B.', 'Anne Bakke')).toBe(false);
    expect(sameWords('', 'Anne')).toBe(false);
  });

  it("Latin letters outside Europe's alphabets tell nobody apart; those of its languages do", async () => {
    for (const name of ['Ærø Łódź', 'Ørsted Şahin', 'Țara Đorđe', 'Əliyev Ŋaŋ', 'Þóra Straße']) {
      expect(unusualLatin(name), name).toBeNull();
    }
    expect(unusualLatin('Anne Acc\u027eeditor')).toBe('\u027e');
    expect(unusualLatin('\u1d8fnne')).toBe('\u1d8f');
    expect(unusualLatin('\u0410nne')).toBeNull(); // Cyrillic: the mixed-script check's
    expect(
      samePerson(await selfSigned('CN=Bo Holm'), await selfSigned('CN=Anne Acc\u027eeditor'), {
        fields: ['commonName'],
      }),
    ).toBe(
      'commonName "Anne Acc\u027eeditor" holds a letter readers take for another (\u027e): the two signers cannot be told apart',
    );
    expect(
      samePerson(await selfSigned('CN=Łukasz Żółć'), await selfSigned('CN=Marek Żółć'), {
        fields: ['commonName'],
      }),
    ).toBeNull();
  });

  it('look-alike letters are the same letter: Unicode’s confusable skeletons', async () => {
    const latin = await selfSigned('CN=Cepo Axe, O=A');
    // All Cyrillic (С е р о А х е), one script, yet it reads as the Latin name.
    const cyrillic = await selfSigned('CN=\u0421\u0435\u0440\u043e \u0410\u0445\u0435, O=B');
    expect([...personValues(cyrillic, 'commonName').keys()]).toEqual([
      ...personValues(latin, 'commonName').keys(),
    ]);
    expect(samePerson(latin, cyrillic, { fields: ['commonName'] })).toBe(
      'commonName "Cepo Axe" and "\u0421\u0435\u0440\u043e \u0410\u0445\u0435" read alike',
    );
    // All Greek capitals (Α Β Ε Τ Ο Κ Ι Ο).
    const greek = await selfSigned('CN=\u0391\u0392\u0395 \u03a4\u039f\u039a\u0399\u039f');
    expect(
      samePerson(greek, await selfSigned('CN=Abe Tokio'), { fields: ['commonName'] }),
    ).not.toBeNull();
    // Case never tells two names apart, whatever look-alikes each form has.
    for (const [x, y] of [
      ['Ida Holm', 'IDA HOLM'],
      ['ida holm', 'IDA HOLM'],
      ['Emma Holm', 'EMMA HOLM'],
      ['\u0391\u0392\u0395 \u03a4\u039f\u039a\u0399\u039f', 'ABE TOKIO'],
    ] as const) {
      const [p, q] = [await selfSigned(`CN=${x}`), await selfSigned(`CN=${y}`)];
      expect(samePerson(p, q, { fields: ['commonName'] })).not.toBeNull();
      expect(samePerson(q, p, { fields: ['commonName'] })).not.toBeNull();
    }
    // Look-alikes across case: a capital I is an l, and "m" reads as "rn" once case is folded.
    const ida = await selfSigned('CN=Ida Holm');
    expect(
      samePerson(ida, await selfSigned('CN=lda Holm'), { fields: ['commonName'] }),
    ).not.toBeNull();
    const emma = await selfSigned('CN=EMMA HOLM');
    expect(
      samePerson(emma, await selfSigned('CN=ernrna holm'), { fields: ['commonName'] }),
    ).not.toBeNull();
    // Letters that do not look alike stay apart.
    expect(samePerson(ida, await selfSigned('CN=Ada Holm'), { fields: ['commonName'] })).toBeNull();
    expect(
      samePerson(latin, await selfSigned('CN=Cepo Axel'), { fields: ['commonName'] }),
    ).toBeNull();
  });

  it('a name mixing scripts tells nobody apart', async () => {
    expect(mixesScripts('Anne Bakke')).toBe(false);
    expect(mixesScripts('Zoë Ørsted-Ærø')).toBe(false);
    expect(mixesScripts('Иван Петров')).toBe(false);
    expect(mixesScripts('Δημήτρης Παπαδόπουλος')).toBe(false);
    // Cyrillic к has no Latin prototype in the table (it is kra, ĸ), yet reads as a k.
    expect(mixesScripts('Anne Ba\u043akke')).toBe(true);
    expect(mixesScripts('Anne \u0392akke')).toBe(true);
    expect(mixesScripts('Anne Bakke \u674e')).toBe(true);
    const a = await selfSigned('CN=Anne Bakke, E=anne@authority.dk');
    const b = await selfSigned('CN=Anne Ba\u043akke, E=bo@authority.dk');
    expect(samePerson(a, b, { fields: ['commonName'] })).toBe(
      'commonName "Anne Ba\u043akke" mixes scripts: the two signers cannot be told apart',
    );
    // Whichever side writes it, and whatever field comes before.
    expect(samePerson(b, a, { fields: ['email', 'commonName'] })).toBe(
      'commonName "Anne Ba\u043akke" mixes scripts: the two signers cannot be told apart',
    );
    // Cyrillic А with Latin letters: refused as mixed before any skeleton is compared.
    const twin = await selfSigned('CN=\u0410nne Bakke');
    expect(samePerson(a, twin, { fields: ['commonName'] })).toMatch(/mixes scripts/);
  });

  it('e-mail compared by the mailbox it reaches: no +tag, quotes, trailing dot; domains in ASCII', async () => {
    const anne = await selfSigned('E=anne@authority.dk');
    for (const spelling of [
      'E=anne@authority.dk.',
      'E=anne\\+countersign@authority.dk',
      'E=\\"anne\\"@authority.dk',
      'E=ANNE\\+X@Authority.DK..',
    ]) {
      const twin = await selfSigned(spelling);
      expect(samePerson(anne, twin, { fields: ['email'] }), spelling).toMatch(
        /^email "anne@authority\.dk" and ".+" read alike$/,
      );
    }
    const idn = await selfSigned('E=anne@b\u00fccher.dk');
    const ascii = await selfSigned('E=anne@xn--bcher-kva.dk');
    expect(samePerson(idn, ascii, { fields: ['email'] })).toBe(
      'email "anne@b\u00fccher.dk" and "anne@xn--bcher-kva.dk" read alike',
    );
    // Another mailbox is another person; so is the same local part at another domain.
    for (const other of [
      'E=anne.holm@authority.dk',
      'E=anne@authority.dk.com',
      'E=annex@authority.dk',
    ]) {
      expect(samePerson(anne, await selfSigned(other), { fields: ['email'] }), other).toBeNull();
    }
    // Quotes count only around the whole local part, and only a local part has them.
    for (const [x, y] of [
      ['E=x\\"anne\\"@authority.dk', 'E=xanne@authority.dk'],
      ['E=\\"anne\\"x@authority.dk', 'E=annex@authority.dk'],
    ] as const) {
      expect(
        samePerson(await selfSigned(x), await selfSigned(y), { fields: ['email'] }),
        x,
      ).toBeNull();
    }
    // An address without a local part still loses the trailing dot of its domain.
    expect(
      samePerson(await selfSigned('E=@authority.dk.'), await selfSigned('E=@authority.dk'), {
        fields: ['email'],
      }),
    ).not.toBeNull();
    // Only an address has a mailbox: a serial number written like one is compared as written.
    expect(
      samePerson(
        await selfSigned('2.5.4.5=anne\\+x@authority.dk'),
        await selfSigned('2.5.4.5=anne@authority.dk'),
        { fields: ['serialNumber'] },
      ),
    ).toBeNull();

    expect(
      samePerson(await selfSigned('CN=Anne\\+X'), await selfSigned('CN=Anne'), {
        fields: ['commonName'],
      }),
    ).toBeNull();
  });

  it('e-mail from the subject and from subjectAltName alike', async () => {
    const a = await selfSigned('CN=A, E=Anne@Authority.DK');
    const b = await selfSigned('CN=B', ['anne@authority.dk', 'other@authority.dk']);
    expect(seen(b, 'email').sort()).toEqual(['anne@authority.dk', 'other@authority.dk']);
    // A name in subjectAltName of another kind is no e-mail.
    const dns = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '02',
      name: 'CN=C',
      keys: await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
        'sign',
        'verify',
      ]),
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'anne' }])],
    });
    expect(personValues(dns, 'email').size).toBe(0);
    expect(samePerson(a, b, { fields: ['email'] })).toBe(
      'email "Anne@Authority.DK" and "anne@authority.dk" read alike',
    );
    // Only the policy's fields count: by common name they are two people.
    expect(samePerson(a, b, { fields: ['commonName'] })).toBeNull();
  });

  it('a field only one certificate has is skipped; none in both cannot tell them apart', async () => {
    const a = await selfSigned('CN=Anne, 2.5.4.5=PID-1');
    const b = await selfSigned('CN=Bo');
    expect(samePerson(a, b, { fields: ['serialNumber', 'commonName'] })).toBeNull();
    expect(samePerson(a, b, { fields: ['serialNumber'] })).toBe(
      'no field of serialNumber tells the two signers apart',
    );
    expect(samePerson(a, b, { fields: ['serialNumber', 'email'] })).toBe(
      'no field of serialNumber, email tells the two signers apart',
    );
  });

  it('an e-mail in subjectAltName is no common name', async () => {
    // Anne's certificate carries Bo's address; Bo's common name is that address.
    const a = await selfSigned('CN=Anne Accreditor', ['bo@authority.dk']);
    const b = await selfSigned('CN=bo@authority.dk');
    expect(seen(a, 'commonName')).toEqual(['Anne Accreditor']);
    expect(samePerson(a, b, { fields: ['commonName'] })).toBeNull();
    // By e-mail they share one address only if both give it: Bo's certificate gives none.
    expect(samePerson(a, b, { fields: ['email', 'commonName'] })).toBeNull();
  });

  it('a value that is only spacing is no value: it names nobody', async () => {
    const a = await selfSigned('CN=Anne', [' ']);
    const b = await selfSigned('CN=Bo', ['   ', 'bo@authority.dk']);
    expect(personValues(a, 'email').size).toBe(0);
    expect(seen(b, 'email')).toEqual(['bo@authority.dk']);
    // Two blank addresses are not one shared address: e-mail cannot tell them apart, the names can.
    expect(samePerson(a, b, { fields: ['email'] })).toBe(
      'no field of email tells the two signers apart',
    );
    expect(samePerson(a, b, { fields: ['email', 'commonName'] })).toBeNull();
  });
});

describe('a countersigner, judged', () => {
  it('two people trusted as the authority pass', async () => {
    expect(await judgeCountersigner(input(anne, bo))).toBeNull();
  });

  it('the same key, named', async () => {
    const again = await issue({
      name: 'CN=Bo Again, O=Authority, C=DK',
      issuer: root,
      keyOf: anne,
    });
    expect(await judgeCountersigner(input(anne, again))).toEqual({
      reason: 'SAME_KEY',
      detail:
        'CN=Bo Again, O=Authority, C=DK holds the same public key as CN=Anne Accreditor, O=Authority, C=DK',
    });
  });

  it('a certificate the first signer’s key issued, or one on its chain with that key', async () => {
    const legacy = await issue({ name: 'CN=Legacy Anne, C=DK', ca: true });
    const made = await issue({ name: 'CN=Made By Anne, C=DK', issuer: legacy });
    expect(await judgeCountersigner(input(legacy, made))).toEqual({
      reason: 'ISSUED_BY_FIRST_SIGNER',
      detail:
        "CN=Made By Anne, C=DK on the countersigner's chain was issued with the first signer's key",
    });
    // A CA on the chain holding the first signer's key (certified by the root, not by Anne).
    const annesCa = await issue({
      name: 'CN=Anne As CA, C=DK',
      issuer: root,
      ca: true,
      keyOf: legacy,
    });
    const viaCa = await issue({ name: 'CN=Via Anne CA, C=DK', issuer: annesCa });
    const verdict = await judgeCountersigner(input(legacy, viaCa, { chain: [annesCa.cert] }));
    expect(verdict?.reason).toBe('ISSUED_BY_FIRST_SIGNER');
    expect(verdict?.detail).toMatch(/^CN=Via Anne CA, C=DK on the countersigner's chain/);
    // A first signer of another key type: its key verifies nothing of an RSA chain, and is no issuer.
    expect(await judgeCountersigner(input(bo, anne))).toBeNull();
  });

  it('a CA on the path the store supplies, made with the first signer’s key', async () => {
    const legacy = await issue({ name: 'CN=Legacy Anne, C=DK', ca: true });
    const mid = await issue({ name: 'CN=Mid CA, C=DK', issuer: legacy, ca: true });
    const second = await issue({ name: 'CN=Second Person, C=DK', issuer: mid });
    const verdict = await judgeCountersigner(
      input(legacy, second, {
        authority: { anchors: [mid.cert], crls: [await crl(mid, [])] },
      }),
    );
    expect(verdict).toEqual({
      reason: 'ISSUED_BY_FIRST_SIGNER',
      detail:
        "CN=Mid CA, C=DK on the countersigner's path holds or was issued with the first signer's key",
    });
  });

  it('issued the other way round: the first signer’s certificate, or a CA on its chain, made with the countersigner’s key', async () => {
    // Bo's old self-signed CA key, and Bo certified by the authority for that same key.
    const legacy = await issue({ name: 'CN=Legacy Bo, C=DK', ca: true });
    const boTrusted = await issue({
      name: 'CN=Bo Trusted, O=Authority, C=DK',
      issuer: root,
      keyOf: legacy,
    });
    // A puppet Bo's key made signs first: Bo countersigning it is one person.
    const puppet = await issue({ name: 'CN=Puppet Of Bo, C=DK', issuer: legacy });
    expect(await judgeCountersigner(input(puppet, boTrusted))).toEqual({
      reason: 'ISSUED_BY_FIRST_SIGNER',
      detail:
        "CN=Puppet Of Bo, C=DK on the first signer's chain was issued with the countersigner's key",
    });
    // One step removed: Bo's key made a CA, the CA made the first signer. Seen through the
    // first signer's chain; without it nothing tells that, but the first signer then leads to
    // no CA trusted as an authority, which four eyes asks of both signers (round 20g).
    const mid = await issue({ name: 'CN=Mid Of Bo, C=DK', issuer: legacy, ca: true });
    const deep = await issue({ name: 'CN=Deep Puppet, C=DK', issuer: mid });
    expect(await judgeCountersigner(input(deep, boTrusted, { firstChain: [mid.cert] }))).toEqual({
      reason: 'ISSUED_BY_FIRST_SIGNER',
      detail:
        "CN=Mid Of Bo, C=DK on the first signer's chain was issued with the countersigner's key",
    });
    expect(await judgeCountersigner(input(deep, boTrusted))).toEqual({
      reason: 'NOT_TRUSTED_AS_AUTHORITY',
      detail:
        'the first signer: CHAIN_INCOMPLETE: no certificate for the issuer CN=Mid Of Bo, C=DK',
    });
    // Through the store: Mid trusted here as an authority, the first signer's path runs through
    // it, carried or not.
    const midCrl = await crl(mid, []);
    const stored = { anchors: [root.cert, mid.cert], crls: [rootCrl, midCrl] };
    expect(await judgeCountersigner(input(deep, boTrusted, { authority: stored }))).toEqual({
      reason: 'ISSUED_BY_FIRST_SIGNER',
      detail:
        "CN=Mid Of Bo, C=DK on the first signer's path holds or was issued with the countersigner's key",
    });
  });

  it('issued with the first signer’s key whatever its dates: an expired or a future certificate alike', async () => {
    const legacy = await issue({ name: 'CN=Legacy Anne, C=DK', ca: true });
    for (const [name, notBefore, notAfter] of [
      ['CN=Expired By Anne, C=DK', '2019-01-01T00:00:00Z', '2020-01-01T00:00:00Z'],
      ['CN=Future By Anne, C=DK', '2098-01-01T00:00:00Z', '2099-01-01T00:00:00Z'],
    ] as const) {
      const made = await issue({
        name,
        issuer: legacy,
        notBefore: new Date(notBefore),
        notAfter: new Date(notAfter),
      });
      expect(await judgeCountersigner(input(legacy, made)), name).toEqual({
        reason: 'ISSUED_BY_FIRST_SIGNER',
        detail: `${name} on the countersigner's chain was issued with the first signer's key`,
      });
    }
  });

  it('a certificate whose signature cannot be read was issued by nobody: not trusted, not the first signer’s', async () => {
    // Cleo's certificate with its signature value replaced by an ASN.1 NULL (no ECDSA r and s):
    // checking it against the first signer's EC key fails to read it, which is no issuing.
    const cleo = await issue({
      name: 'CN=Cleo Accreditor, O=Authority, C=DK',
      issuer: root,
      algorithm: 'ec-p256',
    });
    const der = asn1js.fromBER(new Uint8Array(cleo.der)).result as asn1js.Sequence;
    der.valueBlock.value[2] = new asn1js.BitString({ valueHex: new Uint8Array([0x05, 0x00]) });
    const unreadable = new x509.X509Certificate(der.toBER(false));
    await expect(
      unreadable.verify({ publicKey: bo.cert.publicKey, signatureOnly: true }),
    ).rejects.toThrow();
    expect(await judgeCountersigner({ ...input(bo, anne), second: unreadable })).toEqual({
      reason: 'NOT_TRUSTED_AS_AUTHORITY',
      detail:
        "the countersigner: SIGNER_NOT_TRUSTED: a certificate bears the issuer's name (CN=Rules Root, O=Authority, C=DK) but did not issue CN=Cleo Accreditor, O=Authority, C=DK",
    });
  });

  it('the first signer is held to the same: certified by a CA trusted as an authority, its revocation known (round 20g)', async () => {
    // One person: a name of her own making, trusted as itself, and the one the CA gave her.
    const own = await issue({ name: 'CN=Anne Own Name, C=DK' });
    const certified = await issue({ name: 'CN=Anne Holm, O=Authority, C=DK', issuer: root });
    const pinned = { anchors: [root.cert, own.cert], crls: [rootCrl] };
    expect(await judgeCountersigner(input(own, certified, { authority: pinned }))).toEqual({
      reason: 'NOT_CERTIFIED_BY_AUTHORITY',
      detail:
        'the first signer, CN=Anne Own Name, C=DK, is trusted only as itself: four eyes needs certificates issued by a certification authority trusted as the authority',
    });
    // And the countersigner so, whichever signs first.
    expect(await judgeCountersigner(input(certified, own, { authority: pinned }))).toMatchObject({
      reason: 'NOT_CERTIFIED_BY_AUTHORITY',
      detail: expect.stringMatching(
        /^the countersigner, CN=Anne Own Name, C=DK, is trusted only/,
      ) as unknown,
    });
    // A first signer the CA certified, its revocation not known: not trusted.
    const anneOfRoot = await issue({ name: 'CN=Anne Rooted, O=Authority, C=DK', issuer: root });
    const otherRoot = await issue({ name: 'CN=Other Root, O=Authority, C=DK', ca: true });
    const boOfOther = await issue({ name: 'CN=Bo Other, O=Authority, C=DK', issuer: otherRoot });
    const onlyOther = {
      anchors: [root.cert, otherRoot.cert],
      crls: [await crl(otherRoot, [])],
    };
    expect(
      await judgeCountersigner(input(anneOfRoot, boOfOther, { authority: onlyOther })),
    ).toEqual({
      reason: 'NOT_TRUSTED_AS_AUTHORITY',
      detail:
        "REVOCATION_UNCHECKED: whether the first signer's certificate is revoked is not known here (import its CA's current CRL)",
    });
    expect(
      await judgeCountersigner(
        input(anneOfRoot, boOfOther, {
          authority: { ...onlyOther, crls: [...onlyOther.crls, rootCrl] },
        }),
      ),
    ).toBeNull();
  });

  it('only a CA and nothing else certifies: an anchor whose key also signs or receives is someone’s identity (round 20h)', async () => {
    const someone = (name: string, usages: number) =>
      issue({
        name,
        ca: true,
        usages: x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | usages,
      });
    for (const [name, usages] of [
      ['CN=Authority Encryption, C=DK', x509.KeyUsageFlags.keyEncipherment],
      ['CN=Authority Agreement, C=DK', x509.KeyUsageFlags.keyAgreement],
      ['CN=Authority Data, C=DK', x509.KeyUsageFlags.dataEncipherment],
      ['CN=Anne Signing, C=DK', x509.KeyUsageFlags.digitalSignature],
      ['CN=Anne Non-repudiation, C=DK', x509.KeyUsageFlags.nonRepudiation],
    ] as const) {
      const fake = await someone(name, usages);
      const colleague = await issue({ name: 'CN=Bent Kollega, C=DK', issuer: fake });
      const trusted = {
        anchors: [root.cert, fake.cert],
        crls: [rootCrl, await crl(fake, [])],
      };
      expect(
        await judgeCountersigner(input(anne, colleague, { authority: trusted })),
        name,
      ).toEqual({
        reason: 'NOT_CERTIFIED_BY_AUTHORITY',
        detail:
          "the countersigner, CN=Bent Kollega, C=DK, is certified only through an anchor that is also someone's identity (its key signs or receives as well): four eyes needs certificates issued by a certification authority trusted as the authority",
      });
    }
    // A CA without a key usage at all, or not allowed to certify, vouches for nobody either.
    const bare = await issue({ name: 'CN=Bare CA, C=DK', ca: true, noKeyUsage: true });
    const byBare = await issue({ name: 'CN=Bent Bare, C=DK', issuer: bare });
    expect(
      await judgeCountersigner(
        input(anne, byBare, {
          authority: { anchors: [root.cert, bare.cert], crls: [rootCrl, await crl(bare, [])] },
        }),
      ),
    ).toMatchObject({ reason: 'NOT_CERTIFIED_BY_AUTHORITY' });
    // Nor does a "CA" without basic constraints (and its absence is no error).
    const unconstrained = await issue({
      name: 'CN=Unconstrained, C=DK',
      noBasicConstraints: true,
      usages: x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
    });
    const byUnconstrained = await issue({
      name: 'CN=Bent Unconstrained, C=DK',
      issuer: unconstrained,
    });
    expect(
      await judgeCountersigner(
        input(anne, byUnconstrained, {
          authority: {
            anchors: [root.cert, unconstrained.cert],
            crls: [rootCrl, await crl(unconstrained, [])],
          },
        }),
      ),
    ).toMatchObject({ reason: 'NOT_TRUSTED_AS_AUTHORITY' });
    // A CA that certifies and signs CRLs only is one.
    const pure = await someone('CN=Pure CA, C=DK', 0);
    const byPure = await issue({ name: 'CN=Bent Pure, C=DK', issuer: pure });
    expect(
      await judgeCountersigner(
        input(anne, byPure, {
          authority: { anchors: [root.cert, pure.cert], crls: [rootCrl, await crl(pure, [])] },
        }),
      ),
    ).toBeNull();
  });

  it('a revoked first signer trusted pinned beside its CA is revoked, not merely uncertified (round 20i)', async () => {
    const revoked = { anchors: [root.cert, anne.cert], crls: [await crl(root, [anne])] };
    expect(await judgeCountersigner(input(anne, bo, { authority: revoked }))).toEqual({
      reason: 'NOT_TRUSTED_AS_AUTHORITY',
      detail: expect.stringMatching(
        /^the first signer: CERTIFICATE_REVOKED: CN=Anne Accreditor, O=Authority, C=DK was revoked/,
      ) as unknown,
    });
  });

  it('not trusted as an authority: no path, or revocation not known (no CRL, or a stale one)', async () => {
    const none = await judgeCountersigner(
      input(anne, bo, { authority: { anchors: [], crls: [] } }),
    );
    expect(none?.reason).toBe('NOT_TRUSTED_AS_AUTHORITY');
    expect(none?.detail).toMatch(/^the countersigner: [A-Z_]+: /);
    expect(none?.detail).not.toMatch(/no path to an anchor trusted as an authority$/);
    const unchecked = await judgeCountersigner(
      input(anne, bo, { authority: { anchors: [root.cert], crls: [] } }),
    );
    expect(unchecked).toEqual({
      reason: 'NOT_TRUSTED_AS_AUTHORITY',
      detail:
        "REVOCATION_UNCHECKED: whether the countersigner's certificate is revoked is not known here (import its CA's current CRL)",
    });
    const stale = await crl(root, [], {
      thisUpdate: new Date(Date.now() - 40 * 86_400_000),
      nextUpdate: new Date(Date.now() - 10 * 86_400_000),
    });
    const old = await judgeCountersigner(
      input(anne, bo, { authority: { anchors: [root.cert], crls: [stale] } }),
    );
    expect(old?.reason).toBe('NOT_TRUSTED_AS_AUTHORITY');
    expect(old?.detail).toMatch(/^CRL_STALE: whether the countersigner's certificate is revoked/);
  });

  it('judged at the time the countersigner claims as well as now', async () => {
    const later = await issue({
      name: 'CN=Not Yet, O=Authority, C=DK',
      issuer: root,
      notBefore: new Date(Date.now() - 86_400_000),
    });
    expect(await judgeCountersigner(input(anne, later))).toBeNull();
    const claimed = await judgeCountersigner(
      input(anne, later, { claimed: new Date(Date.now() - 10 * 86_400_000) }),
    );
    expect(claimed?.reason).toBe('NOT_TRUSTED_AS_AUTHORITY');
  });
});

describe('the signers of a letter', () => {
  const sign = (pdf: Buffer, who: Party, field: 'Signature1' | 'Signature2', reserve: boolean) =>
    signLetter(pdf, softwareSigner(who.key, [who.der, root.der]), field, {
      title: who.cert.subject,
      reserve,
    });

  it('in the order they signed, whatever the order of the form’s fields; each with its own chain', async () => {
    const awaiting = await sign(await letter(), anne, 'Signature1', true);
    const two = await sign(awaiting, bo, 'Signature2', false);
    const names = (pdf: Buffer) => letterSigners(pdf).map((s) => s.certificate.subject);
    expect(names(two)).toEqual([anne.cert.subject, bo.cert.subject]);
    const [, second] = letterSigners(two);
    expect(second!.field).toBe('Signature2');
    expect(second!.chain.map((c) => c.subject)).toEqual([root.cert.subject]);
    // The form lists the countersignature first: the signers are still in the order they signed.
    const a = anatomy(two);
    const form = body(two, a.form!).replace(
      /\/Fields\s*\[\s*(\d+ 0 R)\s+(\d+ 0 R)\s*\]/,
      '/Fields [ $2 $1 ]',
    );
    expect(form).not.toBe(body(two, a.form!));
    const reordered = appendUpdate(two, [{ num: a.form!, body: form }]);
    expect(names(reordered)).toEqual([anne.cert.subject, bo.cert.subject]);
    // One signature is no second person.
    expect(
      await judgeLetter(awaiting, {
        authority: { anchors: [root.cert], crls: [rootCrl] },
        person: DEFAULT_SAME_PERSON,
        now: new Date(),
      }),
    ).toEqual({ reason: 'NO_SECOND_SIGNATURE', detail: 'the letter has no second signature' });
    expect(letterSigners(Buffer.from('not a pdf'))).toEqual([]);
  });

  it('a signature covering the original revision goes first, one covering none last; one that is no CMS is no signer', async () => {
    const awaiting = await sign(await letter(), anne, 'Signature1', true);
    const two = await sign(awaiting, bo, 'Signature2', false);
    // The CMS values of two more signers, each taken from a letter of its own.
    const cmsOf = async (name: string) => {
      const party = await issue({ name, issuer: root, algorithm: 'ec-p256' });
      const signed = await sign(await letter(), party, 'Signature1', false);
      const file = PdfFile.parse(signed);
      return Buffer.from(file.signatureValues(file.last.number)[0]!.contents!).toString('hex');
    };
    const carl = await cmsOf('CN=Carl Covers None, C=DK');
    const dora = await cmsOf('CN=Dora Covers The Original, C=DK');
    const a = anatomy(two);
    const originalEnd = a.file.revisions[0]!.end;
    const n = a.size;
    const sigDict = (contents: string, range = '') =>
      `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached${range} /Contents <${contents}> >>`;
    const field = (name: string, v: number) => `<< /FT /Sig /T (${name}) /V ${v} 0 R >>`;
    const form = body(two, a.form!).replace(
      /\/Fields\s*\[([^\]]*)\]/,
      `/Fields [ ${n + 3} 0 R ${n + 4} 0 R ${n + 5} 0 R$1]`,
    );
    // Listed first of all: Signature3 (no ByteRange), Signature4 (its range ends where the
    // original revision ends), Signature5 (a /Contents that is no CMS).
    const more = appendUpdate(two, [
      { num: n, body: sigDict(carl) },
      { num: n + 1, body: sigDict(dora, ` /ByteRange [0 10 20 ${originalEnd - 20}]`) },
      { num: n + 2, body: sigDict('00') },
      { num: n + 3, body: field('Signature3', n) },
      { num: n + 4, body: field('Signature4', n + 1) },
      { num: n + 5, body: field('Signature5', n + 2) },
      { num: a.form!, body: form },
    ]);
    expect(letterSigners(more).map((s) => [s.field, s.certificate.subject])).toEqual([
      ['Signature4', 'CN=Dora Covers The Original, C=DK'],
      ['Signature1', anne.cert.subject],
      ['Signature2', bo.cert.subject],
      ['Signature3', 'CN=Carl Covers None, C=DK'],
    ]);
  });
});

describe('names.ts, row by row where mutation testing asked (this stop)', () => {
  const tlv = (tag: number, body: Buffer): Buffer =>
    Buffer.concat([Buffer.from([tag, body.length]), body]);
  /** A subject of one attribute (`oid` in hex, without its tag) written as UTF8String. */
  const subject = (oid: string, text: string) =>
    new x509.Name(
      tlv(
        0x30,
        tlv(
          0x31,
          tlv(
            0x30,
            Buffer.concat([tlv(0x06, Buffer.from(oid, 'hex')), tlv(0x0c, Buffer.from(text))]),
          ),
        ),
      ),
    );
  const EMAIL = '2a864886f70d010901';
  const SERIAL = '550405';
  const PSEUDONYM = '550441';
  const by = async (
    field: 'commonName' | 'email' | 'serialNumber' | 'pseudonym',
    oid: string,
    a: string,
    b: string,
  ) =>
    samePerson(await selfSigned(subject(oid, a)), await selfSigned(subject(oid, b)), {
      fields: [field],
    });

  it('an address by its mailbox: any full stop, the organisation’s last two labels', async () => {
    expect(await by('email', EMAIL, 'anne@example\u3002dk', 'anne@example.dk')).not.toBeNull();
    expect(await by('email', EMAIL, 'anne@example\uff0edk', 'anne@example.dk')).not.toBeNull();
    expect(await by('email', EMAIL, 'anne@mail.example.dk', 'anne@example.dk')).not.toBeNull();
    expect(await by('email', EMAIL, 'anne@example.dk', 'anne@example.se')).toBeNull();
    expect(await by('email', EMAIL, 'anne@example.dk', 'anne@elsewhere.dk')).toBeNull();
  });

  it('a serial number without its prefix only where the prefix starts it', async () => {
    expect(await by('serialNumber', SERIAL, 'PID:123', '123')).not.toBeNull();
    expect(await by('serialNumber', SERIAL, ' PID : 123', '123')).not.toBeNull();
    for (const written of ['12 AB:34', 'X1PID:123', 'PIDX9:123']) {
      const bare = written.replace(/^.*:/, '');
      expect(await by('serialNumber', SERIAL, written, bare), written).toBeNull();
    }
    // A common name keeps what stands before a colon.
    expect(await by('commonName', '550403', 'Anne: Holm', 'Holm')).toBeNull();
  });

  it('a pseudonym by its words, as a common name', async () => {
    expect(await by('pseudonym', PSEUDONYM, 'Night Owl', 'Owl, Night')).toBe(
      'pseudonym "Night Owl" and "Owl, Night" name the same person in other words',
    );
  });

  it('words: a bracket is no word, a separator is, a number is no initial, one whole word is needed', () => {
    expect(sameWords('Holm (Anne)', 'Anne Holm')).toBe(false);
    expect(sameWords('Holm [Anne]', 'Anne Holm')).toBe(false);
    expect(sameWords('Anne(x)Holm', 'Anne Holm')).toBe(true);
    expect(sameWords('Anne[x]Holm', 'Anne Holm')).toBe(true);
    expect(sameWords('-Anne Holm', 'Anne Marie Holm')).toBe(true);
    expect(sameWords('Anne Holm 2', 'Anne Holm 2nd')).toBe(false);
    expect(sameWords('A H', 'Anne Holm')).toBe(false);
    expect(sameWords('A H', 'A Holm')).toBe(false);
    expect(sameWords('Anne Holm', 'Anne-Holm')).toBe(true);
  });

  it('a name by its letters: punctuation, marks and transliterations are no difference', async () => {
    expect(
      samePerson(
        await selfSigned(subject('550403', 'Anne-Marie Holm')),
        await selfSigned(subject('550403', 'Annemarie.Holm')),
        { fields: ['commonName'] },
      ),
    ).not.toBeNull();
    expect(
      samePerson(
        await selfSigned(subject('550403', 'Zoe\u0308 Holm')),
        await selfSigned(subject('550403', 'Zoe Holm')),
        { fields: ['commonName'] },
      ),
    ).not.toBeNull();
    expect(
      samePerson(
        await selfSigned(subject('550403', 'Aerø Soeren Mueller Aabye')),
        await selfSigned(subject('550403', 'Ærø Søren Müller Åbye')),
        { fields: ['commonName'] },
      ),
    ).not.toBeNull();
  });
});
