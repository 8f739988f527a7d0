/**
 * The channel names of the contract, without their schemas: what the preload and the web
 * bridge need to build their allow-lists without bundling zod. shared/contract.ts proves at
 * compile time that these lists are exactly the contract's invoke and event channels.
 */
export const INVOKE_CHANNELS = [
  'app:diagnostics',
  'prefs:get',
  'prefs:set',
  'shell:openExternal',
  'vault:status',
  'vault:create',
  'vault:confirmRecoveryKey',
  'vault:unlock',
  'vault:recover',
  'vault:lock',
  'vault:changePassphrase',
  'vault:generations',
  'vault:restore',
  'vault:pickFolder',
  'register:scheme',
  'register:importScheme',
  'organisations:list',
  'systems:list',
  'systems:get',
  'systems:create',
  'systems:update',
  'records:list',
  'records:create',
  'people:list',
  'organisations:create',
  'people:create',
  'systems:assignPerson',
  'products:list',
  'products:create',
  'sites:list',
  'sites:create',
  'components:create',
  'interconnections:create',
  'uploads:begin',
  'uploads:chunk',
  'uploads:finish',
  'uploads:abort',
  'records:attach',
  'records:attachments',
  'cases:list',
  'cases:create',
  'cases:get',
  'cases:updateItem',
  'cases:transition',
  'cases:addFinding',
  'cases:setFindingStatus',
  'cases:reviewEvidence',
  'cases:addEvidence',
  'catalogues:import',
  'risks:matrices',
  'risks:importMatrix',
  'risks:setCriteria',
  'risks:list',
  'risks:get',
  'risks:create',
  'risks:update',
  'risks:accept',
  'dashboard:summary',
  'identities:list',
  'identities:createSelfSigned',
  'identities:importKeyFile',
  'identities:certificate',
  'identities:chooseModule',
  'identities:tokenCertificates',
  'identities:addToken',
  'trust:add',
  'trust:remove',
  'trust:addCrl',
  'trust:removeCrl',
  'decisions:get',
  'decisions:issue',
  'decisions:countersign',
  'decisions:preview',
  'documents:issue',
  'documents:decisionPdf',
  'documents:verify',
  'packages:export',
  'packages:pickFile',
  'packages:inspect',
  'packages:import',
  'packages:log',
  'evidence:content',
  'csv:export',
  'csv:import',
] as const;

export const EVENT_CHANNELS = ['vault:stateChanged', 'vault:saveFailed', 'task:progress'] as const;

export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];
export type EventChannel = (typeof EVENT_CHANNELS)[number];

export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(value);
}

export function isEventChannel(value: unknown): value is EventChannel {
  return typeof value === 'string' && (EVENT_CHANNELS as readonly string[]).includes(value);
}
