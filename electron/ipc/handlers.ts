/**
 * The handler table: one plain async function per invoke channel of the contract. The type
 * makes a missing or extra handler a compile error; test/unit/contract.test.ts checks the same
 * at run time.
 */
import type { InvokeChannel, ParsedRequestOf, ResponseOf } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { externalUrlDecision } from '../main/policy';
import { exportCsv, importCsv } from '../areas/register/csv';
import { correctEntry } from '../services';
import { approvalPolicy, fourEyesPolicy, validityPolicy } from '../services/policy';
import type { HandlerContext } from './context';

export type Handler<C extends InvokeChannel> = (
  input: ParsedRequestOf<C>,
  ctx: HandlerContext,
) => Promise<ResponseOf<C>>;

export type HandlerTable = { [C in InvokeChannel]: Handler<C> };

export const handlers: HandlerTable = {
  'app:diagnostics': async (_input, ctx) => ({
    appVersion: ctx.app.appVersion,
    runtime: ctx.app.runtime,
    versions: ctx.app.versions,
    platform: ctx.app.platform,
    dataFolder: ctx.app.dataFolder,
    vaultState: ctx.vault.state(),
  }),

  'prefs:get': async (_input, ctx) => ctx.prefs.get(),

  'prefs:set': async (input, ctx) => {
    const patch: Parameters<typeof ctx.prefs.update>[0] = {};
    if (input.language !== undefined) {
      patch.language = input.language;
    }
    if (input.idleLockMinutes !== undefined) {
      patch.idleLockMinutes = input.idleLockMinutes;
    }
    return ctx.prefs.update(patch);
  },

  'shell:openExternal': async (input, ctx) => {
    const url = externalUrlDecision(input.url);
    if (url === null) {
      throw new AppError('EXTERNAL_URL_REFUSED', 'Only http and https links may be opened');
    }
    await ctx.openExternal(url);
    return { opened: true };
  },

  'vault:status': async (_input, ctx) => ctx.vault.status(),
  'vault:create': async (input, ctx) =>
    ctx.vault.create(input.folder, input.passphrase, input.profile),
  'vault:confirmRecoveryKey': async (input, ctx) => ctx.vault.confirmRecoveryKey(input.answers),
  'vault:unlock': async (input, ctx) =>
    ctx.vault.unlock(input.folder, { passphrase: input.passphrase }),
  'vault:recover': async (input, ctx) =>
    ctx.vault.recover(input.folder, input.recoveryKey, input.newPassphrase),
  'vault:lock': async (input, ctx) => ctx.vault.lock('user', input.drafts),
  'vault:keepDrafts': async (input, ctx) => ({ kept: ctx.vault.keepDrafts(input.drafts) }),
  'vault:takeDrafts': async (_input, ctx) => ({ drafts: ctx.vault.takeDrafts() }),
  'vault:changePassphrase': async (input, ctx) =>
    ctx.vault.changePassphrase(input.current, input.next),
  'vault:newRecoveryKey': async (input, ctx) => ctx.vault.newRecoveryKey(input.current),
  'vault:pendingRecoveryKey': async (_input, ctx) => ({
    recoveryKey: ctx.vault.pendingRecoveryKey(),
  }),
  'vault:generations': async (input, ctx) => ({ generations: ctx.vault.generations(input.folder) }),
  'vault:restore': async (input, ctx) =>
    ctx.vault.restore(input.folder, input.generation, input.passphrase),
  'vault:pickFolder': async (_input, ctx) => ({ folder: await ctx.pickFolder() }),
  'vault:explainBreak': async (input, ctx) => {
    // Signed with one of the vault's own signing identities (a software key or a token).
    const identity = ctx.signing.identity(input.identityId);
    const signer = ctx.signing.signer(input.identityId, input.pin ?? null);
    return ctx.vault.explainBreak(input.text, signer, identity.subject);
  },

  'register:scheme': async (_input, ctx) => ctx.register.scheme().scheme,
  'register:importScheme': async (input, ctx) => ctx.register.importScheme(input.scheme),
  'organisations:list': async (input, ctx) => ({
    organisations: ctx.register.listOrganisations(input),
  }),
  'register:update': async (input, ctx) => ({
    changed: await correctEntry(ctx, input.kind, input.id, input.input),
  }),
  'register:retire': async (input, ctx) => {
    await ctx.register.retire(input.kind, input.id, input.retired);
    return { retired: input.retired };
  },
  'systems:unassignPerson': async (input, ctx) => {
    await ctx.register.unassignPerson(input.systemId, input.personId, input.role);
    return { unassigned: true };
  },
  'systems:unassignSite': async (input, ctx) => {
    await ctx.register.unassignSite(input.systemId, input.siteId);
    return { unassigned: true };
  },
  'records:close': async (input, ctx) => {
    await ctx.records.close(input.id, input.closing);
    return { closed: true };
  },
  'records:attachmentContent': async (input, ctx) => {
    const content = await ctx.records.attachmentContent(input.recordId, input.address);
    return { fileName: content.fileName, data: content.data.toString('base64') };
  },
  'systems:list': async (input, ctx) => ({ systems: ctx.register.listSystems(input) }),
  'systems:get': async (input, ctx) => ({
    ...ctx.register.getSystem(input.id),
    records: ctx.records.list({ systemId: input.id }),
  }),
  'systems:create': async (input, ctx) => ({ id: await ctx.register.createSystem(input) }),
  'systems:update': async (input, ctx) => {
    await ctx.register.updateSystem(input.id, input.system);
    return { id: input.id };
  },
  'records:list': async (input, ctx) => ({
    records: ctx.records.list(input),
    total: ctx.records.count(input),
  }),
  'records:create': async (input, ctx) => ({ id: await ctx.records.create(input) }),
  'people:list': async (input, ctx) => ({ people: ctx.register.listPeople(input) }),
  'organisations:create': async (input, ctx) => ({
    id: await ctx.register.createOrganisation(input),
  }),
  'people:create': async (input, ctx) => ({ id: await ctx.register.createPerson(input) }),
  'systems:assignPerson': async (input, ctx) => {
    await ctx.register.assignPerson(input.systemId, input.personId, input.role);
    return { assigned: true };
  },
  'products:list': async (input, ctx) => ({ products: ctx.register.listProducts(input) }),
  'products:create': async (input, ctx) => ({ id: await ctx.register.createProduct(input) }),
  'sites:list': async (input, ctx) => ({ sites: ctx.register.listSites(input) }),
  'sites:create': async (input, ctx) => ({
    id: await ctx.register.createSite(input.site, input.systemIds),
  }),
  'components:create': async (input, ctx) => ({ id: await ctx.register.createComponent(input) }),
  'interconnections:create': async (input, ctx) => ({
    id: await ctx.register.createInterconnection(input),
  }),
  'uploads:begin': async (input, ctx) => ctx.uploads.begin(input.name, input.size),
  'uploads:chunk': async (input, ctx) =>
    ctx.uploads.chunk(input.uploadId, input.index, Buffer.from(input.data, 'base64')),
  'uploads:finish': async (input, ctx) => {
    const done = await ctx.uploads.finish(input.uploadId);
    return { name: done.name, sha256: done.sha256, size: done.size };
  },
  'uploads:abort': async (input, ctx) => {
    await ctx.uploads.abort(input.uploadId);
    return { aborted: true };
  },
  'records:attach': async (input, ctx) => {
    await ctx.uploads.attach(input.uploadId, (done) => ctx.records.attach(input.recordId, done));
    return { attached: true };
  },
  'records:attachments': async (input, ctx) => ({
    attachments: ctx.records.attachments(input.recordId),
  }),
  'cases:list': async (input, ctx) => ({ cases: ctx.cases.listCases(input) }),
  'cases:create': async (input, ctx) => ({ id: await ctx.cases.createCase(input) }),
  'cases:get': async (input, ctx) => ctx.cases.getCase(input.id),
  'cases:updateItem': async (input, ctx) => {
    await ctx.cases.updateItem(input.caseId, input.requirementId, input.update);
    return { updated: true };
  },
  'catalogues:list': async (_input, ctx) => ({ catalogues: await ctx.catalogues.list() }),
  'cases:catalogueDiff': async (input, ctx) => ({ newer: ctx.cases.catalogueDiff(input.id) }),
  'settings:policy': async () => ({
    approval: approvalPolicy(),
    validity: validityPolicy(),
    fourEyes: fourEyesPolicy().rules,
  }),
  'cases:recordDisposal': async (input, ctx) => {
    await ctx.cases.recordDisposal(input.caseId, input.disposal);
    return { recorded: true };
  },
  'cases:disposal': async (input, ctx) => ({ disposal: ctx.cases.disposal(input.id) }),
  'cases:updateItems': async (input, ctx) => ({
    updated: await ctx.cases.updateItems(input.caseId, input.requirementIds, input.update),
  }),
  'cases:transition': async (input, ctx) => {
    await ctx.cases.transition(input.caseId, input.to, input.reason);
    return { state: input.to };
  },
  'cases:addFinding': async (input, ctx) => ({
    id: await ctx.cases.addFinding(input.caseId, input.finding),
  }),
  'cases:setFindingStatus': async (input, ctx) => {
    await ctx.cases.setFindingStatus(input.findingId, input.status, input.note);
    return { updated: true };
  },
  'cases:reviewEvidence': async (input, ctx) => {
    await ctx.cases.reviewEvidence(input.evidenceId, input.status);
    return { updated: true };
  },
  'cases:addEvidence': async (input, ctx) => ({
    // Refused values leave the upload finished: the form corrects them and attaches it again.
    id: await ctx.uploads.attach(input.uploadId, (done) =>
      ctx.cases.addEvidence(input.caseId, done, input.meta),
    ),
  }),
  'catalogues:import': async (input, ctx) => ctx.catalogues.import(input.catalogue),
  'risks:matrices': async (_input, ctx) => ({
    matrices: ctx.risks.matrices(),
    defaultId: ctx.risks.defaultMatrixId(),
    criteria: ctx.risks.criteria(),
    recalculations: ctx.risks.recalculations(),
  }),
  'risks:importMatrix': async (input, ctx) => ctx.risks.importMatrix(input.matrix),
  'risks:setCriteria': async (input, ctx) => ctx.risks.setCriteria(input),
  'risks:list': async (input, ctx) => ({ risks: ctx.risks.listRisks(input) }),
  'risks:get': async (input, ctx) => ({
    risk: ctx.risks.getRisk(input.id),
    ...ctx.risks.riskHistory(input.id),
  }),
  'risks:create': async (input, ctx) => ({ id: await ctx.risks.createRisk(input) }),
  'risks:update': async (input, ctx) => {
    await ctx.risks.updateRisk(input.id, input.risk);
    return { updated: true };
  },
  'risks:accept': async (input, ctx) => {
    await ctx.risks.acceptRisk(input.id, input.acceptance);
    return { updated: true };
  },
  'dashboard:summary': async (_input, ctx) => ctx.dashboard.summary(),
  'identities:list': async (_input, ctx) => ({
    identities: ctx.signing.identities(),
    trusted: ctx.signing.trusted(),
    crls: ctx.signing.crls(),
    pkcs11Module: ctx.prefs.get().pkcs11Module?.split(/[\\/]/).at(-1) ?? null,
  }),
  'identities:createSelfSigned': async (input, ctx) => ({
    id: await ctx.signing.createSelfSigned(input),
  }),
  'identities:importKeyFile': async (input, ctx) => ({
    id: await ctx.signing.importPkcs12(
      Buffer.from(input.data, 'base64'),
      input.password,
      input.label,
      input.usage,
    ),
  }),
  'identities:certificate': async (input, ctx) => ({ pem: ctx.signing.certificatePem(input.id) }),
  'identities:exchangeCertificates': async (input, ctx) => ({
    pem: ctx.signing.exchangeCertificates(input.id),
  }),
  'identities:chooseModule': async (_input, ctx) => {
    const path = await ctx.pickPkcs11Module();
    if (path) {
      ctx.prefs.update({ pkcs11Module: path });
    }
    return { pkcs11Module: ctx.prefs.get().pkcs11Module?.split(/[\\/]/).at(-1) ?? null };
  },
  'identities:tokenCertificates': async (_input, ctx) => ({
    certificates: ctx.signing.tokenCertificates(),
  }),
  'identities:addToken': async (input, ctx) => ({ id: await ctx.signing.addTokenIdentity(input) }),
  'trust:inspect': async (input, ctx) => ({
    certificates: ctx.signing
      .inspect(input.pem)
      .map(({ subject, issuer, notAfter, fingerprint }) => ({
        subject,
        issuer,
        notAfter,
        fingerprint,
      })),
  }),
  'trust:add': async (input, ctx) => ({
    fingerprints: await ctx.signing.trust(input.pem, input.role, input.compared),
  }),
  'trust:setRole': async (input, ctx) => {
    await ctx.signing.setTrustRole(input.fingerprint, input.role);
    return { updated: true };
  },
  'trust:remove': async (input, ctx) => {
    await ctx.signing.untrust(input.fingerprint);
    return { removed: true };
  },
  'trust:addCrl': async (input, ctx) => ({
    fingerprint: await ctx.signing.addCrl(Buffer.from(input.data, 'base64')),
  }),
  'trust:removeCrl': async (input, ctx) => {
    await ctx.signing.removeCrl(input.fingerprint);
    return { removed: true };
  },
  'decisions:get': async (input, ctx) => {
    const decision = ctx.decisions.decision(input.caseId);
    return {
      decision: decision ? (({ pdfBlob: _blob, ...rest }) => rest)(decision) : null,
      defaults: ctx.decisions.validityDefaults(input.caseId),
      maximum: ctx.decisions.validityMaximum(input.caseId),
      dossierSha256: ctx.decisions.dossierSnapshot(input.caseId).sha256,
    };
  },
  'decisions:issue': async (input, ctx) =>
    ctx.decisions.issueDecision(input.caseId, input.decision),
  'decisions:countersign': async (input, ctx) =>
    ctx.decisions.countersign(input.caseId, input.countersign),
  'decisions:discard': async (input, ctx) =>
    ctx.decisions.discardAwaiting(input.caseId, input.discard),
  'decisions:preview': async (input, ctx) => ({
    pdf: (await ctx.decisions.previewDecision(input.caseId, input.decision)).toString('base64'),
  }),
  'documents:issue': async (input, ctx) => {
    const issued = await ctx.decisions.issueDocument(input);
    return { id: issued.id, sha256: issued.sha256, pdf: issued.pdf.toString('base64') };
  },
  'documents:decisionPdf': async (input, ctx) => {
    const pdf = await ctx.decisions.decisionPdf(input.caseId);
    // A decision letter stands for a decision only through an anchor trusted as an authority.
    return { pdf: pdf.toString('base64'), verification: await ctx.signing.verifyLetter(pdf) };
  },
  'documents:verify': async (input, ctx) =>
    ctx.signing.verifyDocument(Buffer.from(input.pdf, 'base64')),
  'packages:recipients': async (input, ctx) => ({
    recipients: ctx.exchange.recipients(input.kind),
  }),
  'packages:export': async (input, ctx) =>
    ctx.exchange.exportPackage(input.kind, input.caseId, input.folder, {
      identityId: input.identityId,
      pin: input.pin ?? null,
      recipient: input.recipient ?? null,
      onProgress: (done: number, total: number) =>
        ctx.emit('task:progress', { task: 'package-export', done, total }),
    }),
  'packages:pickFile': async (_input, ctx) => ({ file: await ctx.pickPackage() }),
  'packages:inspect': async (input, ctx) => ctx.exchange.inspect(input.file),
  'packages:import': async (input, ctx) =>
    ctx.exchange.importPackage(input.file, {
      onProgress: (done, total) =>
        ctx.emit('task:progress', { task: 'package-import', done, total }),
    }),
  'packages:log': async (_input, ctx) => ({ entries: ctx.exchange.exchangeLog() }),
  'evidence:content': async (input, ctx) => {
    const content = await ctx.cases.evidenceContent(input.evidenceId);
    return { fileName: content.fileName, data: content.data.toString('base64') };
  },
  'csv:export': async (input, ctx) => exportCsv(ctx, input.kind, input.language),
  'csv:import': async (input, ctx) =>
    importCsv(ctx.vault.current(), ctx.register, input.kind, input.content),
};
