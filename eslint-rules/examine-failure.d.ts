import type { Rule } from 'eslint';

/** The rule of examine-failure.js, typed for the test that holds it to both sides. */
declare const rule: Rule.RuleModule;
export default rule;
