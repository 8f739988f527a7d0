/**
 * The IPC contract: every channel the renderer may call (kind "invoke") or listen to
 * (kind "event", sent by main), with its zod schemas. Everything else is derived from this
 * object: the `window.workbench` type, the preload's allow-list, main's registration and
 * validation, the browser preview's routes, and the contract-completeness test.
 * Channels are named `area:verb`; each area's channels and schemas are in a file of their own
 * beside this index, which joins them and derives the rest.
 */
import type { z } from 'zod';
import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  isEventChannel,
  isInvokeChannel,
  type EventChannel,
  type InvokeChannel,
} from '../channels';
import type { Result } from '../result';
import type { EventSpec, InvokeSpec } from './common';
import { appChannels } from './app';
import { vaultChannels } from './vault';
import { registerChannels } from './register';
import { filesChannels } from './files';
import { casesChannels } from './cases';
import { risksChannels } from './risks';
import { dashboardChannels } from './dashboard';
import { signingChannels } from './signing';
import { decisionsChannels } from './decisions';
import { exchangeChannels } from './exchange';

export { EVENT_CHANNELS, INVOKE_CHANNELS, isEventChannel, isInvokeChannel };
export type { EventChannel, InvokeChannel };
export * from './app';
export * from './vault';
export * from './register';
export * from './files';
export * from './cases';
export * from './risks';
export * from './dashboard';
export * from './signing';
export * from './decisions';
export * from './exchange';
export type { EventSpec, InvokeSpec } from './common';

export const contract = {
  ...appChannels,
  ...vaultChannels,
  ...registerChannels,
  ...filesChannels,
  ...casesChannels,
  ...risksChannels,
  ...dashboardChannels,
  ...signingChannels,
  ...decisionsChannels,
  ...exchangeChannels,
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
type InvokeKeys = {
  [C in Channel]: Contract[C] extends InvokeSpec<z.ZodType, z.ZodType> ? C : never;
}[Channel];
type EventKeys = {
  [C in Channel]: Contract[C] extends EventSpec<z.ZodType> ? C : never;
}[Channel];

// Compile-time proof that shared/channels.ts lists exactly the contract's channels.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const invokeListMatches: Same<InvokeKeys, InvokeChannel> = true;
const eventListMatches: Same<EventKeys, EventChannel> = true;
void invokeListMatches;
void eventListMatches;

export type RequestOf<C extends InvokeChannel> = z.input<Contract[C]['request']>;
export type ParsedRequestOf<C extends InvokeChannel> = z.output<Contract[C]['request']>;
export type ResponseOf<C extends InvokeChannel> = z.output<Contract[C]['response']>;
export type PayloadOf<E extends EventChannel> = z.output<Contract[E]['payload']>;

/** What the preload (or, in the browser preview, the web bridge) exposes as `window.workbench`. */
export interface WorkbenchApi {
  invoke<C extends InvokeChannel>(channel: C, input: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  on<E extends EventChannel>(channel: E, listener: (payload: PayloadOf<E>) => void): () => void;
}
