/**
 * Numbered migrations, one function each, registered in order. They never import app code:
 * a migration is frozen the day it ships. Add a file, append it here, add its test.
 */
import type { Database } from 'sql.js';
import { m001Initial } from './001-initial';
import { m002Register } from './002-register';
import { m003Cases } from './003-cases';
import { m004Risks } from './004-risks';
import { m005Decisions } from './005-decisions';
import { m006Exchange } from './006-exchange';
import { m007Signatures } from './007-signatures';
import { m008ExchangeV2 } from './008-exchange-v2';
import { m009DayTwo } from './009-day-two';
import { m010PackageScope } from './010-package-scope';
import { m011SenderAnchor } from './011-sender-anchor';
import { m012DecisionConditions } from './012-decision-conditions';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  m001Initial,
  m002Register,
  m003Cases,
  m004Risks,
  m005Decisions,
  m006Exchange,
  m007Signatures,
  m008ExchangeV2,
  m009DayTwo,
  m010PackageScope,
  m011SenderAnchor,
  m012DecisionConditions,
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
