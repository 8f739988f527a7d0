/**
 * What other areas write into a case inside their own vault change: a step of its lifecycle with
 * its line in the history (a decision taking force, a package's step), and a step of a finding's
 * or condition's status history. The decisions and the exchange reach the cases here, never
 * through their repository.
 */
export { writeStep as recordStep, findingEvent } from './repository';

/** How the history names the workbench when it takes a step itself (time, supersession). */
export const WORKBENCH = 'Accreditation Workbench';
