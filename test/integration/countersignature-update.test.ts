/**
 * What may follow a signed revision, judged by itself: the checks of `countersignatureProblem`
 * one by one, each row a later revision that is not the workbench's countersignature for one
 * reason, asserting the reason and what it names (so a check switched off, whose file the final
 * byte comparison would still refuse, is caught by its own row).
 */
import type { PDFRef } from 'pdf-lib';
import { PDFName } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { softwareSigner } from '../../electron/signing/identity';
import { PdfFile } from '../../electron/signing/pdf-structure';
import { signPdf } from '../../electron/signing/sign';
import { countersignatureProblem, firstDifference } from '../../electron/signing/update';
import { anatomy, body, lastRevisionObjects, withoutLastRevision } from '../helpers/forge';
import { appendUpdate, letter, signLetter } from '../helpers/pdf';
import { issue } from '../helpers/pki';

/** The letter awaiting its countersignature, and the same letter countersigned. */
let awaiting: Buffer;
let two: Buffer;
/** The countersignature's objects: its widget, its signature dictionary and its appearance. */
let widget: number;
let sig: number;
let ap: number;
/** The countersignature's revision (the letter, its first signature, then this). */
let R: number;

async function sign(pdf: Buffer, field: 'Signature1' | 'Signature2', reserve: boolean) {
  const party = await issue({ name: 'CN=Update Tester, C=DK', algorithm: 'ec-p256' });
  return signLetter(pdf, softwareSigner(party.key, [party.der]), field, {
    title: 'Update Tester',
    reserve,
    signingTime: new Date('2026-12-05T12:00:00Z'),
  });
}

beforeAll(async () => {
  awaiting = await sign(await letter(), 'Signature1', true);
  two = await sign(awaiting, 'Signature2', false);
  const field = anatomy(two).fields.find((f) => f.name === 'Signature2')!;
  widget = field.fieldRef!.objectNumber;
  sig = field.sigRef!.objectNumber;
  const file = PdfFile.parse(two);
  R = file.revisions.length;
  const dict = file.dict(field.fieldRef!, R)!;
  const n = file.dict(dict.get(PDFName.of('AP')), R)!.get(PDFName.of('N'));
  ap = (n as PDFRef).objectNumber;
});

describe('a field reserved at another generation', () => {
  it('is refused before anything is signed: the update writes generation 0 (round 20ay)', async () => {
    // A first signer that reserved Signature2 as `N 1 obj`: the countersignature written at
    // generation 0 beside references to `N 1 R` was no countersignature to pdfsig.
    const a = anatomy(awaiting);
    const reserved = a.fields.find((f) => f.name === 'Signature2')!.fieldRef!.objectNumber;
    const moved = (text: string) => text.replaceAll(`${reserved} 0 R`, `${reserved} 1 R`);
    const regenerated = appendUpdate(awaiting, [
      { num: reserved, body: body(awaiting, reserved), gen: 1 },
      { num: a.page, body: moved(body(awaiting, a.page)) },
      ...(a.form !== null
        ? [{ num: a.form, body: moved(body(awaiting, a.form)) }]
        : [{ num: a.root, body: moved(body(awaiting, a.root)) }]),
    ]);
    expect(PdfFile.parse(regenerated).ambiguity()).toBeNull();
    const party = await issue({ name: 'CN=Second Tester, C=DK', algorithm: 'ec-p256' });
    await expect(
      signLetter(regenerated, softwareSigner(party.key, [party.der]), 'Signature2', {
        title: 'Second Tester',
        reserve: false,
      }),
    ).rejects.toThrow(
      `the field Signature2 is written at generation 1: a countersignature writes its update at generation 0`,
    );
  });
});

function problem(pdf: Buffer) {
  const file = PdfFile.parse(pdf);
  return countersignatureProblem(file, file.revisions.length);
}

/** The countersignature's own objects, each changed by `edit` (by object number), appended again. */
function rewritten(
  edit: (num: number, text: string) => string,
  extra: { num: number; body: string }[] = [],
  on = two,
): Buffer {
  const objects = lastRevisionObjects(on).map((o) => ({ num: o.num, body: edit(o.num, o.body) }));
  return appendUpdate(withoutLastRevision(on), [...objects, ...extra]);
}

/** Replaces the first occurrence of `from` with `to` of the same length, so no offset moves. */
function inPlace(pdf: Buffer, from: string, to: string, after = 0): Buffer {
  expect(to.length).toBe(from.length);
  const at = pdf.indexOf(from, after, 'latin1');
  expect(at, from).toBeGreaterThan(-1);
  const out = Buffer.from(pdf);
  out.write(to, at, 'latin1');
  return out;
}

