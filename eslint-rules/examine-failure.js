/**
 * No silent failure (issue 22): the renderer reaches the core through renderer/src/api.ts only.
 * `call` shows a failure itself (a notification); `callRaw` hands the failure to its caller, and
 * this rule makes the caller look at it. A `callRaw(...)` result must be
 *   - bound to a name (`const r = await callRaw(...)`, `.then((r) => ...)`) whose `error` is read
 *     or which is handed on whole (returned, passed to a function): `r.ok` and `r.value` alone
 *     read only the success; or
 *   - handed on itself (`return callRaw(...)`, `() => callRaw(...)`, an argument) to code that
 *     must then do the same.
 * A bare `callRaw(...)`, `void callRaw(...)`, `await callRaw(...);` or a `.then` callback that
 * ignores the result is refused, and so is `window.workbench.invoke` outside api.ts.
 *
 * Why a rule and not only a type: TypeScript cannot make a caller read a union's failure branch
 * (an `if (r.ok) {...}` with no else type-checks), and `no-floating-promises` is satisfied by
 * `void`. This rule follows the result to where it is used, so ignoring a failure is a lint
 * error; test/unit/eslint-examine-failure.test.ts holds it to both sides.
 */

const MESSAGE_IGNORED =
  "A failed call must be shown where the user acts: read the result's `error` (put it on the " +
  'field or the form), or use call(), which shows it as a notification.';
const MESSAGE_BRIDGE = 'Reach the core through renderer/src/api.ts (call / callRaw) only.';

/** Whether a variable's uses look at more than its success (`.ok`, `.value`). */
function examined(variable) {
  return variable.references.some((ref) => {
    if (ref.init || !ref.isRead()) {
      return false; // the binding itself, or a later assignment
    }
    const id = ref.identifier;
    const parent = id.parent;
    if (parent.type === 'MemberExpression' && parent.object === id) {
      const name = parent.property.type === 'Identifier' ? parent.property.name : null;
      return !(name === 'ok' || name === 'value') || parent.computed;
    }
    // Handed on whole (returned, passed, spread, assigned): the receiver answers for it.
    return true;
  });
}

/** The node whose value the call's result becomes, through awaits and conditionals. */
function carrier(node) {
  let current = node;
  while (
    current.parent &&
    (current.parent.type === 'AwaitExpression' ||
      (current.parent.type === 'ConditionalExpression' && current.parent.test !== current) ||
      current.parent.type === 'TSAsExpression' ||
      current.parent.type === 'ParenthesizedExpression')
  ) {
    current = current.parent;
  }
  return current;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'A failed callRaw result is examined, never ignored.' },
    messages: { ignored: MESSAGE_IGNORED, bridge: MESSAGE_BRIDGE },
    schema: [],
  },
  create(context) {
    const source = context.sourceCode;
    const isApi = /renderer[\\/]src[\\/]api\.ts$/.test(context.filename);
    return {
      MemberExpression(node) {
        if (
          !isApi &&
          node.property.type === 'Identifier' &&
          node.property.name === 'invoke' &&
          node.object.type === 'MemberExpression' &&
          node.object.property.type === 'Identifier' &&
          node.object.property.name === 'workbench'
        ) {
          context.report({ node, messageId: 'bridge' });
        }
      },
      CallExpression(node) {
        if (isApi || node.callee.type !== 'Identifier' || node.callee.name !== 'callRaw') {
          return;
        }
        const outer = carrier(node);
        const parent = outer.parent;
        // `.then(cb)`: the callback's first parameter is the result.
        if (
          parent.type === 'MemberExpression' &&
          parent.object === outer &&
          parent.property.type === 'Identifier' &&
          parent.property.name === 'then' &&
          parent.parent.type === 'CallExpression'
        ) {
          const callback = parent.parent.arguments[0];
          const param = callback && 'params' in callback ? callback.params[0] : undefined;
          if (param && param.type === 'Identifier') {
            const [variable] = source
              .getDeclaredVariables(callback)
              .filter((v) => v.name === param.name);
            if (variable && examined(variable)) {
              return;
            }
          }
          context.report({ node, messageId: 'ignored' });
          return;
        }
        if (parent.type === 'VariableDeclarator' && parent.init === outer) {
          if (parent.id.type === 'Identifier') {
            const [variable] = source.getDeclaredVariables(parent);
            if (variable && examined(variable)) {
              return;
            }
          }
          context.report({ node, messageId: 'ignored' });
          return;
        }
        if (parent.type === 'AssignmentExpression' && parent.right === outer) {
          return; // kept in a variable declared elsewhere: that variable is looked at there
        }
        if (
          parent.type === 'ReturnStatement' ||
          (parent.type === 'ArrowFunctionExpression' && parent.body === outer) ||
          (parent.type === 'CallExpression' && parent.arguments.includes(outer)) ||
          parent.type === 'ArrayExpression' ||
          parent.type === 'Property'
        ) {
          return; // handed on: the receiver answers for it
        }
        context.report({ node, messageId: 'ignored' });
      },
    };
  },
};
