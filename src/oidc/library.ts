/**
 * The one door to oidc-provider's values (types may be imported from 'oidc-provider' anywhere:
 * `import type` is erased). Importing through here keeps the library's start-up "Unsupported
 * runtime" message out of the log; see quiet-runtime-notice.ts, which must stay the first import.
 */
import { endQuietImport } from './quiet-runtime-notice.js';
import Provider, { errors, interactionPolicy } from 'oidc-provider';

endQuietImport();

export { Provider, errors, interactionPolicy };
