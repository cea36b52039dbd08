// Node refuses to strip the types of .ts files under node_modules
// (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING), which is where an installed kube-netconform lives.
// This hook strips them with the function Node itself uses (as scripts/jest-strip-types.mjs does
// for jest), so the installed package runs exactly the code a checkout runs. scripts/node24 loads
// it (`--import`) only when the project lies under a node_modules folder.
import { Buffer } from 'node:buffer';
import { registerHooks, stripTypeScriptTypes } from 'node:module';
import { URL } from 'node:url';

registerHooks({
  load(url, context, nextLoad) {
    if (!url.startsWith('file:') || !new URL(url).pathname.endsWith('.ts'))
      return nextLoad(url, context);
    const { source } = nextLoad(url, { ...context, format: 'module' });
    const text = typeof source === 'string' ? source : Buffer.from(source).toString('utf8');
    return {
      format: 'module',
      source: stripTypeScriptTypes(text, { mode: 'strip' }),
      shortCircuit: true,
    };
  },
});
