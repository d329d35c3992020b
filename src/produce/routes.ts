/**
 * The production address KooGallery calls — ONE address for all ten interfaces (spec §6):
 * `POST {PRODUCE_PATH}` for the five basic (instance lifecycle) interfaces, signed in the query,
 * the activity in the body; `POST {PRODUCE_PATH}/produceAPI/v2/{interface}` for the five kit
 * interfaces, signed in headers.
 */
import Router from '@koa/router';
import { asciiJson } from '../koogallery/ascii-json.js';
import { KbError } from '../shared/errors.js';
import type { AppState } from '../http/state.js';
import { handleBasic, type BasicDeps } from './basic-handlers.js';
import { success } from './envelope.js';
import { handleKit, isKitInterface, type KitDeps } from './kit-handlers.js';
import type { ReplayGuard } from './replay-guard.js';
import { runSignedCall, type SignedCallDeps } from './signed-call.js';

export interface ProduceDeps extends KitDeps, BasicDeps, Pick<SignedCallDeps, 'observations'> {
  producePath: string;
  bodyLimit: number;
  /** How long a body may take to arrive; BODY_READ_TIMEOUT_MS (10 s) when not given. */
  bodyTimeoutMs?: number;
  /** Signs the kit interfaces (KOO_ACCESS_KEY). */
  accessKey: string;
  /** Signs the basic interfaces (KOO_BASIC_ACCESS_KEY, defaulting to the kit key). */
  basicAccessKey: string;
  guard: ReplayGuard;
  /** The rate limit on calls whose signature failed (runSignedCall). */
  onSignatureFailure?: SignedCallDeps['onSignatureFailure'];
}

const header = (value: string): string | undefined => value || undefined;
const queryValue = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function produceRoutes(deps: ProduceDeps): Router<AppState> {
  const router = new Router<AppState>();
  const root = deps.producePath === '/' ? '' : deps.producePath;

  router.all(`${root}/produceAPI/v2/:name`, async (ctx) => {
    const name = ctx.params.name ?? '';
    await runSignedCall(ctx, deps, {
      context: { interface: name },
      precheck: () => {
        if (!isKitInterface(name)) throw new KbError('unknown_interface', `unknown interface ${JSON.stringify(name.slice(0, 40))}`);
      },
      signing: (c) => ({ family: 'kit', accessKey: deps.accessKey, sign: header(c.get('x-sign')), nonce: header(c.get('x-nonce')), timestamp: header(c.get('x-timestamp')) }),
      handle: async (body) => ({ answer: success(), summary: await handleKit(deps, name as Parameters<typeof handleKit>[1], body) }),
    });
  });

  router.all(root === '' ? '/' : root, async (ctx) => {
    const context: Record<string, unknown> = { interface: 'basic' };
    await runSignedCall(ctx, deps, {
      context,
      signing: (c) => ({
        family: 'basic',
        accessKey: deps.basicAccessKey,
        sign: queryValue(c.query.signature),
        nonce: queryValue(c.query.nonce),
        timestamp: queryValue(c.query.timestamp),
      }),
      handle: async (body) => {
        // The body is verified: its activity names the call in the sync log even if it is refused.
        if (typeof body.activity === 'string' && /^[A-Za-z]{1,40}$/.test(body.activity)) context.activity = body.activity;
        const result = await handleBasic(deps, body);
        context.activity = result.activity;
        return { answer: result.answer, summary: result.summary };
      },
      // queryInstance's memo must carry non-ASCII as \uXXXX (spec §6): every basic answer is ASCII.
      serialize: asciiJson,
    });
  });
  return router;
}