describe('a countersignature is exactly the update the workbench writes', () => {
  it('the genuine one is; the same objects written by another tool are not, and say where', () => {
    expect(problem(two)).toBeNull();
    const other = problem(rewritten((_, text) => text));
    expect(other?.reason).toBe('MODIFIED_AFTER_SIGNING');
    expect(other?.detail).toMatch(/^revision \d is not the countersignature .* at byte \d+\)$/);
    // The byte it names is where the two first part: everything before it is the workbench's own.
    const at = Number(/byte (\d+)/.exec(other!.detail)![1]);
    expect(at).toBeGreaterThanOrEqual(withoutLastRevision(two).length);
  });

  it('a revision that signs nothing, or two fields at once, is refused by count', () => {
    const none = problem(
      rewritten((num, text) => (num === widget ? text.replace(/\/V \d+ 0 R/, '') : text)),
    );
    expect(none).toEqual({
      reason: 'MODIFIED_AFTER_SIGNING',
      detail: `revision ${R} adds no signature of its own`,
    });
    // The first signature's dictionary written again in the countersignature's revision.
    const first = anatomy(awaiting).fields.find((f) => f.name === 'Signature1')!;
    const again = {
      num: first.sigRef!.objectNumber,
      body: body(awaiting, first.sigRef!.objectNumber),
    };
    expect(problem(rewritten((_, text) => text, [again]))).toEqual({
      reason: 'MODIFIED_AFTER_SIGNING',
      detail: `revision ${R} adds 2 signatures`,
    });
  });

  it('a revision that signs a field not left empty, or another object under the empty one’s name', () => {
    // Signature1 signed again: it was not empty before.
    const first = anatomy(awaiting).fields.find((f) => f.name === 'Signature1')!;
    const resign = appendUpdate(awaiting, [
      { num: first.sigRef!.objectNumber, body: body(awaiting, first.sigRef!.objectNumber) },
    ]);
    expect(problem(resign)).toEqual({
      reason: 'MODIFIED_AFTER_SIGNING',
      detail: `revision ${R} signs Signature1, which was not an empty field before`,
    });
    // A new widget named Signature2, holding the signature, beside the reserved (empty) one.
    const a = anatomy(two);
    const twin = a.size;
    const objects = lastRevisionObjects(two).filter((o) => o.num !== widget);
    const widgetBody = body(two, widget);
    const impostor = appendUpdate(withoutLastRevision(two), [
      ...objects,
      { num: twin, body: widgetBody },
      {
        num: a.page,
        body: body(two, a.page).replace(/\/Annots\s*\[([^\]]*)\]/, `/Annots [$1 ${twin} 0 R ]`),
      },
      {
        num: a.form!,
        body: body(two, a.form!).replace(/\/Fields\s*\[([^\]]*)\]/, `/Fields [$1 ${twin} 0 R ]`),
      },
    ]);
    expect(problem(impostor)).toEqual({
      reason: 'MODIFIED_AFTER_SIGNING',
      detail: `revision ${R} signs Signature2, which was not an empty field before`,
    });
  });

  it('a value that is no signature dictionary of its own (written inline, or a stream) signs nothing', () => {
    const expected = {
      reason: 'MODIFIED_AFTER_SIGNING',
      detail: `revision ${R} adds no signature of its own`,
    };
    // The signature dictionary written into the field itself: there is no object to be new.
    const inline = rewritten((num, text) =>
      num === widget ? text.replace(/\/V \d+ 0 R/, `/V ${body(two, sig)}`) : text,
    );
    expect(problem(inline)).toEqual(expected);
    // A reference to an object of the revision that is no dictionary (the appearance stream).
    const stream = rewritten((num, text) =>
      num === widget ? text.replace(/\/V \d+ 0 R/, `/V ${ap} 0 R`) : text,
    );
    expect(problem(stream)).toEqual(expected);
  });

  it('the reserved field is the same object under the same name: renamed, or written into the form, it is not', () => {
    // The reserved widget, renamed as it is signed.
    const renamed = rewritten((num, text) =>
      num === widget ? text.replace(/\/T <[0-9A-F]+>/, '/T (Signature9)') : text,
    );
    expect(problem(renamed)).toEqual({
      reason: 'MODIFIED_AFTER_SIGNING',
      detail: `revision ${R} signs Signature9, which was not an empty field before`,
    });
    // The signed widget written into the form's /Fields in place of its reference.
    const a = anatomy(two);
    const inForm = rewritten(
      (_, text) => text,
      [
        {
          num: a.form!,
          body: body(two, a.form!).replace(`${widget} 0 R`, body(two, widget)),
        },
      ],
    );
    expect(anatomy(inForm).fields.find((f) => f.name === 'Signature2')?.fieldRef).toBeNull();
    expect(problem(inForm)).toEqual({
      reason: 'MODIFIED_AFTER_SIGNING',
      detail: `revision ${R} signs Signature2, which was not an empty field before`,
    });
  });

  it('an empty field of the same name written into the form before the reserved one: the workbench could not fill it', () => {
    // The revision before the countersignature lists an empty Signature2 written inline first: the
    // reserved widget is still there, but the workbench fills the first field of a name, and that
    // one has no object of its own to fill.
    const a = anatomy(awaiting);
    const form = body(awaiting, a.form!).replace(
      /\/Fields\s*\[/,
      '/Fields [ << /FT /Sig /T (Signature2) /Rect [ 0 0 0 0 ] >> ',
    );
    const before = appendUpdate(awaiting, [{ num: a.form!, body: form }]);
    const pdf = appendUpdate(before, lastRevisionObjects(two));
    const rev = PdfFile.parse(pdf).revisions.length;
    expect(rev).toBe(R + 1);
    expect(problem(pdf)).toEqual({
      reason: 'MODIFIED_AFTER_SIGNING',
      detail: `revision ${R} has no field a countersignature could fill`,
    });
  });

  it('a name, reason or location that is no text string: regenerated as the text the workbench would write, it differs there', async () => {
    // A countersignature with all three empty, as the workbench writes them (<FEFF>).
    const party = await issue({ name: 'CN=Update Tester, C=DK', algorithm: 'ec-p256' });
    const blank = await signPdf(awaiting, softwareSigner(party.key, [party.der]), {
      field: 'Signature2',
      appearance: { title: 'Update Tester', lines: ['Godkendt'] },
      name: '',
      reason: '',
      location: '',
      signingTime: new Date('2026-12-05T12:00:00Z'),
    });
    expect(problem(blank)).toBeNull();
    const start = withoutLastRevision(blank).length;
    for (const [from, to] of [
      ['/Name <FEFF>', '/Name /Anon '],
      ['/Reason <FEFF>', '/Reason /None '],
      ['/Location <FEFF>', '/Location /None '],
    ] as const) {
      // Written in place (the same length), so the update's offsets and ByteRange are the
      // workbench's: the first byte that differs is the value itself.
      const at = blank.indexOf(from, start, 'latin1') + from.indexOf('<');
      expect(problem(inPlace(blank, from, to, start)), from).toEqual({
        reason: 'MODIFIED_AFTER_SIGNING',
        detail: `revision ${R} is not the countersignature the workbench writes (it differs at byte ${at})`,
      });
    }
  });

  it('a signing time not written as the workbench writes it (D:YYYYMMDDHHmmSSZ), or none', () => {
    const expected = {
      reason: 'MODIFIED_AFTER_SIGNING',
      detail: `the signature of revision ${R} is not written as the workbench writes it`,
    };
    for (const time of [
      "(D:20261205120000+01'00')",
      '(xD:20261205120000Z)',
      '(D:20261205120000Z0)',
      '(D:2026120512000Z)',
      '<443a32303236313230353132303030305a>',
    ]) {
      const pdf = rewritten((num, text) =>
        num === sig ? text.replace(/\/M \([^)]*\)/, `/M ${time}`) : text,
      );
      expect(problem(pdf), time).toEqual(expected);
    }
    const none = rewritten((num, text) => (num === sig ? text.replace(/\/M \([^)]*\)/, '') : text));
    expect(problem(none)).toEqual(expected);
    // /Contents not a hex string: there is no value to judge.
    const literal = rewritten((num, text) =>
      num === sig ? text.replace(/\/Contents <([0-9a-f]+)>/, '/Contents ($1)') : text,
    );
    expect(problem(literal)).toEqual(expected);
  });

  it('a value in upper-case hex, or with a space, is not how the workbench writes /Contents', () => {
    for (const edit of [
      (hex: string) => hex.toUpperCase(),
      (hex: string) => `${hex.slice(0, 10)} ${hex.slice(11)}`,
      (hex: string) => `A${hex.slice(1)}`,
      (hex: string) => `${hex.slice(0, -1)}F`,
    ]) {
      const pdf = rewritten((num, text) =>
        num === sig
          ? text.replace(/\/Contents <([0-9a-f]+)>/, (_, hex: string) => `/Contents <${edit(hex)}>`)
          : text,
      );
      expect(problem(pdf)).toEqual({
        reason: 'MODIFIED_AFTER_SIGNING',
        detail: `the /Contents of revision ${R} is not plain lower-case hex`,
      });
    }
  });

  it('a revision whose trailer has no ID, or an ID of one', () => {
    const text = two.toString('latin1');
    const trailer = text.lastIndexOf('/ID');
    const id = /\/ID \[ <[0-9a-f]+> <[0-9a-f]+> \]/.exec(text.slice(trailer))![0];
    const expected = {
      reason: 'MODIFIED_AFTER_SIGNING',
      detail: `the trailer of revision ${R} has no ID`,
    };
    expect(problem(inPlace(two, id, ' '.repeat(id.length), trailer))).toEqual(expected);
    const one = id.replace(/ <[0-9a-f]+> \]$/, ' ]');
    expect(problem(inPlace(two, id, one.padEnd(id.length, ' '), trailer))).toEqual(expected);
  });

  it('a reserved field without a box of four numbers, or a countersignature without an appearance', () => {
    const expected = {
      reason: 'MODIFIED_AFTER_SIGNING',
      detail: 'the field Signature2 has no box or no appearance',
    };
    // The box is the reserved field's, as the signed revision drew it.
    const rect = '/Rect [ 300 60 540 140 ]';
    const reservedAt = withoutLastRevision(two).indexOf(
      '/T <FEFF005300690067006E006100740075007200650032>',
      0,
      'latin1',
    );
    const before = two.lastIndexOf(rect, reservedAt, 'latin1');
    for (const box of [
      '/Rect [ 300 60 540     ]',
      '/Rect [ 300 60 540 (x) ]',
      '/Rect [ 300 60 540 1 4 ]',
      '/Rect << >>'.padEnd(rect.length, ' '),
    ]) {
      expect(problem(inPlace(two, rect, box, before)), box).toEqual(expected);
    }
    const bare = rewritten((num, text) =>
      num === widget ? text.replace(/\/AP\s*<<\s*\/N \d+ 0 R\s*>>/, '') : text,
    );
    expect(problem(bare)).toEqual(expected);
    const notStream = rewritten((num, text) =>
      num === widget ? text.replace(/\/N \d+ 0 R/, `/N ${sig} 0 R`) : text,
    );
    expect(problem(notStream)).toEqual(expected);
  });

  it('a field reserved without the workbench’s block (no appearance, or another drawing) is not one it countersigns', () => {
    const expected = {
      reason: 'MODIFIED_AFTER_SIGNING',
      detail: 'the field Signature2 was not reserved with a block as the workbench draws one',
    };
    // The revision before the countersignature rewrites the reserved widget; the countersignature
    // is the workbench's own, appended after it.
    const reservedAs = (
      edit: (text: string) => string,
      extra: { num: number; body: string }[] = [],
    ) =>
      appendUpdate(
        appendUpdate(awaiting, [{ num: widget, body: edit(body(awaiting, widget)) }, ...extra]),
        lastRevisionObjects(two),
      );
    const noAp = reservedAs((text) => text.replace(/\/AP\s*<<\s*\/N \d+ 0 R\s*>>/, ''));
    expect(body(withoutLastRevision(noAp), widget)).not.toMatch(/\/AP/);
    expect(problem(noAp)).toEqual(expected);
    // A drawing of the box's size that is no signature block: a white rectangle.
    const size = anatomy(two).size;
    const ops = 'q 1 1 1 rg 0 0 240 80 re f Q';
    const white = reservedAs(
      (text) => text.replace(/\/N \d+ 0 R/, `/N ${size} 0 R`),
      [
        {
          num: size,
          body: `<< /Type /XObject /Subtype /Form /BBox [ 0 0 240 80 ] /Length ${ops.length} >>\nstream\n${ops}\nendstream`,
        },
      ],
    );
    expect(problem(white)).toEqual(expected);
    // The workbench's own block, one thing changed: a colour space that paints nothing, a font
    // of its own, or text that is not the awaiting text (the letter's conditions, say).
    const block = Number(/\/N (\d+) 0 R/.exec(body(awaiting, widget))![1]);
    const blockBody = body(awaiting, block);
    const fontRef = Number(/\/F1 (\d+) 0 R/.exec(blockBody)![1]);
    const changed = (objects: { num: number; body: string }[]) =>
      appendUpdate(appendUpdate(awaiting, objects), lastRevisionObjects(two));
    // (Unchanged, the block passes; the appended copy of the countersignature then differs.)
    expect(problem(changed([{ num: block, body: blockBody }]))?.detail).toMatch(
      /is not the countersignature the workbench writes/,
    );
    const colours = blockBody.replace(
      /\/Font\s*<</,
      '/ColorSpace << /DefaultRGB /DeviceGray >> /Font <<',
    );
    expect(colours).not.toBe(blockBody);
    expect(problem(changed([{ num: block, body: colours }]))).toEqual(expected);
    const courier = body(awaiting, fontRef).replace('/Helvetica', '/Courier');
    expect(problem(changed([{ num: fontRef, body: courier }]))).toEqual(expected);
    const [, title] = /BT \/F2 9 Tf 8 \S+ Td <([0-9A-F]+)> Tj ET/.exec(blockBody)!;
    const other = Buffer.from('CONDITION 1', 'latin1').toString('hex').toUpperCase();
    const retitled = blockBody
      .replace(`<${title!}>`, `<${other}>`)
      .replace(
        /\/Length (\d+)/,
        (_, n: string) => `/Length ${Number(n) - title!.length + other.length}`,
      );
    expect(problem(changed([{ num: block, body: retitled }]))).toEqual(expected);
  });

  it('a reserved field whose appearance dictionary is an object of its own is read through it', async () => {
    // The revision before the countersignature writes the reserved widget's /AP as a reference to
    // a dictionary holding the same block; the workbench then countersigns it.
    const size = anatomy(awaiting).size;
    const n = /\/AP\s*<<\s*(\/N \d+ 0 R)\s*>>/.exec(body(awaiting, widget))![1]!;
    const before = appendUpdate(awaiting, [
      {
        num: widget,
        body: body(awaiting, widget).replace(/\/AP\s*<<\s*\/N \d+ 0 R\s*>>/, `/AP ${size} 0 R`),
      },
      { num: size, body: `<< ${n} >>` },
    ]);
    const countersigned = await sign(before, 'Signature2', false);
    expect(PdfFile.parse(countersigned).revisions.length).toBe(R + 1);
    expect(problem(countersigned)).toBeNull();
  });

  it('an appearance that is not the block the workbench draws', () => {
    const ops = 'q 0 0 0 rg 0 0 240 80 re f Q';
    const pdf = rewritten((num, text) =>
      num === ap
        ? text
            .replace(/\/Length \d+/, `/Length ${ops.length}`)
            .replace(/stream\n[\s\S]*\nendstream/, `stream\n${ops}\nendstream`)
        : text,
    );
    expect(problem(pdf)).toEqual({
      reason: 'MODIFIED_AFTER_SIGNING',
      detail: 'the appearance of Signature2 is not a signature block as the workbench draws it',
    });
  });

  it('objects a countersignature does not write are named', () => {
    const size = anatomy(two).size;
    const pdf = rewritten(
      (_, text) => text,
      [
        { num: size, body: '<< /Hidden true >>' },
        { num: size + 1, body: '<< /Hidden true >>' },
      ],
    );
    expect(problem(pdf)).toEqual({
      reason: 'UNEXPECTED_OBJECT',
      detail: `revision ${R} also writes object(s) ${size}, ${size + 1}`,
    });
    // Many: the first eight are named.
    const nine = Array.from({ length: 9 }, (_, i) => ({ num: size + i, body: '<< >>' }));
    expect(problem(rewritten((_, text) => text, nine))).toEqual({
      reason: 'UNEXPECTED_OBJECT',
      detail: `revision ${R} also writes object(s) ${nine
        .slice(0, 8)
        .map((o) => o.num)
        .join(', ')}`,
    });
  });

  it('the first byte where two files part', () => {
    const b = (s: string) => Buffer.from(s, 'latin1');
    expect(firstDifference(b('abcd'), b('abxd'))).toBe(2);
    expect(firstDifference(b('xbcd'), b('abcd'))).toBe(0);
    expect(firstDifference(b('abc'), b('abcd'))).toBe(3);
    expect(firstDifference(b('abcd'), b('abc'))).toBe(3);
    expect(firstDifference(b('abc'), b('abc'))).toBe(3);
  });
});
